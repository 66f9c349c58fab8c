import * as pulumi from "@pulumi/pulumi";
import { KeyAlgorithm } from "@gcp-mtls/components";

/** A workload that egresses through the proxy with its own SPIFFE identity. */
export interface WorkloadConfig {
  /** Path of its SPIFFE ID under the trust domain, e.g. `ns/payments/sa/processor`. */
  readonly path: string;
  /** Destination hosts it may reach. */
  readonly hosts: string[];
  /** HTTP methods. @default - any */
  readonly methods?: string[];
}

/** Everything that differs between environments, validated. */
export interface EnvironmentConfig {
  readonly project: string;
  readonly region: string;
  readonly network: string;
  readonly subnetwork: string;
  readonly trustDomain: string;
  /**
   * Where the PKI lives: `tls` (a `CertificateChain`: @pulumi/tls keys in state, for dev) or `ca-service` (a
   * `CaServiceChain`: CA Service holds the CA keys, workloads request their own certificates; no private key in state).
   */
  readonly pki: "tls" | "ca-service";
  /** The current CA generation's key (after a rotation ends: the last rotation's). @default - none */
  readonly caGeneration?: string;
  /** A CA rotation under way, for either PKI (`CaServiceChain.rotation`, or a second `CertificateChain`). @default - none */
  readonly caRotation?: { readonly generation: string; readonly phase: "STAGED" | "TRUSTED" | "ISSUING" | "RETIRED" };
  readonly keyAlgorithm: KeyAlgorithm;
  readonly leafValidityHours: number;
  readonly swpValidationMode: "REJECT_INVALID" | "ALLOW_INVALID_OR_MISSING_CLIENT_CERT";
  readonly gatewayValidationMode: "REJECT_INVALID" | "ALLOW_INVALID_OR_MISSING_CLIENT_CERT";
  readonly gatewayClass: "gke-l7-global-external-managed" | "gke-l7-regional-external-managed" | "gke-l7-rilb";
  readonly namespace: string;
  readonly edgeHostnames: string[];
  readonly minTlsVersion: "TLS_1_2" | "TLS_1_3";
  readonly workloads: Record<string, WorkloadConfig>;
  readonly backend: { readonly service: string; readonly port: number };
  readonly alertThreshold: number;
  /**
   * Roots trusted beside the PKI's own during a CA rotation, by stable key (e.g. `next-root`): the proxy and the edge
   * accept clients of either. @default {}
   */
  readonly rotationTrustAnchors?: Record<string, string>;
}

/** A stack configuration problem, named by its config key. */
export class ConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`stack config \`${key}\` ${problem}`);
    this.name = "ConfigError";
  }
}

const PROJECT = "gcp-mtls";
const REGION = /^[a-z]+(-[a-z]+)+\d+$/;
const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new ConfigError(key, `must be one of ${allowed.join(", ")}, got \`${value}\``);
  return value as T;
}

/**
 * Reads and checks the stack's configuration (`Pulumi.<stack>.yaml`, with the defaults declared in `Pulumi.yaml`).
 * Missing required keys fail with Pulumi's own "Missing required configuration variable" error.
 */
export function loadEnvironmentConfig(): EnvironmentConfig {
  const gcpConfig = new pulumi.Config("gcp");
  const config = new pulumi.Config(PROJECT);
  const k = (key: string) => `${PROJECT}:${key}`;

  const project = gcpConfig.require("project");
  const region = gcpConfig.require("region");
  if (!REGION.test(region))
    throw new ConfigError("gcp:region", `must be a Google Cloud region such as \`us-central1\`, got \`${region}\``);
  const network = config.require("network");
  if (!/^projects\/[^/]+\/global\/networks\/[^/]+$/.test(network))
    throw new ConfigError(k("network"), `must be \`projects/<project>/global/networks/<name>\`, got \`${network}\``);
  const subnetwork = config.require("subnetwork");
  const subnetRegion = /^projects\/[^/]+\/regions\/([^/]+)\/subnetworks\/[^/]+$/.exec(subnetwork)?.[1];
  if (!subnetRegion)
    throw new ConfigError(
      k("subnetwork"),
      `must be \`projects/<project>/regions/<region>/subnetworks/<name>\`, got \`${subnetwork}\``,
    );
  if (subnetRegion !== region)
    throw new ConfigError(
      k("subnetwork"),
      `is in \`${subnetRegion}\` but \`gcp:region\` is \`${region}\`; use a subnetwork of ${region}`,
    );
  const trustDomain = config.require("trustDomain");
  if (!/^[a-z0-9._-]+$/.test(trustDomain))
    throw new ConfigError(
      k("trustDomain"),
      `must be a SPIFFE trust domain (lowercase letters, digits, \`.\`, \`-\`, \`_\`), got \`${trustDomain}\``,
    );

  const pki = oneOf(k("pki"), config.get("pki") ?? "tls", ["tls", "ca-service"] as const);
  const keyAlgorithm = oneOf(
    k("keyAlgorithm"),
    config.get("keyAlgorithm") ?? "ECDSA_P256",
    Object.values(KeyAlgorithm),
  );
  if (pki === "ca-service" && keyAlgorithm === "RSA_2048") {
    throw new ConfigError(
      k("keyAlgorithm"),
      "is `RSA_2048`, too weak for this environment's CA keys (the CaServiceChain key choices are EC P-256/P-384 and RSA 3072/4096); use ECDSA_P256, ECDSA_P384, RSA_3072 or RSA_4096",
    );
  }
  // Empty (the Pulumi.yaml defaults) means none.
  const caGeneration = config.get("caGeneration") || undefined;
  const rawRotation = config.getObject<{ generation?: unknown; phase?: unknown }>("caRotation");
  const caRotation =
    rawRotation !== undefined && rawRotation !== null && Object.keys(rawRotation).length > 0 ? rawRotation : undefined;
  if (caRotation !== undefined) {
    if (typeof caRotation?.generation !== "string" || caRotation.generation === "")
      throw new ConfigError(`${k("caRotation")}.generation`, "must name the next CA generation, e.g. `g2027`");
    oneOf(`${k("caRotation")}.phase`, String(caRotation.phase), ["STAGED", "TRUSTED", "ISSUING", "RETIRED"] as const);
  }
  const leafValidityHours = config.getNumber("leafValidityHours") ?? 2160;
  if (!Number.isInteger(leafValidityHours) || leafValidityHours < 24)
    throw new ConfigError(k("leafValidityHours"), `must be a whole number of hours ≥ 24, got \`${leafValidityHours}\``);
  const swpValidationMode = oneOf(k("swpValidationMode"), config.get("swpValidationMode") ?? "REJECT_INVALID", [
    "REJECT_INVALID",
    "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
  ] as const);
  const gatewayValidationMode = oneOf(
    k("gatewayValidationMode"),
    config.get("gatewayValidationMode") ?? "REJECT_INVALID",
    ["REJECT_INVALID", "ALLOW_INVALID_OR_MISSING_CLIENT_CERT"] as const,
  );
  const gatewayClass = oneOf(k("gatewayClass"), config.get("gatewayClass") ?? "gke-l7-global-external-managed", [
    "gke-l7-global-external-managed",
    "gke-l7-regional-external-managed",
    "gke-l7-rilb",
  ] as const);
  const minTlsVersion = oneOf(k("minTlsVersion"), config.get("minTlsVersion") ?? "TLS_1_2", [
    "TLS_1_2",
    "TLS_1_3",
  ] as const);
  const namespace = config.get("namespace") ?? "mtls";
  if (!NAME.test(namespace))
    throw new ConfigError(k("namespace"), `must be a Kubernetes namespace name, got \`${namespace}\``);

  const edgeHostnames = config.requireObject<unknown>("edgeHostnames");
  if (!Array.isArray(edgeHostnames) || edgeHostnames.length === 0 || edgeHostnames.some((h) => typeof h !== "string")) {
    throw new ConfigError(k("edgeHostnames"), "must be a non-empty list of host names");
  }

  const workloads = config.requireObject<unknown>("workloads");
  if (
    workloads === null ||
    typeof workloads !== "object" ||
    Array.isArray(workloads) ||
    Object.keys(workloads).length === 0
  ) {
    throw new ConfigError(k("workloads"), "must map workload names to `{ path, hosts }`");
  }
  const backendService = (config.requireObject<{ service?: unknown }>("backend") ?? {}).service;
  for (const [name, w] of Object.entries(workloads as Record<string, any>)) {
    if (!NAME.test(name))
      throw new ConfigError(`${k("workloads")}.${name}`, "must be named with lowercase letters, digits and `-`");
    // Leaves share one namespace of keys with the proxy's, the edge's and the backend's certificates.
    if (name === "proxy" || name === backendService || name.startsWith("edge-")) {
      throw new ConfigError(
        `${k("workloads")}.${name}`,
        "is a name the environment uses for its own certificates (`proxy`, `edge-*`, the backend Service); rename the workload",
      );
    }
    if (typeof w?.path !== "string" || w.path === "" || w.path.startsWith("/")) {
      throw new ConfigError(
        `${k("workloads")}.${name}.path`,
        `must be the SPIFFE path under the trust domain, e.g. \`ns/payments/sa/processor\`, got \`${w?.path}\``,
      );
    }
    if (pki === "ca-service" && !/^ns\/[a-z0-9-]+\/sa\/[a-z0-9-]+$/.test(w.path)) {
      throw new ConfigError(
        `${k("workloads")}.${name}.path`,
        `must be \`ns/<namespace>/sa/<service account>\` with \`pki: ca-service\` (the workload requests its certificate as that Kubernetes service account), got \`${w.path}\``,
      );
    }
    if (!Array.isArray(w.hosts) || w.hosts.length === 0)
      throw new ConfigError(`${k("workloads")}.${name}.hosts`, "must list at least one destination host");
  }

  const backend = config.requireObject<{ service?: unknown; port?: unknown }>("backend");
  if (typeof backend?.service !== "string" || !NAME.test(backend.service))
    throw new ConfigError(`${k("backend")}.service`, `must be a Service name, got \`${backend?.service}\``);
  if (!Number.isInteger(backend.port))
    throw new ConfigError(`${k("backend")}.port`, `must be a port number, got \`${backend.port}\``);
  const alertThreshold = config.getNumber("alertThreshold") ?? 5;
  const rotation = config.getObject<unknown>("rotationTrustAnchors") ?? {};
  if (
    rotation === null ||
    typeof rotation !== "object" ||
    Array.isArray(rotation) ||
    Object.entries(rotation).some(([key, pem]) => !NAME.test(key) || typeof pem !== "string")
  ) {
    throw new ConfigError(
      k("rotationTrustAnchors"),
      "must map stable keys (lowercase letters, digits, `-`) to PEM root certificates",
    );
  }

  return {
    project,
    region,
    network,
    subnetwork,
    trustDomain,
    pki,
    ...(caGeneration !== undefined ? { caGeneration } : {}),
    ...(caRotation !== undefined ? { caRotation: caRotation as NonNullable<EnvironmentConfig["caRotation"]> } : {}),
    keyAlgorithm,
    leafValidityHours,
    swpValidationMode,
    gatewayValidationMode,
    gatewayClass,
    namespace,
    edgeHostnames: edgeHostnames as string[],
    minTlsVersion,
    workloads: workloads as Record<string, WorkloadConfig>,
    backend: { service: backend.service, port: backend.port as number },
    alertThreshold,
    rotationTrustAnchors: rotation as Record<string, string>,
  };
}
