/**
 * Which Gateway API CRD bundle (kubernetes-sigs/gateway-api release and channel) serves which apiVersions and
 * declares which of the fields this library emits. From `config/crd/<channel>/gateway.networking.k8s.io_*.yaml` at
 * each tag (catalogue entries k8s.gateway-api.served-versions and k8s.gateway-api.frontend-validation-version).
 */
export type GatewayApiChannel = "standard" | "experimental";

export interface GatewayApiBundle {
  /** A release tag, e.g. `v1.5.1`. */
  readonly version: string;
  readonly channel: GatewayApiChannel;
}

/** The bundle the library's manifests are written for. */
export const REQUIRED_GATEWAY_API: GatewayApiBundle = { version: "v1.5.0", channel: "standard" };

/** `v1.4.1` < `v1.5.0`: numeric comparison of the dotted parts. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .replace(/^v/, "")
      .split(/[.-]/)
      .map((x) => Number.parseInt(x, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

interface Served {
  readonly kind: string;
  readonly apiVersion: string;
  /** First release serving it, per channel (absent: never in that channel). */
  readonly since: Partial<Record<GatewayApiChannel, string>>;
  /** First release no longer serving it. */
  readonly until?: Partial<Record<GatewayApiChannel, string>>;
}

const SERVED: readonly Served[] = [
  {
    kind: "Gateway",
    apiVersion: "gateway.networking.k8s.io/v1",
    since: { standard: "v1.0.0", experimental: "v1.0.0" },
  },
  {
    kind: "Gateway",
    apiVersion: "gateway.networking.k8s.io/v1beta1",
    since: { standard: "v1.0.0", experimental: "v1.0.0" },
  },
  {
    kind: "GatewayClass",
    apiVersion: "gateway.networking.k8s.io/v1",
    since: { standard: "v1.0.0", experimental: "v1.0.0" },
  },
  {
    kind: "HTTPRoute",
    apiVersion: "gateway.networking.k8s.io/v1",
    since: { standard: "v1.0.0", experimental: "v1.0.0" },
  },
  {
    kind: "HTTPRoute",
    apiVersion: "gateway.networking.k8s.io/v1beta1",
    since: { standard: "v1.0.0", experimental: "v1.0.0" },
  },
  {
    kind: "BackendTLSPolicy",
    apiVersion: "gateway.networking.k8s.io/v1",
    since: { standard: "v1.4.0", experimental: "v1.4.0" },
  },
  {
    kind: "BackendTLSPolicy",
    apiVersion: "gateway.networking.k8s.io/v1alpha3",
    since: { experimental: "v1.1.0" },
  },
  {
    kind: "ReferenceGrant",
    apiVersion: "gateway.networking.k8s.io/v1beta1",
    since: { standard: "v1.0.0", experimental: "v1.0.0" },
  },
  {
    kind: "ReferenceGrant",
    apiVersion: "gateway.networking.k8s.io/v1",
    since: { standard: "v1.5.0", experimental: "v1.5.0" },
  },
];

/** Whether the bundle serves `apiVersion` for `kind` (only Gateway API kinds are answered; others: undefined). */
export function servesGatewayApi(bundle: GatewayApiBundle, apiVersion: string, kind: string): boolean | undefined {
  if (!apiVersion.startsWith("gateway.networking.k8s.io/")) return undefined;
  const entry = SERVED.find((s) => s.kind === kind && s.apiVersion === apiVersion);
  if (!entry) return false;
  const since = entry.since[bundle.channel];
  if (since === undefined || compareVersions(bundle.version, since) < 0) return false;
  const until = entry.until?.[bundle.channel];
  return until === undefined || compareVersions(bundle.version, until) < 0;
}

/** A field the library emits whose presence in the schema depends on the bundle. */
export interface VersionedField {
  readonly kind: string;
  /** Object path, `[]` for array items: `spec.tls.frontend`. */
  readonly path: string;
  readonly since: Partial<Record<GatewayApiChannel, string>>;
  readonly until?: Partial<Record<GatewayApiChannel, string>>;
}

export const VERSIONED_FIELDS: readonly VersionedField[] = [
  // GEP-91 client certificate validation at the Gateway level (experimental v1.4.0, standard v1.5.0).
  { kind: "Gateway", path: "spec.tls.frontend", since: { standard: "v1.5.0", experimental: "v1.4.0" } },
  // spec.tls itself arrives with it: before, a Gateway had no spec.tls at all.
  { kind: "Gateway", path: "spec.tls", since: { standard: "v1.5.0", experimental: "v1.4.0" } },
  // The per-listener shape of the earlier experiment.
  {
    kind: "Gateway",
    path: "spec.listeners[].tls.frontendValidation",
    since: { experimental: "v1.1.0" },
    until: { experimental: "v1.4.0" },
  },
];

/** Whether the bundle's schema declares `field`. */
export function declares(bundle: GatewayApiBundle, field: VersionedField): boolean {
  const since = field.since[bundle.channel];
  if (since === undefined || compareVersions(bundle.version, since) < 0) return false;
  const until = field.until?.[bundle.channel];
  return until === undefined || compareVersions(bundle.version, until) < 0;
}
