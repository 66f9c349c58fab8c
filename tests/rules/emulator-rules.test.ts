import * as pulumi from "@pulumi/pulumi";
import { autoName, evaluateAuthzPolicies, makeRoot, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { Cluster } from "../../packages/testing/src/kubernetes/cluster";

// The catalogue entries the offline emulator enforces (enforcedBy "emulator"), each by its id: the emulated API
// server, GKE Gateway controller, pulumi-kubernetes and Secure Web Proxy authorization driven to the violation, with
// the problem or the deployment failure carrying the id, and the passing case next to it.

const GW = "gateway.networking.k8s.io";
const ca = makeRoot("Emulator Rules CA").pem;

const gateway = (namespace: string, spec: Record<string, any> = {}, name = "edge") => ({
  apiVersion: `${GW}/v1`,
  kind: "Gateway",
  metadata: { name, namespace },
  spec: {
    gatewayClassName: "gke-l7-global-external-managed",
    listeners: [{ name: "https", protocol: "HTTPS", port: 443, hostname: "store.example.com" }],
    ...spec,
  },
});
const caRef = (name: string, extra: Record<string, any> = {}) => ({ group: "", kind: "ConfigMap", name, ...extra });
const frontend = (...refs: Record<string, any>[]) => ({
  tls: { frontend: { default: { validation: { caCertificateRefs: refs } } } },
});
const configMap = (namespace: string, name: string, data: Record<string, string> = { "ca.crt": ca }) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data,
});
const service = (namespace: string, name: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace },
  spec: { ports: [{ port: 8443 }] },
});
const route = (
  namespace: string,
  backend: string,
  parent: Record<string, any> = { name: "edge" },
  hostnames = ["store.example.com"],
) => ({
  apiVersion: `${GW}/v1`,
  kind: "HTTPRoute",
  metadata: { name: `to-${backend}`, namespace },
  spec: { parentRefs: [parent], hostnames, rules: [{ backendRefs: [{ name: backend, port: 8443 }] }] },
});
const policy = (namespace: string, target: Record<string, any>, refs: Record<string, any>[]) => ({
  apiVersion: `${GW}/v1`,
  kind: "BackendTLSPolicy",
  metadata: { name: `${target.name}-tls`, namespace },
  spec: {
    targetRefs: [{ group: "", kind: "Service", ...target }],
    validation: { hostname: `${target.name}.example.com`, caCertificateRefs: refs },
  },
});
const grant = (namespace: string, from: string, name: string) => ({
  apiVersion: `${GW}/v1beta1`,
  kind: "ReferenceGrant",
  metadata: { name: `from-${from}`, namespace },
  spec: { from: [{ group: GW, kind: "Gateway", namespace: from }], to: [{ group: "", kind: "ConfigMap", name }] },
});

const cond = (status: any, type: string) => status.conditions.find((c: any) => c.type === type);
/** The stored object's live status, as the controller reports it now. */
const statusOf = (cluster: Cluster, kind: string, namespace: string, name: string) =>
  cluster.read(cluster.get(GW, kind, namespace, name)!).status;
const diagnose = (cluster: Cluster, kind: string, namespace: string, name: string) =>
  cluster.diagnose(cluster.get(GW, kind, namespace, name)!);
const rulesOf = (problems: readonly { rule?: string }[]) => [...new Set(problems.map((p) => p.rule))];

// --- mocked programs -----------------------------------------------------------------------------------------------

let env: MockEnvironment;
beforeAll(async () => {
  // The controller of this program leaves out a local Gateway's ancestorRef.namespace (k8s.gateway-api.ancestor-namespace).
  env = await setupMocks({ ancestorNamespace: "omit-local" });
});

/** A resource of any type token, registered with the mocks as a provider's resource would be. */
class Raw extends pulumi.CustomResource {
  constructor(type: string, name: string, props: Record<string, any>) {
    super(type, name, props);
  }
}
class K8sObject extends Raw {
  constructor(name: string, object: Record<string, any>) {
    const [group, version] = object.apiVersion.includes("/")
      ? object.apiVersion.split("/")
      : ["core", object.apiVersion];
    super(`kubernetes:${group}/${version}:${object.kind}`, name, object);
  }
}
/** Registers the objects in order, under their metadata names, and waits until every create has answered. */
async function deploy(...objects: Record<string, any>[]) {
  const names = objects.map((o, i) => {
    const name = `${o.metadata.namespace}-${o.kind.toLowerCase()}-${o.metadata.name ?? i}`;
    new K8sObject(name, o);
    return name;
  });
  await env.settled();
  return names.map((n) => env.byName(n));
}
const waitingOn = (object: Record<string, any>, ...expressions: string[]) => ({
  ...object,
  metadata: {
    ...object.metadata,
    annotations: { "pulumi.com/waitFor": JSON.stringify(expressions), "pulumi.com/timeoutSeconds": "60" },
  },
});
const listenerResolved = (listener = "https") =>
  `jsonpath={.status.listeners[?(@.name=="${listener}")].conditions[?(@.type=="ResolvedRefs")].status}=True`;
const routeAccepted = (parent = "edge") =>
  `jsonpath={.status.parents[?(@.parentRef.name=="${parent}")].conditions[?(@.type=="Accepted")].status}=True`;
/** The BackendTLSPolicy check of the components: an entry without a namespace matches a local Gateway. */
const ancestorHolds = (namespace: string, type: string, tolerant = true) =>
  `jsonpath={.status.ancestors[?(@.ancestorRef.name=="edge" && ${
    tolerant
      ? `(@.ancestorRef.namespace=="${namespace}" || !@.ancestorRef.namespace)`
      : `@.ancestorRef.namespace=="${namespace}"`
  })].conditions[?(@.type=="${type}")].status}=True`;

// --- the API server ------------------------------------------------------------------------------------------------

describe('"k8s.api-server.pruning": fields no CRD declares are dropped, and stored without', () => {
  const guide = { tls: { frontendValidation: { default: { caCertificateRefs: [caRef("ca")] } } } };

  it("drops the GKE guide's spec.tls.frontendValidation, which no upstream CRD declares", () => {
    const cluster = new Cluster({ gatewayApi: { version: "v1.6.1", channel: "standard" } });
    const applied = cluster.apply(gateway("store", guide));
    expect(applied.problems).toEqual([]);
    expect(applied.prunedFields).toEqual([
      {
        path: "spec.tls.frontendValidation",
        rule: "k8s.api-server.pruning",
        message:
          "is declared by no Gateway API CRD (upstream's field is `spec.tls.frontend`): the API server dropped it",
      },
    ]);
    expect(applied.state.spec.tls).toEqual({});
    const stored = cluster.get(GW, "Gateway", "store", "edge")!;
    expect(stored.pruned).toEqual(["spec.tls.frontendValidation"]);
    expect(rulesOf(cluster.diagnose(stored))).toEqual(["k8s.api-server.pruning"]);
  });

  it("keeps the upstream spec.tls.frontend", () => {
    const applied = new Cluster().apply(gateway("store", frontend(caRef("ca"))));
    expect(applied.prunedFields).toEqual([]);
    expect(applied.state.spec.tls.frontend.default.validation.caCertificateRefs).toEqual([caRef("ca")]);
  });
});

describe('"k8s.gateway-api.frontend-validation-version": spec.tls.frontend needs v1.5.0 standard / v1.4.0 experimental', () => {
  it("prunes spec.tls.frontend (and spec.tls) from v1.4.1 standard CRDs", () => {
    const cluster = new Cluster({ gatewayApi: { version: "v1.4.1", channel: "standard" } });
    const applied = cluster.apply(gateway("store", frontend(caRef("ca"))));
    expect(applied.problems).toEqual([]);
    expect(applied.prunedFields).toEqual([
      {
        path: "spec.tls.frontend",
        rule: "k8s.gateway-api.frontend-validation-version",
        message: "is not declared by the cluster's Gateway API CRDs (v1.4.1, standard): the API server dropped it",
      },
      expect.objectContaining({ path: "spec.tls", rule: "k8s.gateway-api.frontend-validation-version" }),
    ]);
    expect(applied.state.spec.tls).toBeUndefined();
    // The listener validates nothing, so nothing is unresolved: only the pruning tells.
    expect(rulesOf(diagnose(cluster, "Gateway", "store", "edge"))).toEqual([
      "k8s.gateway-api.frontend-validation-version",
    ]);
  });

  it.each([
    ["v1.5.0", "standard"],
    ["v1.4.0", "experimental"],
  ] as const)("keeps it on %s %s", (version, channel) => {
    const applied = new Cluster({ gatewayApi: { version, channel } }).apply(gateway("store", frontend(caRef("ca"))));
    expect(applied.prunedFields).toEqual([]);
    expect(applied.state.spec.tls.frontend.default.validation).toMatchObject({ caCertificateRefs: [caRef("ca")] });
  });
});

describe('"k8s.gateway-api.ca-configmap": a CA reference is a ConfigMap (group "", kind ConfigMap) with `ca.crt`', () => {
  it("reports a Secret reference as InvalidCACertificateKind and a ConfigMap without ca.crt as InvalidCACertificateRef", () => {
    const cluster = new Cluster();
    cluster.apply(configMap("store", "wrong-key", { "tls.crt": ca }));
    cluster.apply(gateway("store", frontend({ group: "", kind: "Secret", name: "ca" }), "kind"));
    cluster.apply(gateway("store", frontend(caRef("wrong-key")), "key"));
    const listener = (name: string) => statusOf(cluster, "Gateway", "store", name).listeners[0];
    expect(cond(listener("kind"), "ResolvedRefs")).toMatchObject({
      status: "False",
      reason: "InvalidCACertificateKind",
    });
    expect(cond(listener("key"), "ResolvedRefs")).toMatchObject({ status: "False", reason: "InvalidCACertificateRef" });
    expect(diagnose(cluster, "Gateway", "store", "kind")[0]).toEqual({
      path: "spec.tls.frontend.default.validation.caCertificateRefs[0]",
      rule: "k8s.gateway-api.ca-configmap",
      message:
        'listener `https`: group `` kind `Secret` is not a ConfigMap (group "" and kind ConfigMap are required): ResolvedRefs False (InvalidCACertificateKind)',
    });
    expect(diagnose(cluster, "Gateway", "store", "key")[0]).toEqual({
      path: "spec.tls.frontend.default.validation.caCertificateRefs[0]",
      rule: "k8s.gateway-api.ca-configmap",
      message:
        "listener `https`: ConfigMap `store/wrong-key` holds no PEM certificate under `ca.crt`: ResolvedRefs False (InvalidCACertificateRef)",
    });
  });

  it("reports a BackendTLSPolicy's ConfigMap without ca.crt on its ancestor", () => {
    const cluster = new Cluster();
    cluster.apply(gateway("store"));
    cluster.apply(service("store", "api"));
    cluster.apply(route("store", "api"));
    cluster.apply(configMap("store", "backend-ca", { "ca.pem": ca }));
    cluster.apply(policy("store", { name: "api" }, [caRef("backend-ca")]));
    const [ancestor] = statusOf(cluster, "BackendTLSPolicy", "store", "api-tls").ancestors;
    expect(cond(ancestor, "ResolvedRefs")).toMatchObject({ status: "False", reason: "InvalidCACertificateRef" });
    expect(diagnose(cluster, "BackendTLSPolicy", "store", "api-tls")).toEqual([
      {
        path: "spec.validation.caCertificateRefs[0]",
        rule: "k8s.gateway-api.ca-configmap",
        message:
          "ConfigMap `store/backend-ca` holds no PEM certificate under `ca.crt`: ResolvedRefs False (InvalidCACertificateRef)",
      },
    ]);
  });

  it("resolves a ConfigMap holding the PEM under ca.crt", () => {
    const cluster = new Cluster();
    cluster.apply(configMap("store", "ca"));
    cluster.apply(gateway("store", frontend(caRef("ca"))));
    expect(cond(statusOf(cluster, "Gateway", "store", "edge").listeners[0], "ResolvedRefs").status).toBe("True");
    expect(diagnose(cluster, "Gateway", "store", "edge")).toEqual([]);
  });

  it("fails the Gateway's deploy-time wait with the rule (mocked program)", async () => {
    const [, bad] = await deploy(
      configMap("m-cacm", "no-ca", { "tls.crt": ca }),
      waitingOn(gateway("m-cacm", frontend(caRef("no-ca"))), listenerResolved()),
    );
    // The only CA reference being invalid, the listener is not Accepted either (listener-resolved-refs).
    expect(bad!.failure).toMatchObject({
      phase: "wait",
      rules: [
        "pulumi-k8s.timeout",
        "pulumi-k8s.wait-for",
        "k8s.gateway-api.ca-configmap",
        "k8s.gateway-api.listener-resolved-refs",
      ],
    });
    const [, good] = await deploy(
      configMap("m-cacm2", "ca"),
      waitingOn(gateway("m-cacm2", frontend(caRef("ca"))), listenerResolved()),
    );
    expect(good!.failure).toBeUndefined();
  });
});

describe('"k8s.gateway-api.backend-tls-local": a BackendTLSPolicy refers to its own namespace only', () => {
  it("drops the namespaces its CRD does not declare and resolves target and CA in the policy's namespace", () => {
    const cluster = new Cluster();
    cluster.apply(gateway("store"));
    cluster.apply(service("other", "api"));
    cluster.apply(configMap("pki", "backend-ca"));
    cluster.apply(route("store", "api"));
    const applied = cluster.apply(
      policy("store", { name: "api", namespace: "other" }, [caRef("backend-ca", { namespace: "pki" })]),
    );
    expect(applied.problems).toEqual([]);
    expect(applied.prunedFields).toEqual([
      expect.objectContaining({ path: "spec.targetRefs[0].namespace", rule: "k8s.gateway-api.backend-tls-local" }),
      expect.objectContaining({
        path: "spec.validation.caCertificateRefs[0].namespace",
        rule: "k8s.gateway-api.backend-tls-local",
      }),
    ]);
    expect(applied.state.spec.targetRefs[0].namespace).toBeUndefined();
    const [ancestor] = applied.state.status.ancestors;
    expect(cond(ancestor, "Accepted")).toMatchObject({ status: "False", reason: "TargetNotFound" });
    expect(cond(ancestor, "ResolvedRefs")).toMatchObject({ status: "False", reason: "InvalidCACertificateRef" });
    const found = diagnose(cluster, "BackendTLSPolicy", "store", "api-tls");
    expect(rulesOf(found)).toEqual(["k8s.gateway-api.backend-tls-local"]);
    expect(found.map((p) => p.message)).toEqual([
      expect.stringContaining("the API server dropped it, and the reference resolves in `store`"),
      expect.stringContaining("the API server dropped it, and the reference resolves in `store`"),
      "no Service `api` in the policy's namespace `store`: Accepted False (TargetNotFound)",
      "no ConfigMap `backend-ca` in the policy's namespace `store`: ResolvedRefs False (InvalidCACertificateRef)",
    ]);
  });

  it("accepts a policy with its Service and ConfigMap in its namespace", () => {
    const cluster = new Cluster();
    cluster.apply(gateway("store"));
    cluster.apply(service("store", "api"));
    cluster.apply(configMap("store", "backend-ca"));
    cluster.apply(route("store", "api"));
    const applied = cluster.apply(policy("store", { name: "api" }, [caRef("backend-ca")]));
    expect(applied.prunedFields).toEqual([]);
    expect(cond(applied.state.status.ancestors[0], "Accepted").status).toBe("True");
    expect(diagnose(cluster, "BackendTLSPolicy", "store", "api-tls")).toEqual([]);
  });

  it("fails the policy's deploy-time wait with the rule (mocked program)", async () => {
    const checks = (ns: string) => [ancestorHolds(ns, "Accepted"), ancestorHolds(ns, "ResolvedRefs")];
    const [, , , , bad] = await deploy(
      gateway("m-local"),
      service("m-local", "api"),
      configMap("m-local-pki", "backend-ca"),
      route("m-local", "api"),
      waitingOn(
        policy("m-local", { name: "api" }, [caRef("backend-ca", { namespace: "m-local-pki" })]),
        ...checks("m-local"),
      ),
    );
    expect(bad!.failure).toMatchObject({ phase: "wait" });
    expect(bad!.failure!.rules).toContain("k8s.gateway-api.backend-tls-local");
    const [, , , , good] = await deploy(
      gateway("m-local2"),
      service("m-local2", "api"),
      configMap("m-local2", "backend-ca"),
      route("m-local2", "api"),
      waitingOn(policy("m-local2", { name: "api" }, [caRef("backend-ca")]), ...checks("m-local2")),
    );
    expect(good!.failure).toBeUndefined();
  });
});

// --- the GKE Gateway controller ------------------------------------------------------------------------------------

describe('"k8s.gateway-api.listener-resolved-refs": invalid CA references show on the listener, not on Programmed', () => {
  it("sets ResolvedRefs False, and Accepted False (NoValidCACertificate) when every CA reference is invalid", () => {
    const cluster = new Cluster();
    const status = cluster.apply(gateway("store", frontend(caRef("missing")))).state.status;
    expect(cond(status, "Programmed").status).toBe("True");
    expect(cond(status.listeners[0], "ResolvedRefs")).toMatchObject({
      status: "False",
      reason: "InvalidCACertificateRef",
    });
    expect(cond(status.listeners[0], "Accepted")).toMatchObject({ status: "False", reason: "NoValidCACertificate" });
    expect(diagnose(cluster, "Gateway", "store", "edge")).toEqual([
      {
        path: "spec.tls.frontend.default.validation.caCertificateRefs[0]",
        rule: "k8s.gateway-api.listener-resolved-refs",
        message:
          "listener `https`: ConfigMap `store/missing` does not exist: ResolvedRefs False (InvalidCACertificateRef)",
      },
      {
        path: "spec.listeners[0]",
        rule: "k8s.gateway-api.listener-resolved-refs",
        message:
          "listener `https`: none of its CA certificate references is valid: Accepted False (NoValidCACertificate)",
      },
    ]);
  });

  it("keeps the listener Accepted while one CA reference of two is valid, and resolves once all are", () => {
    const cluster = new Cluster();
    cluster.apply(configMap("store", "ca"));
    const status = cluster.apply(gateway("store", frontend(caRef("ca"), caRef("later")))).state.status;
    expect(cond(status.listeners[0], "Accepted").status).toBe("True");
    expect(cond(status.listeners[0], "ResolvedRefs").status).toBe("False");
    cluster.apply(configMap("store", "later"));
    const listener = statusOf(cluster, "Gateway", "store", "edge").listeners[0];
    expect(cond(listener, "ResolvedRefs").status).toBe("True");
    expect(diagnose(cluster, "Gateway", "store", "edge")).toEqual([]);
  });

  it("reports a missing certificate Secret as InvalidCertificateRef", () => {
    const cluster = new Cluster();
    const listeners = [
      { name: "https", protocol: "HTTPS", port: 443, tls: { mode: "Terminate", certificateRefs: [{ name: "tls" }] } },
    ];
    const status = cluster.apply(gateway("store", { listeners })).state.status;
    expect(cond(status.listeners[0], "ResolvedRefs")).toMatchObject({
      status: "False",
      reason: "InvalidCertificateRef",
    });
    expect(diagnose(cluster, "Gateway", "store", "edge")).toEqual([
      expect.objectContaining({
        path: "spec.listeners[0].tls.certificateRefs[0]",
        rule: "k8s.gateway-api.listener-resolved-refs",
      }),
    ]);
  });

  it("fails the Gateway's deploy-time wait with the rule (mocked program)", async () => {
    const [bad] = await deploy(waitingOn(gateway("m-refs", frontend(caRef("missing"))), listenerResolved()));
    expect(bad!.failure).toMatchObject({
      phase: "wait",
      rules: ["pulumi-k8s.timeout", "pulumi-k8s.wait-for", "k8s.gateway-api.listener-resolved-refs"],
    });
    expect(bad!.outputs.status.conditions).toContainEqual(
      expect.objectContaining({ type: "Programmed", status: "True" }),
    );
    const [, good] = await deploy(
      configMap("m-refs2", "ca"),
      waitingOn(gateway("m-refs2", frontend(caRef("ca"))), listenerResolved()),
    );
    expect(good!.failure).toBeUndefined();
  });
});

describe('"k8s.gateway-api.reference-grant": a CA ConfigMap in another namespace needs a ReferenceGrant there', () => {
  it("sets RefNotPermitted without a grant, and resolves with one", () => {
    const cluster = new Cluster();
    cluster.apply(configMap("pki", "ca"));
    cluster.apply(gateway("store", frontend(caRef("ca", { namespace: "pki" }))));
    const listener = () => statusOf(cluster, "Gateway", "store", "edge").listeners[0];
    expect(cond(listener(), "ResolvedRefs")).toMatchObject({ status: "False", reason: "RefNotPermitted" });
    expect(diagnose(cluster, "Gateway", "store", "edge")[0]).toEqual({
      path: "spec.tls.frontend.default.validation.caCertificateRefs[0]",
      rule: "k8s.gateway-api.reference-grant",
      message:
        "listener `https`: `pki/ca` is in another namespace and no ReferenceGrant in `pki` allows Gateways from `store` to refer to it: ResolvedRefs False (RefNotPermitted)",
    });
    // A grant for another namespace's Gateways does not count.
    cluster.apply(grant("pki", "elsewhere", "ca"));
    expect(cond(listener(), "ResolvedRefs").reason).toBe("RefNotPermitted");
    cluster.apply(grant("pki", "store", "ca"));
    expect(cond(listener(), "ResolvedRefs").status).toBe("True");
    expect(diagnose(cluster, "Gateway", "store", "edge")).toEqual([]);
  });

  it("fails the Gateway's deploy-time wait with the rule (mocked program)", async () => {
    const [, bad] = await deploy(
      configMap("m-grant-pki", "ca"),
      waitingOn(gateway("m-grant", frontend(caRef("ca", { namespace: "m-grant-pki" }))), listenerResolved()),
    );
    expect(bad!.failure).toMatchObject({
      phase: "wait",
      rules: [
        "pulumi-k8s.timeout",
        "pulumi-k8s.wait-for",
        "k8s.gateway-api.reference-grant",
        "k8s.gateway-api.listener-resolved-refs",
      ],
    });
    const [, , good] = await deploy(
      configMap("m-grant2-pki", "ca"),
      grant("m-grant2-pki", "m-grant2", "ca"),
      waitingOn(gateway("m-grant2", frontend(caRef("ca", { namespace: "m-grant2-pki" }))), listenerResolved()),
    );
    expect(good!.failure).toBeUndefined();
  });
});

describe('"k8s.gateway-api.route-attachment": a route attaches to a listener that exists, allows it and shares a hostname', () => {
  const parentOf = (cluster: Cluster, r: Record<string, any>) => cluster.apply(r).state.status.parents[0];

  it.each([
    ["no such Gateway", route("store", "api", { name: "missing" }), "NoMatchingParent"],
    [
      "another namespace (from: Same)",
      route("other", "api", { name: "edge", namespace: "store" }),
      "NotAllowedByListeners",
    ],
    [
      "a disjoint hostname",
      route("store", "api", { name: "edge" }, ["other.example.com"]),
      "NoMatchingListenerHostname",
    ],
    ["no such listener", route("store", "api", { name: "edge", sectionName: "http" }), "NoMatchingParent"],
    ["no listener on the port", route("store", "api", { name: "edge", port: 8443 }), "NoMatchingParent"],
  ])("refuses a route to %s", (_label, r, reason) => {
    const cluster = new Cluster();
    cluster.apply(gateway("store"));
    cluster.apply(service(r.metadata.namespace, "api"));
    expect(cond(parentOf(cluster, r), "Accepted")).toMatchObject({ status: "False", reason });
    const found = diagnose(cluster, "HTTPRoute", r.metadata.namespace, "to-api");
    expect(found).toEqual([
      expect.objectContaining({ path: "spec.parentRefs[0]", rule: "k8s.gateway-api.route-attachment" }),
    ]);
    expect(found[0]!.message).toMatch(new RegExp(`Accepted False \\(${reason}\\)$`));
  });

  it("accepts a matching route and resolves its backends once the Service exists", () => {
    const cluster = new Cluster();
    cluster.apply(gateway("store"));
    const parent = parentOf(cluster, route("store", "api"));
    expect(cond(parent, "Accepted").status).toBe("True");
    expect(cond(parent, "ResolvedRefs")).toMatchObject({ status: "False", reason: "BackendNotFound" });
    expect(diagnose(cluster, "HTTPRoute", "store", "to-api")).toEqual([
      {
        path: "spec.rules[0].backendRefs[0]",
        rule: "k8s.gateway-api.route-attachment",
        message: "Service `store/api` does not exist: ResolvedRefs False (BackendNotFound)",
      },
    ]);
    cluster.apply(service("store", "api"));
    expect(cond(statusOf(cluster, "HTTPRoute", "store", "to-api").parents[0], "ResolvedRefs").status).toBe("True");
    expect(diagnose(cluster, "HTTPRoute", "store", "to-api")).toEqual([]);
    expect(statusOf(cluster, "Gateway", "store", "edge").listeners[0].attachedRoutes).toBe(1);
  });

  it("fails the route's deploy-time wait with the rule (mocked program)", async () => {
    const [, , bad] = await deploy(
      gateway("m-attach"),
      service("m-attach", "api"),
      waitingOn(route("m-attach", "api", { name: "edge" }, ["other.example.com"]), routeAccepted()),
    );
    expect(bad!.failure).toMatchObject({
      phase: "wait",
      rules: ["pulumi-k8s.timeout", "pulumi-k8s.wait-for", "k8s.gateway-api.route-attachment"],
    });
    const [, , good] = await deploy(
      gateway("m-attach2"),
      service("m-attach2", "api"),
      waitingOn(route("m-attach2", "api"), routeAccepted()),
    );
    expect(good!.failure).toBeUndefined();
  });
});

describe('"k8s.gateway-api.ancestor-namespace": a controller may leave ancestorRef.namespace out for a local Gateway', () => {
  const setUp = (cluster: Cluster, gatewayNamespace = "store") => {
    cluster.apply(
      gateway(gatewayNamespace, {
        listeners: [{ name: "https", protocol: "HTTPS", port: 443, allowedRoutes: { namespaces: { from: "All" } } }],
      }),
    );
    cluster.apply(service("store", "api"));
    cluster.apply(configMap("store", "backend-ca"));
    cluster.apply(route("store", "api", { name: "edge", namespace: gatewayNamespace }));
    return cluster.apply(policy("store", { name: "api" }, [caRef("backend-ca")])).state.status.ancestors;
  };

  it("omits it for a Gateway in the policy's namespace when the controller does, and says so", () => {
    const cluster = new Cluster({ ancestorNamespace: "omit-local" });
    expect(setUp(cluster)[0].ancestorRef).toEqual({ group: GW, kind: "Gateway", name: "edge" });
    expect(diagnose(cluster, "BackendTLSPolicy", "store", "api-tls")).toEqual([
      expect.objectContaining({ path: "status.ancestors[0].ancestorRef", rule: "k8s.gateway-api.ancestor-namespace" }),
    ]);
  });

  it("keeps it for a Gateway in another namespace, and by default", () => {
    const omitting = new Cluster({ ancestorNamespace: "omit-local" });
    expect(setUp(omitting, "infra")[0].ancestorRef).toEqual({
      group: GW,
      kind: "Gateway",
      name: "edge",
      namespace: "infra",
    });
    expect(diagnose(omitting, "BackendTLSPolicy", "store", "api-tls")).toEqual([]);
    const writing = new Cluster();
    expect(setUp(writing)[0].ancestorRef).toEqual({ group: GW, kind: "Gateway", name: "edge", namespace: "store" });
    expect(diagnose(writing, "BackendTLSPolicy", "store", "api-tls")).toEqual([]);
  });

  it("fails a wait that requires the namespace, and passes one that accepts an entry without it (mocked program)", async () => {
    const objects = (ns: string, tolerant: boolean) => [
      gateway(ns),
      service(ns, "api"),
      configMap(ns, "backend-ca"),
      route(ns, "api"),
      waitingOn(
        policy(ns, { name: "api" }, [caRef("backend-ca")]),
        ancestorHolds(ns, "Accepted", tolerant),
        ancestorHolds(ns, "ResolvedRefs", tolerant),
      ),
    ];
    const strict = (await deploy(...objects("m-anc", false)))[4]!;
    expect(strict.failure).toMatchObject({
      phase: "wait",
      rules: ["pulumi-k8s.timeout", "pulumi-k8s.wait-for", "k8s.gateway-api.ancestor-namespace"],
    });
    const tolerant = (await deploy(...objects("m-anc2", true)))[4]!;
    expect(tolerant.failure).toBeUndefined();
  });
});

// --- pulumi-kubernetes -----------------------------------------------------------------------------------------------

describe('"pulumi-k8s.autoname": an unnamed object is named <resource name>-<8 hex> and annotated', () => {
  it("names and annotates an object without metadata.name, with 8 hex characters (GCP's bridged providers: 7)", async () => {
    const [named] = await deploy({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { namespace: "m-auto" },
      data: { a: "b" },
    });
    const name: string = named!.outputs.metadata.name;
    expect(name).toMatch(/^m-auto-configmap-0-[0-9a-f]{8}$/);
    expect(name).toBe(autoName("m-auto-configmap-0", "kubernetes:core/v1:ConfigMap", "test", 8));
    expect(named!.outputs.metadata.annotations).toEqual({ "pulumi.com/autonamed": "true" });
    expect(named!.id).toBe(`m-auto/${name}`);
    // The contrast: a bridged GCP provider's auto-name has 7 hex characters.
    new Raw("gcp:certificatemanager/certificateMap:CertificateMap", "auto-map", {});
    await env.settled();
    expect(env.byName("auto-map").outputs.name).toMatch(/^auto-map-[0-9a-f]{7}$/);
  });

  it("keeps a given metadata.name, and lets the API server complete a generateName", async () => {
    const [fixed, generated] = await deploy(
      { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "m-auto2", name: "fixed" } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "m-auto2", generateName: "gen-" } },
    );
    expect(fixed!.outputs.metadata.name).toBe("fixed");
    expect(fixed!.outputs.metadata.annotations).toBeUndefined();
    expect(generated!.outputs.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(generated!.outputs.metadata.annotations).toBeUndefined();
  });
});

describe('"pulumi-k8s.live-outputs": a create\'s outputs are the live object, not the inputs', () => {
  it("returns pruned fields absent, schema defaults present, the controller's status, and Secret stringData as data", async () => {
    const [secret, gw] = await deploy(
      { apiVersion: "v1", kind: "Secret", metadata: { namespace: "m-live", name: "s" }, stringData: { key: "v" } },
      gateway("m-live", { tls: { frontendValidation: { default: { caCertificateRefs: [caRef("ca")] } } } }),
    );
    expect(secret!.inputs.stringData).toEqual({ key: "v" });
    expect(secret!.outputs.stringData).toBeUndefined();
    expect(secret!.outputs.data).toEqual({ key: Buffer.from("v").toString("base64") });
    expect(secret!.outputs.type).toBe("Opaque");
    expect(gw!.inputs.spec.tls.frontendValidation).toBeDefined();
    expect(gw!.outputs.spec.tls).toEqual({});
    expect(rulesOf(env.cluster!.diagnose(env.cluster!.get(GW, "Gateway", "m-live", "edge")!))).toEqual([
      "k8s.api-server.pruning",
    ]);
    expect(gw!.outputs.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: "Same" } });
    expect(cond(gw!.outputs.status, "Programmed").status).toBe("True");
  });

  it("returns a declared field as given", async () => {
    const [, gw] = await deploy(configMap("m-live2", "ca"), gateway("m-live2", frontend(caRef("ca"))));
    expect(gw!.outputs.spec.tls.frontend.default.validation.caCertificateRefs).toEqual([caRef("ca")]);
    expect(gw!.failure).toBeUndefined();
  });
});

describe('"pulumi-k8s.fixed-name-create": two resources cannot create one object name', () => {
  it("fails the second create with AlreadyExists, and keeps the first object", async () => {
    const a = { ...configMap("m-dup", "ca"), metadata: { namespace: "m-dup", name: "ca" } };
    new K8sObject("m-dup-first", a);
    new K8sObject("m-dup-second", { ...a, data: { "ca.crt": makeRoot("Other CA").pem } });
    await env.settled();
    expect(env.byName("m-dup-first")!.failure).toBeUndefined();
    expect(env.byName("m-dup-second")!.failure).toMatchObject({
      phase: "create",
      rules: ["pulumi-k8s.fixed-name-create"],
      message: expect.stringContaining('configmaps "ca" already exists in namespace `m-dup`'),
    });
    expect(env.cluster!.get("", "ConfigMap", "m-dup", "ca")!.object.data).toEqual({ "ca.crt": ca });
  });

  it("lets two namespaces hold the same name", async () => {
    const [x, y] = await deploy(configMap("m-dup-x", "ca"), configMap("m-dup-y", "ca"));
    expect([x!.failure, y!.failure]).toEqual([undefined, undefined]);
  });
});

// --- Secure Web Proxy authorization ----------------------------------------------------------------------------------

describe('"gcp.networksecurity.authz-policy.paths-include-query": an AuthzPolicy path match includes the query string', () => {
  const policy = (action: "ALLOW" | "DENY", paths: Record<string, string>[]) => ({
    name: `${action.toLowerCase()}-pay`,
    inputs: { action, httpRules: [{ to: { operations: [{ hosts: [{ exact: "api.example" }], paths }] } }] },
  });
  const decide = (policies: ReturnType<typeof policy>[], path: string) =>
    evaluateAuthzPolicies(policies, { verified: false, host: "api.example", path });
  const RULE = "gcp.networksecurity.authz-policy.paths-include-query";

  it("does not match an exact path when the request carries a query string, and names the rule", () => {
    const allowExact = [policy("ALLOW", [{ exact: "/v1/pay" }])];
    expect(decide(allowExact, "/v1/pay?x=1")).toEqual({
      allowed: false,
      reason: "no ALLOW policy matches (1 evaluated)",
      rules: [RULE],
    });
    // A DENY on an exact path lets the same path through with a query string.
    expect(decide([policy("DENY", [{ exact: "/admin" }])], "/admin?debug=1")).toMatchObject({
      allowed: true,
      rules: [RULE],
    });
    expect(decide([policy("DENY", [{ exact: "/admin" }])], "/admin")).toMatchObject({
      allowed: false,
      policy: "deny-pay",
    });
  });

  it("matches the exact path without a query string, and a prefix with one", () => {
    expect(decide([policy("ALLOW", [{ exact: "/v1/pay" }])], "/v1/pay")).toEqual({
      allowed: true,
      policy: "allow-pay",
      reason: "allowed by ALLOW policy allow-pay",
    });
    expect(decide([policy("ALLOW", [{ prefix: "/v1/pay" }])], "/v1/pay?x=1")).toMatchObject({
      allowed: true,
      rules: [RULE],
    });
  });
});
