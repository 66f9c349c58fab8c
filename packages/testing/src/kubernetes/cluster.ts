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
  /**
   * Whether the controller writes `status.ancestors[].ancestorRef.namespace` of a BackendTLSPolicy for a Gateway in
   * the policy's namespace: `omit-local` leaves it out, as the CRD allows (k8s.gateway-api.ancestor-namespace).
   * @default "always"
   */
  readonly ancestorNamespace?: "always" | "omit-local";
  /** Project number and region the GKE controller names load balancer resources in. @default "000000000000", "us-central1" */
  readonly projectNumber?: string;
  readonly region?: string;
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
  /** The same paths, each with why it was dropped and its catalogue rule. */
  readonly prunedFields: readonly Problem[];
}

export interface ApplyResult {
  /** The live object to return as the create's outputs (status included for kinds the controller reports on). */
  readonly state: Record<string, any>;
  /** What the API server refuses: the create fails. */
  readonly problems: readonly Problem[];
  /**
   * What the API server dropped and stored the object without (k8s.api-server.pruning): not an error, and
   * pulumi-kubernetes silences the API server's warnings, so only the live outputs show it.
   */
  readonly prunedFields: readonly Problem[];
}

/** A condition the controller sets False (or a status detail), with its reason and catalogue rule. */
interface Finding extends Problem {
  readonly reason: string;
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
  readonly ancestorNamespace: "always" | "omit-local";
  private readonly objects = new Map<string, StoredObject>();

  constructor(private readonly options: ClusterOptions = {}) {
    this.gatewayApi = options.gatewayApi ?? { version: "v1.5.1", channel: "standard" };
    this.ancestorNamespace = options.ancestorNamespace ?? "always";
  }

  /**
   * Applies an object the way the API server stores it; the object is not stored when the server refuses it. With
   * `create`, an object of that name must not exist yet (a POST); without, an existing one is replaced (an apply).
   */
  apply(object: Record<string, any>, options: { readonly create?: boolean } = {}): ApplyResult {
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
      return { state: object, problems, prunedFields: [] };
    }
    let live: Record<string, any> = clone(object);
    const prunedFields: Problem[] = [];
    const prune = (path: string, message: string, rule: RuleId) => {
      for (const p of removePath(live, path)) prunedFields.push({ path: p, message, rule });
    };
    if (groupOf(apiVersion) === GATEWAY_GROUP) {
      const bundle = `${this.gatewayApi.version}, ${this.gatewayApi.channel}`;
      for (const field of VERSIONED_FIELDS.filter((f) => f.kind === kind)) {
        if (!declares(this.gatewayApi, field)) {
          prune(
            field.path,
            `is not declared by the cluster's Gateway API CRDs (${bundle}): the API server dropped it`,
            "k8s.gateway-api.frontend-validation-version",
          );
        }
      }
      // Never declared by any upstream CRD: the GKE guide's literal client-validation shape.
      if (kind === "Gateway") {
        prune(
          "spec.tls.frontendValidation",
          "is declared by no Gateway API CRD (upstream's field is `spec.tls.frontend`): the API server dropped it",
          "k8s.api-server.pruning",
        );
      }
      // LocalObjectReference / LocalPolicyTargetReference: the CRD declares no namespace to prune into.
      if (kind === "BackendTLSPolicy") {
        for (const path of ["spec.targetRefs[].namespace", "spec.validation.caCertificateRefs[].namespace"]) {
          prune(
            path,
            `is not declared (a BackendTLSPolicy refers to objects in its own namespace only): the API server dropped it, and the reference resolves in \`${live.metadata?.namespace ?? "default"}\``,
            "k8s.gateway-api.backend-tls-local",
          );
        }
      }
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
    // pulumi-k8s.fixed-name-create: every create in a deployment is a new URN, so an object already stored under this
    // name was created by another resource; the API server answers AlreadyExists (from 4.29.0 pulumi-kubernetes
    // fails the create instead of taking the object over).
    const existing = key(groupOf(apiVersion), kind, live.metadata?.namespace, String(live.metadata?.name));
    if (options.create && this.objects.has(existing)) {
      problems.push({
        path: "metadata.name",
        message: `${kind.toLowerCase()}s "${live.metadata?.name}" already exists${live.metadata?.namespace ? ` in namespace \`${live.metadata.namespace}\`` : ""}: another resource of this program creates it; give one of them another name`,
        rule: "pulumi-k8s.fixed-name-create",
      });
    }
    if (problems.length > 0) return { state: object, problems, prunedFields: [] };
    const stored: StoredObject = {
      apiVersion,
      kind,
      namespace: live.metadata?.namespace,
      name: String(live.metadata?.name),
      object: live,
      pruned: prunedFields.map((p) => p.path),
      prunedFields,
    };
    this.objects.set(key(groupOf(apiVersion), kind, stored.namespace, stored.name), stored);
    return { state: this.read(stored), problems, prunedFields };
  }

  /**
   * What the API server dropped from the object and what the controller reports as not working for it now (a False
   * Accepted or ResolvedRefs condition, a status detail a check may trip on), each with its catalogue rule. A
   * deploy-time wait that times out carries these rules.
   */
  diagnose(stored: StoredObject): Problem[] {
    const found: Problem[] = [...stored.prunedFields];
    const add = (f: Finding) => {
      if (!found.some((p) => p.path === f.path && p.message === f.message))
        found.push({ path: f.path, message: f.message, ...(f.rule ? { rule: f.rule } : {}) });
    };
    if (groupOf(stored.apiVersion) !== GATEWAY_GROUP) return found;
    if (stored.kind === "Gateway") {
      ((stored.object.spec?.listeners ?? []) as any[]).forEach((l, i) => {
        const refs = this.listenerRefs(stored, l, i);
        refs.findings.forEach(add);
        if (refs.noValidCa) add(refs.noValidCa);
      });
    }
    if (stored.kind === "HTTPRoute") for (const p of this.routeParents(stored)) p.findings.forEach(add);
    if (stored.kind === "BackendTLSPolicy") this.policyAncestors(stored).findings.forEach(add);
    return found;
  }

  /** The live object with the status (and controller annotations) the controller reports now. */
  read(stored: StoredObject): Record<string, any> {
    const status = this.status(stored);
    const object = clone(stored.object);
    const annotations = this.controllerAnnotations(stored);
    if (annotations)
      object.metadata = { ...object.metadata, annotations: { ...object.metadata?.annotations, ...annotations } };
    return status === undefined ? object : { ...object, status };
  }

  /**
   * What the GKE controller writes on a Gateway it programs: the Compute Engine resources behind it, by annotation
   * (rule gke.gateway.lb-annotations). Only the URL map is emulated, under the name pattern seen on live Gateways:
   * `gkegw1-<4>-<namespace>-<name>-<12>`, global or regional by class.
   */
  private controllerAnnotations(o: StoredObject): Record<string, string> | undefined {
    if (groupOf(o.apiVersion) !== GATEWAY_GROUP || o.kind !== "Gateway") return undefined;
    const className = o.object.spec?.gatewayClassName;
    if (typeof className !== "string" || !className.startsWith("gke-l7-")) return undefined;
    const regional = className === "gke-l7-regional-external-managed" || className === "gke-l7-rilb";
    const scope = regional ? `regions/${this.options.region ?? "us-central1"}` : "global";
    return {
      "networking.gke.io/url-maps": `/projects/${this.options.projectNumber ?? "000000000000"}/${scope}/urlMaps/${urlMapName(o)}`,
    };
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
    if (o.kind === "BackendTLSPolicy") return { ancestors: this.policyAncestors(o).ancestors };
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
      listeners: listeners.map((l, i) => {
        const refs = this.listenerRefs(o, l, i);
        return {
          name: l.name,
          attachedRoutes: this.all("HTTPRoute").filter((r) =>
            this.routeParents(r).some((p) => p.gateway === o && p.accepted && p.listeners.includes(l.name)),
          ).length,
          supportedKinds: [{ group: GATEWAY_GROUP, kind: "HTTPRoute" }],
          conditions: [
            // k8s.gateway-api.listener-resolved-refs: Accepted False only when every CA reference is invalid.
            condition("Accepted", !refs.noValidCa, refs.noValidCa?.reason ?? "Accepted", o),
            // k8s.gateway-api.listener-resolved-refs: a bad reference shows here, not in Programmed.
            condition("ResolvedRefs", refs.findings.length === 0, refs.findings[0]?.reason ?? "ResolvedRefs", o),
            condition("Programmed", gke, gke ? "Programmed" : "Pending", o),
          ],
        };
      }),
    };
  }

  /**
   * Why a listener's certificate or CA references do not resolve (empty: they do), and, when every CA reference of
   * its client validation is invalid, the listener's Accepted False (gateway_types.go, FrontendTLSValidation).
   */
  private listenerRefs(gw: StoredObject, listener: any, index: number): { findings: Finding[]; noValidCa?: Finding } {
    const findings: Finding[] = [];
    const on = `listener \`${listener.name}\``;
    ((listener.tls?.certificateRefs ?? []) as any[]).forEach((ref, j) => {
      const ns = ref.namespace ?? gw.namespace;
      const kind = ref.kind ?? "Secret";
      if (!this.get("", kind, ns, ref.name)) {
        findings.push({
          path: `spec.listeners[${index}].tls.certificateRefs[${j}]`,
          message: `${on}: ${kind} \`${ns}/${ref.name}\` does not exist: ResolvedRefs False (InvalidCertificateRef)`,
          rule: "k8s.gateway-api.listener-resolved-refs",
          reason: "InvalidCertificateRef",
        });
      }
    });
    const frontend = gw.object.spec?.tls?.frontend;
    if (!frontend) return { findings };
    const perPortIndex = ((frontend.perPort ?? []) as any[]).findIndex((p: any) => p.port === listener.port);
    const validation =
      perPortIndex >= 0 ? frontend.perPort[perPortIndex].tls?.validation : frontend.default?.validation;
    const at =
      perPortIndex >= 0
        ? `spec.tls.frontend.perPort[${perPortIndex}].tls.validation`
        : "spec.tls.frontend.default.validation";
    const caRefs = (validation?.caCertificateRefs ?? []) as any[];
    let invalid = 0;
    caRefs.forEach((ref, j) => {
      const ns = ref.namespace ?? gw.namespace;
      const path = `${at}.caCertificateRefs[${j}]`;
      const finding = (reason: string, why: string, rule: RuleId) => {
        invalid++;
        findings.push({ path, message: `${on}: ${why}: ResolvedRefs False (${reason})`, rule, reason });
      };
      // k8s.gateway-api.reference-grant: another namespace needs a grant there.
      if (ns !== gw.namespace && !this.granted(ns, "Gateway", gw.namespace, "ConfigMap", ref.name)) {
        finding(
          "RefNotPermitted",
          `\`${ns}/${ref.name}\` is in another namespace and no ReferenceGrant in \`${ns}\` allows Gateways from \`${gw.namespace}\` to refer to it`,
          "k8s.gateway-api.reference-grant",
        );
      } else if (ref.kind !== "ConfigMap" || (ref.group ?? "") !== "") {
        finding(
          "InvalidCACertificateKind",
          `group \`${ref.group ?? ""}\` kind \`${ref.kind}\` is not a ConfigMap (group "" and kind ConfigMap are required)`,
          "k8s.gateway-api.ca-configmap",
        );
      } else {
        const cm = this.get("", "ConfigMap", ns, ref.name);
        if (!cm) {
          finding(
            "InvalidCACertificateRef",
            `ConfigMap \`${ns}/${ref.name}\` does not exist`,
            "k8s.gateway-api.listener-resolved-refs",
          );
        } else if (!caConfigMap(cm)) {
          finding(
            "InvalidCACertificateRef",
            `ConfigMap \`${ns}/${ref.name}\` holds no PEM certificate under \`ca.crt\``,
            "k8s.gateway-api.ca-configmap",
          );
        }
      }
    });
    if (caRefs.length === 0 || invalid < caRefs.length) return { findings };
    return {
      findings,
      noValidCa: {
        path: `spec.listeners[${index}]`,
        message: `${on}: none of its CA certificate references is valid: Accepted False (NoValidCACertificate)`,
        rule: "k8s.gateway-api.listener-resolved-refs",
        reason: "NoValidCACertificate",
      },
    };
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
    findings: Finding[];
  }[] {
    const spec = route.object.spec ?? {};
    const missing = this.backendRefs(route).filter(
      (b) => b.kind === "Service" && b.group === "" && !this.get("", "Service", b.namespace, b.name),
    );
    const backendFindings: Finding[] = missing.map((b) => ({
      path: b.path,
      message: `Service \`${b.namespace}/${b.name}\` does not exist: ResolvedRefs False (BackendNotFound)`,
      rule: "k8s.gateway-api.route-attachment",
      reason: "BackendNotFound",
    }));
    return ((spec.parentRefs ?? []) as any[]).map((ref, i) => {
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
      const path = `spec.parentRefs[${i}]`;
      if (!gateway) {
        return {
          accepted: false,
          listeners: [],
          status: {
            parentRef,
            controllerName: CONTROLLER,
            conditions: [condition("Accepted", false, "NoMatchingParent", route)],
          },
          findings: [
            {
              path,
              message: `${parentRef.kind} \`${gwNamespace}/${ref.name}\` does not exist: Accepted False (NoMatchingParent)`,
              rule: "k8s.gateway-api.route-attachment",
              reason: "NoMatchingParent",
            },
          ],
        };
      }
      // The reasons of shared_types.go, in the order a listener is ruled out: by sectionName/port, by allowedRoutes,
      // by hostname.
      const byRef = ((gateway.object.spec?.listeners ?? []) as any[]).filter(
        (l) =>
          (ref.sectionName === undefined || l.name === ref.sectionName) &&
          (ref.port === undefined || l.port === ref.port),
      );
      const allowed = byRef.filter((l) => allowsNamespace(l, gateway.namespace, route.namespace));
      const listeners = allowed.filter((l) => hostnamesIntersect(l.hostname, spec.hostnames ?? []));
      const accepted = listeners.length > 0;
      const refused: [reason: string, why: string] | undefined = accepted
        ? undefined
        : byRef.length === 0
          ? [
              "NoMatchingParent",
              `Gateway \`${gwNamespace}/${ref.name}\` has no listener${ref.sectionName ? ` named \`${ref.sectionName}\`` : ""}${ref.port !== undefined ? ` on port ${ref.port}` : ""}`,
            ]
          : allowed.length === 0
            ? [
                "NotAllowedByListeners",
                `no listener of Gateway \`${gwNamespace}/${ref.name}\` allows routes from namespace \`${route.namespace}\``,
              ]
            : [
                "NoMatchingListenerHostname",
                `no listener of Gateway \`${gwNamespace}/${ref.name}\` has a hostname that intersects ${JSON.stringify(spec.hostnames ?? [])}`,
              ];
      const findings: Finding[] = [
        ...(refused
          ? [
              {
                path,
                message: `${refused[1]}: Accepted False (${refused[0]})`,
                rule: "k8s.gateway-api.route-attachment" as const,
                reason: refused[0],
              },
            ]
          : []),
        ...backendFindings,
      ];
      return {
        gateway,
        accepted,
        listeners: listeners.map((l) => l.name),
        status: {
          parentRef,
          controllerName: CONTROLLER,
          conditions: [
            condition("Accepted", accepted, refused?.[0] ?? "Accepted", route),
            condition(
              "ResolvedRefs",
              missing.length === 0,
              missing.length === 0 ? "ResolvedRefs" : "BackendNotFound",
              route,
            ),
          ],
        },
        findings,
      };
    });
  }

  private backendRefs(
    route: StoredObject,
  ): { group: string; kind: string; namespace?: string; name: string; path: string }[] {
    return ((route.object.spec?.rules ?? []) as any[]).flatMap((rule, i) =>
      ((rule.backendRefs ?? []) as any[]).map((b, j) => ({
        group: b.group ?? "",
        kind: b.kind ?? "Service",
        namespace: b.namespace ?? route.namespace,
        name: b.name,
        path: `spec.rules[${i}].backendRefs[${j}]`,
      })),
    );
  }

  /**
   * k8s.gateway-api.policy-ancestors: one entry per Gateway that has an accepted route to one of the policy's
   * targets, with Accepted and ResolvedRefs as the controller sets them; none without such a route.
   */
  private policyAncestors(policy: StoredObject): { ancestors: Record<string, any>[]; findings: Finding[] } {
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
    // k8s.gateway-api.backend-tls-local: targets and CA ConfigMaps resolve in the policy's namespace.
    const findings: Finding[] = [];
    ((spec.targetRefs ?? []) as any[]).forEach((t, i) => {
      if ((t.group ?? "") === "" && t.kind === "Service" && !this.get("", "Service", policy.namespace, t.name)) {
        findings.push({
          path: `spec.targetRefs[${i}]`,
          message: `no Service \`${t.name}\` in the policy's namespace \`${policy.namespace}\`: Accepted False (TargetNotFound)`,
          rule: "k8s.gateway-api.backend-tls-local",
          reason: "TargetNotFound",
        });
      }
    });
    const targetMissing = findings.length > 0;
    const validation = spec.validation ?? {};
    const refs = (validation.caCertificateRefs ?? []) as any[];
    refs.forEach((r, i) => {
      const path = `spec.validation.caCertificateRefs[${i}]`;
      const cm = this.get("", "ConfigMap", policy.namespace, r.name);
      const bad = (why: string, rule: RuleId) =>
        findings.push({
          path,
          message: `${why}: ResolvedRefs False (InvalidCACertificateRef)`,
          rule,
          reason: "InvalidCACertificateRef",
        });
      if (r.kind !== "ConfigMap" || (r.group ?? "") !== "")
        bad(
          `group \`${r.group ?? ""}\` kind \`${r.kind}\` is not a ConfigMap (group "" and kind ConfigMap are required)`,
          "k8s.gateway-api.ca-configmap",
        );
      else if (!cm)
        bad(
          `no ConfigMap \`${r.name}\` in the policy's namespace \`${policy.namespace}\``,
          "k8s.gateway-api.backend-tls-local",
        );
      else if (!caConfigMap(cm))
        bad(
          `ConfigMap \`${policy.namespace}/${r.name}\` holds no PEM certificate under \`ca.crt\``,
          "k8s.gateway-api.ca-configmap",
        );
    });
    const badRef = findings.some((f) => f.reason === "InvalidCACertificateRef");
    const trustConfigOption = spec.options?.["networking.gke.io/backend-trust-config"];
    const resolved =
      refs.length > 0
        ? !badRef
        : validation.wellKnownCACertificates === "System" && typeof trustConfigOption === "string";
    const omit = this.ancestorNamespace === "omit-local";
    const ancestors = [...gateways.values()].map((gw) => ({
      ancestorRef: {
        group: GATEWAY_GROUP,
        kind: "Gateway",
        name: gw.name,
        ...(omit && gw.namespace === policy.namespace ? {} : { namespace: gw.namespace }),
      },
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
    // The controller reports only on ancestors: without one there is no status, and nothing to report here.
    if (ancestors.length === 0) return { ancestors, findings: [] };
    ancestors.forEach((a, i) => {
      if (!("namespace" in a.ancestorRef)) {
        findings.push({
          path: `status.ancestors[${i}].ancestorRef`,
          message: `the controller left out \`namespace\` for Gateway \`${a.ancestorRef.name}\` in the policy's namespace, as the CRD allows: a check on it must accept an entry without one`,
          rule: "k8s.gateway-api.ancestor-namespace",
          reason: "AncestorNamespaceOmitted",
        });
      }
    });
    return { ancestors, findings };
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
  "k8s.gateway-api.ca-configmap",
  "k8s.gateway-api.backend-tls-local",
  "k8s.gateway-api.ancestor-namespace",
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

/** A stable stand-in for the controller's URL map name of a Gateway (its real suffixes are opaque). */
export function urlMapName(o: { readonly namespace?: string; readonly name: string }): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let h = 7;
  let out = "";
  for (let i = 0; i < 16; i++) {
    for (const c of `${o.namespace}/${o.name}/${i}`) h = (h * 33 + c.charCodeAt(0)) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return `gkegw1-${out.slice(0, 4)}-${o.namespace ?? "default"}-${o.name}-${out.slice(4)}`;
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
