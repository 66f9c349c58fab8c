import type { RuleDefinition } from "./types";

// Sources shared by most entries. Google documents the mTLS certificate rules once for Application Load Balancers
// and Secure Web Proxy (both validate against a Certificate Manager TrustConfig).
const MTLS = "https://cloud.google.com/load-balancing/docs/mtls#certificate-requirements";
const TRUST_CONFIG = "https://cloud.google.com/certificate-manager/docs/trust-configs";
const LIMITS = "https://cloud.google.com/certificate-manager/docs/quotas";
const RFC5280 = "https://www.rfc-editor.org/rfc/rfc5280";
const BOTH = ["components", "emulator"] as const;

/** Google Cloud's certificate rules for frontend mTLS (trust stores, client chains) and for server certificates. */
export const CERTIFICATE_RULES = {
  "cert.pem.one-certificate": {
    kind: "certificate",
    summary: "A trust store or ConfigMap entry holds exactly one PEM certificate and nothing else.",
    sources: [
      TRUST_CONFIG,
      "https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway#configure-frontend-mtls",
    ],
    enforcedBy: BOTH,
  },
  "cert.pem.parseable": {
    kind: "certificate",
    summary: "Every certificate is a DER X.509 v3 certificate in PEM armour.",
    sources: [TRUST_CONFIG],
    enforcedBy: BOTH,
  },
  "cert.pem.size": {
    kind: "certificate",
    summary:
      'Each PEM entry of a trust store is at most 5 kB (read as 5000 bytes, the safe side of the API\'s "up to 5kB").',
    sources: [LIMITS],
    enforcedBy: BOTH,
  },
  "cert.key.algorithm": {
    kind: "certificate",
    summary:
      "Keys are RSA (2048 to 4096 bits) or ECDSA P-256 / P-384; P-224, P-521, Ed25519 and other keys are refused.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.signature.algorithm": {
    kind: "certificate",
    summary: "Certificates are signed with RSA or ECDSA over SHA-256 or stronger (no MD5, no SHA-1).",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.validity.current": {
    kind: "certificate",
    summary: "A certificate is used only between its notBefore and notAfter (expired and not-yet-valid ones fail).",
    sources: [MTLS, `${RFC5280}#section-6.1.3`],
    enforcedBy: BOTH,
  },
  "cert.ca.basic-constraints": {
    kind: "certificate",
    summary: "Trust anchors, intermediates and issuing CAs carry basicConstraints CA:TRUE.",
    sources: [MTLS, `${RFC5280}#section-4.2.1.9`],
    enforcedBy: BOTH,
  },
  "cert.ca.key-cert-sign": {
    kind: "certificate",
    summary: "A CA certificate's keyUsage includes keyCertSign.",
    sources: [MTLS, `${RFC5280}#section-4.2.1.3`],
    enforcedBy: BOTH,
  },
  "cert.ca.client-auth-eku": {
    kind: "certificate",
    summary:
      "A CA certificate that has an extendedKeyUsage extension must list clientAuth to issue client certificates.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.ca.subject-key-id": {
    kind: "certificate",
    summary: "A CA certificate carries a subjectKeyIdentifier, so the certificates it issues can name it.",
    sources: [`${RFC5280}#section-4.2.1.2`, MTLS],
    enforcedBy: BOTH,
  },
  "cert.chain.authority-key-id": {
    kind: "certificate",
    summary:
      "Every certificate below the anchor has an authorityKeyIdentifier equal to its issuer's subjectKeyIdentifier.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.ca.name-constraints-count": {
    kind: "certificate",
    summary: "A CA certificate carries at most 10 name constraints (permitted and excluded subtrees together).",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.chain.path-length": {
    kind: "certificate",
    summary: "No CA has more intermediate CAs below it than its basicConstraints pathLenConstraint allows.",
    sources: [`${RFC5280}#section-6.1.4`],
    enforcedBy: BOTH,
  },
  "cert.chain.name-constraints": {
    kind: "certificate",
    summary: "Names of every certificate below a CA fall within its permitted subtrees and outside its excluded ones.",
    sources: [`${RFC5280}#section-4.2.1.10`],
    enforcedBy: BOTH,
  },
  "cert.chain.depth": {
    kind: "certificate",
    summary: "A chain is at most 10 certificates deep, leaf and root included.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.chain.client-size": {
    kind: "certificate",
    summary: "A client sends at most 10 certificates and 16 KiB of certificates in its handshake.",
    sources: [MTLS],
    enforcedBy: ["emulator"],
  },
  "cert.chain.signature": {
    kind: "certificate",
    summary: "Each certificate's signature verifies with its issuer's public key, up to a trust anchor.",
    sources: [`${RFC5280}#section-6.1.3`],
    enforcedBy: BOTH,
  },
  "cert.anchor.self-signed": {
    kind: "certificate",
    summary: "A trust anchor is a self-signed root; certificates issued by another CA go in intermediateCas.",
    sources: [TRUST_CONFIG],
    enforcedBy: BOTH,
  },
  "cert.intermediate.not-self-signed": {
    kind: "certificate",
    summary: "An intermediate CA is issued by another CA; a self-signed certificate is a trust anchor.",
    sources: [TRUST_CONFIG],
    enforcedBy: BOTH,
  },
  "cert.leaf.not-ca": {
    kind: "certificate",
    summary: "A client or server (leaf) certificate is CA:FALSE.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.leaf.client-auth-eku": {
    kind: "certificate",
    summary: "A client certificate has an extendedKeyUsage extension that lists clientAuth.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.leaf.forbidden-eku": {
    kind: "certificate",
    summary: "A client certificate's extendedKeyUsage lists no codeSigning, timeStamping or OCSPSigning.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.leaf.not-self-signed": {
    kind: "certificate",
    summary: "A self-signed client certificate is rejected (unless allowlisted).",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.leaf.san-size": {
    kind: "certificate",
    summary: "URI and DNS SANs of a client certificate are at most 512 bytes; a SPIFFE ID at most 2048 bytes.",
    sources: [MTLS],
    enforcedBy: BOTH,
  },
  "cert.leaf.server-auth-eku": {
    kind: "certificate",
    summary: "A server certificate lists serverAuth when it has an extendedKeyUsage extension.",
    sources: [`${RFC5280}#section-4.2.1.12`],
    enforcedBy: BOTH,
  },
  "cert.issuer.key-matches": {
    kind: "certificate",
    summary:
      "An issuing CA's private key is the key of its certificate, or every certificate it signs fails to verify.",
    sources: [`${RFC5280}#section-6.1.3`],
    enforcedBy: ["components"],
  },
  "cert.trust-store.counts": {
    kind: "certificate",
    summary: "A TrustConfig trust store holds at most 200 certificates, of which at most 100 intermediates.",
    sources: [LIMITS],
    enforcedBy: BOTH,
  },
  "cert.trust-store.unique": {
    kind: "certificate",
    summary: "A trust store lists each certificate once.",
    sources: [TRUST_CONFIG],
    enforcedBy: ["components"],
  },
} as const satisfies Record<string, RuleDefinition>;
