import { decodePemBlocks } from "../x509/pem";
import type { Problem } from "../problems";
import { schemaProblems, type ResourceCheck, type ResourceSchema } from "./schema";

type Found = Omit<Problem, "rule">;
const absent = (v: unknown) => v === undefined || v === null || v === "";
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

// --- cross-field rules (each with its catalogue entry) ----------------------------------------------------------------

/** magic-modules compute/SslPolicy.yaml `minTlsVersion`, `profile`; `templates/terraform/constants/ssl_policy.tmpl`. */
const SSL_POLICY_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.compute.ssl-policy.tls13-restricted",
    check: (i) =>
      i.minTlsVersion === "TLS_1_3" && (i.profile ?? "COMPATIBLE") !== "RESTRICTED"
        ? [
            {
              path: "profile",
              message: `must be \`RESTRICTED\` when \`minTlsVersion\` is \`TLS_1_3\`, got \`${i.profile ?? "COMPATIBLE"}\``,
            },
          ]
        : [],
  },
  {
    rule: "gcp.compute.ssl-policy.custom-features",
    check: (i) => {
      const custom = i.profile === "CUSTOM";
      const features = list(i.customFeatures).length > 0;
      if (custom && !features) return [{ path: "customFeatures", message: "must be set when `profile` is `CUSTOM`" }];
      if (!custom && features)
        return [
          {
            path: "customFeatures",
            message: `must be empty unless \`profile\` is \`CUSTOM\`, got \`${i.profile ?? "COMPATIBLE"}\``,
          },
        ];
      return [];
    },
  },
  {
    rule: "gcp.compute.ssl-policy.fips-tls12",
    check: (i) =>
      i.profile === "FIPS_202205" && (i.minTlsVersion ?? "TLS_1_0") !== "TLS_1_2"
        ? [
            {
              path: "minTlsVersion",
              message: `must be \`TLS_1_2\` with profile \`FIPS_202205\`, got \`${i.minTlsVersion ?? "TLS_1_0"}\``,
            },
          ]
        : [],
  },
];

/** magic-modules monitoring/AlertPolicy.yaml `conditionThreshold.{filter,duration,aggregations}`. */
const ALERT_POLICY_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.monitoring.alert-policy.filter-resource-type",
    check: (i) =>
      list(i.conditions).flatMap((c, n): Found[] => {
        const filter = c?.conditionThreshold?.filter;
        return typeof filter === "string" && /metric\.type\s*=/.test(filter) && !/resource\.type\s*=/.test(filter)
          ? [
              {
                path: `conditions[${n}].conditionThreshold.filter`,
                message: `must restrict \`resource.type\`, got \`${filter}\``,
              },
            ]
          : [];
      }),
  },
  {
    rule: "gcp.monitoring.alert-policy.durations",
    check: (i) =>
      list(i.conditions).flatMap((c, n): Found[] => {
        const t = c?.conditionThreshold;
        if (!t) return [];
        const out: Found[] = [];
        // google.protobuf.Duration in JSON: seconds with up to 9 fractional digits and an `s` (`60s`, `60.000s`).
        const seconds = (d: unknown) =>
          typeof d === "string" && /^\d+(\.\d{1,9})?s$/.test(d) ? Number(d.slice(0, -1)) : NaN;
        const duration = seconds(t.duration);
        // An absent duration is the required-field rule's to report.
        if (!absent(t.duration) && !(duration >= 0 && duration % 60 === 0)) {
          out.push({
            path: `conditions[${n}].conditionThreshold.duration`,
            message: `must be a multiple of a minute such as \`0s\` or \`300s\`, got \`${t.duration}\``,
          });
        }
        list(t.aggregations).forEach((a, k) => {
          const period = seconds(a?.alignmentPeriod);
          if (a?.alignmentPeriod !== undefined && !(period >= 60)) {
            out.push({
              path: `conditions[${n}].conditionThreshold.aggregations[${k}].alignmentPeriod`,
              message: `must be at least 60 seconds, got \`${a.alignmentPeriod}\``,
            });
          }
          if (
            a?.crossSeriesReducer !== undefined &&
            a.crossSeriesReducer !== "REDUCE_NONE" &&
            (a.perSeriesAligner ?? "ALIGN_NONE") === "ALIGN_NONE"
          ) {
            out.push({
              path: `conditions[${n}].conditionThreshold.aggregations[${k}].perSeriesAligner`,
              message: "must be set (not `ALIGN_NONE`) when `crossSeriesReducer` is set",
            });
          }
        });
        return out;
      }),
  },
];

/** magic-modules logging/Metric.yaml `labelExtractors`: "Each label key … must have an associated extractor". */
const METRIC_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.logging.metric.label-extractors",
    check: (i) =>
      list(i.metricDescriptor?.labels).flatMap((l, n): Found[] =>
        typeof l?.key === "string" && absent(i.labelExtractors?.[l.key])
          ? [
              {
                path: `metricDescriptor.labels[${n}].key`,
                message: `\`${l.key}\` has no extractor in \`labelExtractors\``,
              },
            ]
          : [],
      ),
  },
];

const CLIENT_CERT_SELECTORS = ["CLIENT_CERT_URI_SAN", "CLIENT_CERT_DNS_NAME_SAN", "CLIENT_CERT_COMMON_NAME"];

/** magic-modules networksecurity/AuthzPolicy.yaml: limits and match rules stated in its descriptions. */
const AUTHZ_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.networksecurity.authz-policy.http-rules",
    check: (i) => {
      const rules = list(i.httpRules);
      const out: Found[] = [];
      if ((i.action === "ALLOW" || i.action === "DENY") && rules.length === 0 && list(i.networkRules).length === 0) {
        out.push({ path: "httpRules", message: `needs at least one rule for action \`${i.action}\`` });
      }
      if (rules.length > 5) out.push({ path: "httpRules", message: `has ${rules.length} rules, more than 5` });
      rules.forEach((r, n) => {
        const sources = list(r?.from?.sources);
        if (sources.length > 1)
          out.push({ path: `httpRules[${n}].from.sources`, message: `has ${sources.length} sources, more than 1` });
        sources.forEach((src, k) => {
          const principals = list(src?.principals);
          if (principals.length > 5)
            out.push({
              path: `httpRules[${n}].from.sources[${k}].principals`,
              message: `has ${principals.length} principals, more than 5`,
            });
        });
        const operations = list(r?.to?.operations);
        if (operations.length > 1)
          out.push({
            path: `httpRules[${n}].to.operations`,
            message: `has ${operations.length} operations, more than 1`,
          });
        operations.forEach((op, k) => {
          for (const key of ["hosts", "paths"]) {
            const matches = list(op?.[key]);
            if (matches.length > 10)
              out.push({
                path: `httpRules[${n}].to.operations[${k}].${key}`,
                message: `has ${matches.length} entries, more than 10`,
              });
          }
          list(op?.methods).forEach((m, j) => {
            if (!["GET", "PUT", "POST", "HEAD", "PATCH", "DELETE", "OPTIONS"].includes(m)) {
              out.push({
                path: `httpRules[${n}].to.operations[${k}].methods[${j}]`,
                message: `must be GET, PUT, POST, HEAD, PATCH, DELETE or OPTIONS, got \`${m}\``,
              });
            }
          });
        });
      });
      return out;
    },
  },
  {
    rule: "gcp.networksecurity.authz-policy.exact-principals",
    check: (i) =>
      list(i.httpRules).flatMap((r, n) =>
        list(r?.from?.sources).flatMap((src, k) =>
          list(src?.principals).flatMap((p, j): Found[] => {
            const selector = p?.principalSelector ?? "CLIENT_CERT_URI_SAN";
            // `principal` holds the match; the deprecated flat form puts `exact`… on the principal itself.
            const match = p?.principal ?? p ?? {};
            const others = ["prefix", "suffix", "contains"].filter((m) => !absent(match[m]));
            return CLIENT_CERT_SELECTORS.includes(selector) && (others.length > 0 || absent(match.exact))
              ? [
                  {
                    path: `httpRules[${n}].from.sources[${k}].principals[${j}].principal`,
                    message: `must be an \`exact\` match for selector \`${selector}\`, got ${others.length > 0 ? others.join(", ") : "no exact value"}`,
                  },
                ]
              : [];
          }),
        ),
      ),
  },
  {
    rule: "gcp.networksecurity.authz-policy.swp-target",
    check: (i) => {
      const resources = list(i.target?.resources).filter((r) => typeof r === "string");
      return resources.some((r) => /\/gateways\//.test(r)) && absent(i.target?.loadBalancingScheme)
        ? [{ path: "target.loadBalancingScheme", message: "is required when targeting a Secure Web Proxy gateway" }]
        : [];
    },
  },
];

/** magic-modules networkservices/Gateway.yaml descriptions of `routingMode`, `addresses`, `scope`, `allPorts`. */
const GATEWAY_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.networkservices.gateway.secure-web-gateway",
    check: (i) => {
      const out: Found[] = [];
      if (i.type === "SECURE_WEB_GATEWAY" && absent(i.routingMode)) {
        out.push({ path: "routingMode", message: "is required for gateways of type `SECURE_WEB_GATEWAY`" });
      }
      if (list(i.addresses).length > 1)
        out.push({ path: "addresses", message: `takes zero or one address, got ${list(i.addresses).length}` });
      if (!absent(i.scope) && !/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(String(i.scope))) {
        out.push({
          path: "scope",
          message: `must start with a letter and hold at most 64 letters, digits and hyphens, got \`${i.scope}\``,
        });
      }
      if (i.allPorts === true && list(i.ports).length > 0)
        out.push({ path: "ports", message: "conflicts with `allPorts`" });
      return out;
    },
  },
];

/** magic-modules certificatemanager/CertificateMapEntry.yaml: `hostname` XOR `matcher`, ≤ 15 certificates. */
const MAP_ENTRY_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.certificatemanager.certificate-map-entry.shape",
    check: (i) => {
      const out: Found[] = [];
      if (absent(i.hostname) === absent(i.matcher))
        out.push({ path: "hostname", message: "exactly one of `hostname` and `matcher` must be set" });
      if (list(i.certificates).length > 15)
        out.push({ path: "certificates", message: `has ${list(i.certificates).length} certificates, more than 15` });
      return out;
    },
  },
];

/** magic-modules certificatemanager/Certificate.yaml: `selfManaged` XOR `managed`; the name pattern. */
const CERTIFICATE_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.certificatemanager.certificate.shape",
    check: (i) => {
      const out: Found[] = [];
      if (absent(i.selfManaged) === absent(i.managed))
        out.push({ path: "selfManaged", message: "exactly one of `selfManaged` and `managed` must be set" });
      if (typeof i.name === "string" && !/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/.test(i.name)) {
        out.push({
          path: "name",
          message: `must be 1-64 characters matching [a-zA-Z][a-zA-Z0-9_-]*, got \`${i.name}\``,
        });
      }
      return out;
    },
  },
];

/** magic-modules compute/SslCertificate.yaml `certificate`: "no greater than 5 certs long". */
const SSL_CERTIFICATE_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.compute.ssl-certificate.chain-length",
    check: (i) => {
      const count =
        typeof i.certificate === "string"
          ? decodePemBlocks(i.certificate).filter((b) => b.type === "CERTIFICATE").length
          : 0;
      return count > 5 ? [{ path: "certificate", message: `holds a chain of ${count} certificates, more than 5` }] : [];
    },
  },
];

/** magic-modules privateca/CertificateAuthority.yaml + `constants/privateca_certificate_authority.go.tmpl`. */
const AUTHORITY_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.privateca.authority.desired-state",
    check: (i) =>
      !absent(i.desiredState) && !["STAGED", "ENABLED"].includes(i.desiredState)
        ? [
            {
              path: "desiredState",
              message: `must be \`STAGED\` or \`ENABLED\` when the CA is created, got \`${i.desiredState}\``,
            },
          ]
        : [],
  },
];

/**
 * Rule priorities and actions: magic-modules compute/RegionSecurityPolicy.yaml (`redirect` "is only supported in
 * Global Security Policies of type CLOUD_ARMOR") and the handwritten global resource
 * (third_party/terraform/services/compute/resource_compute_security_policy.go.tmpl: description "Max size is 64").
 */
function securityPolicyChecks(global: boolean): ResourceCheck[] {
  return [
    {
      rule: "gcp.compute.security-policy.rules",
      check: (i) => {
        const out: Found[] = [];
        const seen = new Set<number>();
        list(i.rules).forEach((r, n) => {
          const p = Number(r?.priority);
          if (absent(r?.priority)) return; // the required-field rule reports it
          if (!Number.isInteger(p) || p < 0 || p > 2147483647)
            out.push({
              path: `rules[${n}].priority`,
              message: `must be a whole number 0-2147483647, got \`${r?.priority}\``,
            });
          else if (seen.has(p)) out.push({ path: `rules[${n}].priority`, message: `repeats priority ${p}` });
          seen.add(p);
          if (global && typeof r?.description === "string" && r.description.length > 64)
            out.push({
              path: `rules[${n}].description`,
              message: `is ${r.description.length} characters, more than 64`,
            });
          if (
            typeof r?.action === "string" &&
            !/^(allow|deny\((403|404|502)\)|rate_based_ban|redirect|throttle)$/.test(r.action)
          ) {
            out.push({
              path: `rules[${n}].action`,
              message: `must be allow, deny(403|404|502), rate_based_ban, redirect or throttle, got \`${r.action}\``,
            });
          } else if (r?.action === "redirect" && !(global && (i.type ?? "CLOUD_ARMOR") === "CLOUD_ARMOR")) {
            out.push({
              path: `rules[${n}].action`,
              message: "`redirect` is supported only in global security policies of type `CLOUD_ARMOR`",
            });
          }
        });
        return out;
      },
    },
  ];
}

/** magic-modules networksecurity/TlsInspectionPolicy.yaml `customTlsFeatures`: only with PROFILE_CUSTOM. */
const TLS_INSPECTION_CHECKS: ResourceCheck[] = [
  {
    rule: "gcp.networksecurity.tls-inspection-policy",
    check: (i) =>
      list(i.customTlsFeatures).length > 0 && i.tlsFeatureProfile !== "PROFILE_CUSTOM"
        ? [{ path: "customTlsFeatures", message: "is valid only with `tlsFeatureProfile` `PROFILE_CUSTOM`" }]
        : [],
  },
];

// --- the resources ----------------------------------------------------------------------------------------------------

const PRINCIPAL_SELECTORS = ["PRINCIPAL_SELECTOR_UNSPECIFIED", ...CLIENT_CERT_SELECTORS];
const SSL_PROFILES = ["COMPATIBLE", "MODERN", "RESTRICTED", "CUSTOM", "FIPS_202205"];
const TLS_VERSIONS = ["TLS_1_0", "TLS_1_1", "TLS_1_2", "TLS_1_3"];

/** The upstream definitions of every Google Cloud resource the library creates (and those it will). */
export const GCP_RESOURCE_SCHEMAS: readonly ResourceSchema[] = [
  {
    type: "gcp:certificatemanager/trustConfig:TrustConfig",
    rule: "gcp.certificatemanager.trust-config",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "location", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "allowlistedCertificates[].pemCertificate", required: true },
    ],
  },
  {
    type: "gcp:certificatemanager/certificate:Certificate",
    rule: "gcp.certificatemanager.certificate",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "location", immutable: true, default: "global" },
      { path: "project", immutable: true },
      {
        path: "scope",
        immutable: true,
        default: "DEFAULT",
        enum: ["DEFAULT", "EDGE_CACHE", "ALL_REGIONS", "CLIENT_AUTH"],
      },
      { path: "managed", immutable: true },
    ],
    checks: CERTIFICATE_CHECKS,
  },
  {
    // Resource-level `immutable: true`: no update path, every change replaces it.
    type: "gcp:certificatemanager/certificateIssuanceConfig:CertificateIssuanceConfig",
    rule: "gcp.certificatemanager.certificate-issuance-config",
    immutable: true,
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "location", immutable: true, default: "global" },
      { path: "certificateAuthorityConfig", required: true, immutable: true },
      { path: "certificateAuthorityConfig.certificateAuthorityServiceConfig.caPool", required: true, immutable: true },
      { path: "keyAlgorithm", required: true, immutable: true, enum: ["RSA_2048", "ECDSA_P256"] },
      { path: "lifetime", required: true, immutable: true },
      { path: "rotationWindowPercentage", required: true, immutable: true },
    ],
    checks: [
      {
        rule: "gcp.certificatemanager.certificate-issuance-config",
        check: (i) => {
          const out: { path: string; message: string }[] = [];
          const life = typeof i.lifetime === "string" ? Number(i.lifetime.replace(/s$/, "")) : undefined;
          if (life !== undefined && !(life >= 1814400 && life <= 2592000)) {
            out.push({
              path: "lifetime",
              message: `must be 1814400s (21 days) to 2592000s (30 days), got \`${i.lifetime}\``,
            });
          }
          const w = i.rotationWindowPercentage;
          if (w !== undefined && !(Number.isInteger(w) && w >= 1 && w <= 99)) {
            out.push({ path: "rotationWindowPercentage", message: `must be 1 to 99, got \`${w}\`` });
          }
          const pool = i.certificateAuthorityConfig?.certificateAuthorityServiceConfig?.caPool;
          const at = typeof pool === "string" ? /\/locations\/([^/]+)\//.exec(pool)?.[1] : undefined;
          const location = i.location ?? "global";
          if (at !== undefined && location !== "global" && at !== location) {
            out.push({
              path: "certificateAuthorityConfig.certificateAuthorityServiceConfig.caPool",
              message: `is in \`${at}\`; a regional issuance config in \`${location}\` needs a CA pool of its own region`,
            });
          }
          return out;
        },
      },
    ],
  },
  {
    type: "gcp:certificatemanager/certificateMap:CertificateMap",
    rule: "gcp.certificatemanager.certificate-map",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "project", immutable: true },
    ],
  },
  {
    type: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
    rule: "gcp.certificatemanager.certificate-map-entry",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "map", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "certificates", required: true },
      { path: "hostname", immutable: true },
      { path: "matcher", immutable: true },
    ],
    checks: MAP_ENTRY_CHECKS,
  },
  {
    type: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
    rule: "gcp.certificatemanager.dns-authorization",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "location", immutable: true, default: "global" },
      { path: "project", immutable: true },
      { path: "domain", required: true, immutable: true },
      { path: "type", immutable: true, enum: ["FIXED_RECORD", "PER_PROJECT_RECORD"] },
    ],
  },
  {
    type: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
    rule: "gcp.networksecurity.server-tls-policy",
    fields: [
      { path: "name", required: true, immutable: true },
      // Not immutable upstream: a location change is sent as an update to the new location's URL.
      { path: "location", default: "global" },
      { path: "project", immutable: true },
      {
        path: "mtlsPolicy.clientValidationMode",
        immutable: true,
        enum: ["CLIENT_VALIDATION_MODE_UNSPECIFIED", "ALLOW_INVALID_OR_MISSING_CLIENT_CERT", "REJECT_INVALID"],
      },
      { path: "mtlsPolicy.clientValidationTrustConfig", immutable: true },
    ],
  },
  {
    type: "gcp:networksecurity/gatewaySecurityPolicy:GatewaySecurityPolicy",
    rule: "gcp.networksecurity.gateway-security-policy",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "location", immutable: true, default: "global" },
      { path: "project", immutable: true },
    ],
  },
  {
    type: "gcp:networksecurity/tlsInspectionPolicy:TlsInspectionPolicy",
    rule: "gcp.networksecurity.tls-inspection-policy",
    fields: [
      { path: "name", required: true },
      // No default: an absent location leaves an empty segment in the request URL.
      { path: "location", required: true },
      { path: "project", immutable: true },
      { path: "caPool", required: true },
      { path: "minTlsVersion", default: "TLS_VERSION_UNSPECIFIED", enum: ["TLS_VERSION_UNSPECIFIED", ...TLS_VERSIONS] },
      {
        path: "tlsFeatureProfile",
        default: "PROFILE_UNSPECIFIED",
        enum: ["PROFILE_UNSPECIFIED", "PROFILE_COMPATIBLE", "PROFILE_MODERN", "PROFILE_RESTRICTED", "PROFILE_CUSTOM"],
      },
    ],
    checks: TLS_INSPECTION_CHECKS,
  },
  {
    type: "gcp:networksecurity/authzPolicy:AuthzPolicy",
    rule: "gcp.networksecurity.authz-policy",
    fields: [
      { path: "name", required: true },
      { path: "location", required: true },
      { path: "project", immutable: true },
      { path: "policyProfile", immutable: true, default: "REQUEST_AUTHZ", enum: ["REQUEST_AUTHZ", "CONTENT_AUTHZ"] },
      { path: "target", required: true },
      { path: "target.loadBalancingScheme", enum: ["INTERNAL_MANAGED", "EXTERNAL_MANAGED", "INTERNAL_SELF_MANAGED"] },
      { path: "action", required: true, enum: ["ALLOW", "DENY", "CUSTOM"] },
      { path: "httpRules[].from.sources[].principals[].principalSelector", enum: PRINCIPAL_SELECTORS },
    ],
    checks: AUTHZ_CHECKS,
  },
  {
    type: "gcp:networkservices/gateway:Gateway",
    rule: "gcp.networkservices.gateway",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "location", immutable: true, default: "global" },
      { path: "project", immutable: true },
      { path: "type", required: true, immutable: true, enum: ["OPEN_MESH", "SECURE_WEB_GATEWAY"] },
      { path: "addresses", immutable: true, fromApi: true },
      { path: "allPorts", immutable: true },
      { path: "scope", immutable: true },
      { path: "network", immutable: true },
      { path: "subnetwork", immutable: true },
      { path: "allowGlobalAccess", immutable: true },
      { path: "routingMode", enum: ["NEXT_HOP_ROUTING_MODE", "EXPLICIT_ROUTING_MODE"] },
      { path: "ipVersion", enum: ["IPV4", "IPV6"] },
      { path: "envoyHeaders", enum: ["NONE", "DEBUG_HEADERS"] },
    ],
    checks: GATEWAY_CHECKS,
  },
  {
    type: "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
    rule: "gcp.iam.workload-identity-pool",
    fields: [
      { path: "workloadIdentityPoolId", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "mode", immutable: true, enum: ["FEDERATION_ONLY", "TRUST_DOMAIN", "SYSTEM_TRUST_DOMAIN"] },
      {
        path: "inlineCertificateIssuanceConfig.keyAlgorithm",
        enum: ["RSA_2048", "RSA_3072", "RSA_4096", "ECDSA_P256", "ECDSA_P384"],
      },
    ],
    checks: [
      {
        rule: "gcp.iam.workload-identity-pool",
        check: (i) => {
          const out: { path: string; message: string }[] = [];
          const c = i.inlineCertificateIssuanceConfig;
          if (!c) return out;
          for (const [region, pool] of Object.entries((c.caPools ?? {}) as Record<string, unknown>)) {
            const at = typeof pool === "string" ? /\/locations\/([^/]+)\//.exec(pool)?.[1] : undefined;
            if (at !== undefined && at !== region) {
              out.push({
                path: `inlineCertificateIssuanceConfig.caPools.${region}`,
                message: `names a CA pool in \`${at}\`; the key must be the CA pool's region (workloads are issued certificates only from CA pools in their own region)`,
              });
            }
          }
          const life = typeof c.lifetime === "string" ? Number(c.lifetime.replace(/s$/, "")) : undefined;
          if (life !== undefined && !(life >= 86400 && life <= 2592000)) {
            out.push({
              path: "inlineCertificateIssuanceConfig.lifetime",
              message: `must be 86400s to 2592000s, got \`${c.lifetime}\``,
            });
          }
          const w = c.rotationWindowPercentage;
          if (w !== undefined && !(Number.isInteger(w) && w >= 50 && w <= 80)) {
            out.push({
              path: "inlineCertificateIssuanceConfig.rotationWindowPercentage",
              message: `must be 50 to 80, got \`${w}\``,
            });
          }
          return out;
        },
      },
    ],
  },
  {
    type: "gcp:certificateauthority/caPool:CaPool",
    rule: "gcp.privateca.ca-pool",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "location", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "tier", required: true, immutable: true, enum: ["ENTERPRISE", "DEVOPS"] },
      { path: "publishingOptions.publishCaCert", required: true },
      { path: "publishingOptions.publishCrl", required: true },
      { path: "publishingOptions.encodingFormat", enum: ["PEM", "DER"] },
    ],
  },
  {
    type: "gcp:certificateauthority/authority:Authority",
    rule: "gcp.privateca.authority",
    fields: [
      { path: "location", required: true, immutable: true },
      { path: "certificateAuthorityId", required: true, immutable: true },
      { path: "pool", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "type", immutable: true, default: "SELF_SIGNED", enum: ["SELF_SIGNED", "SUBORDINATE"] },
      { path: "config", required: true, immutable: true },
      { path: "config.subjectConfig", required: true, immutable: true },
      { path: "config.subjectConfig.subject", required: true, immutable: true },
      { path: "config.subjectConfig.subject.commonName", required: true, immutable: true },
      { path: "config.x509Config", required: true, immutable: true },
      { path: "config.x509Config.caOptions", required: true, immutable: true },
      { path: "config.x509Config.caOptions.isCa", required: true, immutable: true },
      { path: "config.x509Config.keyUsage", required: true, immutable: true },
      { path: "config.x509Config.keyUsage.baseKeyUsage", required: true, immutable: true },
      { path: "config.x509Config.keyUsage.extendedKeyUsage", required: true, immutable: true },
      { path: "lifetime", immutable: true, default: "315360000s" },
      { path: "keySpec", required: true, immutable: true },
      {
        path: "keySpec.algorithm",
        immutable: true,
        enum: [
          "SIGN_HASH_ALGORITHM_UNSPECIFIED",
          "RSA_PSS_2048_SHA256",
          "RSA_PSS_3072_SHA256",
          "RSA_PSS_4096_SHA256",
          "RSA_PKCS1_2048_SHA256",
          "RSA_PKCS1_3072_SHA256",
          "RSA_PKCS1_4096_SHA256",
          "EC_P256_SHA256",
          "EC_P384_SHA384",
        ],
      },
      { path: "gcsBucket", immutable: true },
      { path: "deletionProtection", default: true },
      { path: "skipGracePeriod", default: false },
      { path: "ignoreActiveCertificatesOnDeletion", default: false },
    ],
    checks: AUTHORITY_CHECKS,
  },
  {
    // Handwritten IAM member resource: every input forces a new binding.
    type: "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember",
    rule: "gcp.privateca.ca-pool-iam-member",
    immutable: true,
    fields: [
      { path: "caPool", required: true, immutable: true },
      { path: "role", required: true, immutable: true },
      { path: "member", required: true, immutable: true },
      { path: "condition", immutable: true },
      // The IAM parent parameters besides caPool (Optional + Computed, ForceNew: templates/terraform/iam_policy.go.tmpl).
      { path: "location", immutable: true },
      { path: "project", immutable: true },
    ],
  },
  {
    type: "gcp:certificateauthority/certificateTemplate:CertificateTemplate",
    rule: "gcp.privateca.certificate-template",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "location", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "identityConstraints.allowSubjectPassthrough", required: true },
      { path: "identityConstraints.allowSubjectAltNamesPassthrough", required: true },
    ],
  },
  {
    // Handwritten IAM member resource (iam_policy.go.tmpl): every input forces a new binding.
    type: "gcp:certificateauthority/certificateTemplateIamMember:CertificateTemplateIamMember",
    rule: "gcp.privateca.certificate-template-iam-member",
    immutable: true,
    fields: [
      { path: "certificateTemplate", required: true, immutable: true },
      { path: "role", required: true, immutable: true },
      { path: "member", required: true, immutable: true },
      { path: "condition", immutable: true },
      { path: "location", immutable: true },
      { path: "project", immutable: true },
    ],
  },
  {
    type: "gcp:projects/serviceIdentity:ServiceIdentity",
    rule: "gcp.projects.service-identity",
    immutable: true,
    fields: [
      { path: "service", required: true, immutable: true },
      { path: "project", immutable: true },
    ],
  },
  {
    type: "gcp:compute/sSLPolicy:SSLPolicy",
    rule: "gcp.compute.ssl-policy",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "description", immutable: true },
      { path: "profile", default: "COMPATIBLE", enum: SSL_PROFILES },
      { path: "minTlsVersion", default: "TLS_1_0", enum: TLS_VERSIONS },
      { path: "postQuantumKeyExchange", enum: ["DEFAULT", "ENABLED", "DEFERRED"] },
    ],
    checks: SSL_POLICY_CHECKS,
  },
  {
    type: "gcp:compute/regionSslPolicy:RegionSslPolicy",
    rule: "gcp.compute.region-ssl-policy",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "region", immutable: true },
      { path: "description", immutable: true },
      { path: "profile", default: "COMPATIBLE", enum: SSL_PROFILES },
      { path: "minTlsVersion", default: "TLS_1_0", enum: TLS_VERSIONS },
      { path: "postQuantumKeyExchange", enum: ["DEFAULT", "ENABLED", "DEFERRED"] },
    ],
    checks: SSL_POLICY_CHECKS,
  },
  {
    type: "gcp:compute/sSLCertificate:SSLCertificate",
    rule: "gcp.compute.ssl-certificate",
    immutable: true,
    fields: [
      { path: "name", immutable: true },
      { path: "namePrefix", immutable: true },
      { path: "project", immutable: true },
      { path: "certificate", required: true, immutable: true },
      { path: "privateKey", required: true, immutable: true },
      { path: "description", immutable: true },
    ],
    checks: SSL_CERTIFICATE_CHECKS,
  },
  {
    type: "gcp:compute/subnetwork:Subnetwork",
    rule: "gcp.compute.subnetwork",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "network", required: true, immutable: true },
      { path: "region", immutable: true },
      {
        path: "purpose",
        enum: [
          "PRIVATE",
          "REGIONAL_MANAGED_PROXY",
          "GLOBAL_MANAGED_PROXY",
          "PRIVATE_SERVICE_CONNECT",
          "PEER_MIGRATION",
          "PRIVATE_NAT",
        ],
      },
      { path: "role", enum: ["ACTIVE", "BACKUP"] },
    ],
  },
  {
    type: "gcp:compute/regionSslCertificate:RegionSslCertificate",
    rule: "gcp.compute.region-ssl-certificate",
    immutable: true,
    fields: [
      { path: "name", immutable: true },
      { path: "namePrefix", immutable: true },
      { path: "project", immutable: true },
      { path: "region", immutable: true },
      { path: "certificate", required: true, immutable: true },
      { path: "privateKey", required: true, immutable: true },
      { path: "description", immutable: true },
    ],
    checks: SSL_CERTIFICATE_CHECKS,
  },
  {
    type: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
    rule: "gcp.compute.managed-ssl-certificate",
    immutable: true,
    fields: [
      { path: "name", immutable: true },
      { path: "project", immutable: true },
      { path: "description", immutable: true },
      { path: "managed.domains", required: true, immutable: true },
      { path: "type", immutable: true, default: "MANAGED", enum: ["MANAGED"] },
    ],
  },
  {
    // Handwritten (third_party/terraform/services/compute/resource_compute_security_policy.go.tmpl).
    type: "gcp:compute/securityPolicy:SecurityPolicy",
    rule: "gcp.compute.security-policy",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "type", immutable: true, enum: ["CLOUD_ARMOR", "CLOUD_ARMOR_EDGE", "CLOUD_ARMOR_INTERNAL_SERVICE"] },
      { path: "rules[].priority", required: true },
      { path: "rules[].action", required: true },
      { path: "rules[].match", required: true },
    ],
    checks: securityPolicyChecks(true),
  },
  {
    type: "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy",
    rule: "gcp.compute.region-security-policy",
    fields: [
      { path: "name", required: true, immutable: true },
      { path: "project", immutable: true },
      { path: "region", immutable: true },
      { path: "type", immutable: true, enum: ["CLOUD_ARMOR", "CLOUD_ARMOR_EDGE", "CLOUD_ARMOR_NETWORK"] },
      { path: "rules[].priority", required: true },
      { path: "rules[].action", required: true },
    ],
    checks: securityPolicyChecks(false),
  },
  {
    type: "gcp:logging/metric:Metric",
    rule: "gcp.logging.metric",
    fields: [
      { path: "name", required: true },
      { path: "project", immutable: true },
      { path: "filter", required: true },
      { path: "metricDescriptor.metricKind", required: true, enum: ["DELTA", "GAUGE", "CUMULATIVE"] },
      {
        path: "metricDescriptor.valueType",
        required: true,
        enum: ["BOOL", "INT64", "DOUBLE", "STRING", "DISTRIBUTION", "MONEY"],
      },
      { path: "metricDescriptor.unit", default: "1" },
      { path: "metricDescriptor.labels[].key", required: true, immutable: true },
      { path: "metricDescriptor.labels[].valueType", immutable: true, enum: ["BOOL", "INT64", "STRING"] },
    ],
    checks: METRIC_CHECKS,
  },
  {
    type: "gcp:monitoring/alertPolicy:AlertPolicy",
    rule: "gcp.monitoring.alert-policy",
    fields: [
      { path: "displayName", required: true },
      { path: "project", immutable: true },
      { path: "combiner", required: true, enum: ["AND", "OR", "AND_WITH_MATCHING_RESOURCE"] },
      { path: "enabled", default: true },
      { path: "conditions", required: true },
      { path: "conditions[].displayName", required: true },
      { path: "conditions[].conditionThreshold.duration", required: true },
      {
        path: "conditions[].conditionThreshold.comparison",
        required: true,
        enum: ["COMPARISON_GT", "COMPARISON_GE", "COMPARISON_LT", "COMPARISON_LE", "COMPARISON_EQ", "COMPARISON_NE"],
      },
      { path: "severity", enum: ["CRITICAL", "ERROR", "WARNING"] },
    ],
    checks: ALERT_POLICY_CHECKS,
  },
];

const BY_TYPE = new Map(GCP_RESOURCE_SCHEMAS.map((s) => [s.type, s]));

/** The schema of a type token, if the library knows it. */
export function gcpResourceSchema(type: string): ResourceSchema | undefined {
  return BY_TYPE.get(type);
}

/**
 * What the API would refuse in inputs a component is about to register, before any call: enum values and cross-field
 * rules of the resource's schema (required fields are the provider's to fill, e.g. auto-names). Unknown types: none.
 */
export function plannedInputProblems(type: string, inputs: Record<string, any>): Problem[] {
  const schema = BY_TYPE.get(type);
  return schema ? schemaProblems(schema, inputs, { required: false }) : [];
}
