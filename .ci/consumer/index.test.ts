import * as pulumi from "@pulumi/pulumi";
import { inspectCertificate } from "@gcp-mtls/rules";
import { awaitOutput, makeClient, makeRoot, setupMocks } from "@gcp-mtls/testing";

describe("the packed packages, installed with npm by a stranger", () => {
  it("plans a CertificateChain with real P-256 certificates and secret keys", async () => {
    const env = await setupMocks();
    const { CertificateChain } = await import("@gcp-mtls/components");
    const pki = new CertificateChain("pki", {
      root: { subject: { commonName: "Consumer Root" } },
      leaves: { agent: { uris: ["spiffe://consumer.example/agent"] } },
    });
    const leaf = inspectCertificate(await awaitOutput(pki.leaves["agent"]!.certificatePem));
    expect(leaf.sans.uri).toEqual(["spiffe://consumer.example/agent"]);
    expect(leaf.extKeyUsage).toEqual(["client_auth"]);
    expect(await pulumi.isSecret(pki.leaves["agent"]!.privateKeyPem)).toBe(true);
    await env.settled();
    expect(env.byType("tls:index/privateKey:PrivateKey").map((r) => r.inputs.ecdsaCurve)).toEqual(["P256", "P256"]);
  });

  it("expects a component's deferred error (the jest environment of @gcp-mtls/testing)", async () => {
    const env = await setupMocks();
    const { CertificateChain, GatewayFrontendMtls } = await import("@gcp-mtls/components");
    const pki = new CertificateChain("server", {
      root: { subject: { commonName: "Server Root" } },
      leaves: { edge: { usages: ["server"], dnsNames: ["edge.example.com"] } },
    });
    new GatewayFrontendMtls("edge", {
      namespace: "edge",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "edge.example.com" }],
      certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "edge" } } } },
      clientValidation: {
        trust: { trustAnchorPems: { late: pulumi.output(makeClient(makeRoot("Other Root"), "not a ca").pem) } },
      },
    });
    await expect(env.settled()).rejects.toThrow(
      "`clientValidation.trust.trustAnchorPems.late` (CN=not a ca) is not a CA certificate",
    );
  });
});
