import { X509Certificate } from "node:crypto";
import {
  declares,
  servesGatewayApi,
  VERSIONED_FIELDS,
  type GatewayApiBundle,
  type Problem,
  type RuleId,
} from "@gcp-mtls/rules";
import { applyGatewayApiDefaults, checkGatewayApiCelRules, type GatewayApiCelKind } from "./cel-rules";

/**
 * An emulated GKE cluster for the mocks: what the API server does with an applied object (served versions, CEL rules,
 * pruning of fields the installed CRDs do not declare, schema defaults, Secret `stringData` → `data`) and the status
 * the GKE Gateway controller reports for Gateways, HTTPRoutes and BackendTLSPolicies, from the objects applied so far.
 * Each behaviour cites its catalogue entry (`@gcp-mtls/rules`).
 */
export interface ClusterOptions {
  /** The Gateway API CRD bundle installed in the cluster. @default v1.5.1, standard channel */
  readonly gatewayApi?: GatewayApiBundle;
}

/** An object as the API server stores it. */
export interface StoredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The live object (metadata, spec, data, …), without status. */
  readonly object: Record<string, any>;
  /** Paths the API server dropped because the installed CRD does not declare them. */
  readonly pruned: readonly string[];
}

export interface ApplyResult {
  /** The live object to return as the create's outputs (status included for kinds the controller reports on). */
  readonly state: Record<string, any>;
  /** What the API server refuses: the create fails. */
  readonly problems: readonly Problem[];
}

const GATEWAY_GROUP = "gateway.networking.k8s.io";
const CONTROLLER = "networking.gke.io/gateway";
const CEL_KINDS = new Set<string>(["Gateway", "HTTPRoute", "BackendTLSPolicy"]);

const groupOf = (apiVersion: string) =>
  apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
const key = (group: string, kind: string, namespace: string | undefined, name: string) =>
  `${group}/${kind}/${namespace ?? ""}/${name}`;

export class Cluster {
  readonly gatewayApi: GatewayApiBundle;
  private readonly objects = new Map<string, StoredObject>();

  constructor(options: ClusterOptions = {}) {
    this.gatewayApi = options.gatewayApi ?? { version: "v1.5.1", channel: "standard" };
  }

  /** Applies an object the way the API server stores it; the object is not stored when the server refuses it. */
  apply(object: Record<string, any>): ApplyResult {
    const apiVersion = String(object.apiVersion);
    const kind = String(object.kind);
    const problems: Problem[] = [];
    const served = servesGatewayApi(this.gatewayApi, apiVersion, kind);
    if (served === false) {
      problems.push({
        path: "apiVersion",
        message: `no matches for kind "${kind}" in version "${apiVersion}": the cluster's Gateway API CRDs (${this.gatewayApi.version}, ${this.gatewayApi.channel}) do not serve it`,
        rule: "k8s.gateway-api.served-versions",
      });
      return { state: object, problems };
    }
    let live: Record<string, any> = clone(object);
    const pruned: string[] = [];
    if (groupOf(apiVersion) === GATEWAY_GROUP) {
      for (const field of VERSIONED_FIELDS.filter((f) => f.kind === kind)) {
        if (!declares(this.gatewayApi, field)) pruned.push(...removePath(live, field.path));
      }
      // Never declared by any upstream CRD: the GKE guide's literal client-validation shape.
      if (kind === "Gateway") pruned.push(...removePath(live, "spec.tls.frontendValidation"));
      if (CEL_KINDS.has(kind)) {
        for (const p of checkGatewayApiCelRules(live)) {
          problems.push({ path: p.path.replace(/^\./, ""), message: p.message, rule: "k8s.gateway-api.cel" });
        }
        live = applyGatewayApiDefaults(kind as GatewayApiCelKind, live);
        delete live.status; // the controller's status is computed below, on every read
      }
    }
    if (kind === "Secret" && apiVersion === "v1" && live.stringData) {
      // pulumi-k8s.live-outputs: the server merges stringData into data (base64) and never returns stringData.
      live.data = { ...(live.data ?? {}) };
      for (const [k, v] of Object.entries(live.stringData)) live.data[k] = Buffer.from(String(v)).toString("base64");
      delete live.stringData;
    }
    if (problems.length > 0) return { state: object, problems };
    const stored: StoredObject = {
      apiVersion,
      kind,
      namespace: live.metadata?.namespace,
      name: String(live.metadata?.name),
      object: live,
      pruned,
    };
    this.objects.set(key(groupOf(apiVersion), kind, stored.namespace, stored.name), stored);
    return { state: this.read(stored), problems };
  }

  /** The live object with the status the controller reports now. */
  read(stored: StoredObject): Record<string, any> {
    const status = this.status(stored);
    return status === undefined ? clone(stored.object) : { ...clone(stored.object), status };
  }

  /** The stored object, if applied. */
  get(group: string, kind: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objects.get(key(group, kind, namespace, name));
  }

  all(kind?: string): StoredObject[] {
    return [...this.objects.values()].filter((o) => kind === undefined || o.kind === kind);
  }

  // --- the GKE Gateway controller ----------------------------------------------------------------------------------

  private status(o: StoredObject): Record<string, any> | undefined {
    if (groupOf(o.apiVersion) !== GATEWAY_GROUP) return undefined;
    if (o.kind === "Gateway") return this.gatewayStatus(o);
    if (o.kind === "HTTPRoute") return { parents: this.routeParents(o).map((p) => p.status) };
    if (o.kind === "BackendTLSPolicy") return { ancestors: this.policyAncestors(o) };
    return undefined;
  }

  private gatewayStatus(o: StoredObject): Record<string, any> {
    const spec = o.object.spec ?? {};
    const gke = typeof spec.gatewayClassName === "string" && spec.gatewayClassName.startsWith("gke-l7-");
    const listeners = (spec.listeners ?? []) as any[];
    return {
      addresses: gke ? [{ type: "IPAddress", value: fakeAddress(o) }] : [],
      conditions: [
        condition("Accepted", gke, gke ? "Accepted" : "Pending", o),
        condition("Programmed", gke, gke ? "Programmed" : "Pending", o),
      ],
      listeners: listeners.map((l) => {
        const refs = this.listenerRefProblems(o, l);
        return {
          name: l.name,
          attachedRoutes: this.all("HTTPRoute").filter((r) =>
            this.routeParents(r).some((p) => p.gateway === o && p.accepted && p.listeners.includes(l.name)),
          ).length,
          supportedKinds: [{ group: GATEWAY_GROUP, kind: "HTTPRoute" }],
          conditions: [
            condition("Accepted", true, "Accepted", o),
            // k8s.gateway-api.listener-resolved-refs: a bad reference shows here, not in Programmed.
            condition("ResolvedRefs", refs === undefined, refs ?? "ResolvedRefs", o),
            condition("Programmed", gke, gke ? "Programmed" : "Pending", o),
          ],
        };
      }),
    };
  }

  /** The reason a listener's certificate or CA references do not resolve, or undefined. */
  private listenerRefProblems(gw: StoredObject, listener: any): string | undefined {
    for (const ref of listener.tls?.certificateRefs ?? []) {
      const ns = ref.namespace ?? gw.namespace;
      if (!this.get("", ref.kind ?? "Secret", ns, ref.name)) return "InvalidCertificateRef";
    }
    const frontend = gw.object.spec?.tls?.frontend;
    if (!frontend) return undefined;
    const perPort = (frontend.perPort ?? []).find((p: any) => p.port === listener.port);
    const validation = perPort ? perPort.tls?.validation : frontend.default?.validation;
    for (const ref of validation?.caCertificateRefs ?? []) {
      const ns = ref.namespace ?? gw.namespace;
      // k8s.gateway-api.reference-grant: another namespace needs a grant there.
      if (ns !== gw.namespace && !this.granted(ns, "Gateway", gw.namespace, "ConfigMap", ref.name))
        return "RefNotPermitted";
      if (ref.kind !== "ConfigMap" || (ref.group ?? "") !== "") return "InvalidCACertificateKind";
      if (!caConfigMap(this.get("", "ConfigMap", ns, ref.name))) return "InvalidCACertificateRef";
    }
    return undefined;
  }

  private granted(
    namespace: string | undefined,
    fromKind: string,
    fromNamespace: string | undefined,
    toKind: string,
    name: string,
  ): boolean {
    return this.all("ReferenceGrant").some(
      (g) =>
        g.namespace === namespace &&
        (g.object.spec?.from ?? []).some(
          (f: any) => f.group === GATEWAY_GROUP && f.kind === fromKind && f.namespace === fromNamespace,
        ) &&
        (g.object.spec?.to ?? []).some(
          (t: any) => (t.group ?? "") === "" && t.kind === toKind && (t.name === undefined || t.name === name),
        ),
    );
  }

  /** k8s.gateway-api.route-attachment: each parentRef of a route, with what the controller concludes. */
  private routeParents(route: StoredObject): {
    gateway?: StoredObject;
    accepted: boolean;
    listeners: string[];
    status: Record<string, any>;
  }[] {
    const spec = route.object.spec ?? {};
    return ((spec.parentRefs ?? []) as any[]).map((ref) => {
      const gwNamespace = ref.namespace ?? route.namespace;
      const gateway =
        (ref.kind ?? "Gateway") === "Gateway" ? this.get(GATEWAY_GROUP, "Gateway", gwNamespace, ref.name) : undefined;
      const parentRef = {
        group: ref.group ?? GATEWAY_GROUP,
        kind: ref.kind ?? "Gateway",
        name: ref.name,
        namespace: gwNamespace,
        ...(ref.sectionName ? { sectionName: ref.sectionName } : {}),
      };
      if (!gateway) {
        return {
          accepted: false,
          listeners: [],
          status: {
            parentRef,
            controllerName: CONTROLLER,
            conditions: [condition("Accepted", false, "NoMatchingParent", route)],
          },
        };
      }
      const listeners = ((gateway.object.spec?.listeners ?? []) as any[]).filter(
        (l) =>
          (ref.sectionName === undefined || l.name === ref.sectionName) &&
          (ref.port === undefined || l.port === ref.port) &&
          allowsNamespace(l, gateway.namespace, route.namespace) &&
          hostnamesIntersect(l.hostname, spec.hostnames ?? []),
      );
      const missing = this.missingBackends(route);
      const accepted = listeners.length > 0;
      return {
        gateway,
        accepted,
        listeners: listeners.map((l) => l.name),
        status: {
          parentRef,
          controllerName: CONTROLLER,
          conditions: [
            condition("Accepted", accepted, accepted ? "Accepted" : "NotAllowedByListeners", route),
            condition(
              "ResolvedRefs",
              missing.length === 0,
              missing.length === 0 ? "ResolvedRefs" : "BackendNotFound",
              route,
            ),
          ],
        },
      };
    });
  }

  private missingBackends(route: StoredObject): string[] {
    return this.backendRefs(route)
      .filter((b) => b.kind === "Service" && b.group === "" && !this.get("", "Service", b.namespace, b.name))
      .map((b) => `${b.namespace}/${b.name}`);
  }

  private backendRefs(route: StoredObject): { group: string; kind: string; namespace?: string; name: string }[] {
    return ((route.object.spec?.rules ?? []) as any[]).flatMap((rule) =>
      ((rule.backendRefs ?? []) as any[]).map((b) => ({
        group: b.group ?? "",
        kind: b.kind ?? "Service",
        namespace: b.namespace ?? route.namespace,
        name: b.name,
      })),
    );
  }

  /**
   * k8s.gateway-api.policy-ancestors: one entry per Gateway that has an accepted route to one of the policy's
   * targets, with Accepted and ResolvedRefs as the controller sets them; none without such a route.
   */
  private policyAncestors(policy: StoredObject): Record<string, any>[] {
    const spec = policy.object.spec ?? {};
    const targets = ((spec.targetRefs ?? []) as any[]).filter((t) => (t.group ?? "") === "" && t.kind === "Service");
    const gateways = new Map<string, StoredObject>();
    for (const route of this.all("HTTPRoute")) {
      const reaches = this.backendRefs(route).some(
        (b) =>
          b.kind === "Service" &&
          b.group === "" &&
          b.namespace === policy.namespace &&
          targets.some((t) => t.name === b.name),
      );
      if (!reaches) continue;
      for (const parent of this.routeParents(route)) {
        if (parent.accepted && parent.gateway)
          gateways.set(`${parent.gateway.namespace}/${parent.gateway.name}`, parent.gateway);
      }
    }
    const targetMissing = targets.some((t) => !this.get("", "Service", policy.namespace, t.name));
    const validation = spec.validation ?? {};
    const refs = (validation.caCertificateRefs ?? []) as any[];
    const badRef = refs.find(
      (r) =>
        r.kind !== "ConfigMap" ||
        (r.group ?? "") !== "" ||
        !caConfigMap(this.get("", "ConfigMap", policy.namespace, r.name)),
    );
    const trustConfigOption = spec.options?.["networking.gke.io/backend-trust-config"];
    const resolved =
      refs.length > 0
        ? badRef === undefined
        : validation.wellKnownCACertificates === "System" && typeof trustConfigOption === "string";
    return [...gateways.values()].map((gw) => ({
      ancestorRef: { group: GATEWAY_GROUP, kind: "Gateway", name: gw.name, namespace: gw.namespace },
      controllerName: CONTROLLER,
      conditions: [
        condition(
          "Accepted",
          !targetMissing && resolved,
          targetMissing ? "TargetNotFound" : resolved ? "Accepted" : "NoValidCACertificate",
          policy,
        ),
        condition("ResolvedRefs", resolved, resolved ? "ResolvedRefs" : "InvalidCACertificateRef", policy),
      ],
    }));
  }
}

/** The catalogue entries the cluster's behaviour rests on (for reports). */
export const CLUSTER_RULES: readonly RuleId[] = [
  "k8s.gateway-api.served-versions",
  "k8s.gateway-api.frontend-validation-version",
  "k8s.api-server.pruning",
  "k8s.gateway-api.cel",
  "pulumi-k8s.live-outputs",
  "k8s.gateway-api.policy-ancestors",
  "k8s.gateway-api.route-attachment",
  "k8s.gateway-api.listener-resolved-refs",
  "k8s.gateway-api.reference-grant",
];

function condition(type: string, ok: boolean, reason: string, o: StoredObject) {
  return {
    type,
    status: ok ? "True" : "False",
    reason,
    message: "",
    observedGeneration: o.object.metadata?.generation ?? 1,
    lastTransitionTime: "2024-01-01T00:00:00Z",
  };
}

/** A ConfigMap that holds one parseable certificate under `ca.crt` (k8s.gateway-api.ca-configmap). */
function caConfigMap(cm: StoredObject | undefined): boolean {
  const pem = cm?.object.data?.["ca.crt"];
  if (typeof pem !== "string") return false;
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

function allowsNamespace(
  listener: any,
  gatewayNamespace: string | undefined,
  routeNamespace: string | undefined,
): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
  if (from === "All") return true;
  if (from === "Same") return gatewayNamespace === routeNamespace;
  return true; // Selector: the emulation has no namespace labels; a selector is taken to match
}

function hostnamesIntersect(listenerHost: string | undefined, routeHosts: readonly string[]): boolean {
  if (listenerHost === undefined || routeHosts.length === 0) return true;
  const match = (pattern: string, host: string) =>
    pattern === host ||
    (pattern.startsWith("*.") && host.endsWith(pattern.slice(1))) ||
    (host.startsWith("*.") && pattern.endsWith(host.slice(1)));
  return routeHosts.some((h) => match(listenerHost, h));
}

function fakeAddress(o: StoredObject): string {
  let h = 0;
  for (const c of `${o.namespace}/${o.name}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `34.${120 + (h % 8)}.${(h >>> 8) % 256}.${1 + ((h >>> 16) % 254)}`;
}

/** Removes `path` (`[]` for every array item) from `object`; returns the concrete paths removed. */
function removePath(object: Record<string, any>, path: string): string[] {
  const removed: string[] = [];
  const walk = (value: any, parts: string[], at: string) => {
    if (value === null || typeof value !== "object") return;
    const [head, ...rest] = parts;
    const many = head!.endsWith("[]");
    const k = many ? head!.slice(0, -2) : head!;
    if (!(k in value)) return;
    const here = at === "" ? k : `${at}.${k}`;
    if (rest.length === 0) {
      delete value[k];
      removed.push(here);
    } else if (many) {
      (value[k] as any[]).forEach((item, i) => walk(item, rest, `${here}[${i}]`));
    } else walk(value[k], rest, here);
  };
  walk(object, path.split("."), "");
  return removed;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
