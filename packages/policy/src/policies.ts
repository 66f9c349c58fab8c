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
  backendTlsImportTargetProblems,
  cloudArmorScopeProblems,
  formatProblem,
  GCP_RESOURCE_SCHEMAS,
  gatewayClientValidationProblems,
  gcpApiProblems,
  secureWebProxyProblems,
  serverTlsPolicyProblems,
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
    name: "authz-fails-open",
    description:
      "A Secure Web Proxy with frontend mTLS has an ALLOW authorization policy: with DENY policies only it allows everything else.",
    validateStack: (args, reportViolation) =>
      reportStack(authzFailsOpenProblems(args.resources.map(raw)), reportViolation),
  },
  {
    name: "backend-tls-import-targets",
    description:
      "BackendTLSPolicy targets of kind ServiceImport / GCPInferencePoolImport are routed only from multi-cluster (-mc) Gateways.",
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

/** The catalogue rules each policy reports (each marked `policy` in the catalogue; a test holds both to it). */
export const POLICY_RULES: Readonly<Record<string, readonly RuleId[]>> = {
  "gcp-api-constraints": SCHEMA_RULES,
  "trust-store-certificates": ["cert.ca.basic-constraints", "cert.trust-store.counts", "cert.validity.current"],
  "swp-frontend-mtls": ["gcp.swp.explicit-routing", "gcp.swp.frontend-mtls"],
  "server-tls-policy-validation": [
    "gcp.mtls.permissive-mode",
    "gcp.networksecurity.server-tls-policy",
    "gcp.swp.location-alignment",
  ],
  "authz-exact-principals": ["gcp.networksecurity.authz-policy.exact-principals"],
  "gateway-client-validation": ["gke.frontend-mtls.classes", "gcp.mtls.permissive-mode"],
  "cloud-armor-scope": ["gke.protection.cloud-armor-scope"],
  "authz-fails-open": ["gcp.networksecurity.authz-policy.deny-only"],
  "backend-tls-import-targets": ["gke.backend-tls.import-targets"],
};
