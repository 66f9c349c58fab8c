// A Pulumi program as `pulumi new typescript` lays it out, using the published components.
import { CertificateChain } from "@gcp-mtls/components";

const pki = new CertificateChain("pki", {
  root: { subject: { commonName: "Consumer Root" } },
  leaves: { agent: { uris: ["spiffe://consumer.example/agent"] } },
});

export const rootCertificatePem = pki.rootCertificatePem;
export const agentKey = pki.leaves["agent"]!.privateKeyPem;
