import * as pulumi from "@pulumi/pulumi";
import { makeRoot } from "../x509";
import { Cluster } from "./cluster";
import { WaitQueue } from "./waits";
import { setupMocks } from "../mocks";

// The emulated cluster: what the API server stores and what the GKE Gateway controller reports, by catalogue entry.

const ca = makeRoot("Cluster Test CA").pem;
const gateway = (spec: Record<string, any> = {}, name = "edge", namespace = "store") => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name, namespace },
  spec: {
    gatewayClassName: "gke-l7-global-external-managed",
    listeners: [{ name: "https", protocol: "HTTPS", port: 443, hostname: "store.example.com" }],
    ...spec,
  },
});
const withFrontend = (refName = "ca") =>
  gateway({
    tls: {
      frontend: { default: { validation: { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: refName }] } } },
    },
  });
const configMap = (name: string, data: Record<string, string>, namespace = "store") => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data,
});
const service = (name: string, namespace = "store") => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace },
  spec: { ports: [{ port: 8443 }] },
});
const route = (backend: string, parent = "edge", namespace = "store", hostnames = ["store.example.com"]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: `to-${backend}`, namespace },
  spec: {
    parentRefs: [{ name: parent, namespace: "store" }],
    hostnames,
    rules: [{ backendRefs: [{ name: backend, port: 8443 }] }],
  },
});
const policy = (target: string, refs = [{ group: "", kind: "ConfigMap", name: "backend-ca" }]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "BackendTLSPolicy",
  metadata: { name: `${target}-tls`, namespace: "store" },
  spec: {
    targetRefs: [{ group: "", kind: "Service", name: target }],
    validation: { hostname: `${target}.store.svc`, caCertificateRefs: refs },
  },
});
const cond = (status: any, type: string) => status.conditions.find((c: any) => c.type === type);

describe("API server (k8s.gateway-api.served-versions, k8s.api-server.pruning, pulumi-k8s.live-outputs)", () => {
  it("refuses an apiVersion the installed bundle does not serve", () => {
    const old = new Cluster({ gatewayApi: { version: "v1.3.0", channel: "standard" } });
    expect(old.apply(policy("api")).problems).toEqual([
      {
        path: "apiVersion",
        rule: "k8s.gateway-api.served-versions",
        message:
          'no matches for kind "BackendTLSPolicy" in version "gateway.networking.k8s.io/v1": the cluster\'s Gateway API CRDs (v1.3.0, standard) do not serve it',
      },
    ]);
    expect(
      new Cluster({ gatewayApi: { version: "v1.4.0", channel: "standard" } }).apply(policy("api")).problems,
    ).toEqual([]);
    const grant = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "ReferenceGrant",
      metadata: { name: "g", namespace: "x" },
      spec: {},
    };
    expect(new Cluster({ gatewayApi: { version: "v1.4.1", channel: "standard" } }).apply(grant).problems).toHaveLength(
      1,
    );
    expect(new Cluster({ gatewayApi: { version: "v1.5.0", channel: "standard" } }).apply(grant).problems).toEqual([]);
  });

  it("prunes spec.tls.frontend before v1.5.0 (standard) / v1.4.0 (experimental), and the guide's frontendValidation always", () => {
    const applied = (version: string, channel: "standard" | "experimental", object = withFrontend()) =>
      new Cluster({ gatewayApi: { version, channel } }).apply(object).state.spec.tls;
    expect(applied("v1.4.1", "standard")).toBeUndefined();
    expect(applied("v1.4.0", "experimental")).toMatchObject({
      frontend: { default: { validation: { mode: "AllowValidOnly" } } },
    });
    expect(applied("v1.5.1", "standard")).toMatchObject({
      frontend: { default: { validation: { mode: "AllowValidOnly" } } },
    });
    const guide = gateway({ tls: { frontendValidation: { default: { caCertificateRefs: [{ name: "ca" }] } } } });
    expect(applied("v1.6.1", "standard", guide)).toEqual({});
  });

  it("applies schema defaults, refuses CEL violations, and returns Secret stringData as data", () => {
    const cluster = new Cluster();
    const live = cluster.apply(gateway()).state;
    expect(live.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: "Same" } });
    const bad = gateway({
      listeners: [
        { name: "a", protocol: "HTTPS", port: 443 },
        { name: "a", protocol: "HTTPS", port: 8443 },
      ],
    });
    expect(cluster.apply(bad).problems).toContainEqual({
      path: "spec.listeners",
      message: "Listener name must be unique within the Gateway",
      rule: "k8s.gateway-api.cel",
    });
    const secret = cluster.apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "store" },
      stringData: { key: "v" },
    }).state;
    expect(secret).toMatchObject({ data: { key: Buffer.from("v").toString("base64") } });
    expect(secret.stringData).toBeUndefined();
  });
});

describe("GKE Gateway controller (k8s.gateway-api.listener-resolved-refs, route-attachment, policy-ancestors)", () => {
  it("programs a Gateway and reports a listener's unresolvable CA ConfigMap on the listener only", () => {
    const cluster = new Cluster();
    let status = cluster.apply(withFrontend()).state.status;
    expect(cond(status, "Programmed").status).toBe("True");
    expect(status.addresses[0]).toMatchObject({ type: "IPAddress", value: expect.stringMatching(/^34\./) });
    expect(cond(status.listeners[0], "ResolvedRefs")).toMatchObject({
      status: "False",
      reason: "InvalidCACertificateRef",
    });
    cluster.apply(configMap("ca", { "not-ca.crt": ca }));
    status = cluster.read(cluster.get("gateway.networking.k8s.io", "Gateway", "store", "edge")!).status;
    expect(cond(status.listeners[0], "ResolvedRefs").status).toBe("False");
    cluster.apply(configMap("ca", { "ca.crt": ca }));
    status = cluster.read(cluster.get("gateway.networking.k8s.io", "Gateway", "store", "edge")!).status;
    expect(cond(status.listeners[0], "ResolvedRefs").status).toBe("True");
  });

  it("needs a ReferenceGrant for a CA ConfigMap in another namespace", () => {
    const cluster = new Cluster();
    const cross = gateway({
      tls: {
        frontend: {
          default: {
            validation: { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca", namespace: "pki" }] },
          },
        },
      },
    });
    cluster.apply(configMap("ca", { "ca.crt": ca }, "pki"));
    const read = () =>
      cluster.read(cluster.get("gateway.networking.k8s.io", "Gateway", "store", "edge")!).status.listeners[0];
    cluster.apply(cross);
    expect(cond(read(), "ResolvedRefs")).toMatchObject({ status: "False", reason: "RefNotPermitted" });
    cluster.apply({
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { name: "g", namespace: "pki" },
      spec: {
        from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "store" }],
        to: [{ group: "", kind: "ConfigMap", name: "ca" }],
      },
    });
    expect(cond(read(), "ResolvedRefs").status).toBe("True");
  });

  it("accepts a route on a listener that allows its namespace and hostname, and resolves its Services", () => {
    const cluster = new Cluster();
    cluster.apply(gateway());
    const parent = (r: any) => cluster.apply(r).state.status.parents[0];
    expect(cond(parent(route("api")), "Accepted").status).toBe("True");
    expect(cond(parent(route("api")), "ResolvedRefs")).toMatchObject({ status: "False", reason: "BackendNotFound" });
    cluster.apply(service("api"));
    expect(cond(parent(route("api")), "ResolvedRefs").status).toBe("True");
    expect(cond(parent(route("api", "edge", "other")), "Accepted")).toMatchObject({
      status: "False",
      reason: "NotAllowedByListeners",
    });
    expect(cond(parent(route("api", "edge", "store", ["other.example.com"])), "Accepted").status).toBe("False");
    expect(cond(parent(route("api", "missing")), "Accepted")).toMatchObject({
      status: "False",
      reason: "NoMatchingParent",
    });
  });

  it("reports a BackendTLSPolicy only on Gateways with an accepted route to its target, with its CA refs resolved", () => {
    const cluster = new Cluster();
    cluster.apply(gateway());
    cluster.apply(service("api"));
    const ancestors = () =>
      cluster.read(cluster.get("gateway.networking.k8s.io", "BackendTLSPolicy", "store", "api-tls")!).status.ancestors;
    cluster.apply(policy("api"));
    expect(ancestors()).toEqual([]);
    cluster.apply(route("api"));
    expect(ancestors()).toMatchObject([
      {
        ancestorRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge", namespace: "store" },
        controllerName: "networking.gke.io/gateway",
      },
    ]);
    expect(cond(ancestors()[0], "ResolvedRefs")).toMatchObject({ status: "False", reason: "InvalidCACertificateRef" });
    cluster.apply(configMap("backend-ca", { "ca.crt": ca }));
    expect(cond(ancestors()[0], "Accepted").status).toBe("True");
    expect(cond(ancestors()[0], "ResolvedRefs").status).toBe("True");
  });
});

describe("deploy-time waits (pulumi-k8s.wait-for, pulumi-k8s.timeout)", () => {
  it("answers a wait once it holds, and times out only when nothing more can happen", async () => {
    const queue = new WaitQueue();
    let value = "False";
    const results: string[] = [];
    const wait = (label: string) => ({
      annotation: "condition=Ready",
      read: () => ({ status: { conditions: [{ type: "Ready", status: value }] } }),
      done: () => results.push(`${label} done`),
      timedOut: (_: unknown, unmet: string[]) => results.push(`${label} timed out: ${unmet.join(",")}`),
    });
    queue.add(wait("a"));
    // Activity (a registration) keeps the queue waiting; the change that satisfies it comes a little later.
    await new Promise((r) => setImmediate(r));
    queue.touch();
    value = "True";
    // The queue runs on event-loop turns, not on time: let it turn until nothing is pending (bounded).
    const drain = async () => {
      for (let turn = 0; turn < 100 && queue.pending > 0; turn++) await new Promise((r) => setImmediate(r));
    };
    await drain();
    expect(results).toEqual(["a done"]);
    value = "False";
    queue.add(wait("b"));
    await drain();
    expect(results).toEqual(["a done", "b timed out: condition=Ready"]);
  });

  it("records a timed-out wait as a deployment failure of the resource, in a mocked program", async () => {
    const env = await setupMocks();
    class Route extends pulumi.CustomResource {
      constructor(name: string, annotations: Record<string, string>) {
        super("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", name, {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name, namespace: "store", annotations },
          spec: { parentRefs: [{ name: "nowhere" }], rules: [{ backendRefs: [{ name: "api", port: 80 }] }] },
        });
      }
    }
    const k8sObject = (name: string, annotations: Record<string, string>) => new Route(name, annotations);
    k8sObject("orphan", {
      "pulumi.com/waitFor":
        'jsonpath={.status.parents[?(@.parentRef.name=="nowhere")].conditions[?(@.type=="Accepted")].status}=True',
      "pulumi.com/timeoutSeconds": "60",
    });
    await env.settled();
    expect(env.failures).toEqual([
      expect.objectContaining({
        name: "orphan",
        phase: "wait",
        // The controller's Accepted False (NoMatchingParent) is why the wait never held.
        rules: ["pulumi-k8s.timeout", "pulumi-k8s.wait-for", "k8s.gateway-api.route-attachment"],
        message: expect.stringMatching(
          /^resource store\/orphan was successfully created, but the Kubernetes API server reported that it failed to fully initialize or become live: timed out after 60s waiting for /,
        ),
      }),
    ]);
  });
});
