import { createHash } from "node:crypto";
import { checkChainRef, leavesOf } from "../internal/chain-ref";
import {
  checkCertificate,
  inspectCertificate,
  keyMatchesCertificate,
  minTlsVersionProblem,
  plannedInputProblems,
  splitCertificates as splitPemCertificates,
  Problems,
  type Problem,
} from "@gcp-mtls/rules";
import { clientCertificateAlertProblems } from "../internal/client-cert-alert";
import { ArgumentError, ProblemCollector, show } from "../internal/format";
import { checkComponentName, checkRegion } from "../internal/gcp";
import { hostnameProblem } from "../internal/san";
import { proxyOnlySubnetProblems } from "../internal/proxy-only-subnet";
import { CHAIN_ROOT_KEY, caConfigMapKeys, trustSourceProblems } from "../internal/trust-source";
import type { TrustSource } from "../vocabulary";
import {
  FRONTEND_MTLS_CLASSES,
  SERVER_TLS_CLASSES,
  type CertificateManagerCertificateArgs,
  type GatewayFrontendMtlsArgs,
  type ServerCertificateMaterial,
} from "./types";

const MAX_LISTENERS = 64;
const LISTENER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KEY_PATTERN = /^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/;

export type ServerCertificateMode = "tlsSecret" | "preSharedCertificates" | "certificateManager";

/** A certificate map entry to create: a hostname (or the PRIMARY matcher) and the certificate keys serving it. */
export interface PlannedMapEntry {
  /** Child name suffix, stable per hostname. */
  readonly role: string;
  readonly hostname?: string;
  readonly certificateKeys: string[];
}

export interface ResolvedGateway {
  readonly scope: "global" | "regional";
  readonly location: string;
  readonly namespace: string;
  readonly gatewayName: string;
  /** HTTPS listeners carry the certificates and the client validation; HTTP ones (for redirects) neither. */
  readonly listeners: { name: string; port: number; hostname?: string; protocol: "HTTPS" | "HTTP" }[];
  readonly serverCertificates: ServerCertificateMode;
  readonly mapEntries: PlannedMapEntry[];
  /** How clients are validated: Gateway API ConfigMaps, a TrustConfig annotation, or not at all (server TLS only). */
  readonly mtls: "gatewayApi" | "trustConfig" | "none";
  readonly routes: ResolvedRoute[];
  /** The SSL policy to create (undefined: none, or an existing one). */
  readonly sslPolicy?: { readonly minTlsVersion: "TLS_1_2" | "TLS_1_3"; readonly profile: "MODERN" | "RESTRICTED" };
}

/** An HTTPRoute to create, with every default applied. */
export interface ResolvedRoute {
  readonly key: string;
  readonly name: string;
  /** Listener names (sectionName), or undefined for every listener. */
  readonly listeners?: string[];
  readonly hostnames: string[];
  readonly pathPrefix: string;
  readonly backends: { service: string; port: number; weight?: number }[];
}

/** Global classes (certificate maps, global Compute resources); the others are regional (rule gke.gateway.classes). */
export function isGlobalClass(className: string): boolean {
  return className === "gke-l7-global-external-managed" || className === "gke-l7-gxlb";
}

/** Checks a Gateway's arguments before any resource exists; throws an {@link ArgumentError} naming argument, value and fix. */
export function validateGatewayFrontendMtlsArgs(name: string, args: GatewayFrontendMtlsArgs): ResolvedGateway {
  // Independent checks, every problem kept (one ArgumentError lists them all); what depends on a value that failed
  // its check is not judged (it would only repeat the problem).
  const problems = new ProblemCollector();
  // `clientValidation.mode: DISABLED` is a Gateway with server TLS only; any other mode (checked below) validates.
  const serverTlsOnly = args.clientValidation?.mode === "DISABLED";
  const classKnown = problems.run(() => {
    const className: unknown = args.gatewayClassName;
    if (typeof className === "string" && /^gke-l7-.*-mc$/.test(className)) {
      throw new ArgumentError(
        `\`gatewayClassName\` ${show(className)} is a multi-cluster class, which needs a fleet config cluster and MultiClusterServices that this component does not create; use one of ${SERVER_TLS_CLASSES.join(", ")}`,
        "gke.gateway.classes",
      );
    }
    if (!(SERVER_TLS_CLASSES as readonly unknown[]).includes(className)) {
      throw new ArgumentError(
        `\`gatewayClassName\` ${show(className)} is not a GKE GatewayClass this component deploys; use one of ${SERVER_TLS_CLASSES.join(", ")}`,
        "gke.gateway.classes",
      );
    }
    if (!serverTlsOnly && !(FRONTEND_MTLS_CLASSES as readonly unknown[]).includes(className)) {
      throw new ArgumentError(
        `\`gatewayClassName\` ${show(className)} does not support frontend mTLS; use one of ${FRONTEND_MTLS_CLASSES.join(", ")}, or set \`clientValidation.mode\` to \`DISABLED\` for server TLS only`,
        "gke.frontend-mtls.classes",
      );
    }
    return true;
  });
  const scope = isGlobalClass(args.gatewayClassName) ? "global" : "regional";
  const regionKnown =
    classKnown &&
    problems.run(() => {
      if (scope === "regional") {
        if (args.region === undefined) {
          throw new ArgumentError(
            `\`region\` is required for the regional class ${show(args.gatewayClassName)}: its certificates and trust config live in that region`,
          );
        }
        checkRegion("region", args.region);
      } else if (args.region !== undefined) {
        throw new ArgumentError(
          `\`region\` ${show(args.region)} is set but ${show(args.gatewayClassName)} is a global class; remove \`region\``,
        );
      }
      return true;
    });
  const location = scope === "global" ? "global" : (args.region ?? "");
  const namespace = args.namespace ?? "default";
  problems.run(() => {
    if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
      throw new ArgumentError(
        `\`namespace\` ${show(namespace)} is not a valid namespace name (a lowercase DNS label of at most 63 characters)`,
      );
    }
  });
  problems.run(() => {
    // Namespaces every cluster has: creating one would fail with AlreadyExists.
    if (
      args.createNamespace === true &&
      ["default", "kube-system", "kube-public", "kube-node-lease"].includes(namespace)
    ) {
      throw new ArgumentError(
        `\`createNamespace\` is true, but namespace ${show(namespace)} exists in every cluster; leave \`createNamespace\` out, or use a namespace of your own`,
      );
    }
  });
  const gatewayName = args.gatewayName ?? name;
  problems.run(() => {
    if (!LISTENER_NAME.test(gatewayName) || gatewayName.length > 253) {
      throw new ArgumentError(
        `\`gatewayName\` ${show(gatewayName)} is not a valid Kubernetes name (a lowercase DNS subdomain)`,
      );
    }
  });
  const listeners = problems.run(() => checkListeners(args));
  const annotations = args.annotations ?? {};
  for (const key of [
    "networking.gke.io/frontend-trust-config",
    "networking.gke.io/allow-invalid-or-missing-client-cert",
    "pulumi.com/waitFor",
  ]) {
    problems.run(() => {
      if (key in annotations)
        throw new ArgumentError(`\`annotations\` must not set ${show(key)}: the component sets it from its arguments`);
    });
  }
  problems.run(() => {
    if ("networking.gke.io/managed-certificates" in annotations) {
      throw new ArgumentError(
        "`annotations` sets `networking.gke.io/managed-certificates`, which the GKE Gateway controller does not support " +
          "(ManagedCertificate is an Ingress feature): give the certificates through `certificateManager` or `preSharedCertificates`",
        "gke.certificates.managed-certificate",
      );
    }
  });

  const serverCertificates = classKnown ? problems.run(() => checkServerCertificates(args, scope)) : undefined;
  const mapEntries =
    listeners !== undefined &&
    serverCertificates === "certificateManager" &&
    scope === "global" &&
    !args.certificateManager!.existingCertificateMapName
      ? (problems.run(() => planMapEntries(args, https(listeners))) ?? [])
      : [];

  const mtls = serverTlsOnly ? "none" : args.clientValidation.trustConfig !== undefined ? "trustConfig" : "gatewayApi";
  if (listeners !== undefined && regionKnown) {
    problems.run(() => checkClientValidation(args, https(listeners), location));
  }

  if (args.proxyOnlySubnet !== undefined && classKnown) {
    problems.run(() => {
      if (scope === "global") {
        throw new ArgumentError([
          {
            path: "proxyOnlySubnet",
            rule: "gcp.compute.proxy-only-subnet",
            message: `is set, but ${show(args.gatewayClassName)} is a global class, whose load balancer needs no proxy-only subnet: remove it`,
          },
        ]);
      }
      const found = proxyOnlySubnetProblems("proxyOnlySubnet", args.proxyOnlySubnet!);
      if (found.length > 0) throw new ArgumentError(found);
    });
  }
  let sslPolicy: ResolvedGateway["sslPolicy"];
  if (args.sslPolicy && classKnown) {
    sslPolicy = problems.run(() => checkSslPolicy(args.sslPolicy!, scope));
  }
  problems.run(() => {
    const timeout = args.deployTimeVerification?.timeoutSeconds;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) {
      throw new ArgumentError(
        `\`deployTimeVerification.timeoutSeconds\` must be a positive whole number, got ${show(timeout)}`,
      );
    }
  });
  if (args.rejectedCertificateAlert !== undefined) {
    problems.run(() => {
      const found = clientCertificateAlertProblems(
        "rejectedCertificateAlert",
        args.rejectedCertificateAlert!,
        args.clientValidation?.mode ?? "REJECT_INVALID",
      );
      // The metric filters on the load balancer's URL map, which the controller names on the programmed Gateway
      // (rule gke.gateway.lb-annotations): the deploy-time wait is what makes it known.
      if (args.deployTimeVerification?.enabled === false) {
        found.push({
          path: "rejectedCertificateAlert",
          rule: "gke.gateway.lb-annotations",
          message:
            "needs `deployTimeVerification`: the metric counts the log entries of this Gateway's URL map, which the GKE " +
            "controller names on the Gateway once it is programmed; remove `deployTimeVerification.enabled: false`",
        });
      }
      if (found.length > 0) throw new ArgumentError(found);
    });
  }
  const routes = listeners !== undefined ? problems.run(() => checkRoutes(args, gatewayName, listeners)) : undefined;
  problems.throwIfAny();
  // No problem kept: every check above ran and returned its value.
  const resolved = { listeners: listeners!, serverCertificates: serverCertificates!, routes: routes! };
  const roles = [
    ...resolved.routes.map((r) => `route-${r.key}`),
    "gateway-policy",
    "trust-config",
    "ssl-policy",
    "proxy-only-subnet",
    "namespace",
    ...mapEntries.map((e) => e.role),
    ...Object.keys(args.certificateManager?.certificates ?? {}).map((k) => `cert-${k}`),
  ];
  checkComponentName(
    name,
    roles.reduce((a, b) => (b.length > a.length ? b : a)),
  );
  return {
    scope,
    location,
    namespace,
    gatewayName,
    ...resolved,
    mapEntries,
    mtls,
    sslPolicy,
  };
}

/** The HTTPS listeners: the ones with certificates and client validation. */
export function https(listeners: ResolvedGateway["listeners"]): ResolvedGateway["listeners"] {
  return listeners.filter((l) => l.protocol === "HTTPS");
}

function checkListeners(args: GatewayFrontendMtlsArgs): ResolvedGateway["listeners"] {
  if (args.listeners.length === 0 || args.listeners.length > MAX_LISTENERS) {
    throw new ArgumentError(`\`listeners\` must list 1 to ${MAX_LISTENERS} listeners, got ${args.listeners.length}`);
  }
  if (!args.listeners.some((l) => (l.protocol ?? "HTTPS") === "HTTPS")) {
    throw new ArgumentError(
      "`listeners` has no HTTPS listener: client certificates are validated on HTTPS listeners only; add one " +
        "(an HTTP listener may stand beside it, for redirects)",
    );
  }
  const seen = new Map<string, number>();
  const combos = new Map<string, number>();
  return args.listeners.map((l, i) => {
    const path = `listeners[${i}]`;
    if (!LISTENER_NAME.test(l.name) || l.name.length > 253) {
      throw new ArgumentError(
        `\`${path}.name\` ${show(l.name)} must be a lowercase DNS subdomain (letters, digits, \`-\`, \`.\`)`,
      );
    }
    if (seen.has(l.name))
      throw new ArgumentError(
        `\`${path}.name\` ${show(l.name)} is also the name of \`listeners[${seen.get(l.name)}]\`; listener names must be unique`,
      );
    seen.set(l.name, i);
    const protocol = l.protocol ?? "HTTPS";
    if (protocol !== "HTTPS" && protocol !== "HTTP") {
      throw new ArgumentError(
        `\`${path}.protocol\` is ${show(protocol)}; a frontend mTLS Gateway serves \`HTTPS\` listeners (client certificates are validated there) and \`HTTP\` ones for redirects: serve this protocol from another Gateway`,
      );
    }
    if (protocol === "HTTP" && (l.tlsMode !== undefined || l.tlsOptions !== undefined)) {
      // Gateway API CEL on listeners: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']".
      throw new ArgumentError([
        {
          path: `${path}.${l.tlsMode !== undefined ? "tlsMode" : "tlsOptions"}`,
          rule: "k8s.gateway-api.cel",
          message:
            "is set on an HTTP listener, which has no TLS (the Gateway API refuses `tls` on HTTP listeners): remove it",
        },
      ]);
    }
    const mode = l.tlsMode ?? "Terminate";
    if (mode !== "Terminate") {
      throw new ArgumentError(
        `\`${path}.tlsMode\` is ${show(mode)}; frontend mTLS needs the Gateway to terminate TLS: use \`Terminate\``,
      );
    }
    const port = l.port ?? (protocol === "HTTP" ? 80 : 443);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new ArgumentError(`\`${path}.port\` must be a port number 1-65535, got ${show(port)}`);
    if (l.hostname !== undefined) {
      const problem = hostnameProblem(l.hostname, true);
      if (problem) throw new ArgumentError(`\`${path}.hostname\` ${show(l.hostname)} ${problem}`);
    }
    const combo = `${port}/${l.hostname ?? ""}`;
    if (combos.has(combo)) {
      throw new ArgumentError(
        `\`${path}\` has the same port ${port} and hostname ${show(l.hostname ?? "(any)")} as \`listeners[${combos.get(combo)}]\`; each listener needs a distinct port or hostname`,
      );
    }
    combos.set(combo, i);
    const options = l.tlsOptions ?? {};
    if (Object.keys(options).length > 16)
      throw new ArgumentError(`\`${path}.tlsOptions\` has more than 16 entries (the Gateway API limit)`);
    return { name: l.name, port, hostname: l.hostname, protocol };
  });
}

function checkMaterial(path: string, m: ServerCertificateMaterial): void {
  const fromChain = m.chain !== undefined || m.leaf !== undefined;
  const fromPems = m.certificatePem !== undefined || m.privateKeyPem !== undefined;
  if (fromChain === fromPems) {
    throw new ArgumentError(
      `\`${path}\` must be either \`chain\` + \`leaf\` or \`certificatePem\` + \`privateKeyPem\`, got ${fromChain ? "both" : "neither"}`,
    );
  }
  if (fromChain) {
    if (!m.chain || m.leaf === undefined) throw new ArgumentError(`\`${path}\` needs both \`chain\` and \`leaf\``);
    checkChainRef(`${path}.chain`, m.chain);
    const leaves = leavesOf(m.chain);
    const leaf = Object.prototype.hasOwnProperty.call(leaves, m.leaf) ? leaves[m.leaf] : undefined;
    if (!leaf)
      throw new ArgumentError(
        `\`${path}.leaf\` ${show(m.leaf)} is not a leaf of the chain; use one of ${show(Object.keys(leaves))}`,
      );
    if (!(leaf.usages ?? ["client"]).includes("server")) {
      throw new ArgumentError(
        `\`${path}.leaf\` ${show(m.leaf)} is a client-only certificate (no serverAuth); issue it with \`usages: ["server"]\``,
      );
    }
  } else if (m.certificatePem === undefined || m.privateKeyPem === undefined) {
    throw new ArgumentError(`\`${path}\` needs both \`certificatePem\` and \`privateKeyPem\``);
  } else if (typeof m.certificatePem === "string") {
    // A server certificate given as PEMs: the leaf first (its key, its EKU), then its intermediates.
    const [leaf] = splitPemCertificates(m.certificatePem);
    const problems: Problem[] = (leaf === undefined ? [] : checkCertificate(leaf, "server")).map((v) => ({
      path: `${path}.certificatePem`,
      message: v.message,
      rule: v.rule,
    }));
    if (leaf === undefined) {
      problems.push({
        path: `${path}.certificatePem`,
        message: "holds no PEM certificate",
        rule: "cert.pem.parseable",
      });
    } else if (
      typeof m.privateKeyPem === "string" &&
      !keyMatchesCertificate(inspectCertificate(leaf), m.privateKeyPem)
    ) {
      problems.push({
        path: `${path}.privateKeyPem`,
        message:
          "is not the key of the certificate's leaf (the first certificate of `certificatePem`); pass the leaf's own key",
        rule: "cert.server.key-matches",
      });
    }
    if (problems.length > 0) throw new ArgumentError(problems);
  }
}

function checkServerCertificates(args: GatewayFrontendMtlsArgs, scope: "global" | "regional"): ServerCertificateMode {
  const given = (["tlsSecret", "preSharedCertificates", "certificateManager"] as const).filter(
    (k) => args[k] !== undefined,
  );
  if (given.length !== 1) {
    throw new ArgumentError(
      `Exactly one of [tlsSecret], [preSharedCertificates] and [certificateManager] must be set, got ${given.length === 0 ? "none" : `[${given.join("], [")}]`}; ` +
        "it provides the Gateway's server certificate",
    );
  }
  const mode = given[0]!;
  const annotations = args.annotations ?? {};
  const certmapAnnotation = "networking.gke.io/certmap" in annotations;
  const optionsWith = (key: string) => args.listeners.findIndex((l) => l.tlsOptions && key in l.tlsOptions);
  if (certmapAnnotation && scope === "regional") {
    throw new ArgumentError(
      `\`annotations\` sets \`networking.gke.io/certmap\` on the regional class ${show(args.gatewayClassName)}; certificate maps serve global Gateways only: list regional certificates with \`certificateManager\``,
      "gke.certificates.certmap",
    );
  }
  const cmcIndex = optionsWith("networking.gke.io/cert-manager-certs");
  if (cmcIndex >= 0 && scope === "global") {
    throw new ArgumentError(
      `\`listeners[${cmcIndex}].tlsOptions\` sets \`networking.gke.io/cert-manager-certs\` on a global Gateway; it works for regional classes only: use a certificate map (\`certificateManager\`)`,
      "gke.certificates.cert-manager-certs",
    );
  }
  if (mode === "tlsSecret") {
    const s = args.tlsSecret!;
    if ((s.material !== undefined) === (s.existingSecretName !== undefined)) {
      throw new ArgumentError(
        `Exactly one of [tlsSecret.material] and [tlsSecret.existingSecretName] must be set, got ${s.material ? "both" : "neither"}`,
      );
    }
    if (s.material) checkMaterial("tlsSecret.material", s.material);
    if (certmapAnnotation) {
      throw new ArgumentError(
        "`annotations` sets `networking.gke.io/certmap` while [tlsSecret] makes the listeners use `tls.certificateRefs`; GKE treats the two together as an error: use one source of server certificates",
        "gke.certificates.certmap",
      );
    }
  } else if (mode === "preSharedCertificates") {
    const p = args.preSharedCertificates!;
    const managed = p.googleManagedNames ?? [];
    if (!p.material && (p.existingNames ?? []).length === 0 && managed.length === 0) {
      throw new ArgumentError(
        "[preSharedCertificates] needs `material`, or at least one of `existingNames` or `googleManagedNames`",
      );
    }
    if (managed.length > 0 && scope === "regional") {
      // Compute Engine Google-managed certificates exist as global resources only (magic-modules
      // compute/ManagedSslCertificate.yaml: base_url projects/{{project}}/global/sslCertificates).
      throw new ArgumentError([
        {
          path: "preSharedCertificates.googleManagedNames",
          rule: "gcp.compute.managed-ssl-certificate",
          message: `names Compute Engine Google-managed certificates, which are global resources that regional load balancers cannot use, but ${show(args.gatewayClassName)} is a regional class: use Certificate Manager Google-managed certificates (\`certificateManager\`) instead`,
        },
      ]);
    }
    if (p.material) {
      checkMaterial("preSharedCertificates.material", p.material);
      if (typeof p.material.certificatePem === "string") {
        const type =
          scope === "global"
            ? "gcp:compute/sSLCertificate:SSLCertificate"
            : "gcp:compute/regionSslCertificate:RegionSslCertificate";
        const problems = plannedInputProblems(type, { certificate: p.material.certificatePem });
        if (problems.length > 0)
          throw new ArgumentError(
            problems.map((pr) => ({ ...pr, path: "preSharedCertificates.material.certificatePem" })),
          );
      }
    }
    const count = (p.existingNames ?? []).length + managed.length + (p.material ? 1 : 0);
    if (count > 15) {
      throw new ArgumentError([
        {
          path: "preSharedCertificates",
          rule: "gcp.compute.target-proxy-certificates",
          message: `names ${count} SSL certificates; a load balancer's target proxy references at most 15: use Certificate Manager for more`,
        },
      ]);
    }
  } else {
    const c = args.certificateManager!;
    const created = Object.entries(c.certificates ?? {});
    created.forEach(([key, cert]) => {
      if (!KEY_PATTERN.test(key))
        throw new ArgumentError(
          `\`certificateManager.certificates\` key ${show(key)} must be 1-30 lowercase letters, digits and \`-\``,
        );
      const path = `certificateManager.certificates.${key}`;
      if ((cert.material === undefined) === (cert.googleManaged === undefined)) {
        throw new ArgumentError(
          `Exactly one of [${path}.material] and [${path}.googleManaged] must be set, got ${cert.material ? "both" : "neither"}`,
        );
      }
      if (cert.material) checkMaterial(`${path}.material`, cert.material);
      else checkGoogleManaged(`${path}.googleManaged`, cert.googleManaged!);
    });
    if (scope === "regional") {
      if (c.existingCertificateMapName !== undefined) {
        throw new ArgumentError(
          `\`certificateManager.existingCertificateMapName\` is set on the regional class ${show(args.gatewayClassName)}; certificate maps serve global Gateways only: use \`existingCertificateNames\``,
          "gke.certificates.certmap",
        );
      }
      if (created.length === 0 && (c.existingCertificateNames ?? []).length === 0) {
        throw new ArgumentError(
          "[certificateManager] needs `certificates` or `existingCertificateNames` on a regional Gateway",
        );
      }
    } else {
      if ((c.existingCertificateNames ?? []).length > 0) {
        throw new ArgumentError(
          "`certificateManager.existingCertificateNames` is set on a global Gateway, which reads certificates from a certificate map: pass `existingCertificateMapName`, or `certificates` to create the map here",
          "gke.certificates.cert-manager-certs",
        );
      }
      if ((c.existingCertificateMapName !== undefined) === created.length > 0) {
        throw new ArgumentError(
          `Exactly one of [certificateManager.certificates] and [certificateManager.existingCertificateMapName] must be set on a global Gateway, got ${created.length > 0 ? "both" : "neither"}`,
        );
      }
      if (certmapAnnotation)
        throw new ArgumentError(
          "`annotations` sets `networking.gke.io/certmap` while [certificateManager] creates the map; remove the annotation",
          "gke.certificates.certmap",
        );
    }
  }
  return mode;
}

/**
 * The DNS authorizations a Google-managed certificate needs: one per domain, a wildcard authorized through its parent
 * ("authorization for example.com can be used to issue certificates for example.com and *.example.com":
 * magic-modules certificatemanager/DnsAuthorization.yaml, `domain`).
 */
export function authorizedDomains(domains: readonly string[]): string[] {
  return [...new Set(domains.map((d) => d.replace(/^\*\./, "")))].sort();
}

function checkGoogleManaged(path: string, managed: { domains: string[] }): void {
  const problems = new Problems();
  if (managed.domains.length === 0) {
    problems.add(`${path}.domains`, "is empty; list the domains the certificate covers");
  }
  const seen = new Set<string>();
  managed.domains.forEach((domain, i) => {
    const problem = hostnameProblem(domain, true);
    if (problem) {
      problems.add(`${path}.domains[${i}]`, `${show(domain)} ${problem}; use a domain such as \`store.example.com\``);
    } else if (seen.has(domain)) {
      problems.add(`${path}.domains[${i}]`, `${show(domain)} is listed twice`);
    }
    seen.add(domain);
  });
  if (!problems.empty) throw new ArgumentError(problems.items);
}

function hostnamesOf(key: string, cert: CertificateManagerCertificateArgs): readonly string[] {
  if (cert.hostnames !== undefined) return cert.hostnames;
  if (cert.googleManaged) return cert.googleManaged.domains;
  const { chain, leaf } = cert.material!;
  if (chain && leaf) return leavesOf(chain)[leaf]!.dnsNames ?? [];
  throw new ArgumentError(
    `\`certificateManager.certificates.${key}.hostnames\` is required for a certificate given as PEMs (a chain leaf's DNS SANs are used otherwise)`,
  );
}

function covers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern.startsWith("*."))
    return host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes(".");
  return false;
}

/** Map entries: one per listener hostname with the certificates covering it; listeners without hostname use PRIMARY. */
function planMapEntries(args: GatewayFrontendMtlsArgs, listeners: ResolvedGateway["listeners"]): PlannedMapEntry[] {
  const certs = Object.entries(args.certificateManager!.certificates ?? {}).map(([key, cert]) => ({
    key,
    hostnames: hostnamesOf(key, cert),
  }));
  const entries: PlannedMapEntry[] = [];
  const hostnames = [...new Set(listeners.map((l) => l.hostname).filter((h): h is string => h !== undefined))].sort();
  for (const hostname of hostnames) {
    const keys = certs.filter((c) => c.hostnames.some((p) => covers(p, hostname))).map((c) => c.key);
    if (keys.length === 0) {
      const index = args.listeners.findIndex((l) => l.hostname === hostname);
      throw new ArgumentError(
        `\`listeners[${index}].hostname\` ${show(hostname)} is not covered by any \`certificateManager.certificates\` entry (hostnames: ${show(certs.flatMap((c) => c.hostnames))}); add a certificate for it`,
      );
    }
    const problems = plannedInputProblems("gcp:certificatemanager/certificateMapEntry:CertificateMapEntry", {
      hostname,
      certificates: keys,
    });
    if (problems.length > 0) {
      throw new ArgumentError(
        problems.map((p) => ({
          ...p,
          path: "certificateManager.certificates",
          message: `cover listener hostname ${show(hostname)} ${keys.length} times, but a certificate map entry ${p.message.replace(/^has \d+ certificates, /, "takes ")}: keep at most 15 certificates per hostname`,
        })),
      );
    }
    entries.push({ role: `cert-map-entry-${slug(hostname)}`, hostname, certificateKeys: keys });
  }
  // `a-b.example.com` and `a.b.example.com` slug alike: such hostnames get a hash in their name instead.
  const clashing = new Set(
    entries.filter((e, i) => entries.findIndex((o) => o.role === e.role) !== i).map((e) => e.role),
  );
  const named = entries.map((e) =>
    clashing.has(e.role) ? { ...e, role: `cert-map-entry-${slug(e.hostname!, true)}` } : e,
  );
  if (listeners.some((l) => l.hostname === undefined)) {
    named.push({ role: "cert-map-entry-primary", certificateKeys: [certs[0]!.key] });
  }
  return named;
}

/**
 * A stable, name-safe rendering of a hostname: `*.a.example.com` → `wildcard-a-example-com`, hashed when long (or
 * when `hashed`, for hostnames whose readable forms collide).
 */
export function slug(hostname: string, hashed = false): string {
  const s = hostname.replace(/^\*\./, "wildcard.").replace(/\./g, "-");
  if (s.length <= 24 && !hashed) return s;
  return `${s.slice(0, 16)}-${createHash("sha256").update(hostname).digest("hex").slice(0, 7)}`;
}

const MODES: readonly string[] = ["REJECT_INVALID", "ALLOW_INVALID_OR_MISSING_CLIENT_CERT"];

function checkClientValidation(
  args: GatewayFrontendMtlsArgs,
  listeners: ResolvedGateway["listeners"],
  location: string,
): void {
  const v = args.clientValidation;
  const problems = new Problems();
  if (v.mode === "DISABLED") {
    // Server TLS only: nothing of the client validation may be given (it would not apply).
    for (const field of ["trust", "perPort", "configMapNamespace", "trustConfig"] as const) {
      if (v[field] !== undefined) {
        problems.add(
          `clientValidation.${field}`,
          "is set, but `clientValidation.mode` is `DISABLED` (server TLS only: no client certificate is validated); " +
            "remove it, or validate clients with `REJECT_INVALID`",
        );
      }
    }
    if (!problems.empty) throw new ArgumentError(problems.items);
    return;
  }
  const delivery = v.trustConfig !== undefined ? "trustConfig" : "configMaps";
  const fix = "trust through a TrustConfig (`clientValidation.trustConfig`)";
  for (const [path, mode, perPort] of [
    ["clientValidation.mode", v.mode, false],
    ...(v.perPort ?? []).map((p, i) => [`clientValidation.perPort[${i}].mode`, p.mode, true]),
  ] as [string, string | undefined, boolean][]) {
    if (mode === "DISABLED" && perPort) {
      // Gateway API FrontendValidationModeType: AllowValidOnly | AllowInsecureFallback (no "off" per port).
      problems.add(
        path,
        "is `DISABLED`, but a port override validates client certificates; use `REJECT_INVALID`, or " +
          "`ALLOW_INVALID_OR_MISSING_CLIENT_CERT` while onboarding clients (serve unvalidated ports from another Gateway)",
      );
    } else if (mode !== undefined && !MODES.includes(mode)) {
      problems.add(
        path,
        `must be \`REJECT_INVALID\`, \`ALLOW_INVALID_OR_MISSING_CLIENT_CERT\`${perPort ? "" : " or `DISABLED` (server TLS only)"}, got ${show(mode)}`,
      );
    }
  }
  if (v.trust === undefined) {
    problems.add(
      "clientValidation.trust",
      "is required to validate client certificates: set `chain` or `trustAnchorPems`, or set `clientValidation.mode` to `DISABLED` for server TLS only",
    );
    throw new ArgumentError(problems.items);
  }
  problems.addAll(trustSourceProblems("clientValidation.trust", v.trust, delivery, fix));
  if (v.trustConfig !== undefined) {
    for (const field of ["perPort", "configMapNamespace"] as const) {
      if (v[field] !== undefined) {
        problems.add(
          `clientValidation.${field}`,
          "applies to ConfigMap trust, but `clientValidation.trustConfig` puts the trust in a TrustConfig, which " +
            "the Gateway applies to every listener; remove one of them",
        );
      }
    }
    const t = v.trustConfig;
    if (t.location !== undefined && t.location !== location) {
      problems.add(
        "clientValidation.trustConfig.location",
        `is ${show(t.location)}, but the TrustConfig must be in the Gateway's location ${show(location)} ` +
          `(${show(args.gatewayClassName)}); set it to ${show(location)} or leave it out`,
        "gke.frontend-mtls.trust-config-annotation",
      );
    }
    if (!problems.empty) throw new ArgumentError(problems.items);
    return;
  }
  if (
    v.configMapNamespace !== undefined &&
    (!DNS_LABEL.test(v.configMapNamespace) || v.configMapNamespace.length > 63)
  ) {
    problems.add(
      "clientValidation.configMapNamespace",
      `${show(v.configMapNamespace)} is not a valid namespace name (a DNS label)`,
    );
  }
  // ConfigMaps are named `ca-<key>` and `ca-<port>-<key>`: a default key like `8443-root` would clash.
  const configMaps = new Map<string, string>();
  const claim = (role: string, path: string) => {
    const other = configMaps.get(role);
    if (other !== undefined) {
      problems.add(path, `would name its ConfigMap like \`${other}\` (\`<name>-${role}\`); choose another key`);
    } else configMaps.set(role, path);
  };
  const keyPath = (base: string, key: string, source: TrustSource) =>
    key === CHAIN_ROOT_KEY && source.chain !== undefined ? `${base}.chain` : `${base}.trustAnchorPems.${key}`;
  for (const key of caConfigMapKeys(v.trust)) claim(`ca-${key}`, keyPath("clientValidation.trust", key, v.trust));
  const ports = new Set(listeners.map((l) => l.port));
  const seen = new Map<number, number>();
  (v.perPort ?? []).forEach((p, i) => {
    const base = `clientValidation.perPort[${i}]`;
    for (const key of caConfigMapKeys(p.trust)) claim(`ca-${p.port}-${key}`, keyPath(`${base}.trust`, key, p.trust));
    if (!ports.has(p.port)) {
      problems.add(
        `${base}.port`,
        `${p.port} is not used by any listener (ports: ${show([...ports])}); an override for it would never apply`,
      );
    }
    if (seen.has(p.port)) {
      problems.add(
        `${base}.port`,
        `${p.port} is already overridden by \`perPort[${seen.get(p.port)}]\`; one override per port`,
      );
    }
    seen.set(p.port, i);
    problems.addAll(trustSourceProblems(`${base}.trust`, p.trust, "configMaps", fix));
  });
  // In another namespace every ConfigMap is one `to` entry of the ReferenceGrant, which holds at most 16
  // (rule k8s.gateway-api.limits: gateway.networking.k8s.io_referencegrants.yaml, spec.to maxItems).
  if (
    v.configMapNamespace !== undefined &&
    v.configMapNamespace !== (args.namespace ?? "default") &&
    configMaps.size > 16
  ) {
    problems.add(
      "clientValidation.configMapNamespace",
      `${show(v.configMapNamespace)} would hold ${configMaps.size} CA ConfigMaps, and the ReferenceGrant that lets the Gateway read them lists at most 16: trust fewer CAs across namespaces, or keep the ConfigMaps in the Gateway's namespace`,
      "k8s.gateway-api.limits",
    );
  }
  if (!problems.empty) throw new ArgumentError(problems.items);
}

/** A listener hostname covers a route hostname when equal, or as a `*.` wildcard of one more label. */
function hostCovers(listener: string | undefined, host: string): boolean {
  if (listener === undefined) return true;
  if (listener === host) return true;
  if (listener.startsWith("*."))
    return host.endsWith(listener.slice(1)) && !host.slice(0, host.length - listener.length + 1).includes(".");
  return false;
}

/**
 * Routes (rule k8s.gateway-api.route-attachment): each attaches to existing listeners of this Gateway, with hostnames
 * those listeners serve (a route whose hostnames no listener matches is never accepted), and sends traffic to Service
 * ports in the Gateway's namespace.
 */
function checkRoutes(
  args: GatewayFrontendMtlsArgs,
  gatewayName: string,
  listeners: ResolvedGateway["listeners"],
): ResolvedRoute[] {
  const names = new Map<string, string>();
  return Object.entries(args.routes ?? {}).map(([key, route]) => {
    const path = `routes.${key}`;
    if (!KEY_PATTERN.test(key))
      throw new ArgumentError(
        `\`routes\` key ${show(key)} must be 1-30 lowercase letters, digits and \`-\` (it names the route)`,
      );
    const name = route.name ?? `${gatewayName}-${key}`;
    if (!LISTENER_NAME.test(name) || name.length > 253)
      throw new ArgumentError(
        `\`${path}.name\` ${show(name)} is not a valid Kubernetes name (a lowercase DNS subdomain)`,
      );
    if (names.has(name))
      throw new ArgumentError(
        `\`${path}.name\` ${show(name)} is also the name of \`routes.${names.get(name)}\`; route names must be unique`,
      );
    names.set(name, key);
    // A route sends traffic to its Services: through HTTPS listeners only, where clients are validated (an HTTP
    // listener beside them is for redirects, which the component does not route).
    const secure = https(listeners);
    const attached = route.listeners === undefined ? [...secure] : [];
    (route.listeners ?? []).forEach((l, i) => {
      const found = listeners.find((x) => x.name === l);
      if (!found)
        throw new ArgumentError(
          `\`${path}.listeners[${i}]\` ${show(l)} is not a listener of this Gateway; use one of ${show(listeners.map((x) => x.name))}`,
        );
      if (found.protocol !== "HTTPS")
        throw new ArgumentError(
          `\`${path}.listeners[${i}]\` ${show(l)} is an HTTP listener: the route would reach its Services without client validation; attach it to HTTPS listeners (${show(secure.map((x) => x.name))})`,
        );
      attached.push(found);
    });
    const hostnames: string[] = route.hostnames
      ? [...route.hostnames]
      : [...new Set(attached.flatMap((l) => (l.hostname !== undefined ? [l.hostname] : [])))];
    hostnames.forEach((h, i) => {
      const problem = hostnameProblem(h, true);
      if (problem) throw new ArgumentError(`\`${path}.hostnames[${i}]\` ${show(h)} ${problem}`);
      if (!attached.some((l) => hostCovers(l.hostname, h))) {
        throw new ArgumentError(
          `\`${path}.hostnames[${i}]\` ${show(h)} is served by none of the route's listeners (hostnames ${show(attached.map((l) => l.hostname ?? "*"))}); the Gateway would not accept the route: use a listener hostname`,
        );
      }
    });
    const pathPrefix = route.pathPrefix ?? "/";
    if (!pathPrefix.startsWith("/") || pathPrefix.includes("//"))
      throw new ArgumentError(
        `\`${path}.pathPrefix\` ${show(pathPrefix)} must be an absolute path starting with \`/\` without \`//\``,
      );
    if (!Array.isArray(route.backends) || route.backends.length === 0)
      throw new ArgumentError(`\`${path}.backends\` must list at least one Service port, got ${show(route.backends)}`);
    route.backends.forEach((b, i) => {
      if (!DNS_LABEL.test(b.service))
        throw new ArgumentError(`\`${path}.backends[${i}].service\` ${show(b.service)} is not a valid Service name`);
      if (!Number.isInteger(b.port) || b.port < 1 || b.port > 65535)
        throw new ArgumentError(`\`${path}.backends[${i}].port\` must be a port number 1-65535, got ${show(b.port)}`);
      if (b.weight !== undefined && (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 1_000_000))
        throw new ArgumentError(
          `\`${path}.backends[${i}].weight\` must be a whole number 0-1000000, got ${show(b.weight)}`,
        );
    });
    return {
      key,
      name,
      // With an HTTP listener on the Gateway, a route names its HTTPS listeners (no sectionName would attach it to all).
      ...(route.listeners !== undefined
        ? { listeners: [...route.listeners] }
        : secure.length < listeners.length
          ? { listeners: secure.map((l) => l.name) }
          : {}),
      hostnames,
      pathPrefix,
      backends: route.backends.map((b) => ({
        service: b.service,
        port: b.port,
        ...(b.weight !== undefined ? { weight: b.weight } : {}),
      })),
    };
  });
}

/** The SSL policy to create (none for an existing one), judged by Compute's rules. */
function checkSslPolicy(
  p: NonNullable<GatewayFrontendMtlsArgs["sslPolicy"]>,
  scope: "global" | "regional",
): ResolvedGateway["sslPolicy"] {
  if (p.existingName !== undefined && (p.minTlsVersion !== undefined || p.profile !== undefined)) {
    throw new ArgumentError(
      "`sslPolicy.existingName` cannot be combined with `minTlsVersion` or `profile`, which describe a policy to create",
    );
  }
  if (p.minTlsVersion !== undefined) {
    // One implementation with the policy pack (rule gcp.compute.ssl-policy.min-tls).
    const found = minTlsVersionProblem("sslPolicy.minTlsVersion", p.minTlsVersion);
    if (found) throw new ArgumentError([found]);
  }
  if (p.profile !== undefined && !["MODERN", "RESTRICTED"].includes(p.profile)) {
    throw new ArgumentError(
      `\`sslPolicy.profile\` must be \`MODERN\` or \`RESTRICTED\`, got ${show(p.profile)}; COMPATIBLE allows weak ciphers`,
    );
  }
  if (p.existingName === undefined) {
    const minTlsVersion = p.minTlsVersion ?? "TLS_1_2";
    // Compute accepts TLS 1.3 only with the RESTRICTED profile, so that is the default there (rule
    // gcp.compute.ssl-policy.tls13-restricted); an explicit other profile is refused below with the API's reason.
    const profile = p.profile ?? (minTlsVersion === "TLS_1_3" ? "RESTRICTED" : "MODERN");
    const type = scope === "global" ? "gcp:compute/sSLPolicy:SSLPolicy" : "gcp:compute/regionSslPolicy:RegionSslPolicy";
    const problems = plannedInputProblems(type, { minTlsVersion, profile });
    if (problems.length > 0) {
      throw new ArgumentError(
        problems.map((pr) => ({
          ...pr,
          path: `sslPolicy.${pr.path}`,
          message: `${pr.message}; the Compute API refuses TLS 1.3 with any other profile: set \`profile: "RESTRICTED"\` or leave it out`,
        })),
      );
    }
    return { minTlsVersion, profile };
  }
  return undefined;
}
