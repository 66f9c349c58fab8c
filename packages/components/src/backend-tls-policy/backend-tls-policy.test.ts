import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  evaluateWaitFor,
  makeRoot,
  makeServer,
  serverVerification,
  setupMocks,
  validateManifest,
  type MockEnvironment,
  type RecordedResource,
} from "@gcp-mtls/testing";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "../gateway-frontend-mtls";
import {
  BackendTlsPolicy,
  patchServiceHttpsAppProtocol,
  AppProtocol,
  withAppProtocol,
  withHttpsAppProtocol,
  type BackendTlsPolicyArgs,
} from "./index";
import type { RuleId } from "@gcp-mtls/rules";
import { thrownBy } from "../internal/__fixtures__/thrown";

const T = {
  policy: "kubernetes:gateway.networking.k8s.io/v1:BackendTLSPolicy",
  backendPolicy: "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
  configMap: "kubernetes:core/v1:ConfigMap",
  secret: "kubernetes:core/v1:Secret",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  armor: "gcp:compute/securityPolicy:SecurityPolicy",
  regionArmor: "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy",
};
const SPIFFE = "spiffe://shop.example/ns/store/sa/store-v1";

let env: MockEnvironment;
let backends: CertificateChain;
let frontend: GatewayFrontendMtls;
beforeAll(async () => {
  env = await setupMocks({ gcpProject: "shop-prod" });
  backends = new CertificateChain("backends", {
    root: { subject: { commonName: "Backend Root" } },
    intermediates: [{ key: "mesh", subject: { commonName: "Backend Mesh CA" } }],
    leaves: {
      "store-v1": { usages: ["server"], dnsNames: ["backend.store.internal"], uris: [SPIFFE] },
      impostor: {
        usages: ["server"],
        dnsNames: ["backend.store.internal"],
        uris: ["spiffe://shop.example/ns/other/sa/impostor"],
      },
    },
  });
  const clients = new CertificateChain("frontend-clients", {
    root: { subject: { commonName: "Clients Root" } },
    leaves: { edge: { usages: ["server"], dnsNames: ["store.example.com"] } },
  });
  frontend = new GatewayFrontendMtls("edge", {
    namespace: "store",
    gatewayClassName: "gke-l7-global-external-managed",
    listeners: [{ name: "https", hostname: "store.example.com" }],
    certificateManager: { certificates: { edge: { material: { chain: clients, leaf: "edge" } } } },
    clientValidation: { trust: { chain: clients } },
    // GKE reports the policy on this Gateway once a route of it sends traffic to the target.
    routes: { store: { backends: [{ service: "store-v1", port: 8443 }] } },
  });
  // The target itself: without it the controller reports the policy with TargetNotFound.
  const k8s = await import("@pulumi/kubernetes");
  new k8s.core.v1.Service("store-v1", {
    metadata: { name: "store-v1", namespace: "store" },
    spec: { ports: withHttpsAppProtocol([{ name: "https", port: 8443 }]) },
  });
});

function args(overrides: Partial<BackendTlsPolicyArgs> = {}): BackendTlsPolicyArgs {
  return {
    namespace: "store",
    policyName: "store-v1-tls",
    targets: [{ name: "store-v1" }],
    frontends: [frontend],
    hostname: "backend.store.internal",
    subjectAltNames: [{ type: "URI", uri: SPIFFE }],
    trust: { chain: backends },
    ...overrides,
  };
}

async function childrenOf(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
  await env.settled();
  return env.children(await awaitOutput(component.urn));
}

function manifestOf(r: RecordedResource): any {
  const { apiVersion, kind, metadata, spec, data } = r.inputs;
  return Object.fromEntries(
    Object.entries({
      apiVersion,
      kind,
      metadata: { ...metadata, name: metadata?.name ?? r.outputs.metadata?.name },
      spec,
      data,
    }).filter(([, v]) => v !== undefined),
  );
}

async function expectValid(children: RecordedResource[]) {
  for (const r of children.filter((c) => c.type.startsWith("kubernetes:") && c.type !== T.secret)) {
    expect({ name: r.name, problems: await validateManifest(manifestOf(r)) }).toEqual({ name: r.name, problems: [] });
  }
}

describe("BackendTlsPolicy, standard mode, behind the global frontend, with Cloud Armor and IAP", () => {
  let policy: BackendTlsPolicy;
  let children: RecordedResource[];

  beforeAll(async () => {
    policy = new BackendTlsPolicy(
      "store-v1",
      args({
        cloudArmor: {},
        iap: { clientId: "1234.apps.googleusercontent.com", clientSecret: pulumi.secret("s3cr3t") },
      }),
    );
    await awaitOutput(policy.manifests);
    children = await childrenOf(policy);
  });

  it("creates the CA ConfigMap, the policy, a security policy, the IAP secret and one GCPBackendPolicy per target", () => {
    expect(children.map((c) => `${c.type} ${c.name}`).sort()).toEqual(
      [
        `${T.configMap} store-v1-ca-root`,
        `${T.policy} store-v1-policy`,
        `${T.armor} store-v1-security-policy`,
        `${T.secret} store-v1-iap-client`,
        `${T.backendPolicy} store-v1-backend-policy-store-v1`,
      ].sort(),
    );
  });

  it("renders the upstream v1 BackendTLSPolicy: Service target, SNI hostname, SPIFFE SAN, same-namespace CA ref", async () => {
    const p = children.find((c) => c.type === T.policy)!.inputs;
    const cm = env.byName("store-v1-ca-root");
    expect(p.metadata).toEqual({
      name: "store-v1-tls",
      namespace: "store",
      annotations: { "pulumi.com/waitFor": expect.any(String), "pulumi.com/timeoutSeconds": "600" },
    });
    expect(p.spec).toEqual({
      targetRefs: [{ group: "", kind: "Service", name: "store-v1" }],
      validation: {
        hostname: "backend.store.internal",
        caCertificateRefs: [{ group: "", kind: "ConfigMap", name: cm.outputs.metadata.name }],
        subjectAltNames: [{ type: "URI", uri: SPIFFE }],
      },
    });
    expect(cm.inputs).toMatchObject({
      metadata: { namespace: "store" },
      data: { "ca.crt": await awaitOutput(backends.rootCertificatePem) },
    });
  });

  it("attaches a created Cloud Armor policy (WAF rules + default allow) and IAP with a secret client secret", () => {
    const armor = children.find((c) => c.type === T.armor)!;
    expect(armor.inputs.rules.map((r: any) => [r.priority, r.action])).toEqual([
      [1000, "deny(403)"],
      [1001, "deny(403)"],
      [2147483647, "allow"],
    ]);
    expect(armor.inputs.rules[0].match.expr.expression).toBe("evaluatePreconfiguredWaf('sqli-v33-stable')");
    const secret = children.find((c) => c.type === T.secret)!;
    expect(secret.secretInputs).toContain("stringData");
    expect(secret.inputs.stringData).toEqual({ key: "s3cr3t" });
    const backendPolicy = children.find((c) => c.type === T.backendPolicy)!.inputs;
    expect(backendPolicy.spec).toEqual({
      default: {
        securityPolicy: armor.outputs.name,
        iap: {
          enabled: true,
          clientID: "1234.apps.googleusercontent.com",
          oauth2ClientSecret: { name: secret.outputs.metadata.name },
        },
      },
      targetRef: { group: "", kind: "Service", name: "store-v1" },
    });
  });

  it("renders manifests valid for the upstream CRDs (models, field names, CEL rules)", async () => {
    await expectValid(children);
    for (const m of await awaitOutput(policy.manifests)) expect(await validateManifest(m as any)).toEqual([]);
  });

  it("fails `pulumi up` unless every Gateway accepted the policy and resolved its ConfigMaps", () => {
    const annotation = children.find((c) => c.type === T.policy)!.inputs.metadata.annotations["pulumi.com/waitFor"];
    const status = (accepted: string, resolved: string, reason = "ResolvedRefs") => ({
      status: {
        ancestors: [
          {
            ancestorRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge", namespace: "store" },
            controllerName: "networking.gke.io/gateway",
            conditions: [
              { type: "Accepted", status: accepted, reason: "Accepted" },
              { type: "ResolvedRefs", status: resolved, reason },
            ],
          },
        ],
      },
    });
    expect(evaluateWaitFor(annotation, status("True", "True")).satisfied).toBe(true);
    expect(evaluateWaitFor(annotation, status("True", "False", "InvalidCACertificateRef")).satisfied).toBe(false);
    expect(evaluateWaitFor(annotation, status("False", "True")).satisfied).toBe(false);
    expect(evaluateWaitFor(annotation, { status: {} }).satisfied).toBe(false);
  });

  it("checks its own Gateway even when another Gateway is listed first in status.ancestors", () => {
    const annotation = children.find((c) => c.type === T.policy)!.inputs.metadata.annotations["pulumi.com/waitFor"];
    const ancestor = (name: string, resolved: string) => ({
      ancestorRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name, namespace: "store" },
      controllerName: "networking.gke.io/gateway",
      conditions: [
        { type: "Accepted", status: "True", reason: "Accepted" },
        {
          type: "ResolvedRefs",
          status: resolved,
          reason: resolved === "True" ? "ResolvedRefs" : "InvalidCACertificateRef",
        },
      ],
    });
    // The provider compares the first JSONPath match only: the checks select the edge Gateway's entry by name.
    expect(
      evaluateWaitFor(annotation, { status: { ancestors: [ancestor("other", "True"), ancestor("edge", "False")] } })
        .satisfied,
    ).toBe(false);
    expect(
      evaluateWaitFor(annotation, { status: { ancestors: [ancestor("other", "False"), ancestor("edge", "True")] } })
        .satisfied,
    ).toBe(true);
  });
});

describe("deploy-time check that the GKE controller can satisfy", () => {
  it("accepts an ancestor entry without a namespace for a Gateway in the policy's namespace (k8s.gateway-api.ancestor-namespace)", async () => {
    const p = new BackendTlsPolicy("ns-tolerant", args({ policyName: "ns-tolerant" }));
    const [manifest] = (await awaitOutput(p.manifests)) as any[];
    const annotation = manifest.metadata.annotations["pulumi.com/waitFor"];
    const entry = (ref: Record<string, string>) => ({
      status: {
        ancestors: [
          {
            ancestorRef: { group: "gateway.networking.k8s.io", kind: "Gateway", ...ref },
            controllerName: "networking.gke.io/gateway",
            conditions: [
              { type: "Accepted", status: "True", reason: "Accepted" },
              { type: "ResolvedRefs", status: "True", reason: "ResolvedRefs" },
            ],
          },
        ],
      },
    });
    expect(evaluateWaitFor(annotation, entry({ name: "edge" })).satisfied).toBe(true);
    expect(evaluateWaitFor(annotation, entry({ name: "edge", namespace: "store" })).satisfied).toBe(true);
    expect(evaluateWaitFor(annotation, entry({ name: "edge", namespace: "other" })).satisfied).toBe(false);
  });

  it("refuses a frontend without a route to the target, and a Gateway known only by class, before any resource (k8s.gateway-api.policy-ancestors)", async () => {
    const routeless = new GatewayFrontendMtls("routeless", {
      namespace: "store",
      gatewayName: "routeless",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "store.example.com" }],
      tlsSecret: { existingSecretName: "store-tls" },
      clientValidation: { trust: { chain: backends } },
    });
    const attempt = (a: BackendTlsPolicyArgs) => {
      try {
        new BackendTlsPolicy("unreachable", a);
      } catch (e) {
        return e as { problems: { path: string; rule?: string; message: string }[] };
      }
      throw new Error("no error");
    };
    expect(attempt(args({ frontends: [routeless] })).problems).toEqual([
      {
        path: "frontends[0]",
        rule: "k8s.gateway-api.policy-ancestors",
        message:
          "(Gateway store/routeless) has no route to Service `store-v1` in `store`; GKE reports a BackendTLSPolicy only on Gateways whose routes send traffic to its target, so the deploy would wait out its timeout: add a route to that GatewayFrontendMtls (`routes`), or set `deployTimeVerification.enabled: false`",
      },
    ]);
    expect(
      attempt(args({ frontends: [], gateways: [{ className: "gke-l7-rilb", region: "us-east1" }] })).problems,
    ).toMatchObject([{ path: "gateways[0].name", rule: "k8s.gateway-api.policy-ancestors" }]);
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith("unreachable-"))).toEqual([]);
  });

  it("times out in the emulated cluster when a named Gateway has no route to the target (what a real `pulumi up` does)", async () => {
    const p = new BackendTlsPolicy("no-route", {
      ...args({ policyName: "no-route", frontends: [] }),
      gateways: [{ className: "gke-l7-global-external-managed", name: "elsewhere" }],
    });
    await awaitOutput(p.manifests);
    await env.settled();
    const policy = env.byName("no-route-policy");
    expect(policy.failure).toMatchObject({ phase: "wait", rules: ["pulumi-k8s.timeout", "pulumi-k8s.wait-for"] });
    expect(policy.failure!.message).toMatch(
      /^resource store\/no-route was successfully created, but the Kubernetes API server reported that it failed to fully initialize or become live: timed out after 600s waiting for jsonpath=\{\.status\.ancestors\[\?\(@\.ancestorRef\.name=="elsewhere"/,
    );
    // Through the frontend, whose route reaches store-v1, the same kind of policy is reported and answers.
    expect(env.byType(T.policy).filter((r) => r.name !== "no-route-policy" && r.failure)).toEqual([]);
  });
});

describe("offline proof: the Gateway verifying its backend with the policy's CA, SNI and SANs", () => {
  let caPem: string;
  beforeAll(async () => {
    const p = new BackendTlsPolicy("proof", args({ policyName: "proof" }));
    await awaitOutput(p.manifests);
    caPem = env.byName("proof-ca-root").inputs.data["ca.crt"];
  });
  const server = async (leaf: string) => {
    const [certificatePem, ...chainPems] = (await awaitOutput(backends.leaves[leaf]!.chainPem)).match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
    )!;
    return {
      certificatePem: certificatePem!,
      privateKeyPem: await awaitOutput(backends.leaves[leaf]!.privateKeyPem),
      chainPems,
    };
  };
  const policyInputs = () => env.byName("proof-policy").inputs.spec.validation;

  it("accepts the right backend", async () => {
    const v = policyInputs();
    expect(
      await serverVerification({
        caPems: [caPem],
        server: await server("store-v1"),
        hostname: v.hostname,
        subjectAltNames: v.subjectAltNames,
      }),
    ).toMatchObject({ accepted: true });
  });

  it("rejects a wrong hostname, a wrong SAN and a foreign CA", async () => {
    const v = policyInputs();
    expect(
      await serverVerification({ caPems: [caPem], server: await server("store-v1"), hostname: "other.store.internal" }),
    ).toMatchObject({ accepted: false, reason: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect(
      await serverVerification({
        caPems: [caPem],
        server: await server("impostor"),
        hostname: v.hostname,
        subjectAltNames: v.subjectAltNames,
      }),
    ).toMatchObject({ accepted: false, reason: "SUBJECT_ALT_NAME_MISMATCH" });
    const foreign = makeServer(makeRoot("Foreign Root"), "backend.store.internal", {
      template: { dnsNames: ["backend.store.internal"], uris: [SPIFFE] },
    });
    const result = await serverVerification({
      caPems: [caPem],
      server: { certificatePem: foreign.pem, privateKeyPem: foreign.keyPem },
      hostname: v.hostname,
      subjectAltNames: v.subjectAltNames,
    });
    expect(result.accepted).toBe(false);
  });
});

describe("TrustConfig mode and target kinds", () => {
  it("refuses a TrustConfig outside the Gateway's project (rule gke.backend-tls.trust-config)", () => {
    const other = {
      gatewayClassName: "gke-l7-global-external-managed",
      gatewayNameValue: "edge",
      gatewayNamespaceValue: "store",
      routedServices: [{ name: "store-v1", namespace: "store" }],
      projectValue: "shop-edge",
    };
    const base = args({ policyName: "cross-project", frontends: [other], trustConfig: {} });
    for (const [project, message] of [
      [
        undefined,
        "`project` is not set (the provider's project), but `frontends[0]` (Gateway store/edge) is in project `shop-edge`; GKE looks the backend TrustConfig up in the Gateway's project: set `project` to `shop-edge`",
      ],
      [
        "shop-backends",
        "`project` is `shop-backends`, but `frontends[0]` (Gateway store/edge) is in project `shop-edge`; GKE looks the backend TrustConfig up in the Gateway's project: set `project` to `shop-edge`",
      ],
    ] as const) {
      const error = thrownBy(() => new BackendTlsPolicy("cross-project", { ...base, ...(project ? { project } : {}) }));
      expect([error.message, error.problems.map((p) => p.rule)]).toEqual([message, ["gke.backend-tls.trust-config"]]);
    }
    // The same project (or ConfigMap trust, which has no project) passes.
    expect(
      () => new BackendTlsPolicy("same-project", { ...base, policyName: "same-project", project: "shop-edge" }),
    ).not.toThrow();
  });

  it("creates the same-named TrustConfig in every location its Gateways need, and references it by option", async () => {
    const p = new BackendTlsPolicy("multi", {
      // Its own namespace: in this file's program store/store-v1 has a global Cloud Armor policy already.
      ...args({ policyName: "multi", frontends: [], namespace: "store-multi" }),
      gateways: [
        { className: "gke-l7-regional-external-managed", region: "us-central1" },
        { className: "gke-l7-global-external-managed" },
        { className: "gke-l7-rilb-mc" },
      ],
      trustConfig: { name: "store-backend-cas" },
      // Gateways known only by class: no deploy-time wait (it needs their names and routes).
      deployTimeVerification: { enabled: false },
    });
    await awaitOutput(p.manifests);
    const children = await childrenOf(p);
    const tcs = children.filter((c) => c.type === T.trustConfig);
    expect(tcs.map((t) => [t.name, t.inputs.location, t.inputs.name]).sort()).toEqual([
      ["multi-trust-config-global", "global", "store-backend-cas"],
      ["multi-trust-config-us-central1", "us-central1", "store-backend-cas"],
    ]);
    for (const tc of tcs) expect(tc.inputs.trustStores).toEqual([await awaitOutput(backends.trustStore)]);
    expect(Object.keys(p.trustConfigIds).sort()).toEqual(["global", "us-central1"]);
    const spec = children.find((c) => c.type === T.policy)!.inputs.spec;
    expect(spec.validation).toEqual({
      hostname: "backend.store.internal",
      wellKnownCACertificates: "System",
      subjectAltNames: [{ type: "URI", uri: SPIFFE }],
    });
    expect(spec.options).toEqual({ "networking.gke.io/backend-trust-config": "store-backend-cas" });
    expect(children.some((c) => c.type === T.configMap)).toBe(false);
    await expectValid(children);
  });

  it.each([
    ["InferencePool", "inference.networking.k8s.io"],
    ["ServiceImport", "net.gke.io"],
    ["GCPInferencePoolImport", "networking.gke.io"],
  ] as const)("targets a %s (group %s) behind a regional Gateway", async (kind, group) => {
    const p = new BackendTlsPolicy(`kind-${kind.toLowerCase()}`, {
      ...args({ policyName: `kind-${kind.toLowerCase()}`, frontends: [] }),
      // The imports are multi-cluster backends: the multi-cluster class (rule gke.backend-tls.import-targets).
      gateways: [{ className: kind === "InferencePool" ? "gke-l7-rilb" : "gke-l7-rilb-mc", region: "us-east1" }],
      targets: [{ kind, name: "pool", sectionName: kind === "ServiceImport" ? "https" : undefined }],
      // Gateways known only by class: no deploy-time wait (it needs their names and routes).
      deployTimeVerification: { enabled: false },
    });
    const manifest = (await awaitOutput(p.manifests))[0] as any;
    expect(manifest.spec.targetRefs).toEqual([
      { group, kind, name: "pool", ...(kind === "ServiceImport" ? { sectionName: "https" } : {}) },
    ]);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it("uses a regional Cloud Armor policy behind regional Gateways", async () => {
    const p = new BackendTlsPolicy("regional-armor", {
      // Its own namespace: in this file's program store/store-v1 has a global Cloud Armor policy already.
      ...args({ policyName: "regional-armor", frontends: [], namespace: "store-eu" }),
      gateways: [{ className: "gke-l7-regional-external-managed", region: "europe-west1" }],
      cloudArmor: {},
      // Gateways known only by class: no deploy-time wait (it needs their names and routes).
      deployTimeVerification: { enabled: false },
    });
    await awaitOutput(p.manifests);
    const armor = (await childrenOf(p)).find((c) => c.type === T.regionArmor)!;
    expect(armor.inputs).toMatchObject({ region: "europe-west1", type: "CLOUD_ARMOR" });
  });
});

describe("HTTPS health checks (rule gke.backend.health-check-policy)", () => {
  it("creates one HealthCheckPolicy per backend object, probing HTTPS on the serving port or a fixed one", async () => {
    const p = new BackendTlsPolicy("probed", {
      ...args({ policyName: "probed", frontends: [], namespace: "store-hc" }),
      gateways: [{ className: "gke-l7-rilb-mc", region: "us-east1" }],
      targets: [
        { name: "store-v1", sectionName: "https" },
        { name: "store-v1", sectionName: "admin" },
        { kind: "ServiceImport", name: "store-v1" },
      ],
      healthCheck: { requestPath: "/healthz" },
      deployTimeVerification: { enabled: false },
    });
    const children = await childrenOf(p);
    const checks = children.filter((c) => c.type === "kubernetes:networking.gke.io/v1:HealthCheckPolicy");
    expect(checks.map((c) => [c.name, c.inputs.metadata.namespace, c.inputs.spec])).toEqual([
      [
        "probed-health-check-store-v1",
        "store-hc",
        {
          default: {
            config: {
              type: "HTTPS",
              httpsHealthCheck: { portSpecification: "USE_SERVING_PORT", requestPath: "/healthz" },
            },
          },
          targetRef: { group: "", kind: "Service", name: "store-v1" },
        },
      ],
      [
        "probed-health-check-serviceimport-store-v1",
        "store-hc",
        {
          default: {
            config: {
              type: "HTTPS",
              httpsHealthCheck: { portSpecification: "USE_SERVING_PORT", requestPath: "/healthz" },
            },
          },
          targetRef: { group: "net.gke.io", kind: "ServiceImport", name: "store-v1" },
        },
      ],
    ]);
    const fixed = new BackendTlsPolicy("probed-fixed", {
      ...args({ policyName: "probed-fixed", frontends: [], namespace: "store-hc2" }),
      gateways: [{ className: "gke-l7-rilb", region: "us-east1" }],
      healthCheck: { port: 9443 },
      deployTimeVerification: { enabled: false },
    });
    const check = (await childrenOf(fixed)).find(
      (c) => c.type === "kubernetes:networking.gke.io/v1:HealthCheckPolicy",
    )!;
    expect(check.inputs.spec.default.config.httpsHealthCheck).toEqual({
      portSpecification: "USE_FIXED_PORT",
      port: 9443,
      requestPath: "/",
    });
    const manifests = (await awaitOutput(fixed.manifests)) as { kind: string }[];
    expect(manifests.map((m) => m.kind)).toContain("HealthCheckPolicy");
  });

  it.each([
    [
      { requestPath: "healthz" },
      "`healthCheck.requestPath` `healthz` is not a request path the HealthCheckPolicy CRD accepts (`/` then URL path characters, at most 2048); use one such as `/healthz`",
    ],
    [{ port: 70000 }, "`healthCheck.port` must be a port number 1-65535, got `70000`"],
  ])("refuses %j", (healthCheck, message) => {
    const error = thrownBy(
      () =>
        new BackendTlsPolicy("bad-probe", {
          ...args({ policyName: "bad-probe", frontends: [], namespace: "store-hc3" }),
          gateways: [{ className: "gke-l7-rilb", region: "us-east1" }],
          healthCheck,
          deployTimeVerification: { enabled: false },
        }),
    );
    expect([error.message, error.problems.map((p) => p.rule)]).toEqual([message, ["gke.backend.health-check-policy"]]);
  });

  it("refuses a target no HealthCheckPolicy attaches to", () => {
    const error = thrownBy(
      () =>
        new BackendTlsPolicy("bad-probe-kind", {
          ...args({ policyName: "bad-probe-kind", frontends: [], namespace: "store-hc4" }),
          gateways: [{ className: "gke-l7-regional-external-managed", region: "us-east1" }],
          targets: [{ kind: "InferencePool", name: "pool" }],
          healthCheck: {},
          deployTimeVerification: { enabled: false },
        }),
    );
    expect(error.message).toBe(
      "`healthCheck` is set, but target `InferencePool/pool` is no Service or ServiceImport, the only kinds a HealthCheckPolicy attaches to; configure its health check where it is defined",
    );
  });
});

describe("GCPBackendPolicy per backend object", () => {
  it("creates one policy for a Service listed for two ports, named by kind for other kinds", async () => {
    const p = new BackendTlsPolicy("two-ports", {
      // Its own namespace: in this file's program store/store-v1 has a global Cloud Armor policy already.
      ...args({ policyName: "two-ports", frontends: [], namespace: "store-mc" }),
      gateways: [{ className: "gke-l7-rilb-mc", region: "us-east1" }],
      targets: [
        { name: "store-v1", sectionName: "https" },
        { name: "store-v1", sectionName: "admin" },
        { kind: "ServiceImport", name: "store-v1", sectionName: "https" },
      ],
      cloudArmor: { existingPolicyName: pulumi.output("shared-armor") }, // an existing object, named by an Output
      // Gateways known only by class: no deploy-time wait (it needs their names and routes).
      deployTimeVerification: { enabled: false },
    });
    await awaitOutput(p.manifests);
    const policies = (await childrenOf(p)).filter((c) => c.type === T.backendPolicy);
    expect(policies.map((c) => [c.name, c.inputs.spec.targetRef])).toEqual([
      ["two-ports-backend-policy-store-v1", { group: "", kind: "Service", name: "store-v1" }],
      [
        "two-ports-backend-policy-serviceimport-store-v1",
        { group: "net.gke.io", kind: "ServiceImport", name: "store-v1" },
      ],
    ]);
    for (const policy of policies) expect(policy.inputs.spec.default.securityPolicy).toBe("shared-armor");
    expect(await awaitOutput(p.securityPolicyName!)).toBe("shared-armor");
  });
});

describe("appProtocol: HTTPS (encryption to the Pods, no verification)", () => {
  it("sets appProtocol on every port, or on named ports only", () => {
    const ports = [
      { name: "https", port: 8443, targetPort: 8443 },
      { name: "metrics", port: 9090 },
    ];
    expect(withHttpsAppProtocol(ports)).toEqual([
      { name: "https", port: 8443, targetPort: 8443, appProtocol: "HTTPS" },
      { name: "metrics", port: 9090, appProtocol: "HTTPS" },
    ]);
    expect(withHttpsAppProtocol(ports, ["https"])).toEqual([
      { name: "https", port: 8443, targetPort: 8443, appProtocol: "HTTPS" },
      { name: "metrics", port: 9090 },
    ]);
    expect(ports[0]).toEqual({ name: "https", port: 8443, targetPort: 8443 });
  });

  // gke.backend.app-protocol: the values the guide lists, and nothing else.
  it.each([
    ["HTTP", "HTTP"],
    ["HTTPS", "HTTPS"],
    ["HTTP2", "HTTP2"],
    ["H2C", "kubernetes.io/h2c"],
  ] as const)("withAppProtocol takes AppProtocol.%s (%s)", (member, value) => {
    expect(AppProtocol[member]).toBe(value);
    expect(withAppProtocol([{ name: "web", port: 8080 }], AppProtocol[member])).toEqual([
      { name: "web", port: 8080, appProtocol: value },
    ]);
  });

  it("refuses an appProtocol GKE does not support, naming the supported ones", () => {
    const error = thrownBy(() => withAppProtocol([{ port: 8080 }], "GRPC" as never));
    expect(error.message).toBe(
      "`appProtocol` must be one of HTTP, HTTPS, HTTP2, kubernetes.io/h2c (the values the GKE Gateway supports), got `GRPC`",
    );
    expect(error.problems.map((p) => p.rule)).toEqual(["gke.backend.app-protocol"]);
  });

  it("patches an existing Service's ports with server-side apply", async () => {
    const patch = patchServiceHttpsAppProtocol("store-v1-https", {
      namespace: "store",
      serviceName: "store-v1",
      ports: [{ port: 8080 }],
    });
    await awaitOutput(patch.id);
    expect(env.byName("store-v1-https")).toMatchObject({
      type: "kubernetes:core/v1:ServicePatch",
      inputs: {
        metadata: { name: "store-v1", namespace: "store" },
        spec: { ports: [{ port: 8080, protocol: "TCP", appProtocol: "HTTPS" }] },
      },
    });
  });
});

describe("guardrails: refused before any resource exists, with the argument, the value and the fix", () => {
  // Overrides are functions: the chains they use exist only once beforeAll has run.
  const cases: [string, () => Partial<BackendTlsPolicyArgs>, string, RuleId?][] = [
    [
      "a ConfigMap namespace with TrustConfig trust",
      () => ({ trustConfig: {}, configMapNamespace: "store" }),
      "`configMapNamespace` applies to ConfigMap trust, but `trustConfig` puts the trust in TrustConfigs; remove one of them",
    ],
    [
      "no CA to trust",
      () => ({ trust: { trustAnchorPems: {} } }),
      "`trust` trusts no CA, so every certificate would be rejected: set `chain` to the PKI that issues the certificates, or `trustAnchorPems` to its root CAs",
    ],
    [
      "more than 8 CA refs",
      () => ({
        trust: {
          chain: backends,
          trustAnchorPems: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`r${i}`, makeRoot(`r${i}`).pem])),
        },
      }),
      "`trust` gives 9 CA certificates, more than the 8 `caCertificateRefs` a validation block holds (Gateway API v1.5 CRDs); trust fewer roots, or trust through TrustConfigs (`trustConfig`)",
      "k8s.gateway-api.limits",
    ],
    [
      "a root passed as a trust config intermediate",
      () => {
        const root = makeRoot("Backend Root 2");
        return {
          trust: { trustAnchorPems: { r1: makeRoot("Backend Root 1").pem }, intermediateCaPems: { r2: root.pem } },
          trustConfig: {},
        };
      },
      "`trust.intermediateCaPems.r2` (CN=Backend Root 2) is self-signed, so it cannot be an intermediate CA; pass it as a trust anchor",
    ],
    [
      "a ServiceImport behind a single-cluster class",
      () => ({
        frontends: [],
        gateways: [{ className: "gke-l7-rilb", region: "us-central1" }],
        targets: [{ kind: "ServiceImport" as const, name: "store-v1" }],
        deployTimeVerification: { enabled: false },
      }),
      "`targets[0].kind` `ServiceImport` is a multi-cluster backend, but `gke-l7-rilb` is a single-cluster class that routes to this cluster's Services only: target the Service (or InferencePool), or serve it from the class's multi-cluster variant (`gke-l7-rilb-mc`)",
      "gke.backend-tls.import-targets",
    ],
    [
      "ConfigMap namespace ≠ target's",
      () => ({ configMapNamespace: "trust" }),
      "`configMapNamespace` `trust` differs from the policy's namespace `store`; BackendTLSPolicy cannot reference ConfigMaps in another namespace: leave it out",
      "k8s.gateway-api.backend-tls-local",
    ],
    [
      "policy namespace ≠ target's",
      () => ({ targets: [{ name: "store-v1", namespace: "shop" }] }),
      "`targets[0].namespace` `shop` differs from the policy's namespace `store`; a BackendTLSPolicy must live in its target's namespace: set `namespace` to `shop`",
      "k8s.gateway-api.backend-tls-local",
    ],
    [
      "missing hostname",
      () => ({ hostname: "" }),
      "`hostname` is required: it is the SNI the Gateway sends and the name the backend certificate must match",
    ],
    [
      "URI SAN with a hostname",
      () => ({ subjectAltNames: [{ type: "URI", hostname: "backend.store.internal" }] }),
      "`subjectAltNames[0]` has `type: URI` but a `hostname` `backend.store.internal`; set `uri` (e.g. spiffe://trust-domain/ns/app), or use `type: Hostname`",
    ],
    [
      "URI that is not a URI",
      () => ({ subjectAltNames: [{ type: "URI", uri: "backend.store.internal" }] }),
      "`subjectAltNames[0].uri` `backend.store.internal` is not an absolute URI (scheme:rest, no spaces)",
    ],
    [
      "Hostname SAN with a URI",
      () => ({ subjectAltNames: [{ type: "Hostname", uri: SPIFFE }] }),
      "`subjectAltNames[0]` has `type: Hostname` but a `uri` `spiffe://shop.example/ns/store/sa/store-v1`; set `hostname`, or use `type: URI`",
    ],
    [
      "six SANs",
      () => ({
        subjectAltNames: Array.from({ length: 6 }, (_, i) => ({
          type: "Hostname" as const,
          hostname: `h${i}.example`,
        })),
      }),
      "`subjectAltNames` has 6 entries, more than the 5 a BackendTLSPolicy allows",
    ],
    [
      "InferencePool behind the global class",
      () => ({ targets: [{ kind: "InferencePool", name: "pool" }] }),
      "`targets[0].kind` `InferencePool` is not supported behind `gke-l7-global-external-managed`, which allows only Service and ServiceImport backends",
    ],
    [
      "class without backend TLS",
      () => ({ frontends: [], gateways: [{ className: "gke-l7-gxlb" }] }),
      "`gateways[0].className` `gke-l7-gxlb` does not support backend TLS on GKE; use one of gke-l7-global-external-managed, gke-l7-global-external-managed-mc, gke-l7-regional-external-managed, gke-l7-regional-external-managed-mc, gke-l7-rilb, gke-l7-rilb-mc, gke-l7-cross-regional-internal-managed-mc",
      "gke.backend-tls.classes",
    ],
    [
      "TrustConfig location mismatch",
      () => ({
        frontends: [],
        gateways: [{ className: "gke-l7-rilb", region: "us-central1" }],
        trustConfig: { locations: ["global"] },
      }),
      '`trustConfig.locations` are `["global"]`, but TrustConfigs must be in the gateways\' locations `["us-central1"]` (global for global, multi-cluster and cross-regional Gateways, the region for regional ones); leave `trustConfig.locations` out to derive them',
      "gke.backend-tls.trust-config",
    ],
    [
      "duplicate targets without sectionName",
      () => ({ targets: [{ name: "store-v1" }, { name: "store-v1" }] }),
      "`targets[1]` repeats `targets[0]` (Service `store-v1`); give each a distinct `sectionName` (a port name) or list it once",
    ],
    [
      "Cloud Armor behind a regional and a global Gateway",
      () => ({ gateways: [{ className: "gke-l7-rilb", region: "us-central1" }], cloudArmor: {} }),
      "[cloudArmor] is set while the backends serve both a regional (`gke-l7-rilb`) and a global (`gke-l7-global-external-managed`) Gateway; GKE cannot attach a Cloud Armor backend policy to a Service behind both: create two Services and policies",
      "gke.protection.cloud-armor-scope",
    ],
    [
      "IAP with Cloud CDN",
      () => ({ gateways: [{ className: "gke-l7-global-external-managed", cloudCdn: true }], iap: {} }),
      "[iap] is set but a Gateway of class `gke-l7-global-external-managed` uses Cloud CDN; GKE cannot combine IAP and Cloud CDN on one Gateway: remove one of them",
      "gke.protection.iap-cdn",
    ],
    [
      // gke.protection.iap-client (gke-gateway-api apis/networking/v1/gcpbackendpolicy_types.go)
      "IAP without an OAuth client",
      () => ({ iap: {} }),
      "`iap` needs `clientId` and a client secret (`clientSecret`, or `clientSecretName` for an existing Secret): GKE enables IAP on a backend only with an OAuth client ID and its secret; create an OAuth client for IAP and pass both",
      "gke.protection.iap-client",
    ],
    [
      // gcp.armor.supported-load-balancers
      "Cloud Armor behind the cross-region internal class",
      () => ({
        frontends: [],
        gateways: [{ className: "gke-l7-cross-regional-internal-managed-mc", name: "x" }],
        cloudArmor: {},
      }),
      "`cloudArmor` is set but the backends serve `gke-l7-cross-regional-internal-managed-mc`, a cross-region internal Application Load Balancer, which Cloud Armor does not support; remove `cloudArmor` or serve these backends from another class",
      "gcp.armor.supported-load-balancers",
    ],
    [
      // k8s.gateway-api.limits: subjectAltNames[].uri is at most 253 characters
      "a SAN URI longer than the CRD allows",
      () => ({ subjectAltNames: [{ type: "URI", uri: `spiffe://shop.example/${"p".repeat(240)}` }] }),
      `\`subjectAltNames[0].uri\` \`spiffe://shop.example/${"p".repeat(240)}\` is 262 characters, more than the 253 a BackendTLSPolicy allows`,
      "k8s.gateway-api.limits",
    ],
    [
      "no gateway",
      () => ({ frontends: [] }),
      "[gateways] and [frontends] are both empty: name the Gateway classes the backends serve, so the policy can be checked against them",
    ],
    [
      "regional class without region",
      () => ({ frontends: [], gateways: [{ className: "gke-l7-rilb" }] }),
      "`gateways[0].region` is required for the regional class `gke-l7-rilb`",
    ],
  ];

  let bad = 0;
  it.each(cases)("%s", async (...row) => {
    // A rest parameter: with a fourth named one, jest would take rows without a rule for callback-style tests.
    const [, overrides, message, rule] = row;
    const name = `bad-${bad++}`;
    const error = thrownBy(() => new BackendTlsPolicy(name, args(overrides())));
    expect(() => {
      throw error;
    }).toThrow(message);
    // Upstream constraints name their catalogue rule.
    if (rule !== undefined) expect(error.problems.map((p) => p.rule)).toContain(rule);
    // Registration is asynchronous: only once it has settled does "no child was created" mean anything.
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith(`${name}-`))).toEqual([]);
  });
});
