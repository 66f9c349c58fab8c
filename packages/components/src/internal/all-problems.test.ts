import { setupMocks } from "@gcp-mtls/testing";
import { BackendTlsPolicy } from "../backend-tls-policy";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "../gateway-frontend-mtls";
import { thrownBy } from "./__fixtures__/thrown";

// One ArgumentError reports every independent problem of the arguments, each with its `propertyPath` (the SDK's
// InputPropertiesError, which the engine prints entry by entry), instead of the first one only.
describe("every problem at once, each with its path", () => {
  let pki: CertificateChain;
  beforeAll(async () => {
    await setupMocks();
    pki = new CertificateChain("all-problems-pki", {
      root: { subject: { commonName: "All Problems Root" } },
      leaves: { edge: { usages: ["server"], dnsNames: ["edge.example.com"] } },
    });
  });

  const paths = (make: () => unknown) => {
    const error = thrownBy(make);
    expect(error.errors?.map((e) => e.propertyPath)).toEqual(error.problems.map((p) => p.path));
    expect(error.message.split("\n")).toHaveLength(error.problems.length);
    return error.problems.map((p) => p.path);
  };

  it("CertificateChain: the root's and each leaf's", () => {
    expect(
      paths(
        () =>
          new CertificateChain("bad-chain", {
            root: { subject: { commonName: "" }, keyAlgorithm: "ECDSA_P224" as never },
            leaves: {
              a: { usages: [] },
              b: { dnsNames: ["not a host"] },
            },
          }),
      ),
    ).toEqual(["root.subject", "root.keyAlgorithm", "leaves.a.usages", "leaves.b.dnsNames[0]"]);
  });

  it("GatewayFrontendMtls: names, listeners, trust and SSL policy", () => {
    expect(
      paths(
        () =>
          new GatewayFrontendMtls("bad-gateway", {
            namespace: "Not_A_Namespace",
            gatewayClassName: "gke-l7-global-external-managed",
            listeners: [{ name: "https", hostname: "edge.example.com" }],
            certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "edge" } } } },
            clientValidation: { trust: {}, mode: "AllowValidOnly" as never },
            sslPolicy: { minTlsVersion: "TLS_1_0" as never },
          }),
      ),
    ).toEqual(["namespace", "clientValidation.mode", "clientValidation.trust", "sslPolicy.minTlsVersion"]);
  });

  it("BackendTlsPolicy: names, hostname, trust and protection", () => {
    expect(
      paths(
        () =>
          new BackendTlsPolicy("bad-backend", {
            namespace: "store",
            policyName: "Bad Name",
            targets: [{ name: "store-v1" }],
            gateways: [{ className: "gke-l7-global-external-managed", name: "edge" }],
            hostname: "*.store.svc",
            trust: { trustAnchorPems: {} },
            iap: {},
          }),
      ),
    ).toEqual(["policyName", "hostname", "trust", "iap"]);
  });
});
