import * as pulumi from "@pulumi/pulumi";
import { awaitOutput, makeClient, makeRoot, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "../gateway-frontend-mtls";

// A negative test as a consumer writes one, in-process: a CA PEM known only at deploy time turns out to be a leaf.
// The jest environment `@gcp-mtls/testing/jest-environment` (this repository's jest config) routes the runtime's
// deliberate unhandled rejection to the MockEnvironment, so settled() and awaitOutput reject with the component's error.
describe("a deferred argument error, expected by a test", () => {
  let env: MockEnvironment;
  beforeEach(async () => {
    env = await setupMocks();
  });

  const leafAsCa =
    "`clientValidation.trust.trustAnchorPems.late` (CN=not a ca) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead";

  it("settled() and awaitOutput reject with the error naming the argument path", async () => {
    const pki = new CertificateChain("pki", {
      root: { subject: { commonName: "Root" } },
      leaves: { edge: { usages: ["server"], dnsNames: ["edge.example.com"] } },
    });
    const gateway = new GatewayFrontendMtls("edge", {
      namespace: "edge",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "edge.example.com" }],
      certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "edge" } } } },
      clientValidation: {
        trust: { trustAnchorPems: { late: pulumi.output(makeClient(makeRoot("Other Root"), "not a ca").pem) } },
      },
    });
    await expect(env.settled()).rejects.toThrow(leafAsCa);
    expect(env.deferredErrors).toHaveLength(1);
    expect(env.deferredErrors[0]).toBeInstanceOf(pulumi.ResourceError);
    // The Gateway reads the ConfigMap that was never registered: its outputs reject instead of timing out.
    await expect(awaitOutput(gateway.clientValidationApplied, 10_000)).rejects.toThrow(leafAsCa);
  });
});
