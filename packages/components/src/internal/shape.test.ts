import * as pulumi from "@pulumi/pulumi";
import { setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { BackendTlsPolicy } from "../backend-tls-policy";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "../gateway-frontend-mtls";
import { SecureWebProxyMtls } from "../secure-web-proxy-mtls";
import { thrownBy } from "./__fixtures__/thrown";

// The wrong types the issue names, from JavaScript callers: one error naming every path, before any resource; never
// a TypeError, and no truthiness (`"false"` is no boolean).
let env: MockEnvironment;
let pki: CertificateChain;
beforeAll(async () => {
  env = await setupMocks();
  pki = new CertificateChain("shape-pki", {
    root: { subject: { commonName: "Root" } },
    leaves: { server: { usages: ["server"], dnsNames: ["edge.example.com"] } },
  });
});

const proxy = () => ({
  region: "us-central1",
  network: "projects/p/global/networks/n",
  subnetwork: "projects/p/regions/us-central1/subnetworks/s",
  trust: { chain: pki },
  serverCertificate: { chain: pki, leaf: "server" },
  allow: { a: { identity: "spiffe://example.com/a", hosts: ["api.example.com"] } },
});
const gateway = () => ({
  namespace: "edge",
  gatewayClassName: "gke-l7-global-external-managed",
  listeners: [{ name: "https", hostname: "edge.example.com" }],
  certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "server" } } } },
});

describe("argument shapes of the components", () => {
  it.each([
    [
      "SecureWebProxyMtls: ports as a number, a boolean as a string",
      () => new SecureWebProxyMtls("s1", { ...proxy(), ports: 443, deleteSwgAutogenRouterOnDestroy: "false" } as never),
      [
        "`ports` must be a list, got `443`",
        "`deleteSwgAutogenRouterOnDestroy` must be `true` or `false`, got `false`; not a string",
      ],
    ],
    [
      "SecureWebProxyMtls: null args",
      () => new SecureWebProxyMtls("s2", null as never),
      ["`args` must be an object, got null"],
    ],
    [
      "SecureWebProxyMtls: the region as an Output (it decides where every resource goes)",
      () => new SecureWebProxyMtls("s3", { ...proxy(), region: pulumi.output("us-central1") } as never),
      [
        "`region` must be known when the program runs (a plain value, not an Output), got an Output; it decides what the component creates: pass the value itself",
      ],
    ],
    [
      "GatewayFrontendMtls: a switch as the string `false`, hosts as a string",
      () =>
        new GatewayFrontendMtls("g1", {
          ...gateway(),
          certificateManager: undefined,
          tlsSecret: { existingSecretName: "tls" },
          clientValidation: { trust: { chain: pki }, trustConfig: {} },
          deployTimeVerification: { enabled: "false" },
          routes: { r: { hostnames: "edge.example.com", backends: [{ service: "s", port: "80" }] } },
        } as never),
      [
        "`routes.r.hostnames` must be a list, got `edge.example.com`; write [`edge.example.com`]",
        "`routes.r.backends[0].port` must be a whole number, got `80`",
        "`deployTimeVerification.enabled` must be `true` or `false`, got `false`; not a string",
      ],
    ],
    [
      "BackendTlsPolicy: a typo and a component where its name is expected",
      () =>
        new BackendTlsPolicy("b1", {
          namespace: "edge",
          targets: [{ name: pki }],
          hostname: "store.edge.svc",
          trusts: { chain: pki },
        } as never),
      [
        "`trusts` is not an argument here; did you mean `trust`? (arguments: project, namespace, policyName, targets, gateways, frontends, hostname, subjectAltNames, trust, configMapNamespace, trustConfig, healthCheck, cloudArmor, iap, deployTimeVerification)",
        "`targets[0].name` must be a string, got the resource gcp-mtls:index:CertificateChain `shape-pki`",
        "`trust` is required",
      ],
    ],
  ])("%s", (...row) => {
    const [, make, messages] = row as [string, () => unknown, string[]];
    const error = thrownBy(make);
    expect(error.message.split("\n")).toEqual(messages);
    expect(error).toBeInstanceOf(pulumi.InputPropertiesError);
  });

  it("a subnetwork given as an Output is judged when it resolves: another region fails the deployment", async () => {
    new SecureWebProxyMtls("late-subnet", {
      ...proxy(),
      subnetwork: pulumi.output("projects/p/regions/us-east1/subnetworks/s"),
    });
    await expect(env.settled()).rejects.toThrow(
      "Subnetwork `subnetwork` location `us-east1` must equal the proxy region `us-central1`; use one in us-central1 (got `projects/p/regions/us-east1/subnetworks/s`)",
    );
  });
});
