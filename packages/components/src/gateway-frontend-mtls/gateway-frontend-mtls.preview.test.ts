import { isUnknownValue, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { BackendTlsPolicy } from "../backend-tls-policy";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "./index";

// In a preview the chain's certificates are unknown: what a user reviews must still show the structure around them.
let env: MockEnvironment;
beforeAll(async () => {
  env = await setupMocks({ preview: true });
  const chain = new CertificateChain("pki", {
    root: { subject: { commonName: "Root" } },
    leaves: { edge: { usages: ["server"], dnsNames: ["edge.example"] } },
  });
  const edge = new GatewayFrontendMtls("edge", {
    namespace: "edge",
    gatewayClassName: "gke-l7-global-external-managed",
    listeners: [{ name: "https", hostname: "edge.example" }],
    certificateManager: { certificates: { edge: { material: { chain, leaf: "edge" } } } },
    clientValidation: { trust: { chain } },
    routes: { api: { backends: [{ service: "api", port: 8443 }] } },
  });
  new BackendTlsPolicy("backend", {
    namespace: "edge",
    policyName: "api-tls",
    targets: [{ name: "api" }],
    frontends: [edge],
    hostname: "api.edge.svc",
    trust: { chain },
  });
  await env.settled();
});

describe("preview", () => {
  it.each(["edge-ca-root", "backend-ca-root"])("%s: the ConfigMap shows its `ca.crt` key, the PEM unknown", (name) => {
    const data = env.byName(name, "kubernetes:core/v1:ConfigMap").inputs.data;
    expect(isUnknownValue(data)).toBe(false);
    expect(Object.keys(data)).toEqual(["ca.crt"]);
    expect(isUnknownValue(data["ca.crt"])).toBe(true);
  });
});
