import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "@gcp-mtls/rules";
import { show } from "./format";

/**
 * What the components of one Pulumi program declared, for the GKE rules that span components: a Gateway object is
 * one per namespace and name; a Service with a Cloud Armor backend policy cannot be behind both a regional and a
 * global Gateway (rule gke.protection.cloud-armor-scope); IAP and Cloud CDN exclude each other on one Gateway (rule
 * gke.protection.iap-cdn). Each component checks its own arguments against what the program declared before it, so
 * the later of two conflicting components fails, before any resource exists, naming the earlier one.
 *
 * One registry per program: keyed by the runtime's resource monitor (the engine's, or a new one per `setMocks`).
 */
export interface DeclaredGateway {
  /** `GatewayFrontendMtls edge`. */
  readonly component: string;
  readonly namespace: string;
  /** The component creates the namespace. */
  readonly createsNamespace: boolean;
  readonly name: string;
  readonly scope: "global" | "regional";
  /** Where its load balancer looks up backend TrustConfigs: `global` or its region (rule gke.backend-tls.trust-config). */
  readonly location: string;
  /** Services its routes send traffic to (`namespace/name`). */
  readonly services: readonly string[];
}

export interface DeclaredBackends {
  /** `BackendTlsPolicy store`. */
  readonly component: string;
  /** The target Services (`namespace/name`). */
  readonly services: readonly string[];
  readonly cloudArmor: boolean;
  readonly iap: boolean;
  /** With TrustConfig trust: the locations it creates its TrustConfigs in. */
  readonly trustConfigLocations?: readonly string[];
  /** The Gateways it names: scope, and `namespace/name` when known. */
  readonly gateways: readonly { readonly key?: string; readonly scope: "global" | "regional"; readonly cdn: boolean }[];
}

interface Registry {
  readonly gateways: DeclaredGateway[];
  readonly backends: DeclaredBackends[];
}

const registries = new WeakMap<object, Registry>();
let detached: Registry = { gateways: [], backends: [] };

function registry(): Registry {
  const monitor: unknown = pulumi.runtime.getMonitor();
  if (monitor === undefined || monitor === null || typeof monitor !== "object") return detached;
  let found = registries.get(monitor);
  if (!found) {
    found = { gateways: [], backends: [] };
    registries.set(monitor, found);
  }
  return found;
}

/** Forgets what a program without a monitor declared (tests that construct outside `setMocks`). */
export function resetDetachedProgram(): void {
  detached = { gateways: [], backends: [] };
}

/** The problems a Gateway would add to the program (path relative to the component's args). */
export function gatewayConflicts(gateway: DeclaredGateway): Problem[] {
  const { gateways, backends } = registry();
  const problems: Problem[] = [];
  const key = `${gateway.namespace}/${gateway.name}`;
  const creator = gateway.createsNamespace
    ? gateways.find((g) => g.createsNamespace && g.namespace === gateway.namespace)
    : undefined;
  if (creator) {
    problems.push({
      path: "createNamespace",
      message: `is true, but ${creator.component} already creates namespace ${show(gateway.namespace)} in this program; leave \`createNamespace\` out here`,
    });
  }
  const same = gateways.find((g) => `${g.namespace}/${g.name}` === key);
  if (same) {
    problems.push({
      path: "gatewayName",
      message: `${show(gateway.name)} in namespace ${show(gateway.namespace)} is already the Gateway of ${same.component} in this program; one Kubernetes object per name: give this Gateway another \`gatewayName\` or namespace`,
    });
  }
  for (const service of gateway.services) {
    const trusted = backends.find(
      (b) =>
        b.trustConfigLocations !== undefined &&
        b.services.includes(service) &&
        !b.trustConfigLocations.includes(gateway.location),
    );
    if (trusted) {
      problems.push({
        path: "routes",
        rule: "gke.backend-tls.trust-config",
        message: `send Service ${show(service)} traffic from a Gateway in ${show(gateway.location)}, but ${trusted.component} keeps its backend CAs in TrustConfigs in ${show(trusted.trustConfigLocations)} only; GKE looks the TrustConfig up in the Gateway's location: add ${show(gateway.location)} to that policy's gateways (or \`trustConfig.locations\`)`,
      });
    }
    const scopes = new Set([gateway.scope, ...scopesInFront(service)]);
    const armor = backends.find((b) => b.cloudArmor && b.services.includes(service));
    if (armor && scopes.size > 1) {
      problems.push({
        path: "routes",
        rule: "gke.protection.cloud-armor-scope",
        message: `send Service ${show(service)} traffic from a ${gateway.scope} Gateway, but it is also behind a Gateway of the other scope in this program and ${armor.component} attaches a Cloud Armor backend policy to it; GKE cannot do both: serve it from Gateways of one scope, or create two Services and policies`,
      });
    }
  }
  return problems;
}

/** The problems a backend policy would add to the program. */
export function backendConflicts(backend: DeclaredBackends): Problem[] {
  const { gateways, backends } = registry();
  const problems: Problem[] = [];
  const ownScopes = new Set(backend.gateways.map((g) => g.scope));
  for (const service of backend.services) {
    // Every Gateway of the program in front of this Service: routes of Gateways, and other policies' Gateways.
    const scopes = new Set<"global" | "regional">([...ownScopes, ...scopesInFront(service)]);
    const armored = backend.cloudArmor || backends.some((b) => b.cloudArmor && b.services.includes(service));
    if (armored && scopes.size > 1) {
      const by = backend.cloudArmor
        ? "this policy"
        : backends.find((b) => b.cloudArmor && b.services.includes(service))!.component;
      problems.push({
        path: backend.cloudArmor ? "cloudArmor" : "targets",
        rule: "gke.protection.cloud-armor-scope",
        message: `Service ${show(service)} would be behind both a regional and a global Gateway in this program (${describeFronts(service, backend)}) while ${by} attaches a Cloud Armor backend policy to it; GKE cannot do both: serve it from Gateways of one scope, or create two Services and policies`,
      });
    }
  }
  if (backend.trustConfigLocations !== undefined) {
    for (const service of backend.services) {
      for (const g of gateways.filter((x) => x.services.includes(service))) {
        if (!backend.trustConfigLocations.includes(g.location)) {
          problems.push({
            path: "trustConfig",
            rule: "gke.backend-tls.trust-config",
            message: `creates TrustConfigs in ${show(backend.trustConfigLocations)}, but ${g.component} (in ${show(g.location)}) routes to Service ${show(service)}; GKE looks the TrustConfig up in each Gateway's location: list that Gateway in \`frontends\` or \`gateways\``,
          });
        }
      }
    }
  }
  const keys = backend.gateways.flatMap((g) => (g.key ? [g.key] : []));
  for (const key of keys) {
    const cdn =
      backend.gateways.some((g) => g.key === key && g.cdn) ||
      backends.some((b) => b.gateways.some((g) => g.key === key && g.cdn));
    const iap = backend.iap || backends.some((b) => b.iap && b.gateways.some((g) => g.key === key));
    if (cdn && iap) {
      problems.push({
        path: backend.iap ? "iap" : "gateways",
        rule: "gke.protection.iap-cdn",
        message: `Gateway ${show(key)} would combine IAP and Cloud CDN in this program (${[backend, ...backends]
          .filter((b) => b.gateways.some((g) => g.key === key))
          .map((b) => b.component)
          .join(", ")}); GKE cannot enable both on one Gateway: remove one of them`,
      });
    }
  }
  return problems;

  function describeFronts(service: string, own: DeclaredBackends): string {
    const fronts = [
      ...gateways.filter((g) => g.services.includes(service)).map((g) => `${g.component} (${g.scope})`),
      ...[own, ...backends.filter((b) => b.services.includes(service))].flatMap((b) =>
        b.gateways.length > 0
          ? [
              `${b.component === own.component ? "this policy" : b.component}: ${[...new Set(b.gateways.map((g) => g.scope))].join(" and ")}`,
            ]
          : [],
      ),
    ];
    return [...new Set(fronts)].join("; ");
  }
}

/** The scopes of the Gateways the program already put in front of a Service (routes, and policies' Gateways). */
function scopesInFront(service: string): ("global" | "regional")[] {
  const { gateways, backends } = registry();
  return [
    ...gateways.filter((g) => g.services.includes(service)).map((g) => g.scope),
    ...backends.filter((b) => b.services.includes(service)).flatMap((b) => b.gateways.map((g) => g.scope)),
  ];
}

export function declareGateway(gateway: DeclaredGateway): void {
  registry().gateways.push(gateway);
}

export function declareBackends(backend: DeclaredBackends): void {
  registry().backends.push(backend);
}
