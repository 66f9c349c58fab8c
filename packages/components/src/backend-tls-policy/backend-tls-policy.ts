import type { BackendTlsPolicyManifest, BackendTlsValidation } from "../internal/gateway-api";
import { ArgumentError } from "../internal/format";
import { shapeProblems } from "../internal/shape";
import { BACKEND_TLS_POLICY_ARGS_SHAPE } from "./types";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { caConfigMapsOfSource, trustStoreOfSource } from "../internal/trust-source";
import type { BackendTlsPolicyArgs, GatewayClassRef } from "./types";
import { backendConflicts, declareBackends } from "../internal/program";
import { isGlobalLoadBalancer, validateBackendTlsPolicyArgs, type ResolvedBackendPolicy } from "./validation";

/** Pulumi type token; part of the public API (changing it replaces every policy). */
export const BACKEND_TLS_POLICY_TYPE = "gcp-mtls:index:BackendTlsPolicy";
export const BACKEND_TRUST_CONFIG_OPTION = "networking.gke.io/backend-trust-config";

/**
 * The `pulumi.com/waitFor` value: Accepted=True and ResolvedRefs=True in the ancestor entry of each Gateway. The provider
 * compares the first JSONPath match only (pulumi-k8s.wait-for), so each Gateway gets its own pair of checks filtered on
 * its `ancestorRef`. `ancestorRef.namespace` is optional (k8s.gateway-api.ancestor-namespace): for a Gateway in the
 * policy's namespace an entry without it matches too.
 */
export function backendTlsWaitFor(
  gateways: readonly { name: string; namespace: string }[],
  policyNamespace: string,
): string {
  const checks = (g: { name: string; namespace: string }) => {
    const namespace =
      g.namespace === policyNamespace
        ? `(@.ancestorRef.namespace=="${g.namespace}" || !@.ancestorRef.namespace)`
        : `@.ancestorRef.namespace=="${g.namespace}"`;
    return ["Accepted", "ResolvedRefs"].map(
      (type) =>
        `jsonpath={.status.ancestors[?(@.ancestorRef.name=="${g.name}" && ${namespace})].conditions[?(@.type=="${type}")].status}=True`,
    );
  };
  return JSON.stringify(gateways.flatMap(checks));
}

/**
 * State that is not an output. Kept outside the instance: every property of a component class is an output to the
 * Pulumi schema analyzer (`@pulumi/pulumi/provider/experimental`).
 */
interface Internals {
  policy?: k8s.apiextensions.CustomResource;
  configMapNameOutputs: pulumi.Output<string>[];
  // Rendered only when read: most programs never do, and each part holds PEMs and names.
  manifestParts: (() => pulumi.Output<object>)[];
  manifests?: pulumi.Output<object[]>;
}
const INTERNALS = new WeakMap<object, Internals>();
function internals(component: object): Internals {
  let state = INTERNALS.get(component);
  if (!state) INTERNALS.set(component, (state = { configMapNameOutputs: [], manifestParts: [] }));
  return state;
}

/**
 * Verified TLS from a GKE Gateway to its backends: a Gateway API `BackendTLSPolicy` (v1) with the backend CAs in
 * ConfigMaps (`ca.crt`) or a Certificate Manager TrustConfig in every location its Gateways need, checked against the
 * Gateway classes it serves; plus backend protection (Cloud Armor, IAP) through `GCPBackendPolicy`.
 */
export class BackendTlsPolicy extends pulumi.ComponentResource {
  /** The BackendTLSPolicy object (not in the Pulumi schema: a generic Kubernetes CustomResource has no type token there). */
  public get policy(): k8s.apiextensions.CustomResource {
    return internals(this).policy!;
  }
  /** `metadata.name` and namespace of the BackendTLSPolicy, as plain values. */
  public readonly policyNameValue: string;
  public readonly policyNamespaceValue: string;
  public get policyName(): pulumi.Output<string> {
    return pulumi.output(this.policyNameValue);
  }
  public get policyNamespace(): pulumi.Output<string> {
    return pulumi.output(this.policyNamespaceValue);
  }
  /** ConfigMaps holding the backend CAs (ConfigMap mode). */
  public get configMapNames(): pulumi.Output<string[]> {
    return pulumi.all(internals(this).configMapNameOutputs);
  }
  /** TrustConfig ids by location (trust config mode). */
  public readonly trustConfigIds: Record<string, pulumi.Output<string>>;
  public readonly securityPolicyName?: pulumi.Output<string>;
  /**
   * The guide's verify step, as an output: the controller's conditions on the live policy, per Gateway it is attached
   * through (`<namespace>/<name>` of `status.ancestors[].ancestorRef` → condition type → status), e.g.
   * `{ "store/external-http": { Accepted: "True", ResolvedRefs: "True" } }`. Empty until the controller reports.
   */
  public readonly ancestorConditions: pulumi.Output<Record<string, Record<string, string>>>;
  /** The rendered BackendTLSPolicy, ConfigMaps and GCPBackendPolicies (never Secrets). Built on first access. */
  public get manifests(): pulumi.Output<object[]> {
    const state = internals(this);
    state.manifests ??= pulumi.all(state.manifestParts.map((part) => part())) as pulumi.Output<object[]>;
    return state.manifests;
  }

  constructor(name: string, args: BackendTlsPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKEND_TLS_POLICY_TYPE, name, {}, opts);
    // Shape first (every problem at once): no later check reads a value of the wrong type.
    const shape = shapeProblems(args, BACKEND_TLS_POLICY_ARGS_SHAPE, "");
    if (shape.length > 0) throw new ArgumentError(shape);
    const gateways: GatewayClassRef[] = [
      ...(args.gateways ?? []),
      ...(args.frontends ?? []).map((f) => ({
        className: f.gatewayClassName,
        region: f.region,
        name: f.gatewayNameValue,
        namespace: f.gatewayNamespaceValue,
      })),
    ];
    const resolved = validateBackendTlsPolicyArgs(name, args, gateways);
    // Rules that span the program's components (internal/program.ts): checked against those declared before.
    const declared = {
      component: `BackendTlsPolicy ${name}`,
      services: resolved.targets.filter((t) => t.kind === "Service").map((t) => `${args.namespace}/${t.name}`),
      cloudArmor: args.cloudArmor !== undefined,
      iap: args.iap !== undefined,
      ...(args.trustConfig !== undefined ? { trustConfigLocations: resolved.trustConfigLocations } : {}),
      gateways: gateways.map((g) => ({
        ...(g.name !== undefined ? { key: `${g.namespace ?? args.namespace}/${g.name}` } : {}),
        scope: isGlobalLoadBalancer(g.className) ? ("global" as const) : ("regional" as const),
        cdn: g.cloudCdn === true,
      })),
    };
    const conflicts = backendConflicts(declared);
    if (conflicts.length > 0) throw new ArgumentError(conflicts);
    declareBackends(declared);
    const project = args.project;
    const namespace = args.namespace;
    const configMapNames = internals(this).configMapNameOutputs;
    const trustConfigIds: Record<string, pulumi.Output<string>> = {};
    this.policyNameValue = resolved.policyName;
    this.policyNamespaceValue = namespace;

    // 1. Where the backend CAs live. ConfigMap names flow into the render as they are (one join, no Output per ref).
    let options: Record<string, string> | undefined;
    if (args.trustConfig === undefined) {
      for (const { key, data } of caConfigMapsOfSource(this, "trust", args.trust)) {
        const cm = new k8s.core.v1.ConfigMap(`${name}-ca-${key}`, { metadata: { namespace }, data }, { parent: this });
        configMapNames.push(cm.metadata.name);
        internals(this).manifestParts.push(() =>
          pulumi.output({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: cm.metadata.name, namespace }, data }),
        );
      }
    } else {
      const trustName = args.trustConfig.name ?? `${name}-backend-trust`;
      const stores = trustStoreOfSource(this, "trust", args.trust);
      for (const location of resolved.trustConfigLocations) {
        const tc = new gcp.certificatemanager.TrustConfig(
          `${name}-trust-config-${location}`,
          {
            project,
            location,
            name: trustName,
            description: `Backend CAs for BackendTLSPolicy ${resolved.policyName}`,
            trustStores: [stores],
          },
          // A fixed name (GKE finds it by name in each location): a replacement must delete the old one first.
          { parent: this, deleteBeforeReplace: true },
        );
        trustConfigIds[location] = tc.id;
      }
      options = { [BACKEND_TRUST_CONFIG_OPTION]: trustName };
    }
    this.trustConfigIds = trustConfigIds;

    // 2. The policy, waiting for Accepted and ResolvedRefs on every Gateway it is attached through.
    const verification = args.deployTimeVerification ?? {};
    const annotations: Record<string, string> =
      (verification.enabled ?? true)
        ? {
            "pulumi.com/waitFor": backendTlsWaitFor(resolved.waitOn, namespace),
            "pulumi.com/timeoutSeconds": String(verification.timeoutSeconds ?? 600),
          }
        : {};
    const source = (names: string[]): ValidationSource =>
      args.trustConfig === undefined
        ? // LocalObjectReference: group and kind have no defaults; the ConfigMaps are in the policy's namespace.
          { caCertificateRefs: names.map((n) => ({ group: "", kind: "ConfigMap", name: n })) }
        : { wellKnownCACertificates: "System" };
    const rendered = pulumi
      .all(configMapNames)
      .apply((names) => renderBackendTlsPolicy(resolved, args, namespace, annotations, source(names), options));
    internals(this).policy = new k8s.apiextensions.CustomResource(
      `${name}-policy`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "BackendTLSPolicy",
        metadata: rendered.apply((p) => p.metadata!),
        spec: rendered.apply((p) => p.spec),
        // Not sent (undefined); declared so the live status (the ancestors' conditions) is an output.
        status: undefined,
      },
      { parent: this },
    );
    const live = this.policy as unknown as { status: pulumi.Output<any> };
    // An ancestorRef without namespace is in the policy's namespace (Gateway API ParentReference defaulting).
    this.ancestorConditions = live.status.apply((status) =>
      Object.fromEntries(
        ((status?.ancestors ?? []) as any[]).map((a) => [
          `${a.ancestorRef?.namespace ?? namespace}/${a.ancestorRef?.name}`,
          Object.fromEntries(((a.conditions ?? []) as any[]).map((c) => [String(c.type), String(c.status)])),
        ]),
      ),
    );
    internals(this).manifestParts.unshift(() => rendered);

    // 3. Backend protection through GCPBackendPolicy, one per target (its targetRef is singular).
    if (args.cloudArmor || args.iap) {
      let securityPolicy: pulumi.Output<string> | undefined;
      if (args.cloudArmor) {
        securityPolicy =
          args.cloudArmor.existingPolicyName !== undefined
            ? pulumi.output(args.cloudArmor.existingPolicyName)
            : this.securityPolicy(name, args, resolved);
        this.securityPolicyName = securityPolicy;
      }
      let secretName: pulumi.Output<string> | undefined;
      if (args.iap?.clientSecret !== undefined) {
        const secret = new k8s.core.v1.Secret(
          `${name}-iap-client`,
          { metadata: { namespace }, type: "Opaque", stringData: { key: pulumi.secret(args.iap.clientSecret) } },
          { parent: this, additionalSecretOutputs: ["stringData", "data"] },
        );
        secretName = secret.metadata.name;
      } else if (args.iap?.clientSecretName !== undefined) {
        secretName = pulumi.output(args.iap.clientSecretName);
      }
      // One per backend object: GCPBackendPolicy's targetRef has no sectionName, so two entries for one Service
      // (different ports) share a policy.
      const backends = resolved.targets.filter(
        (t, i) => resolved.targets.findIndex((u) => u.kind === t.kind && u.name === t.name) === i,
      );
      for (const target of backends) {
        const spec = pulumi
          .all([securityPolicy, secretName, args.iap?.clientId])
          .apply(([armor, secret, clientId]) => ({
            default: {
              ...(armor !== undefined ? { securityPolicy: armor } : {}),
              ...(args.iap
                ? {
                    iap: {
                      enabled: true,
                      ...(clientId !== undefined ? { clientID: clientId } : {}),
                      ...(secret !== undefined ? { oauth2ClientSecret: { name: secret } } : {}),
                    },
                  }
                : {}),
            },
            targetRef: { group: target.group, kind: target.kind, name: target.name },
          }));
        const policy = new k8s.apiextensions.CustomResource(
          `${name}-backend-policy-${target.kind === "Service" ? "" : `${target.kind.toLowerCase()}-`}${target.name}`,
          { apiVersion: "networking.gke.io/v1", kind: "GCPBackendPolicy", metadata: { namespace }, spec },
          { parent: this },
        );
        internals(this).manifestParts.push(() =>
          pulumi.all([policy.metadata.name, spec]).apply(([policyName, s]) => ({
            apiVersion: "networking.gke.io/v1",
            kind: "GCPBackendPolicy",
            metadata: { name: policyName, namespace },
            spec: s,
          })),
        );
      }
    }

    // 4. HTTPS health checks (HealthCheckPolicy, one per backend object: its targetRef is singular, in the target's
    // namespace), so verified backends are probed in the protocol they serve.
    if (args.healthCheck) {
      const h = args.healthCheck;
      const probe = {
        ...(h.port !== undefined
          ? { portSpecification: "USE_FIXED_PORT", port: h.port }
          : { portSpecification: "USE_SERVING_PORT" }),
        requestPath: h.requestPath ?? "/",
      };
      const backends = resolved.targets.filter(
        (t, i) => resolved.targets.findIndex((u) => u.kind === t.kind && u.name === t.name) === i,
      );
      for (const target of backends) {
        const manifest = {
          apiVersion: "networking.gke.io/v1",
          kind: "HealthCheckPolicy",
          spec: {
            default: { config: { type: "HTTPS", httpsHealthCheck: probe } },
            targetRef: { group: target.group, kind: target.kind, name: target.name },
          },
        };
        const check = new k8s.apiextensions.CustomResource(
          `${name}-health-check-${target.kind === "Service" ? "" : `${target.kind.toLowerCase()}-`}${target.name}`,
          { ...manifest, metadata: { namespace } },
          { parent: this },
        );
        internals(this).manifestParts.push(() =>
          check.metadata.name.apply((checkName) => ({ ...manifest, metadata: { name: checkName, namespace } })),
        );
      }
    }

    this.registerOutputs({
      policyName: resolved.policyName,
      policyNamespace: namespace,
      configMapNames,
      trustConfigIds,
      securityPolicyName: this.securityPolicyName,
      ancestorConditions: this.ancestorConditions,
    });
  }

  private securityPolicy(
    name: string,
    args: BackendTlsPolicyArgs,
    resolved: ResolvedBackendPolicy,
  ): pulumi.Output<string> {
    const waf = args.cloudArmor?.preconfiguredWafRules ?? ["sqli-v33-stable", "xss-v33-stable"];
    const rules = [
      ...waf.map((rule, i) => ({
        priority: 1000 + i,
        action: "deny(403)",
        description: `Preconfigured WAF: ${rule}`,
        match: { expr: { expression: `evaluatePreconfiguredWaf('${rule}')` } },
      })),
      {
        priority: 2147483647,
        action: "allow",
        description: "Default: allow",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
      },
    ];
    const description = `Cloud Armor for the backends of ${resolved.policyName}`;
    const armor = resolved.armorScope!;
    return armor.scope === "global"
      ? new gcp.compute.SecurityPolicy(
          `${name}-security-policy`,
          { project: args.project, description, rules },
          { parent: this },
        ).name
      : new gcp.compute.RegionSecurityPolicy(
          `${name}-security-policy`,
          { project: args.project, region: armor.region, description, type: "CLOUD_ARMOR", rules },
          { parent: this },
        ).name;
  }
}

type ValidationSource = Pick<BackendTlsValidation, "caCertificateRefs" | "wellKnownCACertificates">;

/** The BackendTLSPolicy manifest (upstream `gateway.networking.k8s.io/v1`). */
export function renderBackendTlsPolicy(
  resolved: ResolvedBackendPolicy,
  args: Pick<BackendTlsPolicyArgs, "hostname" | "subjectAltNames">,
  namespace: string,
  annotations: Record<string, string>,
  source: ValidationSource,
  options: Record<string, string> | undefined,
): BackendTlsPolicyManifest {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "BackendTLSPolicy",
    metadata: { name: resolved.policyName, namespace, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      targetRefs: resolved.targets.map((t) => ({
        group: t.group,
        kind: t.kind,
        name: t.name,
        ...(t.sectionName ? { sectionName: t.sectionName } : {}),
      })),
      validation: {
        hostname: args.hostname,
        ...source,
        ...((args.subjectAltNames ?? []).length > 0
          ? {
              subjectAltNames: args.subjectAltNames!.map((s) =>
                s.type === "Hostname"
                  ? { type: "Hostname" as const, hostname: s.hostname! }
                  : { type: "URI" as const, uri: s.uri! },
              ),
            }
          : {}),
      },
      ...(options ? { options } : {}),
    },
  };
}
