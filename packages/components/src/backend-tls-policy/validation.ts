import { ArgumentError, ProblemCollector, show } from "../internal/format";
import { checkComponentName, checkRegion } from "../internal/gcp";
import { hostnameProblem, uriProblem } from "../internal/san";
import { trustSourceProblems } from "../internal/trust-source";
import { Problems } from "@gcp-mtls/rules";
import { BACKEND_TLS_CLASSES, TARGET_GROUPS, type BackendTlsPolicyArgs, type GatewayClassRef } from "./types";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GLOBAL_ONLY_TARGETS = ["Service", "ServiceImport"];
const MULTI_CLUSTER_TARGETS = ["ServiceImport", "GCPInferencePoolImport"];
const REGIONAL_SINGLE_CLUSTER = ["gke-l7-regional-external-managed", "gke-l7-rilb"];

export interface ResolvedBackendPolicy {
  readonly policyName: string;
  readonly targets: { kind: keyof typeof TARGET_GROUPS; group: string; name: string; sectionName?: string }[];
  readonly gateways: GatewayClassRef[];
  /** TrustConfig locations (trust config mode): `global` and/or regions. */
  readonly trustConfigLocations: string[];
  /** The Gateways the deploy-time check waits on (each has a route to a target). */
  readonly waitOn: { name: string; namespace: string }[];
  /** Cloud Armor scope: a global or a regional (in `region`) security policy. */
  readonly armorScope?: { scope: "global" } | { scope: "regional"; region: string };
}

/** `global` for global, multi-cluster and cross-regional Gateways; the region for regional single-cluster ones. */
export function trustConfigLocation(g: GatewayClassRef): string {
  return REGIONAL_SINGLE_CLUSTER.includes(g.className) ? g.region! : "global";
}

/** Global load balancers (global Cloud Armor policies): global external, classic and cross-region internal classes. */
export function isGlobalLoadBalancer(className: string): boolean {
  return (
    className.startsWith("gke-l7-global-external-managed") ||
    className.startsWith("gke-l7-gxlb") ||
    className === "gke-l7-cross-regional-internal-managed-mc"
  );
}

/** Checks a backend policy's arguments before any resource exists (argument, value, fix). */
export function validateBackendTlsPolicyArgs(
  name: string,
  args: BackendTlsPolicyArgs,
  gateways: GatewayClassRef[],
): ResolvedBackendPolicy {
  // Independent checks, every problem kept (one ArgumentError lists them all); what depends on a value that failed
  // its check is not judged (it would only repeat the problem).
  const problems = new ProblemCollector();
  problems.run(() => {
    if (!DNS_LABEL.test(args.namespace) || args.namespace.length > 63)
      throw new ArgumentError(`\`namespace\` ${show(args.namespace)} is not a valid namespace name`);
  });
  const policyName = args.policyName ?? name;
  problems.run(() => {
    if (!DNS_SUBDOMAIN.test(policyName) || policyName.length > 253)
      throw new ArgumentError(`\`policyName\` ${show(policyName)} is not a valid Kubernetes name`);
  });

  const gatewaysKnown = problems.run(() => checkGateways(gateways));
  const targets = gatewaysKnown ? problems.run(() => checkTargets(args, gateways)) : undefined;
  problems.run(() => checkHostnames(args));

  // CA source: one trust source, delivered as ConfigMaps (standard) or TrustConfigs (GKE option).
  const trustConfigLocations = (gatewaysKnown && problems.run(() => checkTrust(name, args, gateways))) || [];

  // Backend protection.
  const armorScope =
    gatewaysKnown && targets ? problems.run(() => checkProtection(args, gateways, targets)) : undefined;
  problems.run(() => {
    const timeout = args.deployTimeVerification?.timeoutSeconds;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) {
      throw new ArgumentError(
        `\`deployTimeVerification.timeoutSeconds\` must be a positive whole number, got ${show(timeout)}`,
      );
    }
  });
  if (args.cloudArmor && args.cloudArmor.existingPolicyName === undefined) {
    problems.run(() => checkComponentName(name, "security-policy"));
  }
  if (args.healthCheck !== undefined) {
    problems.run(() => checkHealthCheck(args, targets ?? []));
  }
  const waitOn = targets !== undefined ? problems.run(() => deployTimeWaits(args, targets)) : undefined;
  problems.throwIfAny();
  // No problem kept: every check above ran and returned its value.
  return { policyName, targets: targets!, gateways, trustConfigLocations, armorScope, waitOn: waitOn! };
}

function checkGateways(gateways: GatewayClassRef[]): true {
  if (gateways.length === 0) {
    throw new ArgumentError(
      "[gateways] and [frontends] are both empty: name the Gateway classes the backends serve, so the policy can be checked against them",
    );
  }
  gateways.forEach((g, i) => {
    if (!(BACKEND_TLS_CLASSES as readonly string[]).includes(g.className)) {
      throw new ArgumentError(
        `\`gateways[${i}].className\` ${show(g.className)} does not support backend TLS on GKE; use one of ${BACKEND_TLS_CLASSES.join(", ")}`,
        "gke.backend-tls.classes",
      );
    }
    if (REGIONAL_SINGLE_CLUSTER.includes(g.className)) {
      if (g.region === undefined)
        throw new ArgumentError(`\`gateways[${i}].region\` is required for the regional class ${show(g.className)}`);
      checkRegion(`gateways[${i}].region`, g.region);
    }
  });
  return true;
}

/** Targets: kinds per class, same namespace, distinct sectionNames. */
function checkTargets(args: BackendTlsPolicyArgs, gateways: GatewayClassRef[]): ResolvedBackendPolicy["targets"] {
  if (args.targets.length === 0 || args.targets.length > 16)
    throw new ArgumentError(`\`targets\` must list 1 to 16 backends, got ${args.targets.length}`);
  const targets = args.targets.map((t, i) => {
    const kind = t.kind ?? "Service";
    if (!(kind in TARGET_GROUPS))
      throw new ArgumentError(
        `\`targets[${i}].kind\` must be one of ${Object.keys(TARGET_GROUPS).join(", ")}, got ${show(kind)}`,
      );
    if (!DNS_SUBDOMAIN.test(t.name))
      throw new ArgumentError(`\`targets[${i}].name\` ${show(t.name)} is not a valid Kubernetes name`);
    if (t.namespace !== undefined && t.namespace !== args.namespace) {
      throw new ArgumentError(
        `\`targets[${i}].namespace\` ${show(t.namespace)} differs from the policy's namespace ${show(args.namespace)}; a BackendTLSPolicy must live in its target's namespace: set \`namespace\` to ${show(t.namespace)}`,
        "k8s.gateway-api.backend-tls-local",
      );
    }
    // ServiceImport and GCPInferencePoolImport are multi-cluster backends (exported from other clusters of the
    // fleet): only the multi-cluster classes (`-mc`) route to them (rule gke.backend-tls.import-targets).
    const singleCluster = gateways.find((g) => !g.className.endsWith("-mc"));
    if (singleCluster && MULTI_CLUSTER_TARGETS.includes(kind)) {
      throw new ArgumentError([
        {
          path: `targets[${i}].kind`,
          rule: "gke.backend-tls.import-targets",
          message: `${show(kind)} is a multi-cluster backend, but ${show(singleCluster.className)} is a single-cluster class that routes to this cluster's Services only: target the Service (or InferencePool), or serve it from the class's multi-cluster variant (\`${singleCluster.className}-mc\`)`,
        },
      ]);
    }
    const global = gateways.find((g) => g.className.startsWith("gke-l7-global-external-managed"));
    if (global && !GLOBAL_ONLY_TARGETS.includes(kind)) {
      throw new ArgumentError(
        `\`targets[${i}].kind\` ${show(kind)} is not supported behind ${show(global.className)}, which allows only Service and ServiceImport backends`,
      );
    }
    return {
      kind,
      group: TARGET_GROUPS[kind],
      name: t.name,
      ...(t.sectionName !== undefined ? { sectionName: t.sectionName } : {}),
    };
  });
  targets.forEach((a, i) =>
    targets.slice(0, i).forEach((b, j) => {
      if (a.kind === b.kind && a.name === b.name && (a.sectionName ?? "") === (b.sectionName ?? "")) {
        throw new ArgumentError(
          `\`targets[${i}]\` repeats \`targets[${j}]\` (${a.kind} ${show(a.name)}${a.sectionName ? ` section ${show(a.sectionName)}` : ""}); give each a distinct \`sectionName\` (a port name) or list it once`,
        );
      }
      if (a.kind === b.kind && a.name === b.name && (a.sectionName === undefined) !== (b.sectionName === undefined)) {
        throw new ArgumentError(
          `\`targets[${i}]\` and \`targets[${j}]\` name ${a.kind} ${show(a.name)} with and without \`sectionName\`; when a backend is listed twice, both need a sectionName`,
        );
      }
    }),
  );
  return targets;
}

/** Validation: hostname and SANs. */
function checkHostnames(args: BackendTlsPolicyArgs): void {
  if (typeof args.hostname !== "string" || args.hostname === "") {
    throw new ArgumentError(
      "`hostname` is required: it is the SNI the Gateway sends and the name the backend certificate must match",
    );
  }
  const hostProblem = hostnameProblem(args.hostname);
  if (hostProblem)
    throw new ArgumentError(
      `\`hostname\` ${show(args.hostname)} ${hostProblem}; use the backend's DNS name without wildcard`,
    );
  const sans = args.subjectAltNames ?? [];
  if (sans.length > 5)
    throw new ArgumentError(
      `\`subjectAltNames\` has ${sans.length} entries, more than the 5 a BackendTLSPolicy allows`,
    );
  sans.forEach((san, i) => {
    const path = `subjectAltNames[${i}]`;
    if (san.type === "Hostname") {
      if (san.uri !== undefined || san.hostname === undefined) {
        throw new ArgumentError(
          `\`${path}\` has \`type: Hostname\` but ${san.uri !== undefined ? `a \`uri\` ${show(san.uri)}` : "no `hostname`"}; set \`hostname\`, or use \`type: URI\``,
        );
      }
      const problem = hostnameProblem(san.hostname, true);
      if (problem) throw new ArgumentError(`\`${path}.hostname\` ${show(san.hostname)} ${problem}`);
    } else if (san.type === "URI") {
      if (san.hostname !== undefined || san.uri === undefined) {
        throw new ArgumentError(
          `\`${path}\` has \`type: URI\` but ${san.hostname !== undefined ? `a \`hostname\` ${show(san.hostname)}` : "no `uri`"}; set \`uri\` (e.g. spiffe://trust-domain/ns/app), or use \`type: Hostname\``,
        );
      }
      // The CRD: a URI of at most 253 characters with an authority (rule k8s.gateway-api.limits).
      const problem =
        (san.uri.length > 253
          ? `is ${san.uri.length} characters, more than the 253 a BackendTLSPolicy allows`
          : undefined) ??
        uriProblem(san.uri) ??
        (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.test(san.uri)
          ? undefined
          : "is not a URI with an authority (scheme://host/…)");
      if (problem)
        throw new ArgumentError(
          `\`${path}.uri\` ${show(san.uri)} ${problem}`,
          san.uri.length > 253 ? "k8s.gateway-api.limits" : undefined,
        );
    } else {
      throw new ArgumentError(
        `\`${path}.type\` must be \`Hostname\` or \`URI\`, got ${show((san as { type: unknown }).type)}`,
      );
    }
  });
}

/** The trust source, and the TrustConfig locations its delivery needs (none for ConfigMaps). */
function checkTrust(name: string, args: BackendTlsPolicyArgs, gateways: GatewayClassRef[]): string[] {
  let trustConfigLocations: string[] = [];
  const trustProblems = new Problems();
  trustProblems.addAll(
    trustSourceProblems(
      "trust",
      args.trust,
      args.trustConfig !== undefined ? "trustConfig" : "configMaps",
      "trust through TrustConfigs (`trustConfig`)",
    ),
  );
  if (args.trustConfig === undefined) {
    if (args.configMapNamespace !== undefined && args.configMapNamespace !== args.namespace) {
      trustProblems.add(
        "configMapNamespace",
        `${show(args.configMapNamespace)} differs from the policy's namespace ${show(args.namespace)}; BackendTLSPolicy cannot reference ConfigMaps in another namespace: leave it out`,
        "k8s.gateway-api.backend-tls-local",
      );
    }
  } else {
    const t = args.trustConfig;
    if (args.configMapNamespace !== undefined) {
      trustProblems.add(
        "configMapNamespace",
        "applies to ConfigMap trust, but `trustConfig` puts the trust in TrustConfigs; remove one of them",
      );
    }
    trustConfigLocations = [...new Set(gateways.map(trustConfigLocation))].sort();
    if (t.locations !== undefined) {
      const given = [...new Set(t.locations)].sort();
      if (given.join(",") !== trustConfigLocations.join(",")) {
        trustProblems.add(
          "trustConfig.locations",
          `are ${show(given)}, but TrustConfigs must be in the gateways' locations ${show(trustConfigLocations)} (global for global, multi-cluster and cross-regional Gateways, the region for regional ones); leave \`trustConfig.locations\` out to derive them`,
          "gke.backend-tls.trust-config",
        );
      }
    }
    // The TrustConfig is looked up in the Gateway's project (rule gke.backend-tls.trust-config, the GKE guide):
    // compared where both projects are known before deployment.
    const own = typeof args.project === "string" ? args.project : undefined;
    (args.frontends ?? []).forEach((f, i) => {
      const theirs = f.projectValue;
      if (theirs !== undefined && theirs !== own) {
        trustProblems.add(
          "project",
          `${own === undefined ? "is not set (the provider's project)" : `is ${show(own)}`}, but \`frontends[${i}]\` (Gateway ${f.gatewayNamespaceValue}/${f.gatewayNameValue}) is in project ${show(theirs)}; GKE looks the backend TrustConfig up in the Gateway's project: set \`project\` to ${show(theirs)}`,
          "gke.backend-tls.trust-config",
        );
      }
    });
    const trustName = t.name ?? `${name}-backend-trust`;
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(trustName)) {
      trustProblems.add(
        t.name !== undefined ? "trustConfig.name" : "trustConfig",
        `${t.name !== undefined ? "" : "gives the default TrustConfig name "}${show(trustName)}, which is not a valid Certificate Manager name (lowercase, at most 63 characters)${t.name === undefined ? "; set `trustConfig.name`" : ""}`,
      );
    }
  }
  if (!trustProblems.empty) throw new ArgumentError(trustProblems.items);
  return trustConfigLocations;
}

/** Cloud Armor and IAP: where a security policy lives, and what GKE refuses. */
function checkProtection(
  args: BackendTlsPolicyArgs,
  gateways: GatewayClassRef[],
  targets: ResolvedBackendPolicy["targets"],
): ResolvedBackendPolicy["armorScope"] {
  let armorScope: ResolvedBackendPolicy["armorScope"];
  if (args.cloudArmor) {
    const crossRegional = gateways.find((g) => g.className === "gke-l7-cross-regional-internal-managed-mc");
    if (crossRegional) {
      throw new ArgumentError([
        {
          path: "cloudArmor",
          rule: "gcp.armor.supported-load-balancers",
          message: `is set but the backends serve ${show(crossRegional.className)}, a cross-region internal Application Load Balancer, which Cloud Armor does not support; remove \`cloudArmor\` or serve these backends from another class`,
        },
      ]);
    }
    const globalGw = gateways.find((g) => isGlobalLoadBalancer(g.className));
    const regionalGw = gateways.find((g) => !isGlobalLoadBalancer(g.className));
    if (globalGw && regionalGw) {
      throw new ArgumentError([
        {
          path: "",
          rule: "gke.protection.cloud-armor-scope",
          message: `[cloudArmor] is set while the backends serve both a regional (${show(regionalGw.className)}) and a global (${show(globalGw.className)}) Gateway; GKE cannot attach a Cloud Armor backend policy to a Service behind both: create two Services and policies`,
        },
      ]);
    }
    const regions = [...new Set(gateways.map((g) => g.region))];
    if (regionalGw && regions.length > 1)
      throw new ArgumentError(`[cloudArmor] on regional Gateways needs them in one region, got ${show(regions)}`);
    armorScope = globalGw ? { scope: "global" } : { scope: "regional", region: regionalGw!.region ?? "" };
    if (armorScope.scope === "regional" && armorScope.region === "")
      throw new ArgumentError(`[cloudArmor] behind ${show(regionalGw!.className)} needs the Gateway's \`region\``);
  }
  if (args.iap) {
    const cdn = gateways.find((g) => g.cloudCdn);
    if (cdn)
      throw new ArgumentError([
        {
          path: "",
          rule: "gke.protection.iap-cdn",
          message: `[iap] is set but a Gateway of class ${show(cdn.className)} uses Cloud CDN; GKE cannot combine IAP and Cloud CDN on one Gateway: remove one of them`,
        },
      ]);
    if (args.iap.clientSecret !== undefined && args.iap.clientSecretName !== undefined) {
      throw new ArgumentError("Only one of [iap.clientSecret] and [iap.clientSecretName] can be set");
    }
    // GCPBackendPolicy: "If true, the ClientID and Oauth2ClientSecret fields must be non-empty" (rule gke.protection.iap-client).
    const missing = [
      ...(args.iap.clientId === undefined ? ["`clientId`"] : []),
      ...(args.iap.clientSecret === undefined && args.iap.clientSecretName === undefined
        ? ["a client secret (`clientSecret`, or `clientSecretName` for an existing Secret)"]
        : []),
    ];
    if (missing.length > 0) {
      throw new ArgumentError([
        {
          path: "iap",
          rule: "gke.protection.iap-client",
          message: `needs ${missing.join(" and ")}: GKE enables IAP on a backend only with an OAuth client ID and its secret; create an OAuth client for IAP and pass both`,
        },
      ]);
    }
  }
  if ((args.cloudArmor || args.iap) && targets.some((t) => !GLOBAL_ONLY_TARGETS.includes(t.kind))) {
    throw new ArgumentError(
      "[cloudArmor] and [iap] attach through GCPBackendPolicy, which targets Services and ServiceImports only; move the other targets to their own policy",
    );
  }
  return armorScope;
}

function deployTimeWaits(
  args: BackendTlsPolicyArgs,
  targets: ResolvedBackendPolicy["targets"],
): ResolvedBackendPolicy["waitOn"] {
  // The deploy-time wait must be satisfiable (k8s.gateway-api.policy-ancestors): GKE reports the policy on a Gateway
  // only once one of that Gateway's routes sends traffic to a target.
  const waitOn: { name: string; namespace: string }[] = [];
  if (args.deployTimeVerification?.enabled ?? true) {
    const services = targets.filter((t) => t.kind === "Service").map((t) => t.name);
    (args.frontends ?? []).forEach((f, i) => {
      const routed = (f.routedServices ?? []).some((s) => s.namespace === args.namespace && services.includes(s.name));
      if (!routed) {
        throw new ArgumentError([
          {
            path: `frontends[${i}]`,
            rule: "k8s.gateway-api.policy-ancestors",
            message:
              `(Gateway ${f.gatewayNamespaceValue}/${f.gatewayNameValue}) has no route to ${services.length > 0 ? `Service ${show(services.join(", "))}` : "a Service target"} in ${show(args.namespace)}; ` +
              "GKE reports a BackendTLSPolicy only on Gateways whose routes send traffic to its target, so the deploy would wait out its timeout: " +
              "add a route to that GatewayFrontendMtls (`routes`), or set `deployTimeVerification.enabled: false`",
          },
        ]);
      }
      waitOn.push({ name: f.gatewayNameValue, namespace: f.gatewayNamespaceValue });
    });
    (args.gateways ?? []).forEach((g, i) => {
      if (g.name === undefined) {
        throw new ArgumentError([
          {
            path: `gateways[${i}].name`,
            rule: "k8s.gateway-api.policy-ancestors",
            message:
              "is required while `deployTimeVerification` is enabled: the policy waits for the controller to report it on each Gateway by name " +
              "(and only a Gateway with a route to a target is reported); set the Gateway's name (and `namespace`), or set `deployTimeVerification.enabled: false`",
          },
        ]);
      }
      waitOn.push({ name: g.name, namespace: g.namespace ?? args.namespace });
    });
  }
  return waitOn;
}

/**
 * A HealthCheckPolicy's probe (gke-gateway-api apis/networking/v1/healthcheck_types.go: `requestPath` at most 2048
 * characters matching `\/[A-Za-z0-9\/\-._~%!?$&'()*+,;=:]*$`, `port` 1-65535), on targets it can attach to: a
 * Service, or a ServiceImport behind multi-cluster Gateways (GKE "Configure Gateway resources using Policies").
 */
function checkHealthCheck(args: BackendTlsPolicyArgs, targets: ResolvedBackendPolicy["targets"]): void {
  const h = args.healthCheck!;
  const problems = new Problems();
  const rule = "gke.backend.health-check-policy" as const;
  if (
    h.requestPath !== undefined &&
    (h.requestPath.length > 2048 || !/^\/[A-Za-z0-9/\-._~%!?$&'()*+,;=:]*$/.test(h.requestPath))
  ) {
    problems.add(
      "healthCheck.requestPath",
      `${show(h.requestPath)} is not a request path the HealthCheckPolicy CRD accepts (\`/\` then URL path characters, at most 2048); use one such as \`/healthz\``,
      rule,
    );
  }
  if (h.port !== undefined && (!Number.isInteger(h.port) || h.port < 1 || h.port > 65535)) {
    problems.add("healthCheck.port", `must be a port number 1-65535, got ${show(h.port)}`, rule);
  }
  const other = targets.find((t) => t.kind !== "Service" && t.kind !== "ServiceImport");
  if (other) {
    problems.add(
      "healthCheck",
      `is set, but target ${show(`${other.kind}/${other.name}`)} is no Service or ServiceImport, the only kinds a HealthCheckPolicy attaches to; configure its health check where it is defined`,
      rule,
    );
  }
  if (!problems.empty) throw new ArgumentError(problems.items);
}
