import * as k8s from "@pulumi/kubernetes";
import { awaitOutput, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { BackendTlsPolicy, type BackendTlsPolicyArgs } from "../backend-tls-policy";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls, type GatewayFrontendMtlsArgs } from "../gateway-frontend-mtls";
import { thrownBy } from "./__fixtures__/thrown";

// The GKE rules that span components, checked across the program (internal/program.ts): the later of two
// conflicting components fails before any resource exists, naming the earlier one. Each test is its own program.
let pki: CertificateChain;
let env: MockEnvironment;
beforeEach(async () => {
  env = await setupMocks({ gcpProject: "shop" });
  pki = new CertificateChain("pki", {
    root: { subject: { commonName: "Root" } },
    leaves: {
      store: { usages: ["server"], dnsNames: ["store.example.com"] },
      backend: { usages: ["server"], dnsNames: ["store-v1.store.svc"] },
    },
  });
  new k8s.core.v1.Service("store-v1", {
    metadata: { name: "store-v1", namespace: "store" },
    spec: { ports: [{ port: 8443 }] },
  });
});

// A program ends when its registrations have: the next test's mocks must not receive this one's.
afterEach(async () => {
  await env.settled();
});

const gateway = (name: string, overrides: Partial<GatewayFrontendMtlsArgs> = {}): GatewayFrontendMtlsArgs => ({
  namespace: "store",
  gatewayName: name,
  gatewayClassName: "gke-l7-global-external-managed",
  listeners: [{ name: "https", hostname: "store.example.com" }],
  tlsSecret: { material: { chain: pki, leaf: "store" } },
  clientValidation: { mode: "DISABLED" },
  routes: { store: { backends: [{ service: "store-v1", port: 8443 }] } },
  ...overrides,
});

const backend = (overrides: Partial<BackendTlsPolicyArgs>): BackendTlsPolicyArgs => ({
  namespace: "store",
  targets: [{ name: "store-v1" }],
  hostname: "store-v1.store.svc",
  trust: { chain: pki },
  deployTimeVerification: { enabled: false },
  ...overrides,
});

describe("rules across the components of one program", () => {
  it("one Gateway object per namespace and name", () => {
    new GatewayFrontendMtls("edge", gateway("external-http"));
    const error = thrownBy(() => new GatewayFrontendMtls("edge-2", gateway("external-http")));
    expect(error.message).toBe(
      "`gatewayName` `external-http` in namespace `store` is already the Gateway of GatewayFrontendMtls edge in this program; one Kubernetes object per name: give this Gateway another `gatewayName` or namespace",
    );
    // Another namespace is another object.
    expect(
      () => new GatewayFrontendMtls("edge-3", gateway("external-http", { namespace: "other", routes: {} })),
    ).not.toThrow();
  });

  it("a Service with Cloud Armor behind a global Gateway refuses a regional Gateway's route to it (rule gke.protection.cloud-armor-scope)", () => {
    const global = new GatewayFrontendMtls("global-edge", gateway("global-edge"));
    new BackendTlsPolicy("armored", backend({ frontends: [global], cloudArmor: {} }));
    const error = thrownBy(
      () =>
        new GatewayFrontendMtls(
          "internal-edge",
          gateway("internal-edge", { gatewayClassName: "gke-l7-rilb", region: "us-central1" }),
        ),
    );
    expect([error.message, error.problems.map((p) => [p.path, p.rule])]).toEqual([
      "`routes` send Service `store/store-v1` traffic from a regional Gateway, but it is also behind a Gateway of the other scope in this program and BackendTlsPolicy armored attaches a Cloud Armor backend policy to it; GKE cannot do both: serve it from Gateways of one scope, or create two Services and policies",
      [["routes", "gke.protection.cloud-armor-scope"]],
    ]);
  });

  it("a Cloud Armor policy on a Service that Gateways of both scopes already route to is refused", () => {
    const global = new GatewayFrontendMtls("global-edge", gateway("global-edge"));
    new GatewayFrontendMtls(
      "internal-edge",
      gateway("internal-edge", { gatewayClassName: "gke-l7-rilb", region: "us-central1" }),
    );
    const error = thrownBy(() => new BackendTlsPolicy("armored", backend({ frontends: [global], cloudArmor: {} })));
    expect([error.message, error.problems.map((p) => [p.path, p.rule])]).toEqual([
      "`cloudArmor` Service `store/store-v1` would be behind both a regional and a global Gateway in this program (GatewayFrontendMtls global-edge (global); GatewayFrontendMtls internal-edge (regional); this policy: global) while this policy attaches a Cloud Armor backend policy to it; GKE cannot do both: serve it from Gateways of one scope, or create two Services and policies",
      [["cloudArmor", "gke.protection.cloud-armor-scope"]],
    ]);
    // Without Cloud Armor, one Service behind both scopes is fine.
    expect(() => new BackendTlsPolicy("plain", backend({ frontends: [global], policyName: "plain" }))).not.toThrow();
  });

  it("IAP in one policy and Cloud CDN declared for the same Gateway in another is refused (rule gke.protection.iap-cdn)", () => {
    new BackendTlsPolicy(
      "cdn",
      backend({ gateways: [{ className: "gke-l7-global-external-managed", name: "edge", cloudCdn: true }] }),
    );
    const error = thrownBy(
      () =>
        new BackendTlsPolicy(
          "iap",
          backend({
            policyName: "iap",
            targets: [{ name: "store-v2" }],
            gateways: [{ className: "gke-l7-global-external-managed", name: "edge" }],
            iap: { clientId: "id.apps.googleusercontent.com", clientSecretName: "iap-secret" },
          }),
        ),
    );
    expect([error.message, error.problems.map((p) => [p.path, p.rule])]).toEqual([
      "`iap` Gateway `store/edge` would combine IAP and Cloud CDN in this program (BackendTlsPolicy iap, BackendTlsPolicy cdn); GKE cannot enable both on one Gateway: remove one of them",
      [["iap", "gke.protection.iap-cdn"]],
    ]);
  });

  it("createNamespace: a Namespace child that every object of the Gateway's namespace waits for; created once per program", async () => {
    const gw = new GatewayFrontendMtls(
      "shop-edge",
      gateway("shop-edge", { namespace: "shop", createNamespace: true, routes: {} }),
    );
    await env.settled();
    const children = env.children(await awaitOutput(gw.urn));
    const ns = children.find((c) => c.type === "kubernetes:core/v1:Namespace")!;
    expect([ns.name, ns.inputs.metadata.name]).toEqual(["shop-edge-namespace", "shop"]);
    for (const c of children.filter((x) => x.type.startsWith("kubernetes:") && x !== ns)) {
      expect({ name: c.name, waits: c.dependencies.includes(ns.urn) }).toEqual({ name: c.name, waits: true });
    }
    const twice = thrownBy(
      () =>
        new GatewayFrontendMtls(
          "shop-edge-2",
          gateway("shop-edge-2", { namespace: "shop", createNamespace: true, routes: {} }),
        ),
    );
    expect(twice.message).toBe(
      "`createNamespace` is true, but GatewayFrontendMtls shop-edge already creates namespace `shop` in this program; leave `createNamespace` out here",
    );
    const builtin = thrownBy(
      () =>
        new GatewayFrontendMtls(
          "default-edge",
          gateway("default-edge", { namespace: "default", createNamespace: true }),
        ),
    );
    expect(builtin.message).toBe(
      "`createNamespace` is true, but namespace `default` exists in every cluster; leave `createNamespace` out, or use a namespace of your own",
    );
  });

  it("a Service behind Gateways in several locations needs its TrustConfig in each (rule gke.backend-tls.trust-config)", () => {
    const global = new GatewayFrontendMtls("global-edge", gateway("global-edge"));
    new BackendTlsPolicy("tc", backend({ frontends: [global], trustConfig: {} }));
    const late = thrownBy(
      () =>
        new GatewayFrontendMtls(
          "internal-edge",
          gateway("internal-edge", { gatewayClassName: "gke-l7-rilb", region: "us-central1" }),
        ),
    );
    expect([late.message, late.problems.map((p) => p.rule)]).toEqual([
      "`routes` send Service `store/store-v1` traffic from a Gateway in `us-central1`, but BackendTlsPolicy tc keeps its backend CAs in TrustConfigs in `[\"global\"]` only; GKE looks the TrustConfig up in the Gateway's location: add `us-central1` to that policy's gateways (or `trustConfig.locations`)",
      ["gke.backend-tls.trust-config"],
    ]);
  });

  it("a TrustConfig policy that misses the location of a Gateway routing to its Service is refused", () => {
    const global = new GatewayFrontendMtls("global-edge", gateway("global-edge"));
    new GatewayFrontendMtls(
      "internal-edge",
      gateway("internal-edge", { gatewayClassName: "gke-l7-rilb", region: "us-central1" }),
    );
    const error = thrownBy(() => new BackendTlsPolicy("tc", backend({ frontends: [global], trustConfig: {} })));
    expect([error.message, error.problems.map((p) => p.rule)]).toEqual([
      '`trustConfig` creates TrustConfigs in `["global"]`, but GatewayFrontendMtls internal-edge (in `us-central1`) routes to Service `store/store-v1`; GKE looks the TrustConfig up in each Gateway\'s location: list that Gateway in `frontends` or `gateways`',
      ["gke.backend-tls.trust-config"],
    ]);
  });

  it("a component refused for its own arguments declares nothing", () => {
    expect(() => new GatewayFrontendMtls("bad", gateway("external-http", { namespace: "Not_A_Namespace" }))).toThrow();
    expect(() => new GatewayFrontendMtls("good", gateway("external-http"))).not.toThrow();
  });
});
