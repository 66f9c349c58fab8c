import { CertificateChain } from "@gcp-mtls/components";

// The Secure Web Proxy guide's OpenSSL chain: root CA `CN=root`, intermediate `CN=int`, and a client leaf whose DNS SAN
// `my-client.example.com` is the workload identity an authorization policy matches. Keys are ECDSA P-256 (the guide
// uses RSA 2048; both are accepted by Google Cloud, P-256 is the secure default here).
const chain = new CertificateChain("seed", {
  root: { subject: { commonName: "root" } },
  intermediates: [{ key: "int", subject: { commonName: "int" } }],
  leaves: {
    "my-client": {
      usages: ["client"],
      subject: { commonName: "my-client.example.com" },
      dnsNames: ["my-client.example.com"],
      validityHours: 365 * 24,
    },
  },
});

/** `trustStores[0]` of a Certificate Manager TrustConfig (the guide's trust_config.yaml, one certificate per entry). */
export const trustStore = chain.trustStore;
/** The identity to use in authorization policies (`CLIENT_CERT_DNS_NAME_SAN`). */
export const clientIdentity = chain.leaves["my-client"]!.dnsNames[0];
export const clientCertificatePem = chain.leaves["my-client"]!.certificatePem;
/** What the client presents: leaf + intermediate. */
export const clientChainPem = chain.leaves["my-client"]!.chainPem;
/** Secret: stays encrypted in the stack state and is shown as [secret]. */
export const clientPrivateKeyPem = chain.leaves["my-client"]!.privateKeyPem;
