import { diffSnapshots, snapshotEnvironment, type PlanSnapshot, type ResourceChange } from "@gcp-mtls/plan";
import { makeRoot, setupMocks } from "@gcp-mtls/testing";
import type { EnvironmentConfig } from "../../packages/environment/src/config";
import { deployEnvironment } from "../../packages/environment/src/environment";
import { benchConfig } from "../bench/config";

/**
 * The standard changes to one environment, each with the least a `pulumi up` must do for it under the providers'
 * upstream replacement rules: the minimum a perfect design would touch. `plan --diff` of the real components is
 * measured against it (tests/blast-radius.test.ts, `pnpm bench`).
 */
export interface StandardChange {
  readonly name: string;
  /** The environment after the change (the base is `benchConfig(0)`). */
  readonly config: (base: EnvironmentConfig) => EnvironmentConfig;
  /** `pulumi up --replace` targets (by resource name), for changes made that way. */
  readonly replace?: readonly string[];
  /** The least a deploy must do: `action type name` for every resource it must touch, and why. */
  readonly minimum: readonly MinimalStep[];
}

export interface MinimalStep {
  readonly action: "create" | "update" | "replace" | "delete";
  readonly type: string;
  readonly name: string;
  readonly why: string;
}

const T = {
  key: "tls:index/privateKey:PrivateKey",
  csr: "tls:index/certRequest:CertRequest",
  cert: "tls:index/locallySignedCert:LocallySignedCert",
  authz: "gcp:networksecurity/authzPolicy:AuthzPolicy",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  serverTls: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
  swp: "gcp:networkservices/gateway:Gateway",
  configMap: "kubernetes:core/v1:ConfigMap",
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  cmCertificate: "gcp:certificatemanager/certificate:Certificate",
  mapEntry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  metric: "gcp:logging/metric:Metric",
  alert: "gcp:monitoring/alertPolicy:AlertPolicy",
  route: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  backendTlsPolicy: "kubernetes:gateway.networking.k8s.io/v1:BackendTLSPolicy",
} as const;

/** A new root during a CA rotation (a real certificate: the components judge it). */
const NEXT_ROOT = makeRoot("env0.bench.example next root CA").pem;

export const BASE = (): EnvironmentConfig => benchConfig(0, { identities: 2, hostsPerIdentity: 1 });

export const STANDARD_CHANGES: readonly StandardChange[] = [
  {
    name: "add a workload",
    config: (c) => ({
      ...c,
      workloads: { ...c.workloads, w2: { path: "ns/team2/sa/app", hosts: ["h0.dest2.example"] } },
    }),
    minimum: [
      { action: "create", type: T.key, name: "pki-leaf-w2-key", why: "the workload's key" },
      { action: "create", type: T.csr, name: "pki-leaf-w2-csr", why: "its certificate request" },
      { action: "create", type: T.cert, name: "pki-leaf-w2", why: "its certificate" },
      { action: "create", type: T.authz, name: "egress-allow-w2", why: "its allow rule" },
    ],
  },
  {
    name: "change one workload's hosts",
    config: (c) => ({
      ...c,
      workloads: { ...c.workloads, w0: { ...c.workloads.w0!, hosts: ["h0.dest0.example", "h1.dest0.example"] } },
    }),
    minimum: [{ action: "update", type: T.authz, name: "egress-allow-w0", why: "its allow rule's hosts" }],
  },
  {
    name: "renew a leaf",
    config: (c) => c,
    replace: ["pki-leaf-w0"],
    minimum: [{ action: "replace", type: T.cert, name: "pki-leaf-w0", why: "the new certificate" }],
  },
  {
    name: "add a rotation anchor",
    config: (c) => ({ ...c, rotationTrustAnchors: { "next-root": NEXT_ROOT } }),
    minimum: [
      { action: "update", type: T.trustConfig, name: "egress-trust-config", why: "the proxy trusts the new root" },
      { action: "create", type: T.configMap, name: "edge-ca-next-root", why: "the edge's CA ConfigMap for it" },
      { action: "update", type: T.gateway, name: "edge-gateway", why: "the edge references it" },
      // The backend's certificate comes from the same PKI, so during a rotation it may be the next CA's.
      { action: "create", type: T.configMap, name: "backend-ca-next-root", why: "the backend policy's CA ConfigMap" },
      { action: "update", type: T.backendTlsPolicy, name: "backend-policy", why: "it references it" },
    ],
  },
  {
    name: "switch permissive to strict",
    config: (c) => ({ ...c, swpValidationMode: "REJECT_INVALID", gatewayValidationMode: "REJECT_INVALID" }),
    minimum: [
      {
        action: "replace",
        type: T.serverTls,
        name: "egress-server-tls-policy",
        why: "mtlsPolicy.clientValidationMode is immutable (networksecurity/ServerTlsPolicy.yaml)",
      },
      { action: "update", type: T.swp, name: "egress-gateway", why: "it names the new ServerTlsPolicy" },
      { action: "update", type: T.gateway, name: "edge-gateway", why: "the edge's validation mode" },
      // Permissive counts what it admitted unverified, strict what it refused (rule gcp.logging.mtls-request-logs).
      { action: "create", type: T.metric, name: "egress-rejected-client-certs", why: "strict counts refusals" },
      { action: "create", type: T.alert, name: "egress-rejected-client-certs-alert", why: "its alert" },
      {
        action: "delete",
        type: T.metric,
        name: "egress-unverified-client-certs",
        why: "nothing is admitted unverified",
      },
      { action: "delete", type: T.alert, name: "egress-unverified-client-certs-alert", why: "its alert" },
    ],
  },
  {
    name: "add a listener",
    config: (c) => ({ ...c, edgeHostnames: [...c.edgeHostnames, "shop.env0.bench.example"] }),
    minimum: [
      { action: "create", type: T.key, name: "pki-leaf-edge-shop-env0-bench-example-key", why: "its server key" },
      { action: "create", type: T.csr, name: "pki-leaf-edge-shop-env0-bench-example-csr", why: "its request" },
      { action: "create", type: T.cert, name: "pki-leaf-edge-shop-env0-bench-example", why: "its certificate" },
      {
        action: "create",
        type: T.cmCertificate,
        name: "edge-cert-shop-env0-bench-example",
        why: "in Certificate Manager",
      },
      { action: "create", type: T.mapEntry, name: "edge-cert-map-entry-shop-env0-bench-example", why: "its map entry" },
      { action: "update", type: T.gateway, name: "edge-gateway", why: "the new listener" },
      { action: "update", type: T.route, name: "edge-route-backend", why: "the route serves the new host name" },
    ],
  },
];

/** The permissive base the "switch permissive to strict" change starts from. */
export function baseFor(change: StandardChange): EnvironmentConfig {
  const base = BASE();
  return change.name === "switch permissive to strict"
    ? {
        ...base,
        swpValidationMode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
        gatewayValidationMode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
      }
    : base;
}

const NOW = new Date("2026-11-01T00:00:00Z");

/** One environment's symbolic plan under the recording mocks (a fresh mock environment each time). */
export async function snapshotOf(config: EnvironmentConfig): Promise<PlanSnapshot> {
  const env = await setupMocks({ project: "gcp-mtls", stack: "dev", now: () => NOW });
  deployEnvironment(config);
  await env.settled();
  if (env.failures.length > 0)
    throw new Error(`the environment would not deploy: ${env.failures.map((f) => f.message).join("; ")}`);
  return snapshotEnvironment(env, "gcp-mtls", "dev");
}

/** `action type name` for every custom resource a diff touches, sorted. */
export function touched(changes: readonly ResourceChange[]): string[] {
  return changes
    .filter((c) => c.custom && c.action !== "same")
    .map((c) => `${c.action} ${c.type} ${c.name}`)
    .sort();
}

export interface BlastRadius {
  readonly change: string;
  readonly changes: readonly ResourceChange[];
  readonly touched: readonly string[];
  readonly minimum: readonly string[];
  /** Touched beyond the minimum (a design cost), and minimum steps not taken (the change would not take effect). */
  readonly excess: readonly string[];
  readonly missing: readonly string[];
  /** Replacements that delete first: a gap in service. */
  readonly deletingFirst: readonly string[];
}

/** Plans the base and the changed environment and diffs them, as `plan --diff` does. */
export async function measureChange(change: StandardChange): Promise<BlastRadius> {
  const before = await snapshotOf(baseFor(change));
  const after = await snapshotOf(change.config(baseFor(change)));
  const replace = (change.replace ?? []).map((n) => {
    const r = after.resources.find((x) => x.name === n);
    if (!r) throw new Error(`${change.name}: no resource named ${n}`);
    return r.urn;
  });
  const changes = diffSnapshots(before, after, { now: NOW, replace });
  const got = touched(changes);
  const minimum = change.minimum.map((m) => `${m.action} ${m.type} ${m.name}`).sort();
  return {
    change: change.name,
    changes,
    touched: got,
    minimum,
    excess: got.filter((t) => !minimum.includes(t)),
    missing: minimum.filter((m) => !got.includes(m)),
    deletingFirst: changes.filter((c) => c.action === "replace" && c.deleteBeforeReplace).map((c) => c.name),
  };
}
