import { checkTrustStore } from "../certificates/chain";
import { checkCertificate } from "../certificates/rules";
import type { RuleId } from "../catalogue";
import { applyDefaults, schemaProblems } from "../gcp/schema";
import { gcpResourceSchema } from "../gcp/resources";
import { show, type Problem } from "../problems";
import { tlsProviderHoursProblem } from "../tls-provider";

/**
 * Rules over raw resources as a program registers them (type token and inputs), for programs that wire
 * `@pulumi/gcp` and `@pulumi/kubernetes` by hand: the policy pack runs them, and the components' own resources pass
 * them (the pack's tests run them over every example). Each problem names its catalogue rule.
 */
export interface RawResource {
  readonly type: string;
  /** The Pulumi name (for messages). */
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, any>;
}

const SWP = "gcp:networkservices/gateway:Gateway";
const SERVER_TLS_POLICY = "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy";
const TRUST_CONFIG = "gcp:certificatemanager/trustConfig:TrustConfig";
const AUTHZ = "gcp:networksecurity/authzPolicy:AuthzPolicy";
const K8S_GATEWAY = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:Gateway$/;
const K8S_ROUTE = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:HTTPRoute$/;
const K8S_BACKEND_TLS = /^kubernetes:gateway\.networking\.k8s\.io\/v1(alpha3)?:BackendTLSPolicy$/;
const K8S_BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy";

/** The classes with frontend mTLS (gke-gateway-security guide, "Configure frontend mTLS"; rule gke.frontend-mtls.classes). */
export const FRONTEND_MTLS_GATEWAY_CLASSES: readonly string[] = [
  "gke-l7-global-external-managed",
  "gke-l7-regional-external-managed",
  "gke-l7-rilb",
];

/** Global load balancer classes (gatewayclass-capabilities); the others are regional or cross-regional. */
const GLOBAL_CLASSES = new Set([
  "gke-l7-global-external-managed",
  "gke-l7-global-external-managed-mc",
  "gke-l7-gxlb",
  "gke-l7-gxlb-mc",
]);

const p = (path: string, message: string, rule?: RuleId): Problem => ({ path, message, ...(rule ? { rule } : {}) });
const isString = (v: unknown): v is string => typeof v === "string" && v !== "";

/**
 * What the Google Cloud API refuses in a resource's inputs: its upstream schema's enums and cross-field rules, after
 * the provider's defaults (the checks the emulator applies on create). Required fields are not judged: the provider
 * fills auto-names before the API sees them.
 */
export function gcpApiProblems(r: RawResource): Problem[] {
  const schema = gcpResourceSchema(r.type);
  if (!schema) return [];
  const state = JSON.parse(JSON.stringify(r.props)) as Record<string, any>;
  applyDefaults(schema, state);
  return schemaProblems(schema, state, { required: false });
}

/** Secure Web Proxy with frontend mTLS: explicit routing, and a ServerTlsPolicy (unless the stack allows TLS only). */
export function secureWebProxyProblems(r: RawResource, opts: { readonly allowWithoutMtls?: boolean } = {}): Problem[] {
  if (r.type !== SWP || r.props.type !== "SECURE_WEB_GATEWAY") return [];
  const out: Problem[] = [];
  if (r.props.routingMode !== "EXPLICIT_ROUTING_MODE") {
    out.push(
      p(
        "routingMode",
        `is ${show(r.props.routingMode ?? "NEXT_HOP_ROUTING_MODE")}: Secure Web Proxy verifies client certificates only in explicit proxy mode; set \`EXPLICIT_ROUTING_MODE\``,
        "gcp.swp.explicit-routing",
      ),
    );
  }
  const policyLocation = locationOf(r.props.serverTlsPolicy);
  const location = r.props.location ?? "global";
  if (policyLocation !== undefined && policyLocation !== location) {
    out.push(
      p(
        "serverTlsPolicy",
        `is in ${show(policyLocation)} but the proxy is in ${show(location)}; the trust config, the ServerTlsPolicy and the proxy must share one region`,
        "gcp.swp.location-alignment",
      ),
    );
  }
  if (!isString(r.props.serverTlsPolicy) && opts.allowWithoutMtls !== true) {
    out.push(
      p(
        "serverTlsPolicy",
        "is not set: the proxy verifies no client certificate, so authorization policies cannot decide on workload identities; attach a ServerTlsPolicy with an mtlsPolicy (or allow it with `allowWithoutMtls`)",
        "gcp.swp.frontend-mtls",
      ),
    );
  }
  return out;
}

/** The location segment of `projects/*\/locations/<l>/…`, if any. */
function locationOf(id: unknown): string | undefined {
  return typeof id === "string" ? /\/locations\/([^/]+)\//.exec(id)?.[1] : undefined;
}

/**
 * A ServerTlsPolicy's client validation: `REJECT_INVALID` unless the stack allows permissive mode, a trust config for
 * it, in the policy's location (the proxy, the policy and the trust config share one region).
 */
export function serverTlsPolicyProblems(r: RawResource, opts: { readonly allowPermissive?: boolean } = {}): Problem[] {
  if (r.type !== SERVER_TLS_POLICY) return [];
  const mtls = r.props.mtlsPolicy;
  if (mtls === undefined || mtls === null) return [];
  const out: Problem[] = [];
  const mode = mtls.clientValidationMode;
  if (mode === "ALLOW_INVALID_OR_MISSING_CLIENT_CERT" && opts.allowPermissive !== true) {
    out.push(
      p(
        "mtlsPolicy.clientValidationMode",
        "is `ALLOW_INVALID_OR_MISSING_CLIENT_CERT`: clients without a valid certificate are let through; use `REJECT_INVALID` (or allow permissive mode for this stack with `allowPermissive`)",
        "gcp.mtls.permissive-mode",
      ),
    );
  }
  const trust = mtls.clientValidationTrustConfig;
  if (mode === "REJECT_INVALID" && !isString(trust)) {
    out.push(
      p(
        "mtlsPolicy.clientValidationTrustConfig",
        "is not set: `REJECT_INVALID` requires a trust config to validate against",
        "gcp.networksecurity.server-tls-policy",
      ),
    );
  }
  const location = r.props.location ?? "global";
  const trustLocation = locationOf(trust);
  if (trustLocation !== undefined && trustLocation !== location) {
    out.push(
      p(
        "mtlsPolicy.clientValidationTrustConfig",
        `is in ${show(trustLocation)} but the policy is in ${show(location)}; the trust config, the policy and the proxy must share one location`,
        "gcp.swp.location-alignment",
      ),
    );
  }
  return out;
}

/** Every certificate of a TrustConfig's trust stores meets Google Cloud's trust-store rules. */
export function trustConfigProblems(r: RawResource, now?: Date): Problem[] {
  if (r.type !== TRUST_CONFIG) return [];
  const out: Problem[] = [];
  ((r.props.trustStores ?? []) as any[]).forEach((store, i) => {
    const pems = (list: unknown) =>
      ((Array.isArray(list) ? list : []) as any[]).map((e) => e?.pemCertificate).filter(isString);
    const found = checkTrustStore(
      { trustAnchors: pems(store?.trustAnchors), intermediateCas: pems(store?.intermediateCas) },
      now ? { now } : {},
    );
    for (const f of found) out.push(p(`trustStores[${i}].${f.path}`, f.violation.message, f.violation.rule));
  });
  return out;
}

const SSL_POLICIES = new Set(["gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/regionSslPolicy:RegionSslPolicy"]);

/**
 * The minimum TLS version of a load balancer SSL policy is 1.2 or 1.3 (rule gcp.compute.ssl-policy.min-tls): the API's
 * default is TLS 1.0. The GKE Gateway component refuses the same values through this function.
 */
export function minTlsVersionProblem(path: string, value: unknown): Problem | undefined {
  if (value === "TLS_1_2" || value === "TLS_1_3") return undefined;
  return p(
    path,
    value === undefined
      ? "is not set, so the API applies `TLS_1_0`; set `TLS_1_2` or `TLS_1_3` (TLS 1.0 and 1.1 are deprecated)"
      : `must be \`TLS_1_2\` or \`TLS_1_3\`, got ${show(value)}; TLS 1.0 and 1.1 are deprecated`,
    "gcp.compute.ssl-policy.min-tls",
  );
}

/**
 * A principal granted roles/privateca.certificateRequester on a CA pool is confined to its own identities: the grant
 * carries a condition (the template form of rule gcp.privateca.requester-confinement). Google service agents
 * (`service-<number>@gcp-sa-…`, e.g. Certificate Manager's, which requests for its configured domains) are exempt.
 */
export function caRequesterProblems(r: RawResource): Problem[] {
  if (r.type !== "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember") return [];
  if (r.props.role !== "roles/privateca.certificateRequester") return [];
  const member = String(r.props.member ?? "");
  if (/^serviceAccount:service-\d+@gcp-sa-[a-z-]+\.iam\.gserviceaccount\.com$/.test(member)) return [];
  const expression = r.props.condition?.expression;
  if (typeof expression === "string" && expression.includes("privateca.googleapis.com/template")) return [];
  return [
    {
      path: "condition",
      message: `grants ${show(member)} roles/privateca.certificateRequester with no template condition: it may request any identity the pool issues; pin its SANs with a certificate template and the condition \`api.getAttribute('privateca.googleapis.com/template', '') == '<project>/-/<template>'\` (CaServiceChain \`certificateRequesters\` does)`,
      rule: "gcp.privateca.requester-confinement",
    },
  ];
}

/** SSL policies for the Gateways: TLS 1.2 or later (the API's own constraints are gcpApiProblems'). */
export function sslPolicyProblems(r: RawResource): Problem[] {
  if (!SSL_POLICIES.has(r.type)) return [];
  const found = minTlsVersionProblem("minTlsVersion", r.props.minTlsVersion);
  return found ? [found] : [];
}

const TLS_CERTIFICATES = new Set([
  "tls:index/selfSignedCert:SelfSignedCert",
  "tls:index/locallySignedCert:LocallySignedCert",
]);

/** A `@pulumi/tls` certificate's hours stay within what the provider computes (rule pulumi-tls.validity-range). */
export function tlsValidityProblems(r: RawResource): Problem[] {
  if (!TLS_CERTIFICATES.has(r.type)) return [];
  const out: Problem[] = [];
  for (const key of ["validityPeriodHours", "earlyRenewalHours"]) {
    const hours = r.props[key];
    const why = typeof hours === "number" ? tlsProviderHoursProblem(hours) : undefined;
    if (why) out.push(p(key, `${show(hours)} ${why}`, "pulumi-tls.validity-range"));
  }
  return out;
}

/**
 * IAP on a GKE backend needs its OAuth client: GCPBackendPolicy "If true, the ClientID and Oauth2ClientSecret fields
 * must be non-empty" (rule gke.protection.iap-client).
 */
export function backendPolicyIapProblems(r: RawResource): Problem[] {
  if (r.type !== K8S_BACKEND_POLICY) return [];
  const iap = r.props.spec?.default?.iap;
  if (iap?.enabled !== true) return [];
  const missing = [
    ...(isString(iap.clientID) ? [] : ["`clientID`"]),
    ...(isString(iap.oauth2ClientSecret?.name) ? [] : ["`oauth2ClientSecret.name`"]),
  ];
  return missing.length === 0
    ? []
    : [
        p(
          "spec.default.iap",
          `enables IAP without ${missing.join(" and ")}: GKE enables IAP on a backend only with an OAuth client ID and the Secret holding its secret`,
          "gke.protection.iap-client",
        ),
      ];
}

const SERVER_CERTIFICATES: Readonly<Record<string, (props: Record<string, any>) => [string, unknown]>> = {
  "gcp:certificatemanager/certificate:Certificate": (props) => [
    "selfManaged.pemCertificate",
    props.selfManaged?.pemCertificate,
  ],
  "gcp:compute/sSLCertificate:SSLCertificate": (props) => ["certificate", props.certificate],
  "gcp:compute/regionSslCertificate:RegionSslCertificate": (props) => ["certificate", props.certificate],
};

/**
 * A server certificate uploaded to Certificate Manager or Compute Engine: its leaf (the first PEM) is one a TLS client
 * accepts as a server certificate (rules cert.leaf.*; a self-signed server certificate is allowed, as the GKE guide's).
 */
export function serverCertificateProblems(r: RawResource, now?: Date): Problem[] {
  const field = SERVER_CERTIFICATES[r.type];
  if (!field) return [];
  const [path, pem] = field(r.props);
  if (!isString(pem)) return [];
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0] ?? pem;
  return checkCertificate(first, "server", now ? { now } : {}).map((v) => p(path, v.message, v.rule));
}

/** AuthzPolicy principals are exact client-certificate identities (rule gcp.networksecurity.authz-policy.exact-principals). */
export function authzPrincipalProblems(r: RawResource): Problem[] {
  if (r.type !== AUTHZ) return [];
  const out: Problem[] = [];
  ((r.props.httpRules ?? []) as any[]).forEach((rule, i) => {
    for (const side of ["from", "to"] as const) {
      ((rule?.[side]?.sources ?? []) as any[]).forEach((source, j) => {
        ((source?.principals ?? []) as any[]).forEach((principal, k) => {
          const path = `httpRules[${i}].${side}.sources[${j}].principals[${k}]`;
          const selector = principal?.principalSelector;
          if (typeof selector === "string" && !selector.startsWith("CLIENT_CERT_")) {
            out.push(
              p(
                `${path}.principalSelector`,
                `is ${show(selector)}: a frontend-mTLS identity is read from the verified client certificate; use \`CLIENT_CERT_URI_SAN\`, \`CLIENT_CERT_DNS_NAME_SAN\` or \`CLIENT_CERT_COMMON_NAME\``,
                "gcp.networksecurity.authz-policy.exact-principals",
              ),
            );
          }
          const matchers = Object.keys(principal?.principal ?? {}).filter((m) => m !== "ignoreCase");
          if (matchers.some((m) => m !== "exact")) {
            out.push(
              p(
                `${path}.principal`,
                `matches with ${matchers.filter((m) => m !== "exact").join(", ")}: identities must match exactly (\`principal.exact\`); a prefix or pattern lets other identities in`,
                "gcp.networksecurity.authz-policy.exact-principals",
              ),
            );
          }
        });
      });
    }
  });
  return out;
}

/**
 * An HTTPS listener of a Gateway on a frontend-mTLS class validates client certificates: `spec.tls.frontend`
 * (default or the listener's port) or the `networking.gke.io/frontend-trust-config` annotation. Gateways listed as
 * `namespace/name` in `serverTlsOnly` are exempt (the guide's server-TLS Gateways).
 */
export function gatewayClientValidationProblems(
  r: RawResource,
  opts: { readonly serverTlsOnly?: readonly string[]; readonly allowPermissive?: boolean } = {},
): Problem[] {
  if (!K8S_GATEWAY.test(r.type)) return [];
  const className = r.props.spec?.gatewayClassName;
  if (!FRONTEND_MTLS_GATEWAY_CLASSES.includes(className)) return [];
  const key = `${r.props.metadata?.namespace ?? "default"}/${r.props.metadata?.name}`;
  if ((opts.serverTlsOnly ?? []).includes(key)) return [];
  const annotations = r.props.metadata?.annotations ?? {};
  const out: Problem[] = [];
  if (annotations["networking.gke.io/allow-invalid-or-missing-client-cert"] === "true" && !opts.allowPermissive) {
    out.push(
      p(
        "metadata.annotations.networking.gke.io/allow-invalid-or-missing-client-cert",
        "is `true`: clients without a valid certificate are let through; remove it (or allow permissive mode with `allowPermissive`)",
        "gcp.mtls.permissive-mode",
      ),
    );
  }
  if (isString(annotations["networking.gke.io/frontend-trust-config"])) return out;
  const frontend = r.props.spec?.tls?.frontend;
  const validates = (v: any) => Array.isArray(v?.caCertificateRefs) && v.caCertificateRefs.length > 0;
  const perPort = new Map<number, any>(
    ((frontend?.perPort ?? []) as any[]).map((pp) => [pp?.port, pp?.tls?.validation]),
  );
  ((r.props.spec?.listeners ?? []) as any[]).forEach((l, i) => {
    if (l?.protocol !== "HTTPS") return;
    const validation = perPort.get(l.port) ?? frontend?.default?.validation;
    if (!validates(validation)) {
      out.push(
        p(
          `spec.listeners[${i}]`,
          `(${show(l.name)}, port ${l.port}) on the frontend-mTLS class ${show(className)} validates no client certificate: set \`spec.tls.frontend.default.validation.caCertificateRefs\` or the \`networking.gke.io/frontend-trust-config\` annotation, or list ${show(key)} in \`serverTlsOnly\``,
          "gke.frontend-mtls.classes",
        ),
      );
    } else if (validation.mode === "AllowInsecureFallback" && !opts.allowPermissive) {
      out.push(
        p(
          `spec.listeners[${i}]`,
          `(${show(l.name)}) validates with \`AllowInsecureFallback\`: clients without a valid certificate are let through; use \`AllowValidOnly\` (or allow permissive mode with \`allowPermissive\`)`,
          "gcp.mtls.permissive-mode",
        ),
      );
    }
  });
  return out;
}

// --- stack rules: across resources ---------------------------------------------------------------------------------

/** A stack problem: which resource it is about, and the problem. */
export interface StackProblem extends Problem {
  readonly urn: string;
}

const nsName = (r: RawResource) => `${r.props.metadata?.namespace ?? "default"}/${r.props.metadata?.name}`;

/** `namespace/name` of every Service a route sends to, with the `namespace/name` of each Gateway it attaches to. */
function routedServices(resources: readonly RawResource[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const route of resources.filter((r) => K8S_ROUTE.test(r.type))) {
    const ns = route.props.metadata?.namespace ?? "default";
    const gateways = ((route.props.spec?.parentRefs ?? []) as any[])
      .filter((ref) => (ref?.kind ?? "Gateway") === "Gateway")
      .map((ref) => `${ref.namespace ?? ns}/${ref.name}`);
    for (const rule of (route.props.spec?.rules ?? []) as any[]) {
      for (const b of (rule?.backendRefs ?? []) as any[]) {
        const kind = b?.kind ?? "Service";
        const key = `${kind}:${b?.namespace ?? ns}/${b?.name}`;
        const set = out.get(key) ?? new Set<string>();
        gateways.forEach((g) => set.add(g));
        out.set(key, set);
      }
    }
  }
  return out;
}

/**
 * A Service with a Cloud Armor backend policy cannot be behind both a regional and a global Gateway (rule
 * gke.protection.cloud-armor-scope).
 */
export function cloudArmorScopeProblems(resources: readonly RawResource[]): StackProblem[] {
  const classes = new Map(
    resources.filter((r) => K8S_GATEWAY.test(r.type)).map((g) => [nsName(g), String(g.props.spec?.gatewayClassName)]),
  );
  const fronts = routedServices(resources);
  const out: StackProblem[] = [];
  for (const policy of resources.filter((r) => r.type === K8S_BACKEND_POLICY)) {
    if (!isString(policy.props.spec?.default?.securityPolicy)) continue;
    const target = policy.props.spec?.targetRef ?? {};
    const ns = target.namespace ?? policy.props.metadata?.namespace ?? "default";
    const gateways = [...(fronts.get(`${target.kind ?? "Service"}:${ns}/${target.name}`) ?? [])];
    const scopes = new Set(
      gateways.flatMap((g) => (classes.has(g) ? [GLOBAL_CLASSES.has(classes.get(g)!) ? "global" : "regional"] : [])),
    );
    if (scopes.size > 1) {
      out.push({
        urn: policy.urn,
        path: "spec.default.securityPolicy",
        rule: "gke.protection.cloud-armor-scope",
        message: `attaches Cloud Armor to ${target.kind ?? "Service"} ${show(`${ns}/${target.name}`)}, which is behind both regional and global Gateways (${gateways.join(", ")}); GKE cannot do both: serve it from Gateways of one scope, or create two Services and policies`,
      });
    }
  }
  return out;
}

/**
 * Secure Web Proxy with only DENY authorization policies allows every other request (rule
 * gcp.networksecurity.authz-policy.deny-only): a proxy with frontend mTLS needs at least one ALLOW policy.
 */
export function authzFailsOpenProblems(resources: readonly RawResource[], project?: string): StackProblem[] {
  const policies = resources.filter((r) => r.type === AUTHZ);
  const out: StackProblem[] = [];
  for (const gw of resources.filter((r) => r.type === SWP && r.props.type === "SECURE_WEB_GATEWAY")) {
    if (!isString(gw.props.serverTlsPolicy)) continue;
    const suffix = `/locations/${gw.props.location ?? "global"}/gateways/${gw.props.name}`;
    const targeting = policies.filter((a) =>
      ((a.props.target?.resources ?? []) as unknown[]).some(
        (t) =>
          typeof t === "string" &&
          t.endsWith(suffix) &&
          (project === undefined || gw.props.project === undefined || t.startsWith(`projects/${gw.props.project}/`)),
      ),
    );
    if (targeting.length > 0 && !targeting.some((a) => a.props.action === "ALLOW")) {
      out.push({
        urn: gw.urn,
        path: "",
        rule: "gcp.networksecurity.authz-policy.deny-only",
        message: `Secure Web Proxy ${show(gw.props.name)} has only DENY authorization policies (${targeting.map((a) => a.name).join(", ")}): with no ALLOW policy it allows every request no DENY policy matches; add an ALLOW policy per identity`,
      });
    }
  }
  return out;
}

/** The classes with backend TLS (rule gke.backend-tls.classes); the global ones take Service / ServiceImport only. */
const BACKEND_TLS_CLASSES = new Set([
  "gke-l7-global-external-managed",
  "gke-l7-global-external-managed-mc",
  "gke-l7-regional-external-managed",
  "gke-l7-regional-external-managed-mc",
  "gke-l7-rilb",
  "gke-l7-rilb-mc",
  "gke-l7-cross-regional-internal-managed-mc",
]);

/**
 * BackendTLSPolicy targets as the Gateways routing to them allow: imports (ServiceImport, GCPInferencePoolImport)
 * need multi-cluster (`-mc`) classes (rule gke.backend-tls.import-targets); the class must support backend TLS, and
 * the global ones accept Service and ServiceImport targets only (rule gke.backend-tls.classes).
 */
export function backendTlsImportTargetProblems(resources: readonly RawResource[]): StackProblem[] {
  const classes = new Map(
    resources.filter((r) => K8S_GATEWAY.test(r.type)).map((g) => [nsName(g), String(g.props.spec?.gatewayClassName)]),
  );
  const fronts = routedServices(resources);
  const out: StackProblem[] = [];
  for (const policy of resources.filter((r) => K8S_BACKEND_TLS.test(r.type))) {
    const ns = policy.props.metadata?.namespace ?? "default";
    ((policy.props.spec?.targetRefs ?? []) as any[]).forEach((t, i) => {
      const routed = [...(fronts.get(`${t?.kind}:${ns}/${t?.name}`) ?? [])].filter((g) => classes.has(g));
      for (const g of routed) {
        const className = classes.get(g)!;
        const unsupported = !BACKEND_TLS_CLASSES.has(className);
        const globalKind = GLOBAL_CLASSES.has(className) && t.kind !== "Service" && t.kind !== "ServiceImport";
        if (unsupported || globalKind) {
          out.push({
            urn: policy.urn,
            path: `spec.targetRefs[${i}]`,
            rule: "gke.backend-tls.classes",
            message: unsupported
              ? `targets ${t.kind} ${show(`${ns}/${t.name}`)}, routed from ${g} of class ${show(className)}, which has no backend TLS; use a class that does (gke-l7-global-external-managed, -regional-external-managed, -rilb, their -mc variants)`
              : `targets the ${t.kind} ${show(`${ns}/${t.name}`)}, routed from ${g} of the global class ${show(className)}, which accepts Service and ServiceImport targets only`,
          });
        }
      }
      if (t?.kind !== "ServiceImport" && t?.kind !== "GCPInferencePoolImport") return;
      const single = [...(fronts.get(`${t.kind}:${ns}/${t.name}`) ?? [])].filter(
        (g) => classes.has(g) && !classes.get(g)!.endsWith("-mc"),
      );
      if (single.length > 0) {
        out.push({
          urn: policy.urn,
          path: `spec.targetRefs[${i}]`,
          rule: "gke.backend-tls.import-targets",
          message: `targets the ${t.kind} ${show(`${ns}/${t.name}`)}, routed from the single-cluster Gateway(s) ${single.map((g) => `${g} (${classes.get(g)})`).join(", ")}; imports are multi-cluster backends: use a \`-mc\` class, or target the Service`,
        });
      }
    });
  }
  return out;
}

const K8S_CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/**
 * Every ConfigMap a Gateway's client validation or a BackendTLSPolicy names holds, under `ca.crt`, CA certificates
 * that meet the trust-store rules (rules k8s.gateway-api.ca-configmap and cert.*); a reference to a ConfigMap the stack
 * does not create is not judged (it may exist already).
 */
export function caConfigMapProblems(resources: readonly RawResource[], now?: Date): StackProblem[] {
  const maps = new Map(resources.filter((r) => r.type === K8S_CONFIG_MAP).map((m) => [nsName(m), m]));
  const out: StackProblem[] = [];
  const judge = (owner: RawResource, path: string, ref: any, ns: string) => {
    if ((ref?.kind ?? "ConfigMap") !== "ConfigMap") return;
    const map = maps.get(`${ref.namespace ?? ns}/${ref.name}`);
    if (!map) return;
    const pem = map.props.data?.["ca.crt"];
    if (!isString(pem)) {
      out.push({
        urn: map.urn,
        path: "data.ca.crt",
        rule: "k8s.gateway-api.ca-configmap",
        message: `is missing: ${owner.name} (\`${path}\`) reads its CA certificates from \`ca.crt\``,
      });
      return;
    }
    const anchors = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (anchors.length === 0) {
      out.push({
        urn: map.urn,
        path: "data.ca.crt",
        rule: "k8s.gateway-api.ca-configmap",
        message: `holds no PEM certificate, but ${owner.name} (\`${path}\`) validates against it`,
      });
      return;
    }
    for (const f of checkTrustStore({ trustAnchors: anchors, intermediateCas: [] }, now ? { now } : {})) {
      out.push({
        urn: map.urn,
        path: `data.ca.crt (${f.path.replace("trustAnchors", "certificate ")})`,
        rule: f.violation.rule,
        message: f.violation.message,
      });
    }
  };
  for (const gw of resources.filter((r) => K8S_GATEWAY.test(r.type))) {
    const ns = gw.props.metadata?.namespace ?? "default";
    const frontend = gw.props.spec?.tls?.frontend;
    ((frontend?.default?.validation?.caCertificateRefs ?? []) as any[]).forEach((ref, i) =>
      judge(gw, `spec.tls.frontend.default.validation.caCertificateRefs[${i}]`, ref, ns),
    );
    ((frontend?.perPort ?? []) as any[]).forEach((pp, j) =>
      ((pp?.tls?.validation?.caCertificateRefs ?? []) as any[]).forEach((ref, i) =>
        judge(gw, `spec.tls.frontend.perPort[${j}].tls.validation.caCertificateRefs[${i}]`, ref, ns),
      ),
    );
  }
  for (const policy of resources.filter((r) => K8S_BACKEND_TLS.test(r.type))) {
    const ns = policy.props.metadata?.namespace ?? "default";
    ((policy.props.spec?.validation?.caCertificateRefs ?? []) as any[]).forEach((ref, i) =>
      judge(policy, `spec.validation.caCertificateRefs[${i}]`, ref, ns),
    );
  }
  return out;
}

/**
 * A Gateway that validates clients through the `networking.gke.io/frontend-trust-config` annotation needs that
 * TrustConfig in `global` for a global class and in the Gateway's region for a regional one (rule
 * gke.frontend-mtls.trust-config-annotation): when the stack creates TrustConfigs of that name, one must be in a
 * location the class can use. A name the stack does not create is not judged.
 */
export function frontendTrustConfigLocationProblems(resources: readonly RawResource[]): StackProblem[] {
  const trustConfigs = resources.filter((r) => r.type === TRUST_CONFIG);
  const out: StackProblem[] = [];
  for (const gw of resources.filter((r) => K8S_GATEWAY.test(r.type))) {
    const name = gw.props.metadata?.annotations?.["networking.gke.io/frontend-trust-config"];
    if (!isString(name)) continue;
    const className = String(gw.props.spec?.gatewayClassName);
    const named = trustConfigs.filter((t) => t.props.name === name);
    if (named.length === 0) continue;
    const global = GLOBAL_CLASSES.has(className);
    const usable = named.some((t) => ((t.props.location ?? "global") === "global") === global);
    if (!usable) {
      out.push({
        urn: gw.urn,
        path: "metadata.annotations.networking.gke.io/frontend-trust-config",
        rule: "gke.frontend-mtls.trust-config-annotation",
        message: `names the TrustConfig ${show(name)}, which this stack creates only in ${named.map((t) => show(t.props.location ?? "global")).join(", ")}; the ${global ? "global" : "regional"} class ${show(className)} needs it ${global ? "in `global`" : "in the Gateway's region"}`,
      });
    }
  }
  return out;
}
