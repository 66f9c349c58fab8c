import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  authzFailsOpenProblems,
  authzPrincipalProblems,
  backendPolicyIapProblems,
  backendTlsImportTargetProblems,
  caRequesterProblems,
  caConfigMapProblems,
  frontendTrustConfigLocationProblems,
  cloudArmorScopeProblems,
  formatProblem,
  GCP_RESOURCE_SCHEMAS,
  gatewayClientValidationProblems,
  gcpApiProblems,
  secureWebProxyProblems,
  serverCertificateProblems,
  serverTlsPolicyProblems,
  sslPolicyProblems,
  tlsValidityProblems,
  trustConfigProblems,
  type Problem,
  type RawResource,
  type RuleId,
  type StackProblem,
} from "@gcp-mtls/rules";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const POLICY_PACK_NAME = "gcp-mtls";

/** The pack's default enforcement: fail closed. A stack's config can lower it (see `config/dev.json`). */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

/** One violation as the pack reports it: the problem in the library's format, then its catalogue rule. */
export function violationMessage(problem: Problem): string {
  return `${formatProblem(problem)}${problem.rule ? ` (rule ${problem.rule})` : ""}`;
}

const report = (problems: readonly Problem[], reportViolation: ReportViolation) => {
  for (const problem of problems) reportViolation(violationMessage(problem));
};
const reportStack = (problems: readonly StackProblem[], reportViolation: ReportViolation) => {
  for (const problem of problems) reportViolation(violationMessage(problem), problem.urn);
};
const raw = (args: { type: string; name: string; urn: string; props: Record<string, any> }): RawResource => ({
  type: args.type,
  name: args.name,
  urn: args.urn,
  props: args.props,
});

const boolean = (description: string): PolicyConfigSchema["properties"][string] => ({
  type: "boolean",
  default: false,
  description,
});

/** Config a policy reads (after the schema's defaults). */
export interface PermissiveConfig {
  readonly allowPermissive?: boolean;
}
export interface SwpConfig {
  readonly allowWithoutMtls?: boolean;
}
export interface GatewayConfig extends PermissiveConfig {
  readonly serverTlsOnly?: string[];
}

/** Per-resource policies. */
export const RESOURCE_POLICIES: ResourceValidationPolicy[] = [
  {
    name: "gcp-api-constraints",
    description:
      "Google Cloud resources the API would refuse: enums and cross-field rules of their upstream definitions (magic-modules), e.g. SSL policy TLS 1.3 needs RESTRICTED, AuthzPolicy limits, alert filters without resource.type.",
    validateResource: (args, reportViolation) => report(gcpApiProblems(raw(args)), reportViolation),
  },
  {
    name: "trust-store-certificates",
    description:
      "Certificates in a Certificate Manager TrustConfig meet Google Cloud's trust-store rules (parsed: CA, key, signature, validity, extensions).",
    validateResource: (args, reportViolation) => report(trustConfigProblems(raw(args)), reportViolation),
  },
  {
    name: "server-certificates",
    description:
      "A server certificate uploaded to Certificate Manager or Compute Engine is one TLS clients accept (parsed: a leaf, serverAuth, digitalSignature).",
    validateResource: (args, reportViolation) => report(serverCertificateProblems(raw(args)), reportViolation),
  },
  {
    name: "swp-frontend-mtls",
    description:
      "A Secure Web Proxy runs in explicit proxy mode with a ServerTlsPolicy, so authorization policies can decide on verified client identities.",
    configSchema: { properties: { allowWithoutMtls: boolean("Allow a proxy without a ServerTlsPolicy.") } },
    validateResource: (args, reportViolation) =>
      report(secureWebProxyProblems(raw(args), args.getConfig<SwpConfig>()), reportViolation),
  },
  {
    name: "server-tls-policy-validation",
    description:
      "A ServerTlsPolicy rejects invalid client certificates (REJECT_INVALID) with a trust config in its own location; permissive mode only where the stack allows it.",
    configSchema: {
      properties: { allowPermissive: boolean("Allow ALLOW_INVALID_OR_MISSING_CLIENT_CERT (e.g. while onboarding).") },
    },
    validateResource: (args, reportViolation) =>
      report(serverTlsPolicyProblems(raw(args), args.getConfig<PermissiveConfig>()), reportViolation),
  },
  {
    name: "ssl-policy-min-tls",
    description: "A load balancer SSL policy admits TLS 1.2 or later only (the API's default minimum is TLS 1.0).",
    validateResource: (args, reportViolation) => report(sslPolicyProblems(raw(args)), reportViolation),
  },
  {
    name: "iap-oauth-client",
    description: "A GCPBackendPolicy that enables IAP names its OAuth client ID and the Secret of its client secret.",
    validateResource: (args, reportViolation) => report(backendPolicyIapProblems(raw(args)), reportViolation),
  },
  {
    name: "ca-requester-confinement",
    description:
      "A principal that may request certificates from a CA pool (roles/privateca.certificateRequester) is confined to its own identities by a certificate-template condition.",
    validateResource: (args, reportViolation) => report(caRequesterProblems(raw(args)), reportViolation),
  },
  {
    name: "tls-validity-range",
    description:
      "A @pulumi/tls certificate's validity and early-renewal hours stay within 2,562,047 (the provider's Go duration overflows beyond).",
    validateResource: (args, reportViolation) => report(tlsValidityProblems(raw(args)), reportViolation),
  },
  {
    name: "authz-exact-principals",
    description:
      "AuthzPolicy principals are exact identities read from the verified client certificate (CLIENT_CERT_* selectors, principal.exact).",
    validateResource: (args, reportViolation) => report(authzPrincipalProblems(raw(args)), reportViolation),
  },
  {
    name: "gateway-client-validation",
    description:
      "Every HTTPS listener of a Gateway on a frontend-mTLS GatewayClass validates client certificates (spec.tls.frontend or the frontend-trust-config annotation), strictly unless the stack allows permissive mode.",
    configSchema: {
      properties: {
        allowPermissive: boolean("Allow AllowInsecureFallback and allow-invalid-or-missing-client-cert."),
        serverTlsOnly: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Gateways (`namespace/name`) that serve TLS without client validation on purpose.",
        },
      },
    },
    validateResource: (args, reportViolation) =>
      report(gatewayClientValidationProblems(raw(args), args.getConfig<GatewayConfig>()), reportViolation),
  },
];

/** Policies over the whole stack. */
export const STACK_POLICIES: StackValidationPolicy[] = [
  {
    name: "cloud-armor-scope",
    description:
      "A Service with a Cloud Armor backend policy is not behind both a regional and a global Gateway (GKE cannot attach it to both).",
    validateStack: (args, reportViolation) =>
      reportStack(cloudArmorScopeProblems(args.resources.map(raw)), reportViolation),
  },
  {
    name: "ca-configmap-certificates",
    description:
      "Each ConfigMap a Gateway's client validation or a BackendTLSPolicy names holds CA certificates under ca.crt that meet the trust-store rules.",
    validateStack: (args, reportViolation) =>
      reportStack(caConfigMapProblems(args.resources.map(raw)), reportViolation),
  },
  {
    name: "frontend-trust-config-location",
    description:
      "The TrustConfig a Gateway's frontend-trust-config annotation names is global for a global class, regional for a regional one.",
    validateStack: (args, reportViolation) =>
      reportStack(frontendTrustConfigLocationProblems(args.resources.map(raw)), reportViolation),
  },
  {
    name: "authz-fails-open",
    description:
      "A Secure Web Proxy with frontend mTLS has an ALLOW authorization policy: with DENY policies only it allows everything else.",
    validateStack: (args, reportViolation) =>
      reportStack(authzFailsOpenProblems(args.resources.map(raw)), reportViolation),
  },
  {
    name: "backend-tls-targets",
    description:
      "BackendTLSPolicy targets suit the Gateways routing to them: a class with backend TLS, Service/ServiceImport only on global classes, imports only from multi-cluster (-mc) Gateways.",
    validateStack: (args, reportViolation) =>
      reportStack(backendTlsImportTargetProblems(args.resources.map(raw)), reportViolation),
  },
];

/** Every policy of the pack. */
export const POLICIES: (ResourceValidationPolicy | StackValidationPolicy)[] = [...RESOURCE_POLICIES, ...STACK_POLICIES];

/** Every rule of the Google Cloud resource definitions: what `gcp-api-constraints` reports. */
const SCHEMA_RULES: RuleId[] = [
  ...new Set(GCP_RESOURCE_SCHEMAS.flatMap((s) => [s.rule, ...(s.checks ?? []).map((c) => c.rule)])),
];

/** What a trust-store certificate is judged by (checkTrustStore: parsing, the CA rules, the store's own rules). */
const TRUST_STORE_RULES: RuleId[] = [
  "cert.pem.parseable",
  "cert.pem.one-certificate",
  "cert.pem.size",
  "cert.ca.basic-constraints",
  "cert.ca.key-cert-sign",
  "cert.ca.subject-key-id",
  "cert.ca.client-auth-eku",
  "cert.ca.name-constraints-count",
  "cert.key.algorithm",
  "cert.signature.algorithm",
  "cert.validity.current",
  "cert.extensions.unhandled-critical",
  "cert.anchor.self-signed",
  "cert.intermediate.not-self-signed",
  "cert.trust-store.unique",
  "cert.trust-store.counts",
];

/** The catalogue rules each policy reports (each marked `policy` in the catalogue; a test holds both to it). */
export const POLICY_RULES: Readonly<Record<string, readonly RuleId[]>> = {
  "gcp-api-constraints": SCHEMA_RULES,
  "trust-store-certificates": TRUST_STORE_RULES,
  "swp-frontend-mtls": ["gcp.swp.explicit-routing", "gcp.swp.frontend-mtls", "gcp.swp.location-alignment"],
  "ca-configmap-certificates": ["k8s.gateway-api.ca-configmap", ...TRUST_STORE_RULES],
  "server-tls-policy-validation": [
    "gcp.mtls.permissive-mode",
    "gcp.networksecurity.server-tls-policy",
    "gcp.swp.location-alignment",
  ],
  "ssl-policy-min-tls": ["gcp.compute.ssl-policy.min-tls"],
  "iap-oauth-client": ["gke.protection.iap-client"],
  "ca-requester-confinement": ["gcp.privateca.requester-confinement"],
  "tls-validity-range": ["pulumi-tls.validity-range"],
  "authz-exact-principals": ["gcp.networksecurity.authz-policy.exact-principals"],
  "gateway-client-validation": ["gke.frontend-mtls.classes", "gcp.mtls.permissive-mode"],
  "cloud-armor-scope": ["gke.protection.cloud-armor-scope"],
  "authz-fails-open": ["gcp.networksecurity.authz-policy.deny-only"],
  "backend-tls-targets": ["gke.backend-tls.import-targets", "gke.backend-tls.classes"],
  "frontend-trust-config-location": ["gke.frontend-mtls.trust-config-annotation"],
  "server-certificates": [
    "cert.pem.parseable",
    "cert.pem.one-certificate",
    "cert.leaf.key-usage",
    "cert.leaf.not-ca",
    "cert.leaf.server-auth-eku",
  ],
};

const LEAF_CHECKS =
  "judges the certificates a client or server presents at the handshake, and the keys that issue them: a program's resources carry trust stores, and a policy cannot see which input is a secret";
const API_SERVER =
  "enforced by the Kubernetes API server (the Gateway API CRDs and their CEL) or the GKE controller when the object is applied, and modelled by the offline emulator; the pack does not evaluate CRDs";
const DEPLOY_TIME = "a deploy-time behaviour (what the provider or controller does after apply), not a rule on inputs";
const NOT_YET = "checkable from raw resources, not in the pack yet";

/**
 * Rules the components enforce that the pack does not, and why (a test holds this list to the catalogue: every rule
 * the components enforce is either a pack rule or here).
 */
export const NOT_MIRRORED: Readonly<Record<string, string>> = {
  "cert.chain.authority-key-id": LEAF_CHECKS,
  "cert.chain.depth": LEAF_CHECKS,
  "cert.chain.duplicate-intermediates": LEAF_CHECKS,
  "cert.chain.name-constraints": LEAF_CHECKS,
  "cert.chain.path-length": LEAF_CHECKS,
  "cert.chain.signature": LEAF_CHECKS,
  "cert.issuer.key-matches": LEAF_CHECKS,
  "cert.leaf.client-auth-eku": LEAF_CHECKS,
  "cert.leaf.forbidden-eku": LEAF_CHECKS,
  "cert.leaf.not-self-signed": LEAF_CHECKS,
  "cert.leaf.spiffe-id": LEAF_CHECKS,
  "cert.server.key-matches": LEAF_CHECKS,
  "gcp.armor.supported-load-balancers": NOT_YET,
  "gcp.compute.proxy-only-subnet":
    "needs the network's subnets, which a program usually does not declare (the subnet exists already)",
  "gcp.compute.target-proxy-certificates": "GKE creates the target proxy; a program declares no such resource",
  "gcp.logging.mtls-request-logs":
    "how the edges log: it shapes the components' metric filters, not an input to refuse",
  "gcp.networkservices.gateway.network-format": NOT_YET,
  "gcp.privateca.certificate-tier": NOT_YET,
  "gcp.privateca.issuance-policy": NOT_YET,
  "gcp.swp.adopt": "about the component's import of a live proxy; a hand-wired program imports with its own ids",
  "gcp.swp.authz-needs-tls-inspection": NOT_YET,
  "gke.backend-tls.trust-config":
    "a regional Gateway's location is its cluster's region, which the Kubernetes objects do not carry",
  "gke.backend.app-protocol": NOT_YET,
  "gke.backend.health-check-policy": "an opt-in of the BackendTlsPolicy component, not a constraint",
  "gke.certificates.cert-manager-certs": NOT_YET,
  "gke.certificates.certmap": NOT_YET,
  "gke.certificates.managed-certificate": NOT_YET,
  "gke.gateway.classes": NOT_YET,
  "gke.gateway.lb-annotations": DEPLOY_TIME,
  "gke.protection.iap-cdn":
    "Cloud CDN for a GKE Gateway's backends is set by no resource a program emits (GCPBackendPolicy has no CDN field, gcpbackendpolicy_types.go); the components learn it from their arguments",
  "k8s.gateway-api.ancestor-namespace": API_SERVER,
  "k8s.gateway-api.backend-tls-local": API_SERVER,
  "k8s.gateway-api.frontend-validation-version": API_SERVER,
  "k8s.gateway-api.limits": API_SERVER,
  "k8s.gateway-api.listener-resolved-refs": API_SERVER,
  "k8s.gateway-api.policy-ancestors": API_SERVER,
  "k8s.gateway-api.reference-grant": API_SERVER,
  "k8s.gateway-api.route-attachment": API_SERVER,
  "pulumi-k8s.live-outputs": DEPLOY_TIME,
  "pulumi-k8s.wait-for": DEPLOY_TIME,
};
