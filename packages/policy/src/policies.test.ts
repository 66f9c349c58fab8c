import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { makeRoot, makeServer, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { allRules } from "@gcp-mtls/rules";
import { NOT_MIRRORED, POLICIES, POLICY_RULES } from "@gcp-mtls/policy/policies";
import * as tls from "@pulumi/tls";
import { mandatory, runPolicyPack, type PolicyViolation } from "@gcp-mtls/policy/testing";

// Hand-wired programs, one per rule, each deliberately wrong in one way: the pack must report exactly that, with the
// enforcement level the stack's config gives it. Names keep every program apart in one mock environment.
let env: MockEnvironment;
const root = makeRoot("Policy Root CA");
const leaf = makeServer(root, "not-a-ca.example");
const GW = "gateway.networking.k8s.io/v1";

beforeAll(async () => {
  env = await setupMocks({ gcpProject: "bank-prod", gcpRegion: "us-central1" });
});

/** The pack's verdicts on the resources whose Pulumi name starts with `prefix`. */
async function verdicts(prefix: string, config = {}): Promise<PolicyViolation[]> {
  await env.settled();
  const mine = env.resources.filter((r) => r.name.startsWith(prefix));
  return runPolicyPack(mine, { config });
}
const summary = (vs: PolicyViolation[]) => vs.map((v) => `${v.policy} ${v.enforcementLevel}: ${v.detail}`);

function swp(name: string, extra: Partial<gcp.networkservices.GatewayArgs> = {}) {
  return new gcp.networkservices.Gateway(name, {
    name,
    location: "us-central1",
    type: "SECURE_WEB_GATEWAY",
    routingMode: "EXPLICIT_ROUTING_MODE",
    network: "projects/bank-prod/global/networks/egress",
    subnetwork: "projects/bank-prod/regions/us-central1/subnetworks/workloads",
    ports: [443],
    certificateUrls: ["projects/bank-prod/locations/us-central1/certificates/swp"],
    gatewaySecurityPolicy: "projects/bank-prod/locations/us-central1/gatewaySecurityPolicies/egress",
    serverTlsPolicy: "projects/bank-prod/locations/us-central1/serverTlsPolicies/mtls",
    ...extra,
  });
}

function k8sGateway(name: string, className: string, spec: Record<string, unknown> = {}, annotations = {}) {
  return new k8s.apiextensions.CustomResource(name, {
    apiVersion: GW,
    kind: "Gateway",
    metadata: { name, namespace: "shop", annotations },
    spec: {
      gatewayClassName: className,
      listeners: [
        {
          name: "https",
          protocol: "HTTPS",
          port: 443,
          hostname: "shop.example.com",
          tls: { mode: "Terminate", certificateRefs: [{ name: "shop-tls" }] },
        },
      ],
      ...spec,
    },
  });
}

function route(name: string, gateway: string, backend: { kind?: string; group?: string; name: string }) {
  return new k8s.apiextensions.CustomResource(name, {
    apiVersion: GW,
    kind: "HTTPRoute",
    metadata: { name, namespace: "shop" },
    spec: { parentRefs: [{ name: gateway }], rules: [{ backendRefs: [{ ...backend, port: 443 }] }] },
  });
}

const validated = {
  tls: { frontend: { default: { validation: { caCertificateRefs: [{ kind: "ConfigMap", name: "ca" }] } } } },
};

describe("a correct hand-wired program", () => {
  it("passes every policy", async () => {
    swp("ok-swp");
    new gcp.networksecurity.ServerTlsPolicy("ok-policy", {
      location: "us-central1",
      mtlsPolicy: {
        clientValidationMode: "REJECT_INVALID",
        clientValidationTrustConfig: "projects/123/locations/us-central1/trustConfigs/workloads",
      },
    });
    new gcp.certificatemanager.TrustConfig("ok-trust", {
      location: "us-central1",
      trustStores: [{ trustAnchors: [{ pemCertificate: root.pem }] }],
    });
    new gcp.networksecurity.AuthzPolicy("ok-allow", {
      location: "us-central1",
      action: "ALLOW",
      target: {
        loadBalancingScheme: "INTERNAL_MANAGED",
        resources: ["projects/bank-prod/locations/us-central1/gateways/ok-swp"],
      },
      httpRules: [
        {
          from: {
            sources: [
              {
                principals: [
                  { principalSelector: "CLIENT_CERT_URI_SAN", principal: { exact: "spiffe://bank/ns/a/sa/b" } },
                ],
              },
            ],
          },
        },
      ],
    });
    k8sGateway("ok-gateway", "gke-l7-global-external-managed", validated);
    expect(summary(await verdicts("ok-"))).toEqual([]);
  });
});

describe("one wrong program per rule", () => {
  it("gcp-api-constraints: TLS 1.3 needs the RESTRICTED profile (the API refuses it)", async () => {
    new gcp.compute.SSLPolicy("api-ssl", { minTlsVersion: "TLS_1_3", profile: "MODERN" });
    const found = await verdicts("api-");
    expect(found.map((v) => v.policy)).toEqual(["gcp-api-constraints"]);
    expect(found[0]!.detail).toContain("(rule gcp.compute.ssl-policy.tls13-restricted)");
    expect(found[0]!.enforcementLevel).toBe("mandatory");
  });

  it("trust-store-certificates: a leaf certificate as a trust anchor", async () => {
    new gcp.certificatemanager.TrustConfig("store-bad", {
      location: "us-central1",
      trustStores: [{ trustAnchors: [{ pemCertificate: leaf.pem }] }],
    });
    const found = await verdicts("store-");
    expect(found.map((v) => v.policy)).toEqual(expect.arrayContaining(["trust-store-certificates"]));
    const messages = found.filter((v) => v.policy === "trust-store-certificates").map((v) => v.detail);
    expect(messages.some((m) => m.startsWith("`trustStores[0].trustAnchors[0]`"))).toBe(true);
    expect(messages.some((m) => m.includes("(rule cert.ca.basic-constraints)"))).toBe(true);
  });

  it("swp-frontend-mtls: a next-hop proxy without a ServerTlsPolicy", async () => {
    swp("swp-bare", { routingMode: "NEXT_HOP_ROUTING_MODE", serverTlsPolicy: undefined });
    expect(summary(await verdicts("swp-"))).toEqual([
      "swp-frontend-mtls mandatory: `routingMode` is `NEXT_HOP_ROUTING_MODE`: Secure Web Proxy verifies client certificates only in explicit proxy mode; set `EXPLICIT_ROUTING_MODE` (rule gcp.swp.explicit-routing)",
      "swp-frontend-mtls mandatory: `serverTlsPolicy` is not set: the proxy verifies no client certificate, so authorization policies cannot decide on workload identities; attach a ServerTlsPolicy with an mtlsPolicy (or allow it with `allowWithoutMtls`) (rule gcp.swp.frontend-mtls)",
    ]);
    // A stack that serves TLS only on purpose says so.
    expect((await verdicts("swp-", { "swp-frontend-mtls": { allowWithoutMtls: true } })).length).toBe(1);
  });

  it("server-tls-policy-validation: permissive, with its trust config in another region", async () => {
    new gcp.networksecurity.ServerTlsPolicy("stp-loose", {
      location: "us-central1",
      mtlsPolicy: {
        clientValidationMode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
        clientValidationTrustConfig: "projects/123/locations/us-east1/trustConfigs/workloads",
      },
    });
    expect(summary(await verdicts("stp-"))).toEqual([
      "server-tls-policy-validation mandatory: `mtlsPolicy.clientValidationMode` is `ALLOW_INVALID_OR_MISSING_CLIENT_CERT`: clients without a valid certificate are let through; use `REJECT_INVALID` (or allow permissive mode for this stack with `allowPermissive`) (rule gcp.mtls.permissive-mode)",
      "server-tls-policy-validation mandatory: `mtlsPolicy.clientValidationTrustConfig` is in `us-east1` but the policy is in `us-central1`; the trust config, the policy and the proxy must share one location (rule gcp.swp.location-alignment)",
    ]);
    // Dev allows permissive mode; the location is an API rule and stays.
    const dev = await verdicts("stp-", { "server-tls-policy-validation": { allowPermissive: true } });
    expect(dev.map((v) => v.detail.split(" (rule ")[1])).toEqual(["gcp.swp.location-alignment)"]);
  });

  it("authz-exact-principals: a prefix match on a header instead of the certificate", async () => {
    new gcp.networksecurity.AuthzPolicy("authz-prefix", {
      location: "us-central1",
      action: "ALLOW",
      target: {
        loadBalancingScheme: "INTERNAL_MANAGED",
        resources: ["projects/bank-prod/locations/us-central1/gateways/x"],
      },
      httpRules: [
        {
          from: {
            sources: [
              { principals: [{ principalSelector: "CLIENT_CERT_URI_SAN", principal: { prefix: "spiffe://bank/" } }] },
            ],
          },
        },
      ],
    });
    const found = (await verdicts("authz-")).filter((v) => v.policy === "authz-exact-principals");
    expect(found.map((v) => v.detail)).toEqual([
      "`httpRules[0].from.sources[0].principals[0].principal` matches with prefix: identities must match exactly (`principal.exact`); a prefix or pattern lets other identities in (rule gcp.networksecurity.authz-policy.exact-principals)",
    ]);
  });

  it("gateway-client-validation: an HTTPS listener on an mTLS class that validates nobody, and a permissive one", async () => {
    k8sGateway("gwv-open", "gke-l7-regional-external-managed");
    k8sGateway("gwv-fallback", "gke-l7-rilb", {
      tls: {
        frontend: {
          default: {
            validation: { mode: "AllowInsecureFallback", caCertificateRefs: [{ kind: "ConfigMap", name: "ca" }] },
          },
        },
      },
    });
    const found = summary(await verdicts("gwv-"));
    expect(found).toEqual([
      "gateway-client-validation mandatory: `spec.listeners[0]` (`https`, port 443) on the frontend-mTLS class `gke-l7-regional-external-managed` validates no client certificate: set `spec.tls.frontend.default.validation.caCertificateRefs` or the `networking.gke.io/frontend-trust-config` annotation, or list `shop/gwv-open` in `serverTlsOnly` (rule gke.frontend-mtls.classes)",
      "gateway-client-validation mandatory: `spec.listeners[0]` (`https`) validates with `AllowInsecureFallback`: clients without a valid certificate are let through; use `AllowValidOnly` (or allow permissive mode with `allowPermissive`) (rule gcp.mtls.permissive-mode)",
    ]);
    const exempt = await verdicts("gwv-", {
      "gateway-client-validation": { serverTlsOnly: ["shop/gwv-open"], allowPermissive: true },
    });
    expect(exempt).toEqual([]);
  });

  it("cloud-armor-scope: a Service with Cloud Armor behind a global and a regional Gateway", async () => {
    k8sGateway("armor-global", "gke-l7-global-external-managed", validated);
    k8sGateway("armor-regional", "gke-l7-regional-external-managed", validated);
    route("armor-r1", "armor-global", { name: "payments" });
    route("armor-r2", "armor-regional", { name: "payments" });
    const policy = new k8s.apiextensions.CustomResource("armor-policy", {
      apiVersion: "networking.gke.io/v1",
      kind: "GCPBackendPolicy",
      metadata: { name: "armor-policy", namespace: "shop" },
      spec: { default: { securityPolicy: "edge-armor" }, targetRef: { group: "", kind: "Service", name: "payments" } },
    });
    const found = await verdicts("armor-");
    expect(summary(found)).toEqual([
      "cloud-armor-scope mandatory: `spec.default.securityPolicy` attaches Cloud Armor to Service `shop/payments`, which is behind both regional and global Gateways (shop/armor-global, shop/armor-regional); GKE cannot do both: serve it from Gateways of one scope, or create two Services and policies (rule gke.protection.cloud-armor-scope)",
    ]);
    expect(found[0]!.urn).toBe(await new Promise((resolve) => policy.urn.apply(resolve)));
  });

  it("authz-fails-open: a proxy with frontend mTLS and DENY policies only", async () => {
    swp("open-swp");
    new gcp.networksecurity.AuthzPolicy("open-deny", {
      location: "us-central1",
      action: "DENY",
      target: {
        loadBalancingScheme: "INTERNAL_MANAGED",
        resources: ["projects/bank-prod/locations/us-central1/gateways/open-swp"],
      },
      httpRules: [
        {
          from: {
            sources: [
              { principals: [{ principalSelector: "CLIENT_CERT_URI_SAN", principal: { exact: "spiffe://x/bad" } }] },
            ],
          },
        },
      ],
    });
    expect(summary(await verdicts("open-"))).toEqual([
      "authz-fails-open mandatory: Secure Web Proxy `open-swp` has only DENY authorization policies (open-deny): with no ALLOW policy it allows every request no DENY policy matches; add an ALLOW policy per identity (rule gcp.networksecurity.authz-policy.deny-only)",
    ]);
  });

  it("backend-tls-targets: a ServiceImport routed from a single-cluster Gateway", async () => {
    k8sGateway("imp-gw", "gke-l7-global-external-managed", validated);
    route("imp-route", "imp-gw", { group: "net.gke.io", kind: "ServiceImport", name: "payments" });
    new k8s.apiextensions.CustomResource("imp-btp", {
      apiVersion: GW,
      kind: "BackendTLSPolicy",
      metadata: { name: "imp-btp", namespace: "shop" },
      spec: {
        targetRefs: [{ group: "net.gke.io", kind: "ServiceImport", name: "payments" }],
        validation: { hostname: "payments.shop", caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca" }] },
      },
    });
    expect(summary(await verdicts("imp-"))).toEqual([
      "backend-tls-targets mandatory: `spec.targetRefs[0]` targets the ServiceImport `shop/payments`, routed from the single-cluster Gateway(s) shop/imp-gw (gke-l7-global-external-managed); imports are multi-cluster backends: use a `-mc` class, or target the Service (rule gke.backend-tls.import-targets)",
    ]);
  });
});

describe("more wrong programs", () => {
  it("ca-requester-confinement: a requester grant with no template condition", async () => {
    new gcp.certificateauthority.CaPoolIamMember("car-open", {
      caPool: "projects/p/locations/us-central1/caPools/issuing",
      role: "roles/privateca.certificateRequester",
      member: "serviceAccount:app@p.iam.gserviceaccount.com",
    });
    new gcp.certificateauthority.CaPoolIamMember("car-agent", {
      caPool: "projects/p/locations/us-central1/caPools/issuing",
      role: "roles/privateca.certificateRequester",
      member: "serviceAccount:service-123456789012@gcp-sa-certificatemanager.iam.gserviceaccount.com",
    });
    new gcp.certificateauthority.CaPoolIamMember("car-confined", {
      caPool: "projects/p/locations/us-central1/caPools/issuing",
      role: "roles/privateca.certificateRequester",
      member: "serviceAccount:app@p.iam.gserviceaccount.com",
      condition: {
        title: "only with template app",
        expression: "api.getAttribute('privateca.googleapis.com/template', '') == 'p/-/app'",
      },
    });
    expect(summary(await verdicts("car-"))).toEqual([
      "ca-requester-confinement mandatory: `condition` grants `serviceAccount:app@p.iam.gserviceaccount.com` roles/privateca.certificateRequester with no template condition: it may request any identity the pool issues; pin its SANs with a certificate template and the condition `api.getAttribute('privateca.googleapis.com/template', '') == '<project>/-/<template>'` (CaServiceChain `certificateRequesters` does) (rule gcp.privateca.requester-confinement)",
    ]);
  });

  it("ssl-policy-min-tls: an SSL policy that leaves the minimum to the API (TLS 1.0)", async () => {
    new gcp.compute.SSLPolicy("tls-default", { profile: "MODERN" });
    new gcp.compute.SSLPolicy("tls-ok", { profile: "MODERN", minTlsVersion: "TLS_1_2" });
    expect(summary(await verdicts("tls-"))).toEqual([
      "ssl-policy-min-tls mandatory: `minTlsVersion` is not set, so the API applies `TLS_1_0`; set `TLS_1_2` or `TLS_1_3` (TLS 1.0 and 1.1 are deprecated) (rule gcp.compute.ssl-policy.min-tls)",
    ]);
  });

  it("ca-configmap-certificates: a Gateway validating clients against a ConfigMap holding a leaf", async () => {
    new k8s.core.v1.ConfigMap("cam-ca", {
      metadata: { name: "cam-ca", namespace: "shop" },
      data: { "ca.crt": leaf.pem },
    });
    new k8s.core.v1.ConfigMap("cam-empty", {
      metadata: { name: "cam-empty", namespace: "shop" },
      data: { other: "x" },
    });
    k8sGateway("cam-gw", "gke-l7-global-external-managed", {
      tls: {
        frontend: {
          default: {
            validation: {
              caCertificateRefs: [
                { kind: "ConfigMap", name: "cam-ca" },
                { kind: "ConfigMap", name: "cam-empty" },
              ],
            },
          },
        },
      },
    });
    const found = (await verdicts("cam-")).filter((v) => v.policy === "ca-configmap-certificates");
    expect(found.some((v) => v.detail.includes("(rule cert.ca.basic-constraints)"))).toBe(true);
    expect(found.map((v) => v.detail)).toContain(
      "`data.ca.crt` is missing: cam-gw (`spec.tls.frontend.default.validation.caCertificateRefs[1]`) reads its CA certificates from `ca.crt` (rule k8s.gateway-api.ca-configmap)",
    );
  });

  it("iap-oauth-client: IAP enabled without its OAuth client", async () => {
    new k8s.apiextensions.CustomResource("iap-policy", {
      apiVersion: "networking.gke.io/v1",
      kind: "GCPBackendPolicy",
      metadata: { name: "iap-policy", namespace: "shop" },
      spec: { default: { iap: { enabled: true } }, targetRef: { group: "", kind: "Service", name: "store" } },
    });
    expect(summary(await verdicts("iap-"))).toEqual([
      "iap-oauth-client mandatory: `spec.default.iap` enables IAP without `clientID` and `oauth2ClientSecret.name`: GKE enables IAP on a backend only with an OAuth client ID and the Secret holding its secret (rule gke.protection.iap-client)",
    ]);
  });

  it("tls-validity-range: a certificate lifetime the tls provider cannot compute", async () => {
    const key = new tls.PrivateKey("span-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    new tls.SelfSignedCert("span-root", {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: "Forever" },
      validityPeriodHours: 3_000_000,
      allowedUses: ["cert_signing"],
      isCaCertificate: true,
    });
    expect(summary(await verdicts("span-"))).toEqual([
      "tls-validity-range mandatory: `validityPeriodHours` `3000000` exceeds 2562047 hours (≈ 292 years), beyond which the tls provider's Go duration overflows and the certificate gets another expiry (rule pulumi-tls.validity-range)",
    ]);
  });

  it("swp-frontend-mtls: a ServerTlsPolicy in another region than the proxy", async () => {
    swp("far-swp", { serverTlsPolicy: "projects/bank-prod/locations/us-east1/serverTlsPolicies/mtls" });
    expect(summary(await verdicts("far-"))).toEqual([
      "swp-frontend-mtls mandatory: `serverTlsPolicy` is in `us-east1` but the proxy is in `us-central1`; the trust config, the ServerTlsPolicy and the proxy must share one region (rule gcp.swp.location-alignment)",
    ]);
  });
});

describe("certificates, classes and locations", () => {
  it("server-certificates: a CA certificate uploaded as a server certificate", async () => {
    new gcp.certificatemanager.Certificate("srv-ca", {
      location: "us-central1",
      selfManaged: { pemCertificate: root.pem, pemPrivateKey: root.keyPem },
    });
    new gcp.certificatemanager.Certificate("srv-ok", {
      location: "us-central1",
      selfManaged: { pemCertificate: leaf.pem, pemPrivateKey: leaf.keyPem },
    });
    const found = (await verdicts("srv-")).filter((v) => v.policy === "server-certificates");
    // The root: no digitalSignature in its keyUsage, and CA:TRUE. The server leaf passes.
    expect(found.map((v) => v.urn.split("::").pop())).toEqual(["srv-ca", "srv-ca"]);
    expect(found.map((v) => v.detail.split(" (rule ")[1])).toEqual(["cert.leaf.key-usage)", "cert.leaf.not-ca)"]);
    expect(found.every((v) => v.detail.startsWith("`selfManaged.pemCertificate` "))).toBe(true);
  });

  it("backend-tls-targets: an InferencePool behind a global Gateway, and a class without backend TLS", async () => {
    k8sGateway("cls-global", "gke-l7-global-external-managed", validated);
    k8sGateway("cls-classic", "gke-l7-gxlb");
    route("cls-r1", "cls-global", { group: "inference.networking.k8s.io", kind: "InferencePool", name: "llm" });
    route("cls-r2", "cls-classic", { name: "store" });
    for (const [name, target] of [
      ["cls-pool", { group: "inference.networking.k8s.io", kind: "InferencePool", name: "llm" }],
      ["cls-store", { group: "", kind: "Service", name: "store" }],
    ] as const) {
      new k8s.apiextensions.CustomResource(name, {
        apiVersion: GW,
        kind: "BackendTLSPolicy",
        metadata: { name, namespace: "shop" },
        spec: {
          targetRefs: [target],
          validation: { hostname: "x.shop", caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca" }] },
        },
      });
    }
    expect(summary(await verdicts("cls-")).filter((m) => m.startsWith("backend-tls-targets"))).toEqual([
      "backend-tls-targets mandatory: `spec.targetRefs[0]` targets the InferencePool `shop/llm`, routed from shop/cls-global of the global class `gke-l7-global-external-managed`, which accepts Service and ServiceImport targets only (rule gke.backend-tls.classes)",
      "backend-tls-targets mandatory: `spec.targetRefs[0]` targets Service `shop/store`, routed from shop/cls-classic of class `gke-l7-gxlb`, which has no backend TLS; use a class that does (gke-l7-global-external-managed, -regional-external-managed, -rilb, their -mc variants) (rule gke.backend-tls.classes)",
    ]);
  });

  it("frontend-trust-config-location: a regional TrustConfig for a global Gateway", async () => {
    new gcp.certificatemanager.TrustConfig("tcl-trust", {
      name: "tcl-clients",
      location: "us-central1",
      trustStores: [{ trustAnchors: [{ pemCertificate: root.pem }] }],
    });
    k8sGateway(
      "tcl-gw",
      "gke-l7-global-external-managed",
      {},
      { "networking.gke.io/frontend-trust-config": "tcl-clients" },
    );
    expect(summary(await verdicts("tcl-"))).toEqual([
      "frontend-trust-config-location mandatory: `metadata.annotations.networking.gke.io/frontend-trust-config` names the TrustConfig `tcl-clients`, which this stack creates only in `us-central1`; the global class `gke-l7-global-external-managed` needs it in `global` (rule gke.frontend-mtls.trust-config-annotation)",
    ]);
  });
});

describe("enforcement per stack", () => {
  it("dev's config makes every policy advisory, so nothing fails the preview; one policy can be disabled", async () => {
    const dev = await verdicts("swp-", { all: "advisory" });
    expect(dev.length).toBe(2);
    expect(dev.every((v) => v.enforcementLevel === "advisory")).toBe(true);
    expect(mandatory(dev)).toEqual([]);
    expect(await verdicts("swp-", { "swp-frontend-mtls": "disabled" })).toEqual([]);
    // A policy's own level wins over `all`.
    const mixed = await verdicts("swp-", { all: "advisory", "swp-frontend-mtls": { enforcementLevel: "mandatory" } });
    expect(mandatory(mixed).length).toBe(2);
  });
});

describe("the pack and the catalogue", () => {
  it("every rule the catalogue says the pack enforces is reported by a policy, and every policy's rules say so", () => {
    const promised = new Set<string>(Object.values(POLICY_RULES).flat());
    const marked = allRules()
      .filter((r) => (r.enforcedBy as readonly string[]).includes("policy"))
      .map((r) => r.id);
    expect(marked.filter((id) => !promised.has(id))).toEqual([]);
    expect([...promised].filter((id) => !marked.includes(id))).toEqual([]);
    const known = new Set(allRules().map((r) => r.id));
    // Every rule the components enforce is the pack's too, or listed as not mirrored with the reason.
    const components = allRules()
      .filter((r) => (r.enforcedBy as readonly string[]).includes("components"))
      .map((r) => r.id);
    expect(components.filter((id) => !promised.has(id) && !(id in NOT_MIRRORED))).toEqual([]);
    expect(Object.keys(NOT_MIRRORED).filter((id) => promised.has(id) || !known.has(id))).toEqual([]);
    // The library's own secure defaults, stricter than the APIs, are the pack's too.
    expect(POLICY_RULES["swp-frontend-mtls"]).toContain("gcp.swp.frontend-mtls");
    expect(POLICY_RULES["server-tls-policy-validation"]).toContain("gcp.mtls.permissive-mode");
    expect(POLICY_RULES["gateway-client-validation"]).toContain("gcp.mtls.permissive-mode");
    expect(POLICY_RULES["ssl-policy-min-tls"]).toEqual(["gcp.compute.ssl-policy.min-tls"]);
    expect(Object.keys(POLICY_RULES).sort()).toEqual(POLICIES.map((p) => p.name).sort());
    expect([...promised].filter((id) => !known.has(id))).toEqual([]);
  });
});
