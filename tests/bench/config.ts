import type { EnvironmentConfig } from "../../packages/environment/src/config";

export interface BenchShape {
  /** Workload identities (one client leaf and one AuthzPolicy group each). @default 2 */
  readonly identities?: number;
  /** Destination hosts per identity. @default 1 */
  readonly hostsPerIdentity?: number;
}

/** A strict, P-256 environment `i` with the given number of identities and hosts (no warnings, deterministic). */
export function benchConfig(i: number, shape: BenchShape = {}): EnvironmentConfig {
  const identities = shape.identities ?? 2;
  const hosts = shape.hostsPerIdentity ?? 1;
  const workloads = Object.fromEntries(
    Array.from({ length: identities }, (_, w) => [
      `w${w}`,
      { path: `ns/team${w}/sa/app`, hosts: Array.from({ length: hosts }, (_, h) => `h${h}.dest${w}.example`) },
    ]),
  );
  return {
    project: `bench-${i}`,
    region: "us-central1",
    network: `projects/bench-${i}/global/networks/main`,
    subnetwork: `projects/bench-${i}/regions/us-central1/subnetworks/workloads`,
    trustDomain: `env${i}.bench.example`,
    pki: "tls",
    keyAlgorithm: "ECDSA_P256",
    leafValidityHours: 2160,
    swpValidationMode: "REJECT_INVALID",
    gatewayValidationMode: "REJECT_INVALID",
    gatewayClass: "gke-l7-global-external-managed",
    namespace: `env${i}`,
    edgeHostnames: [`pay.env${i}.bench.example`],
    minTlsVersion: "TLS_1_2",
    workloads,
    backend: { service: "payments-api", port: 8443 },
    alertThreshold: 5,
  };
}
