import * as crypto from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import * as asn1x509 from "@peculiar/asn1-x509";
import { inspectCertificate, splitCertificates, type CertificateInfo } from "../x509";
import { OID } from "../x509/oids";

/** One way a certificate breaks Google Cloud's mTLS rules. */
export interface GcpViolation {
  /** Stable code: GCP's log reason where one exists, otherwise a descriptive snake_case name (see {@link gcpReasonFor}). */
  readonly code: string;
  /** `subjectText` of the offending certificate (or a placeholder when the subject is empty or unparseable). */
  readonly certificate: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

// --- limits (REFERENCE.md "Google Cloud mTLS certificate requirements") ----------------------------------------------

/** Chain depth including the leaf and the root. */
export const GCP_MAX_CHAIN_DEPTH = 10;
/** Certificates a client may send (leaf + intermediates). */
export const GCP_MAX_CLIENT_CERTIFICATES = 10;
/** Total DER bytes a client may send. "16 KB" is read as 16 KiB. */
export const GCP_MAX_CLIENT_CHAIN_BYTES = 16 * 1024;
/** One PEM entry of a TrustConfig. "5 kB" is read as 5 KiB. */
export const GCP_MAX_TRUST_PEM_BYTES = 5 * 1024;
export const GCP_MAX_SPIFFE_ID_BYTES = 2048;
export const GCP_MAX_SAN_BYTES = 512;
export const GCP_MAX_NAME_CONSTRAINTS = 10;

/**
 * Signature algorithms with SHA-256 or stronger. RSASSA-PSS is left out on purpose: its hash lives in parameters this
 * check does not decode, and GCP documents only RSA / ECDSA with SHA-2, so flagging it is the safe direction.
 */
const ALLOWED_SIGNATURE_OIDS = new Set<string>([
  OID.sha256WithRsa,
  OID.sha384WithRsa,
  OID.sha512WithRsa,
  OID.ecdsaWithSha256,
  OID.ecdsaWithSha384,
  OID.ecdsaWithSha512,
]);

/** EKUs GCP refuses on a client leaf: a certificate meant for code signing, timestamping or OCSP is not a client. */
const FORBIDDEN_LEAF_EKUS = ["code_signing", "timestamping", "ocsp_signing"] as const;

/** Codes that concern the key itself: the only failures that can stop a TLS stack from even sending the certificate. */
export const GCP_KEY_CODES: ReadonlySet<string> = new Set([
  "client_cert_invalid_rsa_key_size",
  "client_cert_unsupported_elliptic_curve_key",
  "client_cert_unsupported_key_algorithm",
]);

/**
 * OpenSSL verification codes (as node reports them in `authorizationError` / `err.code`) and this module's rule codes,
 * mapped to the reason Google Cloud logs for the same failure. Codes not listed map to `client_cert_validation_failed`,
 * GCP's catch-all for a chain that does not validate against the TrustConfig.
 */
export const GCP_REASON_BY_CODE: Readonly<Record<string, string>> = {
  // OpenSSL / node
  NO_CERTIFICATE: "client_cert_not_provided",
  INVALID_PURPOSE: "client_cert_chain_invalid_eku",
  CERT_CHAIN_TOO_LONG: "client_cert_pki_too_large",
  ERR_SSL_WRONG_CURVE: "client_cert_unsupported_elliptic_curve_key",
  CERT_HAS_EXPIRED: "client_cert_validation_failed",
  CERT_NOT_YET_VALID: "client_cert_validation_failed",
  UNABLE_TO_GET_ISSUER_CERT: "client_cert_validation_failed",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "client_cert_validation_failed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "client_cert_validation_failed",
  DEPTH_ZERO_SELF_SIGNED_CERT: "client_cert_validation_failed",
  SELF_SIGNED_CERT_IN_CHAIN: "client_cert_validation_failed",
  CERT_SIGNATURE_FAILURE: "client_cert_validation_failed",
  INVALID_CA: "client_cert_validation_failed",
  PATH_LENGTH_EXCEEDED: "client_cert_validation_failed",
  CERT_UNTRUSTED: "client_cert_validation_failed",
  CERT_REJECTED: "client_cert_validation_failed",
  // rule codes of this module that are not GCP log reasons themselves
  client_cert_self_signed: "client_cert_validation_failed",
  client_cert_expired: "client_cert_validation_failed",
  client_cert_not_yet_valid: "client_cert_validation_failed",
  client_cert_leaf_is_ca: "client_cert_validation_failed",
  client_cert_unsupported_signature_algorithm: "client_cert_validation_failed",
  client_cert_issuer_not_ca: "client_cert_validation_failed",
  client_cert_issuer_missing_key_cert_sign: "client_cert_validation_failed",
  client_cert_akid_mismatch: "client_cert_validation_failed",
  client_cert_unknown_issuer: "client_cert_validation_failed",
  client_cert_untrusted_root: "client_cert_validation_failed",
  client_cert_san_too_long: "client_cert_validation_failed",
  client_cert_spiffe_id_too_long: "client_cert_validation_failed",
  client_cert_unparseable: "client_cert_validation_failed",
  // GCP reasons map to themselves
  client_cert_not_provided: "client_cert_not_provided",
  client_cert_validation_failed: "client_cert_validation_failed",
  client_cert_chain_invalid_eku: "client_cert_chain_invalid_eku",
  client_cert_invalid_rsa_key_size: "client_cert_invalid_rsa_key_size",
  client_cert_unsupported_elliptic_curve_key: "client_cert_unsupported_elliptic_curve_key",
  client_cert_unsupported_key_algorithm: "client_cert_unsupported_key_algorithm",
  client_cert_pki_too_large: "client_cert_pki_too_large",
  client_cert_chain_max_name_constraints_exceeded: "client_cert_chain_max_name_constraints_exceeded",
};

/** The GCP log reason for an OpenSSL code or a rule code of this module. */
export function gcpReasonFor(code: string): string {
  return GCP_REASON_BY_CODE[code] ?? "client_cert_validation_failed";
}

// --- client chains -----------------------------------------------------------------------------------------------------

/** A parsed certificate and where it came from (the source decides whether it may end a path). */
interface Candidate {
  readonly info: CertificateInfo;
  readonly source: "leaf" | "client" | "trust-intermediate" | "anchor";
}

/**
 * Google Cloud's rules for frontend mTLS client chains. `leafPem` may be a bundle (leaf first): the rest counts as
 * intermediates sent by the client, like `intermediatesPems`. Trust anchors and TrustConfig intermediates are only used
 * to build the path. Returns violations in the order GCP would meet them (size limits, the leaf, the path, each issuer);
 * an empty array means the chain is acceptable.
 */
export function checkGcpClientCertificate(chain: {
  leafPem: string;
  intermediatesPems?: readonly string[];
  trustAnchors: readonly string[];
  trustConfigIntermediates?: readonly string[];
  now?: Date;
}): GcpViolation[] {
  const now = chain.now ?? new Date();
  const out: GcpViolation[] = [];

  const leafBundle = splitCertificates(chain.leafPem);
  const sentPems = [...leafBundle, ...(chain.intermediatesPems ?? []).flatMap((p) => splitCertificates(p))];
  if (leafBundle.length === 0) {
    return [violation("client_cert_unparseable", "(leaf)", "The client certificate is not a PEM certificate.")];
  }

  // Limits on what the client puts on the wire come first: GCP refuses an oversized chain before looking inside it.
  const sentBytes = sentPems.reduce((n, p) => n + pemDerLength(p), 0);
  if (sentPems.length > GCP_MAX_CLIENT_CERTIFICATES) {
    out.push(
      violation(
        "client_cert_pki_too_large",
        "(client chain)",
        `The client sends ${sentPems.length} certificates; Google Cloud accepts at most ${GCP_MAX_CLIENT_CERTIFICATES}. ` +
          "Send fewer intermediates (the TrustConfig's intermediateCas can supply them).",
      ),
    );
  }
  if (sentBytes > GCP_MAX_CLIENT_CHAIN_BYTES) {
    out.push(
      violation(
        "client_cert_pki_too_large",
        "(client chain)",
        `The client sends ${sentBytes} bytes of certificates; Google Cloud accepts at most ${GCP_MAX_CLIENT_CHAIN_BYTES}. ` +
          "Drop intermediates the TrustConfig already holds or shrink the certificates (fewer SANs).",
      ),
    );
  }

  const leaf = parse(leafBundle[0]!, "leaf", out, "client_cert_unparseable");
  if (!leaf) return out;
  const sent = sentPems.slice(1).flatMap((p) => parse(p, "client", out, "client_cert_unparseable") ?? []);
  const trustIntermediates = (chain.trustConfigIntermediates ?? []).flatMap(
    (p) => parse(p, "trust-intermediate", out, "trust_config_invalid_pem") ?? [],
  );
  const anchors = chain.trustAnchors.flatMap((p) => parse(p, "anchor", out, "trust_config_invalid_pem") ?? []);

  checkLeaf(leaf.info, now, out);
  // A self-signed client certificate never chains to an anchor; GCP rejects it outright (allowlisting aside).
  if (leaf.info.selfIssued) return out;

  const path = buildPath(leaf, [...anchors, ...sent, ...trustIntermediates]);
  if (!path.complete) {
    const top = path.certs[path.certs.length - 1]!;
    out.push(
      top.info.selfIssued
        ? violation(
            "client_cert_untrusted_root",
            name(top.info),
            `The chain ends at self-signed "${name(top.info)}", which is not one of the TrustConfig's trust anchors. ` +
              "Add that root to trustAnchors, or issue the client certificate from a trusted CA.",
          )
        : violation(
            "client_cert_unknown_issuer",
            name(top.info),
            `No certificate issued "${name(top.info)}" (issuer "${top.info.issuerText}"): neither the client nor the ` +
              "TrustConfig provides it. Add the issuing CA to the TrustConfig's intermediateCas (or trustAnchors for a " +
              "root), or have the client send it.",
          ),
    );
  }
  if (path.certs.length > GCP_MAX_CHAIN_DEPTH) {
    out.push(
      violation(
        "client_cert_pki_too_large",
        name(leaf.info),
        `The chain from "${name(leaf.info)}" to its root is ${path.certs.length} certificates deep; Google Cloud ` +
          `allows at most ${GCP_MAX_CHAIN_DEPTH} including leaf and root. Shorten the CA hierarchy.`,
      ),
    );
  }
  for (let i = 1; i < path.certs.length; i++) {
    const child = path.certs[i - 1]!.info;
    const issuer = path.certs[i]!.info;
    checkCaCertificate(issuer, now, out, "client_cert_issuer");
    checkAkid(child, issuer, out);
  }
  return out;
}

/** Rules for one certificate going into a TrustConfig or a ConfigMap as a CA (anchor or intermediate). */
export function checkGcpTrustCertificate(
  pem: string,
  role: "anchor" | "intermediate",
  opts: { readonly now?: Date } = {},
): GcpViolation[] {
  const out: GcpViolation[] = [];
  const certs = splitCertificates(pem);
  if (certs.length !== 1) {
    return [
      violation(
        "trust_config_invalid_pem",
        `(${role})`,
        `A TrustConfig ${role} entry must hold exactly one PEM certificate, found ${certs.length}. ` +
          "Split bundles into one entry per certificate.",
      ),
    ];
  }
  const size = Buffer.byteLength(pem.trim(), "utf8");
  const parsed = parse(certs[0]!, role === "anchor" ? "anchor" : "trust-intermediate", out, "trust_config_invalid_pem");
  if (!parsed) return out;
  const info = parsed.info;
  if (size > GCP_MAX_TRUST_PEM_BYTES) {
    out.push(
      violation(
        "trust_config_pem_too_large",
        name(info),
        `The PEM entry for "${name(info)}" is ${size} bytes; a TrustConfig entry may be at most ` +
          `${GCP_MAX_TRUST_PEM_BYTES}. Reissue the CA with fewer extensions or names.`,
      ),
    );
  }
  checkCaCertificate(info, opts.now ?? new Date(), out, "trust_config_cert");
  if (role === "intermediate" && info.selfIssued) {
    out.push(
      violation(
        "trust_config_intermediate_self_signed",
        name(info),
        `"${name(info)}" is self-signed, so it cannot serve as an intermediate: GCP never trusts intermediateCas as ` +
          "anchors. Move it to trustAnchors if clients should chain to it.",
      ),
    );
  }
  return out;
}

// --- individual rules ----------------------------------------------------------------------------------------------------

function checkLeaf(info: CertificateInfo, now: Date, out: GcpViolation[]): void {
  const n = name(info);
  if (info.selfIssued) {
    out.push(
      violation(
        "client_cert_self_signed",
        n,
        `Client certificate "${n}" is self-signed; Google Cloud rejects self-signed client certificates. ` +
          "Issue it from a CA in the TrustConfig.",
      ),
    );
  }
  checkKey(info, out);
  checkSignature(info, out);
  checkValidity(info, now, out, "client_cert");
  if (info.basicConstraints?.ca) {
    out.push(
      violation(
        "client_cert_leaf_is_ca",
        n,
        `Client certificate "${n}" has basicConstraints CA:TRUE; a client (leaf) certificate must be CA:FALSE. ` +
          "Reissue it with isCaCertificate=false.",
      ),
    );
  }
  const eku = info.extKeyUsage;
  if (eku === undefined) {
    out.push(
      violation(
        "client_cert_chain_invalid_eku",
        n,
        `Client certificate "${n}" has no extendedKeyUsage extension; Google Cloud requires one containing clientAuth ` +
          '(OpenSSL alone would accept it). Add "client_auth" to allowedUses.',
      ),
    );
  } else {
    if (!eku.includes("client_auth")) {
      out.push(
        violation(
          "client_cert_chain_invalid_eku",
          n,
          `Client certificate "${n}" has extendedKeyUsage [${eku.join(", ")}] without clientAuth. ` +
            'Add "client_auth" to allowedUses.',
        ),
      );
    }
    const forbidden = FORBIDDEN_LEAF_EKUS.filter((u) => eku.includes(u));
    if (forbidden.length > 0) {
      out.push(
        violation(
          "client_cert_chain_invalid_eku",
          n,
          `Client certificate "${n}" has extendedKeyUsage ${forbidden.join(", ")}, which Google Cloud refuses on a ` +
            "client certificate. Remove it from allowedUses.",
        ),
      );
    }
  }
  for (const uri of info.sans.uri) {
    const bytes = Buffer.byteLength(uri, "utf8");
    // A SPIFFE ID is a URI SAN with its own, larger limit; other URIs share the DNS SAN limit.
    const spiffe = uri.toLowerCase().startsWith("spiffe://");
    const limit = spiffe ? GCP_MAX_SPIFFE_ID_BYTES : GCP_MAX_SAN_BYTES;
    if (bytes > limit) {
      out.push(
        violation(
          spiffe ? "client_cert_spiffe_id_too_long" : "client_cert_san_too_long",
          n,
          `${spiffe ? "SPIFFE ID" : "URI SAN"} of "${n}" is ${bytes} bytes; Google Cloud accepts at most ${limit}. ` +
            "Use a shorter identity.",
        ),
      );
    }
  }
  for (const dns of info.sans.dns) {
    const bytes = Buffer.byteLength(dns, "utf8");
    if (bytes > GCP_MAX_SAN_BYTES) {
      out.push(
        violation(
          "client_cert_san_too_long",
          n,
          `DNS SAN of "${n}" is ${bytes} bytes; Google Cloud accepts at most ${GCP_MAX_SAN_BYTES}. Use a shorter name.`,
        ),
      );
    }
  }
}

/** Rules shared by issuers found while validating a client chain and by certificates uploaded into a TrustConfig. */
function checkCaCertificate(
  info: CertificateInfo,
  now: Date,
  out: GcpViolation[],
  prefix: "client_cert_issuer" | "trust_config_cert",
): void {
  const n = name(info);
  checkKey(info, out);
  checkSignature(info, out);
  checkValidity(info, now, out, prefix === "client_cert_issuer" ? "client_cert" : "trust_config_cert");
  if (!info.basicConstraints?.ca) {
    out.push(
      violation(
        `${prefix}_not_ca`,
        n,
        `"${n}" is used as a CA but is not CA:TRUE (basicConstraints ${info.basicConstraints ? "CA:FALSE" : "absent"}). ` +
          "Reissue it with isCaCertificate=true.",
      ),
    );
  }
  if (!info.keyUsage.includes("cert_signing")) {
    out.push(
      violation(
        `${prefix}_missing_key_cert_sign`,
        n,
        `CA "${n}" lacks keyUsage keyCertSign (has [${info.keyUsage.join(", ")}]). Add "cert_signing" to allowedUses.`,
      ),
    );
  }
  // GCP applies the clientAuth requirement to every certificate of the chain that restricts its EKU at all.
  if (info.extKeyUsage !== undefined && !info.extKeyUsage.includes("client_auth")) {
    out.push(
      violation(
        "client_cert_chain_invalid_eku",
        n,
        `CA "${n}" restricts extendedKeyUsage to [${info.extKeyUsage.join(", ")}] without clientAuth, so it cannot ` +
          'issue client certificates for Google Cloud. Add "client_auth" or drop the CA\'s EKU extension.',
      ),
    );
  }
  const constraints = nameConstraintCount(info.der);
  if (constraints > GCP_MAX_NAME_CONSTRAINTS) {
    out.push(
      violation(
        "client_cert_chain_max_name_constraints_exceeded",
        n,
        `CA "${n}" carries ${constraints} name constraints; Google Cloud allows at most ${GCP_MAX_NAME_CONSTRAINTS} per CA.`,
      ),
    );
  }
}

function checkKey(info: CertificateInfo, out: GcpViolation[]): void {
  const n = name(info);
  const { algorithm, bits, curve } = info.publicKey;
  if (algorithm === "RSA") {
    if (bits === undefined || bits < 2048 || bits > 4096) {
      out.push(
        violation(
          "client_cert_invalid_rsa_key_size",
          n,
          `"${n}" has a ${bits ?? "?"}-bit RSA key; Google Cloud accepts RSA keys of 2048 to 4096 bits. ` +
            "Reissue it with rsaBits 2048, 3072 or 4096.",
        ),
      );
    }
  } else if (algorithm === "ECDSA") {
    if (curve !== "P256" && curve !== "P384") {
      out.push(
        violation(
          "client_cert_unsupported_elliptic_curve_key",
          n,
          `"${n}" has an ECDSA ${curve ?? "unknown-curve"} key; Google Cloud accepts only P-256 and P-384. ` +
            'Set ecdsaCurve to "P256" or "P384" (the tls provider defaults to P224).',
        ),
      );
    }
  } else {
    out.push(
      violation(
        "client_cert_unsupported_key_algorithm",
        n,
        `"${n}" has a ${algorithm} key; Google Cloud accepts only RSA and ECDSA keys. ` +
          'Use algorithm "ECDSA" (P256/P384) or "RSA".',
      ),
    );
  }
}

function checkSignature(info: CertificateInfo, out: GcpViolation[]): void {
  if (ALLOWED_SIGNATURE_OIDS.has(info.signatureAlgorithmOid)) return;
  const n = name(info);
  out.push(
    violation(
      "client_cert_unsupported_signature_algorithm",
      n,
      `"${n}" is signed with ${info.signatureAlgorithm}; Google Cloud requires RSA or ECDSA with SHA-256 or stronger ` +
        "(no MD5, no SHA-1). Have its issuer re-sign it with SHA-256.",
    ),
  );
}

function checkValidity(
  info: CertificateInfo,
  now: Date,
  out: GcpViolation[],
  prefix: "client_cert" | "trust_config_cert",
): void {
  const n = name(info);
  if (now.getTime() > info.notAfter.getTime()) {
    out.push(
      violation(
        `${prefix}_expired`,
        n,
        `"${n}" expired at ${info.notAfter.toISOString()}. Renew it (allowlisting expired certificates is a separate, ` +
          "explicit opt-in).",
      ),
    );
  } else if (now.getTime() < info.notBefore.getTime()) {
    out.push(
      violation(
        `${prefix}_not_yet_valid`,
        n,
        `"${n}" is not valid before ${info.notBefore.toISOString()}. Check the issuer's clock or backdate notBefore.`,
      ),
    );
  }
}

function checkAkid(child: CertificateInfo, issuer: CertificateInfo, out: GcpViolation[]): void {
  if (child.authorityKeyId !== undefined && child.authorityKeyId === issuer.subjectKeyId) return;
  const c = name(child);
  const i = name(issuer);
  const detail =
    child.authorityKeyId === undefined
      ? `"${c}" has no authorityKeyIdentifier`
      : issuer.subjectKeyId === undefined
        ? `its issuer "${i}" has no subjectKeyIdentifier`
        : `"${c}" names authority key ${child.authorityKeyId} but "${i}" has subject key ${issuer.subjectKeyId}`;
  out.push(
    violation(
      "client_cert_akid_mismatch",
      c,
      `Google Cloud requires each certificate's authorityKeyIdentifier to equal its issuer's subjectKeyIdentifier: ` +
        `${detail}. Reissue "${c}" from "${i}" so the identifiers match.`,
    ),
  );
}

// --- path building ------------------------------------------------------------------------------------------------------

/**
 * Depth-first search from the leaf to an anchor by issuer name and signature, the way a verifier builds paths.
 * AKID/SKID are deliberately not used for matching (unlike OpenSSL's `X509_check_issued`): a mismatch is a rule
 * violation to report, not a reason to lose the path. When no anchor is reachable the longest partial path is
 * returned, so the caller can name the certificate whose issuer is missing.
 */
function buildPath(leaf: Candidate, pool: readonly Candidate[]): { certs: Candidate[]; complete: boolean } {
  const MAX_SEARCH_DEPTH = 32; // well past the GCP limit, so a too-deep path is still found and reported
  let longest: Candidate[] = [leaf];
  const anchorDers = pool.filter((c) => c.source === "anchor").map((c) => c.info.der);
  const isAnchor = (c: Candidate) => anchorDers.some((d) => d.equals(c.info.der));

  const visit = (path: Candidate[]): Candidate[] | undefined => {
    if (path.length > longest.length) longest = path;
    const current = path[path.length - 1]!;
    if (path.length > 1 && isAnchor(current)) return path;
    if (path.length >= MAX_SEARCH_DEPTH) return undefined;
    if (path.length > 1 && current.info.selfIssued) return undefined; // a root that is not trusted ends the search
    // Anchors first: the shortest trusted path wins over one through extra intermediates.
    const issuers = pool
      .filter((c) => !path.some((p) => p.info.der.equals(c.info.der)) && issued(current.info, c.info))
      .sort((a, b) => Number(isAnchor(b)) - Number(isAnchor(a)));
    for (const issuer of issuers) {
      const found = visit([...path, issuer]);
      if (found) return found;
    }
    return undefined;
  };
  const found = visit([leaf]);
  return found ? { certs: found, complete: true } : { certs: longest, complete: false };
}

function issued(child: CertificateInfo, issuer: CertificateInfo): boolean {
  if (child.x509.issuer !== issuer.x509.subject) return false;
  try {
    return child.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

// --- helpers ----------------------------------------------------------------------------------------------------------

function parse(
  pem: string,
  source: Candidate["source"],
  out: GcpViolation[],
  code: "client_cert_unparseable" | "trust_config_invalid_pem",
): Candidate | undefined {
  try {
    return { info: inspectCertificate(pem), source };
  } catch (err) {
    // inspectCertificate refuses keys the tls provider cannot make (Ed448, DSA, brainpool…): still a key verdict.
    const keyType = publicKeyType(pem);
    if (keyType !== undefined) {
      out.push(
        violation(
          "client_cert_unsupported_key_algorithm",
          subjectOf(pem),
          `"${subjectOf(pem)}" has a ${keyType} key; Google Cloud accepts only RSA and ECDSA P-256/P-384 keys.`,
        ),
      );
    } else {
      out.push(violation(code, `(${source})`, `Cannot parse the ${source} certificate: ${(err as Error).message}`));
    }
    return undefined;
  }
}

function publicKeyType(pem: string): string | undefined {
  try {
    const key = new crypto.X509Certificate(pem).publicKey;
    return key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyType;
  } catch {
    return undefined;
  }
}

function subjectOf(pem: string): string {
  try {
    return new crypto.X509Certificate(pem).subject.replace(/\n/g, ", ");
  } catch {
    return "(unparseable)";
  }
}

function pemDerLength(pem: string): number {
  try {
    return new crypto.X509Certificate(pem).raw.length;
  } catch {
    return Buffer.byteLength(pem, "utf8");
  }
}

/** Permitted plus excluded subtrees of the nameConstraints extension (0 when absent). */
function nameConstraintCount(der: Buffer): number {
  const cert = AsnConvert.parse(der, asn1x509.Certificate);
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === asn1x509.id_ce_nameConstraints);
  if (!ext) return 0;
  const nc = AsnConvert.parse(ext.extnValue.buffer, asn1x509.NameConstraints);
  return (nc.permittedSubtrees?.length ?? 0) + (nc.excludedSubtrees?.length ?? 0);
}

function name(info: CertificateInfo): string {
  return info.subjectText || `(empty subject, serial ${info.serialNumber})`;
}

function violation(code: string, certificate: string, message: string): GcpViolation {
  return { code, certificate, message };
}
