import { awaitOutput, setupMocks } from "@gcp-mtls/testing";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "./index";

// In a file of its own: with @pulumi/pulumi 3.142 (the lowest peer) the registration holding the failed read-back
// stays pending, and a later `settled()` in the same runtime would wait for it forever.
describe("read-back of a client validation the cluster's CRDs prune (k8s.gateway-api.frontend-validation-version)", () => {
  const run = async (version: string) => {
    const own = await setupMocks({ gatewayApi: { version, channel: "standard" } });
    const pki = new CertificateChain("pki", {
      root: { subject: { commonName: "Root" } },
      leaves: { edge: { usages: ["server"], dnsNames: ["edge.example.com"] } },
    });
    const gw = new GatewayFrontendMtls("edge", {
      namespace: "edge",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "edge.example.com" }],
      certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "edge" } } } },
      clientValidation: { trust: { chain: pki } },
    });
    let applied: unknown;
    await awaitOutput(gw.clientValidationApplied, 10_000).then(
      (v) => (applied = v),
      (e: Error) => (applied = e.message),
    );
    // No settled(): with @pulumi/pulumi 3.142 the registration holding the failed read-back never completes. The
    // read-back derives from the Gateway's live outputs, so the Gateway is recorded by now; let the rest finish.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const live = own.byName("edge-gateway").outputs;
    return {
      applied,
      liveTls: live.spec?.tls ?? null,
      deploymentErrors: [...new Set(own.deferredErrors.map((e) => e.message))],
    };
  };
  const message =
    "Gateway edge/edge was applied without its client certificate validation: the cluster's Gateway CRD does not declare `spec.tls.frontend` and the API server dropped it, so the load balancer verifies no client certificate. Install Gateway API v1.5.0 or later (standard channel; v1.4.0 experimental) and run `pulumi up` again, or set `clientValidation.trustConfig`";

  it("fails the deploy, naming the CRD version needed, when the cluster's CRDs prune spec.tls.frontend (v1.4.1)", async () => {
    const result = await run("v1.4.1");
    expect(result.liveTls).toBeNull();
    expect(result.applied).toBe(message);
    expect(result.deploymentErrors).toEqual([expect.stringMatching(new RegExp(`${escapeRegExp(message)}$`))]);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
