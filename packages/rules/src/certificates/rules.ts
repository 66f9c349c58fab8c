import type { RuleId } from "../catalogue";
import { decodePemBlocks, pemBlockTypes } from "../x509/pem";
import { inspectDer, keyMatchesCertificate, signedBy, type CertificateInfo } from "../x509/inspect";
import { OID } from "../x509/oids";

/** One way a certificate or chain breaks Google Cloud's rules. */
export interface CertificateViolation {
  /** The catalogue entry. */
  readonly rule: RuleId;
  /** What Google Cloud logs for it (`client_cert_*` reasons of frontend mTLS), or `trust_config_invalid` for uploads. */
  readonly reason: string;
  /** Subject of the offending certificate (or a placeholder). */
  readonly certificate: string;
  /** The problem and the fix, readable after an argument path: `` `trustAnchorPems[0]` <message> ``. */
  readonly message: string;
}

/** Limits (see the catalogue entries for their sources). */
export const CERTIFICATE_LIMITS = {
  chainDepth: 10,
  /** Intermediates a client may send after its leaf. */
  clientIntermediates: 10,
  clientChainBytes: 16 * 1024,
  trustPemBytes: 5000,
  spiffeIdBytes: 2048,
  nameConstraints: 10,
  /** Intermediates of the validation PKI sharing one Subject + SPKI. */
  sameSubjectIntermediates: 10,
  trustStoreCertificates: 200,
  trustStoreIntermediates: 100,
} as const;

/** Signature algorithms with SHA-256 or stronger (RSASSA-PSS excluded: Google documents RSA and ECDSA only). */
const ALLOWED_SIGNATURES = new Set<string>([
  OID.sha256WithRsa,
  OID.sha384WithRsa,
  OID.sha512WithRsa,
  OID.ecdsaWithSha256,
  OID.ecdsaWithSha384,
  OID.ecdsaWithSha512,
]);
const FORBIDDEN_CLIENT_EKUS = ["code_signing", "timestamping", "ocsp_signing"] as const;

/**
 * Google Cloud's log reason for each rule when it fails in a client chain (frontend mTLS error reasons); rules that
 * have no reason of their own fail as `client_cert_validation_failed`.
 */
const REASONS: Partial<Record<RuleId, string>> = {
  "cert.key.algorithm": "client_cert_unsupported_key_algorithm",
  "cert.chain.depth": "client_cert_validation_search_limit_exceeded",
  "cert.chain.duplicate-intermediates": "client_cert_pki_too_large",
  "cert.ca.client-auth-eku": "client_cert_chain_invalid_eku",
  "cert.leaf.client-auth-eku": "client_cert_chain_invalid_eku",
  "cert.leaf.forbidden-eku": "client_cert_chain_invalid_eku",
  "cert.ca.name-constraints-count": "client_cert_chain_max_name_constraints_exceeded",
};

/** What a certificate is used as. */
export type CertificateRole =
  /** A TrustConfig trust anchor, or a ConfigMap `ca.crt` of a Gateway or BackendTLSPolicy. */
  | "anchor"
  /** A TrustConfig intermediate CA. */
  | "intermediate"
  /** A CA that signs certificates of this library (`CertificateChain` `existingIssuer`). */
  | "issuer"
  /** A client certificate presented to a proxy or Gateway. */
  | "client"
  /** A server certificate (proxy, Gateway, backend). */
  | "server"
  /** A TrustConfig allowlisted certificate: accepted as is, so only parsed and sized. */
  | "allowlisted";

export interface CheckOptions {
  /** @default now */
  readonly now?: Date;
}

const who = (info: CertificateInfo) => `(${info.subjectText || `empty subject, serial ${info.serialNumber}`})`;

function violation(
  rule: RuleId,
  info: CertificateInfo | string,
  message: string,
  uploading = false,
  reason?: string,
): CertificateViolation {
  return {
    rule,
    reason: uploading ? "trust_config_invalid" : (reason ?? REASONS[rule] ?? "client_cert_validation_failed"),
    certificate: typeof info === "string" ? info : info.subjectText || "(empty subject)",
    message,
  };
}

/**
 * Parses the text of one trust-store-like entry. Returns the certificate, or the violations that make it unusable
 * (not exactly one certificate, not parseable, too large).
 */
export function parseSingleCertificate(
  pem: string,
  opts: { readonly maxBytes?: number } = {},
): { info?: CertificateInfo; violations: CertificateViolation[] } {
  if (typeof pem !== "string") {
    return {
      violations: [violation("cert.pem.parseable", "(entry)", `must be a PEM string, got ${typeof pem}`, true)],
    };
  }
  const types = pemBlockTypes(pem);
  const blocks = decodePemBlocks(pem);
  const certs = blocks.filter((b) => b.type === "CERTIFICATE");
  if (certs.length !== 1 || types.length !== 1) {
    return {
      violations: [
        violation(
          "cert.pem.one-certificate",
          "(entry)",
          `must hold exactly one PEM certificate, found ${certs.length} certificate(s) among ${types.length} PEM block(s)` +
            (types.length > 0 ? ` (${[...new Set(types)].join(", ")})` : "") +
            "; put one certificate per entry",
          true,
        ),
      ],
    };
  }
  let info: CertificateInfo;
  try {
    info = inspectDer(certs[0]!.der);
  } catch (e) {
    return {
      violations: [
        violation(
          "cert.pem.parseable",
          "(entry)",
          `is not a parseable X.509 certificate (${(e as Error).message})`,
          true,
        ),
      ],
    };
  }
  const out: CertificateViolation[] = [];
  const bytes = Buffer.byteLength(info.pem);
  if (opts.maxBytes !== undefined && bytes > opts.maxBytes) {
    out.push(
      violation(
        "cert.pem.size",
        info,
        `${who(info)} is ${bytes} bytes of PEM, over the ${opts.maxBytes}-byte limit of a trust store entry; ` +
          "reissue it smaller (an ECDSA key, fewer names or extensions)",
        true,
      ),
    );
  }
  return { info, violations: out };
}

/** Rules on the key and signature of any certificate Google Cloud validates. */
export function keyAndSignatureViolations(info: CertificateInfo, uploading = false): CertificateViolation[] {
  const out: CertificateViolation[] = [];
  const { algorithm, bits, curve } = info.publicKey;
  const supported =
    (algorithm === "RSA" && bits !== undefined && bits >= 2048 && bits <= 4096) ||
    (algorithm === "ECDSA" && (curve === "P256" || curve === "P384"));
  if (!supported) {
    const key =
      algorithm === "RSA"
        ? `a ${bits ?? "?"}-bit RSA key`
        : algorithm === "ECDSA"
          ? `an ECDSA ${curve ?? "?"} key`
          : `a ${algorithm} key`;
    out.push(
      violation(
        "cert.key.algorithm",
        info,
        `${who(info)} has ${key}; Google Cloud accepts RSA keys of 2048 to 4096 bits and ECDSA P-256 or P-384 keys: reissue it with one of those`,
        uploading,
        algorithm === "RSA"
          ? "client_cert_invalid_rsa_key_size"
          : algorithm === "ECDSA"
            ? "client_cert_unsupported_elliptic_curve_key"
            : "client_cert_unsupported_key_algorithm",
      ),
    );
  }
  if (!ALLOWED_SIGNATURES.has(info.signatureAlgorithmOid)) {
    out.push(
      violation(
        "cert.signature.algorithm",
        info,
        `${who(info)} is signed with ${info.signatureAlgorithm}; Google Cloud requires RSA or ECDSA with SHA-256 or stronger: have its issuer re-sign it with SHA-256`,
        uploading,
      ),
    );
  }
  return out;
}

function validityViolations(info: CertificateInfo, now: Date, uploading = false): CertificateViolation[] {
  if (now.getTime() > info.notAfter.getTime()) {
    return [
      violation(
        "cert.validity.current",
        info,
        `${who(info)} expired at ${info.notAfter.toISOString()}; renew it`,
        uploading,
      ),
    ];
  }
  if (now.getTime() < info.notBefore.getTime()) {
    return [
      violation(
        "cert.validity.current",
        info,
        `${who(info)} is not valid before ${info.notBefore.toISOString()}; check the issuer's clock`,
        uploading,
      ),
    ];
  }
  return [];
}

/** Rules every CA certificate meets (anchors, intermediates, issuers, and the CAs of a client's path). */
export function caViolations(info: CertificateInfo, now: Date, uploading = false): CertificateViolation[] {
  const out = [
    ...keyAndSignatureViolations(info, uploading),
    ...validityViolations(info, now, uploading),
    ...criticalExtensionViolations(info, uploading),
  ];
  if (!info.basicConstraints?.ca) {
    out.push(
      violation(
        "cert.ca.basic-constraints",
        info,
        `${who(info)} is not a CA certificate (basicConstraints ${info.basicConstraints ? "CA:FALSE" : "absent"}); pass the root or intermediate CA that issues the certificates instead`,
        uploading,
      ),
    );
    return out; // the other CA rules say nothing useful about a leaf
  }
  if (!info.keyUsage.includes("cert_signing")) {
    out.push(
      violation(
        "cert.ca.key-cert-sign",
        info,
        `${who(info)} lacks keyUsage keyCertSign (has ${info.hasKeyUsage ? `[${info.keyUsage.join(", ")}]` : "no keyUsage"}); reissue the CA with keyCertSign`,
        uploading,
      ),
    );
  }
  if (info.extKeyUsage !== undefined && !info.extKeyUsage.includes("client_auth")) {
    out.push(
      violation(
        "cert.ca.client-auth-eku",
        info,
        `${who(info)} restricts extendedKeyUsage to [${info.extKeyUsage.join(", ")}] without clientAuth, so Google Cloud refuses the client certificates it issues; reissue the CA with clientAuth or without an extendedKeyUsage extension`,
        uploading,
      ),
    );
  }
  if (info.subjectKeyId === undefined) {
    out.push(
      violation(
        "cert.ca.subject-key-id",
        info,
        `${who(info)} has no subjectKeyIdentifier, so no certificate it issues can carry the matching authorityKeyIdentifier Google Cloud requires; reissue the CA with a subjectKeyIdentifier`,
        uploading,
      ),
    );
  }
  const constraints = (info.nameConstraints?.permitted.length ?? 0) + (info.nameConstraints?.excluded.length ?? 0);
  if (constraints > CERTIFICATE_LIMITS.nameConstraints) {
    out.push(
      violation(
        "cert.ca.name-constraints-count",
        info,
        `${who(info)} carries ${constraints} name constraints, over Google Cloud's ${CERTIFICATE_LIMITS.nameConstraints} per CA; reissue it with fewer`,
        uploading,
      ),
    );
  }
  return out;
}

/**
 * The extensions a verifier must understand when they are critical: BoringSSL's `X509_supported_extension`
 * (crypto/x509/v3_purp.cc), which Google's TLS front ends use; OpenSSL's list is a superset. RFC 5280 §4.2: "A
 * certificate-using system MUST reject the certificate if it encounters a critical extension it does not recognize".
 */
export const SUPPORTED_CRITICAL_EXTENSIONS: Readonly<Record<string, string>> = {
  "2.5.29.15": "keyUsage",
  "2.5.29.17": "subjectAltName",
  "2.5.29.19": "basicConstraints",
  "2.5.29.32": "certificatePolicies",
  "2.5.29.37": "extendedKeyUsage",
  "2.5.29.36": "policyConstraints",
  "2.5.29.30": "nameConstraints",
  "2.5.29.33": "policyMappings",
  "2.5.29.54": "inhibitAnyPolicy",
};

/** Critical extensions a verifier does not process (rule cert.extensions.unhandled-critical), in any role. */
export function criticalExtensionViolations(info: CertificateInfo, uploading = false): CertificateViolation[] {
  const unknown = info.criticalExtensions.filter((oid) => !(oid in SUPPORTED_CRITICAL_EXTENSIONS));
  return unknown.length === 0
    ? []
    : [
        violation(
          "cert.extensions.unhandled-critical",
          info,
          `${who(info)} marks extension${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} critical, which TLS verifiers do not process, so they reject the certificate; issue it with ${unknown.length > 1 ? "them" : "it"} non-critical or without ${unknown.length > 1 ? "them" : "it"}`,
          uploading,
        ),
      ];
}

/**
 * The key usages a TLS leaf needs when it has a keyUsage extension (rule cert.leaf.key-usage): a client signs the
 * handshake (digitalSignature; keyAgreement also passes the purpose check); a server also may encipher (RSA).
 */
const LEAF_KEY_USAGES = {
  client: ["digital_signature", "key_agreement"],
  server: ["digital_signature", "key_encipherment", "key_agreement"],
} as const;

function leafViolations(info: CertificateInfo, role: "client" | "server", now: Date): CertificateViolation[] {
  const out = [
    ...keyAndSignatureViolations(info),
    ...validityViolations(info, now),
    ...criticalExtensionViolations(info),
  ];
  const usable: readonly string[] = LEAF_KEY_USAGES[role];
  if (info.hasKeyUsage && !info.keyUsage.some((u) => usable.includes(u))) {
    out.push(
      violation(
        "cert.leaf.key-usage",
        info,
        `${who(info)} has keyUsage [${info.keyUsage.join(", ")}] without digitalSignature, so TLS verifiers refuse it as a ${role} certificate; issue it with digitalSignature`,
      ),
    );
  }
  if (info.basicConstraints?.ca) {
    out.push(
      violation(
        "cert.leaf.not-ca",
        info,
        `${who(info)} is a CA certificate (CA:TRUE) used as a ${role} certificate; issue a leaf with CA:FALSE`,
      ),
    );
  }
  if (role === "server") {
    if (info.extKeyUsage !== undefined && !info.extKeyUsage.includes("server_auth")) {
      out.push(
        violation(
          "cert.leaf.server-auth-eku",
          info,
          `${who(info)} has extendedKeyUsage [${info.extKeyUsage.join(", ")}] without serverAuth, so TLS clients refuse it as a server certificate; issue it with serverAuth`,
        ),
      );
    }
    return out;
  }
  if (info.selfIssued) {
    out.push(
      violation(
        "cert.leaf.not-self-signed",
        info,
        `${who(info)} is self-signed; Google Cloud rejects self-signed client certificates: issue it from a CA in the trust store`,
      ),
    );
  }
  const eku = info.extKeyUsage;
  if (eku === undefined || !eku.includes("client_auth")) {
    out.push(
      violation(
        "cert.leaf.client-auth-eku",
        info,
        eku === undefined
          ? `${who(info)} has no extendedKeyUsage extension; Google Cloud requires one listing clientAuth on client certificates: issue it with clientAuth`
          : `${who(info)} has extendedKeyUsage [${eku.join(", ")}] without clientAuth; Google Cloud requires clientAuth on client certificates: issue it with clientAuth`,
      ),
    );
  }
  const forbidden = FORBIDDEN_CLIENT_EKUS.filter((u) => eku?.includes(u));
  if (forbidden.length > 0) {
    out.push(
      violation(
        "cert.leaf.forbidden-eku",
        info,
        `${who(info)} has extendedKeyUsage ${forbidden.join(", ")}, which Google Cloud refuses on a client certificate; issue it without them`,
      ),
    );
  }
  return out;
}

/**
 * The rules for one certificate in a role, from its PEM: parsing (exactly one certificate; trust entries within the
 * size limit), then the role's rules. An empty list means Google Cloud accepts it in that role.
 */
export function checkCertificate(pem: string, role: CertificateRole, opts: CheckOptions = {}): CertificateViolation[] {
  const now = opts.now ?? new Date();
  const uploading = role === "anchor" || role === "intermediate" || role === "allowlisted";
  const parsed = parseSingleCertificate(pem, uploading ? { maxBytes: CERTIFICATE_LIMITS.trustPemBytes } : {});
  if (!parsed.info) return parsed.violations;
  const info = parsed.info;
  const out = [...parsed.violations];
  switch (role) {
    case "allowlisted":
      return out;
    case "client":
    case "server":
      return [...out, ...leafViolations(info, role, now)];
    default: {
      out.push(...caViolations(info, now, uploading));
      if (role === "anchor" && info.basicConstraints?.ca && !info.selfIssued) {
        out.push(
          violation(
            "cert.anchor.self-signed",
            info,
            `${who(info)} is not self-signed: it was issued by (${info.issuerText}); pass it as an intermediate CA and the root that issued it as the trust anchor`,
            true,
          ),
        );
      }
      if (role === "intermediate" && info.basicConstraints?.ca && info.selfIssued) {
        out.push(
          violation(
            "cert.intermediate.not-self-signed",
            info,
            `${who(info)} is self-signed, so it cannot be an intermediate CA; pass it as a trust anchor`,
            true,
          ),
        );
      }
      return out;
    }
  }
}

/** An issuing CA: its certificate's rules and its private key's match. */
export function checkIssuer(certificatePem: string, privateKeyPem: string | undefined, opts: CheckOptions = {}) {
  const out = checkCertificate(certificatePem, "issuer", opts);
  const parsed = parseSingleCertificate(certificatePem);
  if (parsed.info && privateKeyPem !== undefined && !keyMatchesCertificate(parsed.info, privateKeyPem)) {
    out.push(
      violation(
        "cert.issuer.key-matches",
        parsed.info,
        `${who(parsed.info)} does not match the private key given with it, so every certificate it signs would fail verification; pass the CA's own key`,
      ),
    );
  }
  return out;
}

export { signedBy };
