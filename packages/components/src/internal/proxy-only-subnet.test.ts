import * as pulumi from "@pulumi/pulumi";
import { awaitOutput, setupMocks, type MockEnvironment, type RecordedResource } from "@gcp-mtls/testing";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls, type GatewayFrontendMtlsArgs } from "../gateway-frontend-mtls";
import { SecureWebProxyMtls } from "../secure-web-proxy-mtls";
import { thrownBy } from "./__fixtures__/thrown";

// The proxy-only subnet that regional Envoy-based load balancers (regional GKE Gateway classes, Secure Web Proxy)
// need in their region (rule gcp.compute.proxy-only-subnet: the proxy-only subnets page, compute/Subnetwork.yaml).
const SUBNETWORK = "gcp:compute/subnetwork:Subnetwork";
const NETWORK = "projects/shop/global/networks/vpc";

let env: MockEnvironment;
let pki: CertificateChain;
beforeAll(async () => {
  env = await setupMocks({ gcpProject: "shop" });
  pki = new CertificateChain("pos", {
    root: { subject: { commonName: "Root" } },
    leaves: {
      store: { usages: ["server"], dnsNames: ["store.example.com"] },
      proxy: { usages: ["server"], dnsNames: ["swp.shop.internal"] },
      agent: { uris: ["spiffe://shop.example/agent"] },
    },
  });
});

async function childrenOf(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
  await env.settled();
  return env.children(await awaitOutput(component.urn));
}

const gateway = (overrides: Partial<GatewayFrontendMtlsArgs>): GatewayFrontendMtlsArgs => ({
  namespace: "store",
  gatewayClassName: "gke-l7-rilb",
  region: "us-central1",
  listeners: [{ name: "https", hostname: "store.example.com" }],
  tlsSecret: { material: { chain: pki, leaf: "store" } },
  clientValidation: { mode: "DISABLED" },
  ...overrides,
});

describe("proxy-only subnet (REGIONAL_MANAGED_PROXY, ACTIVE) created before the load balancer", () => {
  it("GatewayFrontendMtls on a regional class: the subnet in the Gateway's region, and the Gateway waits for it", async () => {
    const gw = new GatewayFrontendMtls(
      "internal",
      gateway({ proxyOnlySubnet: { network: NETWORK, ipCidrRange: "10.129.0.0/23" } }),
    );
    const children = await childrenOf(gw);
    const subnets = children.filter((c) => c.type === SUBNETWORK);
    expect(subnets.map((s) => [s.name, s.inputs.region, s.inputs.network, s.inputs.ipCidrRange])).toEqual([
      ["internal-proxy-only-subnet", "us-central1", NETWORK, "10.129.0.0/23"],
    ]);
    expect([subnets[0]!.inputs.purpose, subnets[0]!.inputs.role]).toEqual(["REGIONAL_MANAGED_PROXY", "ACTIVE"]);
    expect(subnets[0]!.failure).toBeUndefined();
    const k8sGateway = children.find((c) => c.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway")!;
    expect(k8sGateway.dependencies).toContain(subnets[0]!.urn);
    expect(await awaitOutput(gw.proxyOnlySubnetId!)).toBe(subnets[0]!.id);
  });

  it("SecureWebProxyMtls: the subnet in the proxy's region, and the proxy waits for it", async () => {
    const swp = new SecureWebProxyMtls("egress", {
      region: "us-central1",
      network: NETWORK,
      subnetwork: "projects/shop/regions/us-central1/subnetworks/workloads",
      trust: { chain: pki },
      serverCertificate: { chain: pki, leaf: "proxy" },
      allow: { agent: { identity: "spiffe://shop.example/agent", hosts: ["api.example.com"] } },
      proxyOnlySubnet: { network: NETWORK, ipCidrRange: "10.130.0.0/23" },
    });
    const children = await childrenOf(swp);
    const subnet = children.find((c) => c.type === SUBNETWORK)!;
    expect([subnet.name, subnet.inputs.region, subnet.inputs.purpose]).toEqual([
      "egress-proxy-only-subnet",
      "us-central1",
      "REGIONAL_MANAGED_PROXY",
    ]);
    const proxy = children.find((c) => c.type === "gcp:networkservices/gateway:Gateway")!;
    expect(proxy.dependencies).toContain(subnet.urn);
  });

  it.each([
    [
      "a global class",
      gateway({
        gatewayClassName: "gke-l7-global-external-managed",
        region: undefined,
        proxyOnlySubnet: { network: NETWORK, ipCidrRange: "10.129.0.0/23" },
      }),
      "`proxyOnlySubnet` is set, but `gke-l7-global-external-managed` is a global class, whose load balancer needs no proxy-only subnet: remove it",
    ],
    [
      "fewer than 64 addresses",
      gateway({ proxyOnlySubnet: { network: NETWORK, ipCidrRange: "10.129.0.0/27" } }),
      "`proxyOnlySubnet.ipCidrRange` `10.129.0.0/27` has 32 addresses, but a proxy-only subnet needs at least 64 (a /26 or shorter prefix; /23 leaves room to grow)",
    ],
    [
      "host bits set",
      gateway({ proxyOnlySubnet: { network: NETWORK, ipCidrRange: "10.129.1.0/23" } }),
      "`proxyOnlySubnet.ipCidrRange` `10.129.1.0/23` has host bits set; use the range's network address (e.g. `10.129.0.0/23`)",
    ],
    [
      "an IPv6 range",
      gateway({ proxyOnlySubnet: { network: NETWORK, ipCidrRange: "fd00::/64" } }),
      "`proxyOnlySubnet.ipCidrRange` `fd00::/64` is not an IPv4 CIDR range; use one such as `10.129.0.0/23`",
    ],
  ])("refuses %s (rule gcp.compute.proxy-only-subnet)", (_label, args, message) => {
    // The table is built before beforeAll: an existing Secret instead of the chain's leaf.
    const error = thrownBy(
      () => new GatewayFrontendMtls("bad-subnet", { ...args, tlsSecret: { existingSecretName: "store-example-com" } }),
    );
    expect([error.message, error.problems.map((p) => p.rule)]).toEqual([message, ["gcp.compute.proxy-only-subnet"]]);
  });
});
