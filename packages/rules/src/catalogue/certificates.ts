import type { RuleDefinition } from "./types";

// Google documents the mTLS certificate rules for Application Load Balancers and Secure Web Proxy (both validate
// client chains against a Certificate Manager TrustConfig). The frontend page's requirements are short; the backend
// mTLS page states the same verifier's rules in full (requirements, validation steps, errors).
const MTLS = "https://cloud.google.com/load-balancing/docs/mtls";
const VERIFIER = "https://cloud.google.com/load-balancing/docs/backend-authenticated-tls-backend-mtls";
// Frontend mTLS reasons (`statusDetails` client_cert_*) with their definitions.
const REASONS_PAGE = "https://cloud.google.com/cdn/docs/cdn-logging-monitoring";
const TRUST_CONFIG =
  "https://github.com/GoogleCloudPlatform/magic-modules/blob/main/mmv1/products/certificatemanager/TrustConfig.yaml";
const TRUST_CONFIG_API =
  "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.trustConfigs";
const LIMITS = "https://cloud.google.com/certificate-manager/docs/quotas";
const GKE_GUIDE = "https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway";
const SPIFFE_ID = "https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md";
const X509_SVID = "https://github.com/spiffe/spiffe/blob/main/standards/X509-SVID.md";
const RFC5280 = "https://www.rfc-editor.org/rfc/rfc5280";
const BOTH = ["components", "emulator"] as const;

/** Google Cloud's certificate rules for frontend mTLS (trust stores, client chains) and for server certificates. */
export const CERTIFICATE_RULES = {
  "cert.pem.one-certificate": {
    kind: "certificate",
    summary: "A trust store or ConfigMap entry holds exactly one PEM certificate and nothing else.",
    sources: [TRUST_CONFIG, GKE_GUIDE],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.pem.parseable": {
    kind: "certificate",
    summary: "Every certificate is a DER X.509 certificate in PEM armour.",
    sources: [TRUST_CONFIG],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.pem.size": {
    kind: "certificate",
    summary: 'Each PEM entry of a trust store is at most 5 kB, read as 5000 bytes (the safe side of "up to 5kB").',
    sources: [TRUST_CONFIG],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.key.algorithm": {
    kind: "certificate",
    summary:
      "Keys are RSA of 2048 to 4096 bits or ECDSA P-256 / P-384; P-224, P-521, Ed25519 and other keys are refused.",
    sources: [MTLS, VERIFIER, REASONS_PAGE],
    enforcedBy: [...BOTH, "policy"],
    caveat:
      "Google states it for client leaves and intermediates; applying it to trust anchors is stricter than documented.",
  },
  "cert.signature.algorithm": {
    kind: "certificate",
    summary: "Certificates are signed with RSA or ECDSA over SHA-256 or stronger (no MD4, MD5 or SHA-1).",
    sources: [MTLS, VERIFIER, REASONS_PAGE],
    enforcedBy: [...BOTH, "policy"],
    caveat: "RSASSA-PSS and an anchor's own self-signature are judged too: stricter than documented.",
  },
  "cert.validity.current": {
    kind: "certificate",
    summary: "A certificate is used only between its notBefore and notAfter (expired and not-yet-valid ones fail).",
    sources: [VERIFIER, `${RFC5280}#section-6.1.3`],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.ca.basic-constraints": {
    kind: "certificate",
    summary: "Trust anchors, intermediates and issuing CAs carry basicConstraints CA:TRUE.",
    sources: [VERIFIER, `${RFC5280}#section-4.2.1.9`],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.ca.key-cert-sign": {
    kind: "certificate",
    summary: "A CA certificate's keyUsage includes keyCertSign.",
    sources: [VERIFIER, `${RFC5280}#section-4.2.1.3`],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.ca.client-auth-eku": {
    kind: "certificate",
    summary:
      "A CA certificate that has an extendedKeyUsage extension lists clientAuth, or the client certificates it issues fail.",
    sources: [VERIFIER, REASONS_PAGE],
    enforcedBy: [...BOTH, "policy"],
    caveat:
      'Google\'s wording ("must contain clientAuth") may also refuse a CA with no EKU at all; such CAs are accepted here, as OpenSSL does.',
  },
  "cert.ca.subject-key-id": {
    kind: "certificate",
    summary: "A CA certificate carries a subjectKeyIdentifier, so the certificates it issues can name it.",
    sources: [`${RFC5280}#section-4.2.1.2`, VERIFIER],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.chain.authority-key-id": {
    kind: "certificate",
    summary:
      "Every certificate below the anchor has an authorityKeyIdentifier equal to its issuer's subjectKeyIdentifier.",
    sources: [VERIFIER],
    enforcedBy: BOTH,
  },
  "cert.ca.name-constraints-count": {
    kind: "certificate",
    summary: "A CA certificate carries at most 10 name constraints (permitted and excluded subtrees together).",
    sources: [REASONS_PAGE, VERIFIER],
    enforcedBy: [...BOTH, "policy"],
    caveat: "Google names intermediates; applying it to trust anchors is stricter than documented.",
  },
  "cert.chain.path-length": {
    kind: "certificate",
    summary: "No CA has more intermediate CAs below it than its basicConstraints pathLenConstraint allows.",
    sources: [`${RFC5280}#section-6.1.4`],
    enforcedBy: BOTH,
    caveat: "RFC 5280 lets verifiers ignore a trust anchor's own constraints; OpenSSL enforces them, and so does this.",
  },
  "cert.chain.name-constraints": {
    kind: "certificate",
    summary: "Names of every certificate below a CA fall within its permitted subtrees and outside its excluded ones.",
    sources: [`${RFC5280}#section-4.2.1.10`],
    enforcedBy: BOTH,
  },
  "cert.chain.depth": {
    kind: "certificate",
    summary:
      "A chain is at most 10 certificates deep, leaf and root included (client_cert_validation_search_limit_exceeded).",
    sources: [VERIFIER, REASONS_PAGE],
    enforcedBy: BOTH,
  },
  "cert.chain.client-size": {
    kind: "certificate",
    summary: "A client sends at most 10 intermediate certificates with its leaf, and at most 16 KB of certificates.",
    sources: [VERIFIER],
    enforcedBy: ["emulator"],
    caveat:
      "Stated for server chains (server_cert_chain_exceeded_limit, server_cert_exceeded_size_limit) and applied to clients by analogy.",
  },
  "cert.chain.duplicate-intermediates": {
    kind: "certificate",
    summary:
      "The PKI used for validation holds at most 10 intermediates sharing one Subject and Subject Public Key Info (client_cert_pki_too_large).",
    sources: [REASONS_PAGE, VERIFIER],
    enforcedBy: BOTH,
  },
  "cert.chain.signature": {
    kind: "certificate",
    summary: "Each certificate's signature verifies with its issuer's public key, up to a trust anchor.",
    sources: [VERIFIER, `${RFC5280}#section-6.1.3`],
    enforcedBy: BOTH,
  },
  "cert.anchor.self-signed": {
    kind: "certificate",
    summary: "A trust anchor is a self-signed root; certificates issued by another CA go in intermediateCas.",
    sources: [TRUST_CONFIG_API, VERIFIER],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.intermediate.not-self-signed": {
    kind: "certificate",
    summary: "An intermediate CA is issued by another CA; a self-signed certificate is a trust anchor.",
    sources: [TRUST_CONFIG_API],
    enforcedBy: ["components", "policy"],
    caveat:
      "The API accepts a self-signed CA among intermediateCas (magic-modules' TrustConfig test does): refusing it is a guardrail.",
  },
  "cert.leaf.not-ca": {
    kind: "certificate",
    summary: "A client or server (leaf) certificate is CA:FALSE.",
    sources: [MTLS, VERIFIER],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.leaf.client-auth-eku": {
    kind: "certificate",
    summary:
      "A client certificate has an extendedKeyUsage extension that lists clientAuth (client_cert_chain_invalid_eku).",
    sources: [MTLS, REASONS_PAGE],
    enforcedBy: BOTH,
  },
  "cert.leaf.forbidden-eku": {
    kind: "certificate",
    summary: "A client certificate's extendedKeyUsage lists no codeSigning, timeStamping or OCSPSigning.",
    sources: [VERIFIER],
    enforcedBy: BOTH,
    caveat:
      "Stated for the verifier's leaves on the backend mTLS page; the frontend page's list is cut in the stored copy.",
  },
  "cert.leaf.not-self-signed": {
    kind: "certificate",
    summary: "A self-signed client certificate never forms a chain of trust and is rejected (unless allowlisted).",
    sources: [VERIFIER],
    enforcedBy: BOTH,
  },
  "cert.leaf.spiffe-id": {
    kind: "certificate",
    summary:
      "A SPIFFE ID is spiffe://<trust domain>/<path> of at most 2048 bytes with a non-root path; an X.509-SVID carries exactly one.",
    sources: [SPIFFE_ID, X509_SVID],
    enforcedBy: ["components"],
  },
  "cert.leaf.key-usage": {
    kind: "certificate",
    summary:
      "A leaf with a keyUsage extension lists digitalSignature (or keyAgreement; a server also keyEncipherment): TLS verifiers check it on the end-entity certificate.",
    sources: [
      `${RFC5280}#section-4.2.1.3`,
      "https://github.com/google/boringssl/blob/main/crypto/x509/v3_purp.cc",
      "https://github.com/openssl/openssl/blob/master/crypto/x509/v3_purp.c",
    ],
    enforcedBy: [...BOTH, "policy"],
    caveat:
      "Google documents no leaf keyUsage rule; BoringSSL and OpenSSL (`check_purpose_ssl_client`) refuse such a leaf, so the rules do too.",
  },
  "cert.extensions.unhandled-critical": {
    kind: "certificate",
    summary:
      "No certificate marks an extension critical that verifiers do not process (BoringSSL handles keyUsage, subjectAltName, basicConstraints, certificatePolicies, extendedKeyUsage, policyConstraints, nameConstraints, policyMappings, inhibitAnyPolicy).",
    sources: [`${RFC5280}#section-4.2`, "https://github.com/google/boringssl/blob/main/crypto/x509/v3_purp.cc"],
    enforcedBy: [...BOTH, "policy"],
    caveat: "Google documents no list of its own; BoringSSL's is the one used, and OpenSSL's is a superset of it.",
  },
  "cert.leaf.server-auth-eku": {
    kind: "certificate",
    summary: "A server certificate lists serverAuth when it has an extendedKeyUsage extension.",
    sources: [`${RFC5280}#section-4.2.1.12`, VERIFIER],
    enforcedBy: [...BOTH, "policy"],
  },
  "cert.issuer.key-matches": {
    kind: "certificate",
    summary:
      "An issuing CA's private key is the key of its certificate, or every certificate it signs fails to verify.",
    sources: [`${RFC5280}#section-6.1.3`],
    enforcedBy: ["components"],
  },
  "cert.server.key-matches": {
    kind: "certificate",
    summary: "A server certificate's private key is the key of its leaf (the first certificate of the chain).",
    sources: [`${RFC5280}#section-4.1.2.7`, "https://cloud.google.com/load-balancing/docs/ssl-certificates"],
    enforcedBy: ["components"],
  },
  "cert.trust-store.counts": {
    kind: "certificate",
    summary: "A TrustConfig holds one trust store, of at most 200 certificates of which at most 100 intermediates.",
    sources: [LIMITS, TRUST_CONFIG_API],
    enforcedBy: [...BOTH, "policy"],
    caveat:
      "The 200/100 figures are from the Certificate Manager system limits page, whose table was not re-read offline.",
  },
  "cert.trust-store.unique": {
    kind: "certificate",
    summary: "A trust store lists each certificate once.",
    sources: [TRUST_CONFIG],
    enforcedBy: ["components", "policy"],
    caveat: "A guardrail: the API is not documented to refuse duplicates.",
  },
} as const satisfies Record<string, RuleDefinition>;
