import type { RuleId } from "../catalogue";
import { decodePemBlocks } from "../x509/pem";
import { inspectDer, signedBy, type CertificateInfo } from "../x509/inspect";
import { nameConstraintViolations } from "./names";
import {
  CERTIFICATE_LIMITS,
  caViolations,
  checkCertificate,
  type CertificateViolation,
  type CheckOptions,
} from "./rules";

interface Candidate {
  readonly info: CertificateInfo;
  readonly source: "leaf" | "client" | "trust-intermediate" | "anchor";
}

export interface ClientChain {
  /** The leaf, optionally followed by the intermediates the client sends (a bundle). */
  readonly leafPem: string;
  /** More intermediates the client sends. */
  readonly intermediatesPems?: readonly string[];
  /** The TrustConfig's trust anchors (or the Gateway ConfigMaps' `ca.crt`). */
  readonly trustAnchors: readonly string[];
  /** The TrustConfig's intermediate CAs. */
  readonly trustConfigIntermediates?: readonly string[];
  readonly now?: Date;
}

const subjectOf = (info: CertificateInfo) => info.subjectText || `empty subject, serial ${info.serialNumber}`;

function v(rule: RuleId, info: CertificateInfo | string, message: string, reason?: string): CertificateViolation {
  return {
    rule,
    reason:
      reason ??
      (rule === "cert.chain.depth"
        ? "client_cert_validation_search_limit_exceeded"
        : rule === "cert.chain.duplicate-intermediates"
          ? "client_cert_pki_too_large"
          : "client_cert_validation_failed"),
    certificate: typeof info === "string" ? info : subjectOf(info),
    message,
  };
}

const certificateDers = (pem: string) =>
  decodePemBlocks(pem)
    .filter((b) => b.type === "CERTIFICATE")
    .map((b) => b.der);

function parseAll(ders: readonly Buffer[], source: Candidate["source"]): Candidate[] {
  return ders.flatMap((der) => {
    try {
      return [{ info: inspectDer(der), source }];
    } catch {
      return [];
    }
  });
}

/**
 * Google Cloud's judgement of a client chain in frontend mTLS, in the order it meets the rules: what the client puts
 * on the wire, the leaf, the path to a trust anchor (by name and signature), then every CA on the path (key,
 * validity, CA rules, AKID = SKID, path length, name constraints) and the depth. Empty means accepted.
 */
export function checkClientChain(chain: ClientChain): CertificateViolation[] {
  const now = chain.now ?? new Date();
  const out: CertificateViolation[] = [];
  const bundle = certificateDers(chain.leafPem);
  const sentDers = [...bundle, ...(chain.intermediatesPems ?? []).flatMap(certificateDers)];
  if (bundle.length === 0)
    return [v("cert.pem.parseable", "(leaf)", "the client certificate is not a PEM certificate")];
  if (sentDers.length - 1 > CERTIFICATE_LIMITS.clientIntermediates) {
    out.push(
      v(
        "cert.chain.client-size",
        "(client chain)",
        `the client sends ${sentDers.length - 1} intermediate certificates with its leaf, over Google Cloud's ${CERTIFICATE_LIMITS.clientIntermediates}; send fewer (the TrustConfig's intermediateCas can supply them)`,
      ),
    );
  }
  const bytes = sentDers.reduce((n, d) => n + d.length, 0);
  if (bytes > CERTIFICATE_LIMITS.clientChainBytes) {
    out.push(
      v(
        "cert.chain.client-size",
        "(client chain)",
        `the client sends ${bytes} bytes of certificates, over Google Cloud's ${CERTIFICATE_LIMITS.clientChainBytes}; drop intermediates the TrustConfig holds or shrink the certificates`,
      ),
    );
  }
  let leaf: CertificateInfo;
  try {
    leaf = inspectDer(bundle[0]!);
  } catch (e) {
    return [
      ...out,
      v("cert.pem.parseable", "(leaf)", `the client certificate is not parseable (${(e as Error).message})`),
    ];
  }
  out.push(...checkCertificate(leaf.pem, "client", { now }));
  if (leaf.selfIssued) return out; // never chains to an anchor; already reported

  const sent = parseAll(sentDers.slice(1), "client");
  const anchors = parseAll(chain.trustAnchors.flatMap(certificateDers), "anchor");
  const trustIntermediates = parseAll(
    (chain.trustConfigIntermediates ?? []).flatMap(certificateDers),
    "trust-intermediate",
  );
  out.push(...duplicateIntermediates([...sent, ...trustIntermediates].map((c) => c.info)));
  const path = buildPath({ info: leaf, source: "leaf" }, [...anchors, ...sent, ...trustIntermediates]);
  if (!path.complete) {
    const top = path.certs[path.certs.length - 1]!.info;
    out.push(
      top.selfIssued
        ? v(
            "cert.chain.signature",
            top,
            `the chain ends at self-signed (${subjectOf(top)}), which is not a trust anchor; add that root to the trust anchors, or issue the client certificate from a trusted CA`,
          )
        : v(
            "cert.chain.signature",
            top,
            `nothing verifies (${subjectOf(top)}): no certificate named (${top.issuerText}) whose key signed it is sent by the client or held by the trust store; add the issuing CA to the intermediates (or its root to the anchors)`,
          ),
    );
  }
  if (path.complete) {
    // A path ends at a trust anchor; verifiers (OpenSSL, BoringSSL) accept it only when that anchor is a self-signed
    // root, as Google requires of trust anchors (rule cert.anchor.self-signed).
    const top = path.certs[path.certs.length - 1]!.info;
    if (!top.selfIssued) {
      out.push(
        v(
          "cert.anchor.self-signed",
          top,
          `the chain ends at trust anchor (${subjectOf(top)}), which is not self-signed but issued by (${top.issuerText}); trust its root instead and list it as an intermediate CA`,
        ),
      );
    }
  }
  if (path.certs.length > CERTIFICATE_LIMITS.chainDepth) {
    out.push(
      v(
        "cert.chain.depth",
        leaf,
        `the chain from (${subjectOf(leaf)}) to its root is ${path.certs.length} certificates deep, over Google Cloud's ${CERTIFICATE_LIMITS.chainDepth}; shorten the CA hierarchy`,
      ),
    );
  }
  for (let i = 1; i < path.certs.length; i++) {
    const child = path.certs[i - 1]!.info;
    const issuer = path.certs[i]!.info;
    out.push(...caViolations(issuer, now));
    if (child.authorityKeyId === undefined || child.authorityKeyId !== issuer.subjectKeyId) {
      const detail =
        child.authorityKeyId === undefined
          ? `(${subjectOf(child)}) has no authorityKeyIdentifier`
          : issuer.subjectKeyId === undefined
            ? `its issuer (${subjectOf(issuer)}) has no subjectKeyIdentifier`
            : `(${subjectOf(child)}) names authority key ${child.authorityKeyId} but (${subjectOf(issuer)}) has ${issuer.subjectKeyId}`;
      out.push(
        v(
          "cert.chain.authority-key-id",
          child,
          `${detail}; Google Cloud requires each authorityKeyIdentifier to equal the issuer's subjectKeyIdentifier: reissue it from its CA`,
        ),
      );
    }
    // Path length: the non-self-issued intermediates between this CA and the leaf (RFC 5280 §6.1.4 (l), (m)).
    const below = path.certs.slice(1, i).filter((c) => !c.info.selfIssued).length;
    const limit = issuer.basicConstraints?.pathLength;
    if (limit !== undefined && below > limit) {
      out.push(
        v(
          "cert.chain.path-length",
          issuer,
          `(${subjectOf(issuer)}) allows ${limit} intermediate CA(s) below it (pathlen:${limit}) but the chain has ${below}; issue the leaf from a CA the constraint allows, or reissue the CA with a larger path length`,
        ),
      );
    }
    for (let j = 0; j < i; j++) {
      for (const nv of nameConstraintViolations(issuer, path.certs[j]!.info, j === 0)) {
        out.push(
          v(
            "cert.chain.name-constraints",
            path.certs[j]!.info,
            `the ${nv.type === "dns" ? "DNS name" : nv.type === "uri" ? "URI" : nv.type === "ip" ? "IP address" : "name"} \`${nv.name}\` of (${subjectOf(path.certs[j]!.info)}) is ${nv.excluded ? "in an excluded" : "outside the permitted"} subtree \`${nv.subtree.value}\` of (${subjectOf(issuer)}); issue names the CA's name constraints allow`,
          ),
        );
      }
    }
  }
  return dedupe(out);
}

/** More than 10 distinct intermediates with one Subject and SPKI (re-issued CAs piling up): `client_cert_pki_too_large`. */
function duplicateIntermediates(intermediates: readonly CertificateInfo[]): CertificateViolation[] {
  const groups = new Map<string, { info: CertificateInfo; ders: Set<string> }>();
  for (const info of intermediates) {
    const spki = info.x509.publicKey.export({ type: "spki", format: "der" }).toString("base64");
    const key = `${info.subjectDer.toString("base64")}|${spki}`;
    const group = groups.get(key) ?? { info, ders: new Set<string>() };
    group.ders.add(info.der.toString("base64"));
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((g) => g.ders.size > CERTIFICATE_LIMITS.sameSubjectIntermediates)
    .map((g) =>
      v(
        "cert.chain.duplicate-intermediates",
        g.info,
        `the validation PKI holds ${g.ders.size} intermediate certificates with subject (${subjectOf(g.info)}) and one public key, over Google Cloud's ${CERTIFICATE_LIMITS.sameSubjectIntermediates}; remove superseded re-issues of that CA`,
      ),
    );
}

function dedupe(list: CertificateViolation[]): CertificateViolation[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const key = `${x.rule}|${x.certificate}|${x.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Depth-first search from the leaf to an anchor by issuer name and signature. AKID/SKID are not used for matching: a
 * mismatch is a violation to report, not a reason to lose the path. Without an anchor the longest partial path is
 * returned, so the caller can name the certificate whose issuer is missing.
 */
function buildPath(leaf: Candidate, pool: readonly Candidate[]): { certs: Candidate[]; complete: boolean } {
  const MAX_SEARCH_DEPTH = 32;
  let longest: Candidate[] = [leaf];
  const anchorDers = pool.filter((c) => c.source === "anchor").map((c) => c.info.der);
  const isAnchor = (c: Candidate) => anchorDers.some((d) => d.equals(c.info.der));
  const visit = (path: Candidate[]): Candidate[] | undefined => {
    if (path.length > longest.length) longest = path;
    const current = path[path.length - 1]!;
    if (path.length > 1 && isAnchor(current)) return path;
    if (path.length >= MAX_SEARCH_DEPTH) return undefined;
    if (path.length > 1 && current.info.selfIssued) return undefined;
    const issuers = pool
      .filter((c) => !path.some((p) => p.info.der.equals(c.info.der)) && signedBy(current.info, c.info))
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

export interface TrustStoreInput {
  readonly trustAnchors: readonly string[];
  readonly intermediateCas: readonly string[];
}

/**
 * A whole trust store: each entry in its role (paths `trustAnchors[i]`, `intermediateCas[i]`), the counts, and
 * duplicates. Returns violations with the entry path they belong to.
 */
export function checkTrustStore(
  store: TrustStoreInput,
  opts: CheckOptions = {},
): { path: string; violation: CertificateViolation }[] {
  const out: { path: string; violation: CertificateViolation }[] = [];
  const seen = new Map<string, string>();
  const entries: [string, string, "anchor" | "intermediate"][] = [
    ...store.trustAnchors.map((p, i) => [`trustAnchors[${i}]`, p, "anchor"] as [string, string, "anchor"]),
    ...store.intermediateCas.map(
      (p, i) => [`intermediateCas[${i}]`, p, "intermediate"] as [string, string, "intermediate"],
    ),
  ];
  for (const [path, pem, role] of entries) {
    for (const violation of checkCertificate(pem, role, opts)) out.push({ path, violation });
    const der = decodePemBlocks(pem)
      .find((b) => b.type === "CERTIFICATE")
      ?.der.toString("base64");
    if (der === undefined) continue;
    const previous = seen.get(der);
    if (previous !== undefined) {
      out.push({
        path,
        violation: {
          rule: "cert.trust-store.unique",
          reason: "trust_config_invalid",
          certificate: "(duplicate)",
          message: `is the same certificate as \`${previous}\`; list each certificate once`,
        },
      });
    } else seen.set(der, path);
  }
  const intermediateInfos = store.intermediateCas.flatMap((pem) => {
    const der = certificateDers(pem)[0];
    try {
      return der ? [inspectDer(der)] : [];
    } catch {
      return [];
    }
  });
  for (const violation of duplicateIntermediates(intermediateInfos)) out.push({ path: "intermediateCas", violation });
  const anchors = store.trustAnchors.length;
  const intermediates = store.intermediateCas.length;
  if (
    intermediates > CERTIFICATE_LIMITS.trustStoreIntermediates ||
    anchors + intermediates > CERTIFICATE_LIMITS.trustStoreCertificates
  ) {
    out.push({
      path: "",
      violation: {
        rule: "cert.trust-store.counts",
        reason: "trust_config_invalid",
        certificate: "(trust store)",
        message: `has ${anchors} trust anchors and ${intermediates} intermediate CAs; a Certificate Manager trust store holds at most ${CERTIFICATE_LIMITS.trustStoreCertificates} certificates, of which at most ${CERTIFICATE_LIMITS.trustStoreIntermediates} intermediates: split the PKI or trust fewer CAs`,
      },
    });
  }
  return out;
}
