import {
  applyDefaults,
  gcpResourceSchema,
  GCP_RESOURCE_SCHEMAS,
  plannedInputProblems,
  replacementPaths,
  schemaProblems,
  valuesAt,
  type Problem,
  type ResourceSchema,
  type RuleId,
} from "@gcp-mtls/rules";
import { makeIntermediate, makeRoot, makeSelfSigned, makeServer } from "../../packages/testing/src/x509/test-pki";

// The Google Cloud resource schemas (`@gcp-mtls/rules` GCP_RESOURCE_SCHEMAS), one row per schema keyed by its catalogue
// entry, against the magic-modules definitions (mmv1/products/<product>/<Resource>.yaml and the handwritten resources):
// required, enumerated and immutable fields and defaults written out here from upstream, then every cross-field check.

type Inputs = Record<string, any>;
type Mutate = (valid: Inputs) => Inputs;
/** An expected problem; `rule` defaults to the row's rule. */
type Expected = { readonly path: string; readonly message: string; readonly rule?: RuleId };

interface SchemaRow {
  /** The Pulumi type token. */
  readonly type: string;
  /** Inputs as the Pulumi provider receives them; they reach every required and enumerated field. */
  readonly valid: Inputs;
  /** Fields upstream marks `required` (input paths). */
  readonly required: readonly string[];
  /** Enumerated fields and their upstream `enum_values`. */
  readonly enums: Readonly<Record<string, readonly string[]>>;
  /** Fields whose change replaces the resource (`immutable`, ForceNew, or all fields of an immutable resource). */
  readonly replaces: readonly string[];
  /** The state `applyDefaults` makes of `{}` (upstream `default_value`s outside nested blocks). */
  readonly defaults: Inputs;
  /** Nested defaults: [state, state after applyDefaults]. */
  readonly nestedDefaults?: readonly (readonly [Inputs, Inputs])[];
}

// --- paths --------------------------------------------------------------------------------------------------------

/** `a.b[0].c` → ["a", "b", 0, "c"]. */
function keys(path: string): (string | number)[] {
  return path.split(".").flatMap((part) => {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`bad path ${path}`);
    return [m[1]!, ...[...m[2]!.matchAll(/\[(\d+)\]/g)].map((i) => Number(i[1]))];
  });
}

/** Sets (or, with `undefined`, deletes) the value at a concrete path, creating missing objects. */
function set(target: Inputs, path: string, value: unknown): Inputs {
  const ks = keys(path);
  let obj: any = target;
  for (const k of ks.slice(0, -1)) {
    if (obj[k] === undefined || obj[k] === null) obj[k] = {};
    obj = obj[k];
  }
  const last = ks[ks.length - 1]!;
  if (value === undefined) delete obj[last];
  else obj[last] = value;
  return target;
}

/** A mutation setting (or deleting, with `undefined`) each concrete path. */
const patch =
  (changes: Record<string, unknown>): Mutate =>
  (v) => {
    for (const [path, value] of Object.entries(changes)) set(v, path, value);
    return v;
  };

const present = (v: unknown) => v !== undefined && v !== null && v !== "";
const clone = <T>(v: T): T => structuredClone(v);
const sorted = (xs: readonly string[]) => [...xs].sort();
const withRule = (rule: RuleId, expected: readonly Expected[]): Problem[] =>
  expected.map((e) => ({ path: e.path, message: e.message, rule: e.rule ?? rule }));

// --- fixtures -----------------------------------------------------------------------------------------------------

const PROJECT = "acme-mtls-prod";
const PROJECT_NUMBER = "123456789012";
const REGION = "us-central1";

// Real certificates (ECDSA P-256): a root, a chain of five intermediates, leaves under the first, fourth and fifth.
const root = makeRoot("Acme Root CA");
const intermediates = [makeIntermediate(root, "Acme Issuing CA 1")];
for (let i = 2; i <= 5; i++) intermediates.push(makeIntermediate(intermediates[i - 2]!, `Acme Issuing CA ${i}`));
const serverUnder = (n: number) =>
  makeServer(intermediates[n]!, "api.acme.example", { template: { dnsNames: ["api.acme.example"] } });
const server = serverUnder(0);
/** Leaf first, then its issuers up the chain (the order Compute expects). */
const chain = (leaf: { pem: string }, n: number) =>
  leaf.pem +
  intermediates
    .slice(0, n + 1)
    .reverse()
    .map((c) => c.pem)
    .join("");
const CHAIN_OF_2 = chain(server, 0);
const SERVER_KEY = server.keyPem;
const under4 = serverUnder(3);
const under5 = serverUnder(4);
const CHAIN_OF_5 = chain(under4, 3);
const CHAIN_OF_6 = chain(under5, 4);
const allowlisted = makeSelfSigned("legacy-agent.acme.example");

const loc = (collection: string, name: string, location = REGION) =>
  `projects/${PROJECT}/locations/${location}/${collection}/${name}`;
const SWP_GATEWAY = loc("gateways", "swp-gateway");

const T = {
  subnetwork: "gcp:compute/subnetwork:Subnetwork",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  certificate: "gcp:certificatemanager/certificate:Certificate",
  certificateMap: "gcp:certificatemanager/certificateMap:CertificateMap",
  mapEntry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  dnsAuthorization: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
  serverTlsPolicy: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
  gatewaySecurityPolicy: "gcp:networksecurity/gatewaySecurityPolicy:GatewaySecurityPolicy",
  tlsInspectionPolicy: "gcp:networksecurity/tlsInspectionPolicy:TlsInspectionPolicy",
  authzPolicy: "gcp:networksecurity/authzPolicy:AuthzPolicy",
  gateway: "gcp:networkservices/gateway:Gateway",
  caPool: "gcp:certificateauthority/caPool:CaPool",
  workloadIdentityPool: "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
  issuanceConfig: "gcp:certificatemanager/certificateIssuanceConfig:CertificateIssuanceConfig",
  certificateTemplate: "gcp:certificateauthority/certificateTemplate:CertificateTemplate",
  certificateTemplateIamMember: "gcp:certificateauthority/certificateTemplateIamMember:CertificateTemplateIamMember",
  authority: "gcp:certificateauthority/authority:Authority",
  caPoolIamMember: "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember",
  serviceIdentity: "gcp:projects/serviceIdentity:ServiceIdentity",
  sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
  regionSslPolicy: "gcp:compute/regionSslPolicy:RegionSslPolicy",
  sslCertificate: "gcp:compute/sSLCertificate:SSLCertificate",
  regionSslCertificate: "gcp:compute/regionSslCertificate:RegionSslCertificate",
  managedSslCertificate: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
  securityPolicy: "gcp:compute/securityPolicy:SecurityPolicy",
  regionSecurityPolicy: "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy",
  metric: "gcp:logging/metric:Metric",
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
} as const;

const SSL_PROFILES = ["COMPATIBLE", "MODERN", "RESTRICTED", "CUSTOM", "FIPS_202205"];
const TLS_VERSIONS = ["TLS_1_0", "TLS_1_1", "TLS_1_2", "TLS_1_3"];
const POST_QUANTUM = ["DEFAULT", "ENABLED", "DEFERRED"];
const SSL_POLICY_DEFAULTS = { profile: "COMPATIBLE", minTlsVersion: "TLS_1_0" };
const COMPARISONS = [
  "COMPARISON_GT",
  "COMPARISON_GE",
  "COMPARISON_LT",
  "COMPARISON_LE",
  "COMPARISON_EQ",
  "COMPARISON_NE",
];

const GATEWAY_LOG_FILTER =
  `resource.type="networkservices.googleapis.com/Gateway" AND resource.labels.gateway_name="swp-gateway" AND ` +
  `resource.labels.location="${REGION}" AND jsonPayload.mtls.clientCertError=~"^client_cert_"`;
const METRIC_FILTER = `resource.type="networkservices.googleapis.com/Gateway" AND metric.type="logging.googleapis.com/user/swp-rejected-client-certs"`;

const securityRules = [
  {
    priority: 1000,
    action: "deny(403)",
    description: "Block requests from embargoed regions",
    match: { expr: { expression: "origin.region_code == 'KP'" } },
  },
  {
    priority: 2147483647,
    action: "allow",
    description: "Default rule",
    match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
  },
];

// --- the schemas, one row per catalogue entry ---------------------------------------------------------------------

const SCHEMAS: Record<string, SchemaRow> = {
  // certificatemanager/TrustConfig.yaml
  "gcp.certificatemanager.trust-config": {
    type: T.trustConfig,
    valid: {
      name: "swp-client-trust",
      location: REGION,
      project: PROJECT,
      description: "Client CAs for Secure Web Proxy mTLS",
      trustStores: [
        { trustAnchors: [{ pemCertificate: root.pem }], intermediateCas: [{ pemCertificate: intermediates[0]!.pem }] },
      ],
      allowlistedCertificates: [{ pemCertificate: allowlisted.pem }],
    },
    required: ["name", "location", "allowlistedCertificates[].pemCertificate"],
    enums: {},
    replaces: ["name", "location", "project"],
    defaults: {},
  },
  // certificatemanager/Certificate.yaml
  "gcp.certificatemanager.certificate": {
    type: T.certificate,
    valid: {
      name: "swp-server-cert",
      location: REGION,
      project: PROJECT,
      scope: "DEFAULT",
      selfManaged: { pemCertificate: CHAIN_OF_2, pemPrivateKey: SERVER_KEY },
    },
    required: ["name"],
    enums: { scope: ["DEFAULT", "EDGE_CACHE", "ALL_REGIONS", "CLIENT_AUTH"] },
    replaces: ["name", "location", "project", "scope", "managed"],
    defaults: { location: "global", scope: "DEFAULT" },
  },
  // certificatemanager/CertificateMap.yaml (global only: no location)
  "gcp.certificatemanager.certificate-map": {
    type: T.certificateMap,
    valid: { name: "edge-cert-map", project: PROJECT, description: "Certificates of the external load balancer" },
    required: ["name"],
    enums: {},
    replaces: ["name", "project"],
    defaults: {},
  },
  // certificatemanager/CertificateMapEntry.yaml
  "gcp.certificatemanager.certificate-map-entry": {
    type: T.mapEntry,
    valid: {
      name: "api-acme-example",
      map: "edge-cert-map",
      project: PROJECT,
      certificates: [loc("certificates", "api-cert", "global")],
      hostname: "api.acme.example",
    },
    required: ["name", "map", "certificates"],
    enums: {},
    replaces: ["name", "map", "project", "hostname", "matcher"],
    defaults: {},
  },
  // certificatemanager/DnsAuthorization.yaml
  "gcp.certificatemanager.dns-authorization": {
    type: T.dnsAuthorization,
    valid: {
      name: "acme-example-dns-auth",
      location: "global",
      project: PROJECT,
      domain: "acme.example",
      type: "FIXED_RECORD",
    },
    required: ["name", "domain"],
    enums: { type: ["FIXED_RECORD", "PER_PROJECT_RECORD"] },
    replaces: ["name", "location", "project", "domain", "type"],
    defaults: { location: "global" },
  },
  // networksecurity/ServerTlsPolicy.yaml (location is not immutable upstream)
  "gcp.networksecurity.server-tls-policy": {
    type: T.serverTlsPolicy,
    valid: {
      name: "swp-mtls-policy",
      location: REGION,
      project: PROJECT,
      mtlsPolicy: {
        clientValidationMode: "REJECT_INVALID",
        clientValidationTrustConfig: `projects/${PROJECT_NUMBER}/locations/${REGION}/trustConfigs/swp-client-trust`,
      },
    },
    required: ["name"],
    enums: {
      "mtlsPolicy.clientValidationMode": [
        "CLIENT_VALIDATION_MODE_UNSPECIFIED",
        "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
        "REJECT_INVALID",
      ],
    },
    replaces: ["name", "project", "mtlsPolicy.clientValidationMode", "mtlsPolicy.clientValidationTrustConfig"],
    defaults: { location: "global" },
  },
  // networksecurity/GatewaySecurityPolicy.yaml
  "gcp.networksecurity.gateway-security-policy": {
    type: T.gatewaySecurityPolicy,
    valid: {
      name: "swp-policy",
      location: REGION,
      project: PROJECT,
      tlsInspectionPolicy: loc("tlsInspectionPolicies", "swp-tls-inspection"),
    },
    required: ["name"],
    enums: {},
    replaces: ["name", "location", "project"],
    defaults: { location: "global" },
  },
  // networksecurity/TlsInspectionPolicy.yaml (name and location not immutable; location has no default)
  "gcp.networksecurity.tls-inspection-policy": {
    type: T.tlsInspectionPolicy,
    valid: {
      name: "swp-tls-inspection",
      location: REGION,
      project: PROJECT,
      caPool: loc("caPools", "swp-inspection-pool"),
      minTlsVersion: "TLS_1_2",
      tlsFeatureProfile: "PROFILE_MODERN",
      excludePublicCaSet: false,
    },
    required: ["name", "location", "caPool"],
    enums: {
      minTlsVersion: ["TLS_VERSION_UNSPECIFIED", ...TLS_VERSIONS],
      tlsFeatureProfile: [
        "PROFILE_UNSPECIFIED",
        "PROFILE_COMPATIBLE",
        "PROFILE_MODERN",
        "PROFILE_RESTRICTED",
        "PROFILE_CUSTOM",
      ],
    },
    replaces: ["project"],
    defaults: { minTlsVersion: "TLS_VERSION_UNSPECIFIED", tlsFeatureProfile: "PROFILE_UNSPECIFIED" },
  },
  // networksecurity/AuthzPolicy.yaml
  "gcp.networksecurity.authz-policy": {
    type: T.authzPolicy,
    valid: {
      name: "swp-agents-allow-billing",
      location: REGION,
      project: PROJECT,
      description: "ALLOW spiffe://acme.example/ns/agents/sa/billing",
      policyProfile: "REQUEST_AUTHZ",
      target: { loadBalancingScheme: "INTERNAL_MANAGED", resources: [SWP_GATEWAY] },
      action: "ALLOW",
      httpRules: [
        {
          from: {
            sources: [
              {
                principals: [
                  {
                    principalSelector: "CLIENT_CERT_URI_SAN",
                    principal: { exact: "spiffe://acme.example/ns/agents/sa/billing" },
                  },
                ],
              },
            ],
          },
          to: {
            operations: [
              { hosts: [{ exact: "billing.acme.example" }], paths: [{ prefix: "/v1/" }], methods: ["GET", "POST"] },
            ],
          },
        },
      ],
    },
    required: ["name", "location", "target", "action"],
    enums: {
      policyProfile: ["REQUEST_AUTHZ", "CONTENT_AUTHZ"],
      "target.loadBalancingScheme": ["INTERNAL_MANAGED", "EXTERNAL_MANAGED", "INTERNAL_SELF_MANAGED"],
      action: ["ALLOW", "DENY", "CUSTOM"],
      "httpRules[].from.sources[].principals[].principalSelector": [
        "PRINCIPAL_SELECTOR_UNSPECIFIED",
        "CLIENT_CERT_URI_SAN",
        "CLIENT_CERT_DNS_NAME_SAN",
        "CLIENT_CERT_COMMON_NAME",
      ],
    },
    replaces: ["project", "policyProfile"],
    defaults: { policyProfile: "REQUEST_AUTHZ" },
  },
  // networkservices/Gateway.yaml
  "gcp.networkservices.gateway": {
    type: T.gateway,
    valid: {
      name: "swp-gateway",
      location: REGION,
      project: PROJECT,
      type: "SECURE_WEB_GATEWAY",
      addresses: ["10.128.0.99"],
      ports: [443],
      scope: "swp-scope-1",
      network: `projects/${PROJECT}/global/networks/swp-network`,
      subnetwork: `projects/${PROJECT}/regions/${REGION}/subnetworks/swp-subnet`,
      routingMode: "EXPLICIT_ROUTING_MODE",
      ipVersion: "IPV4",
      envoyHeaders: "NONE",
      certificateUrls: [loc("certificates", "swp-server-cert")],
      serverTlsPolicy: loc("serverTlsPolicies", "swp-mtls-policy"),
      gatewaySecurityPolicy: loc("gatewaySecurityPolicies", "swp-policy"),
    },
    required: ["name", "type"],
    enums: {
      type: ["OPEN_MESH", "SECURE_WEB_GATEWAY"],
      routingMode: ["NEXT_HOP_ROUTING_MODE", "EXPLICIT_ROUTING_MODE"],
      ipVersion: ["IPV4", "IPV6"],
      envoyHeaders: ["NONE", "DEBUG_HEADERS"],
    },
    replaces: [
      "name",
      "location",
      "project",
      "type",
      "addresses",
      "allPorts",
      "scope",
      "network",
      "subnetwork",
      "allowGlobalAccess",
    ],
    defaults: { location: "global" },
  },
  // certificatemanager/CertificateIssuanceConfig.yaml (resource-level immutable)
  "gcp.certificatemanager.certificate-issuance-config": {
    type: T.issuanceConfig,
    valid: {
      name: "bank-issuance",
      project: PROJECT,
      location: REGION,
      certificateAuthorityConfig: { certificateAuthorityServiceConfig: { caPool: loc("caPools", "issuing") } },
      keyAlgorithm: "ECDSA_P256",
      lifetime: "2592000s",
      rotationWindowPercentage: 66,
    },
    required: [
      "name",
      "certificateAuthorityConfig",
      "certificateAuthorityConfig.certificateAuthorityServiceConfig.caPool",
      "keyAlgorithm",
      "lifetime",
      "rotationWindowPercentage",
    ],
    enums: { keyAlgorithm: ["RSA_2048", "ECDSA_P256"] },
    replaces: [
      "name",
      "project",
      "location",
      "certificateAuthorityConfig",
      "certificateAuthorityConfig.certificateAuthorityServiceConfig.caPool",
      "keyAlgorithm",
      "lifetime",
      "rotationWindowPercentage",
    ],
    defaults: { location: "global" },
  },
  // iambeta/WorkloadIdentityPool.yaml
  "gcp.iam.workload-identity-pool": {
    type: T.workloadIdentityPool,
    valid: {
      workloadIdentityPoolId: "bank-vms",
      project: PROJECT,
      mode: "TRUST_DOMAIN",
      inlineCertificateIssuanceConfig: {
        caPools: { [REGION]: loc("caPools", "issuing") },
        lifetime: "86400s",
        rotationWindowPercentage: 50,
        keyAlgorithm: "ECDSA_P256",
      },
    },
    required: ["workloadIdentityPoolId"],
    enums: {
      mode: ["FEDERATION_ONLY", "TRUST_DOMAIN", "SYSTEM_TRUST_DOMAIN"],
      "inlineCertificateIssuanceConfig.keyAlgorithm": ["RSA_2048", "RSA_3072", "RSA_4096", "ECDSA_P256", "ECDSA_P384"],
    },
    replaces: ["workloadIdentityPoolId", "project", "mode"],
    defaults: {},
  },
  // privateca/CaPool.yaml
  "gcp.privateca.ca-pool": {
    type: T.caPool,
    valid: {
      name: "swp-inspection-pool",
      location: REGION,
      project: PROJECT,
      tier: "DEVOPS",
      publishingOptions: { publishCaCert: true, publishCrl: false, encodingFormat: "PEM" },
    },
    required: ["name", "location", "tier", "publishingOptions.publishCaCert", "publishingOptions.publishCrl"],
    enums: { tier: ["ENTERPRISE", "DEVOPS"], "publishingOptions.encodingFormat": ["PEM", "DER"] },
    replaces: ["name", "location", "project", "tier"],
    defaults: {},
  },
  // privateca/CertificateAuthority.yaml
  "gcp.privateca.authority": {
    type: T.authority,
    valid: {
      location: REGION,
      certificateAuthorityId: "swp-inspection-ca",
      pool: "swp-inspection-pool",
      project: PROJECT,
      type: "SELF_SIGNED",
      config: {
        subjectConfig: { subject: { organization: "Acme", commonName: "Acme SWP TLS inspection CA" } },
        x509Config: {
          caOptions: { isCa: true },
          keyUsage: {
            baseKeyUsage: { certSign: true, crlSign: true },
            extendedKeyUsage: { serverAuth: false },
          },
        },
      },
      lifetime: "31536000s",
      keySpec: { algorithm: "EC_P256_SHA256" },
      desiredState: "ENABLED",
      deletionProtection: true,
    },
    required: [
      "location",
      "certificateAuthorityId",
      "pool",
      "config",
      "config.subjectConfig",
      "config.subjectConfig.subject",
      "config.subjectConfig.subject.commonName",
      "config.x509Config",
      "config.x509Config.caOptions",
      "config.x509Config.caOptions.isCa",
      "config.x509Config.keyUsage",
      "config.x509Config.keyUsage.baseKeyUsage",
      "config.x509Config.keyUsage.extendedKeyUsage",
      "keySpec",
    ],
    enums: {
      type: ["SELF_SIGNED", "SUBORDINATE"],
      "keySpec.algorithm": [
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
    replaces: [
      "location",
      "certificateAuthorityId",
      "pool",
      "project",
      "type",
      "config",
      "config.subjectConfig",
      "config.subjectConfig.subject",
      "config.subjectConfig.subject.commonName",
      "config.x509Config",
      "config.x509Config.caOptions",
      "config.x509Config.caOptions.isCa",
      "config.x509Config.keyUsage",
      "config.x509Config.keyUsage.baseKeyUsage",
      "config.x509Config.keyUsage.extendedKeyUsage",
      "lifetime",
      "keySpec",
      "keySpec.algorithm",
      "gcsBucket",
    ],
    defaults: {
      type: "SELF_SIGNED",
      lifetime: "315360000s",
      deletionProtection: true,
      skipGracePeriod: false,
      ignoreActiveCertificatesOnDeletion: false,
    },
  },
  // Handwritten IAM member (tpgiamresource/resource_iam_member.go + templates/terraform/iam_policy.go.tmpl): all ForceNew.
  "gcp.privateca.ca-pool-iam-member": {
    type: T.caPoolIamMember,
    valid: {
      caPool: loc("caPools", "swp-inspection-pool"),
      role: "roles/privateca.certificateManager",
      member: `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-networksecurity.iam.gserviceaccount.com`,
    },
    required: ["caPool", "role", "member"],
    enums: {},
    replaces: ["caPool", "role", "member", "condition", "location", "project"],
    defaults: {},
  },
  // privateca/CertificateTemplate.yaml
  "gcp.privateca.certificate-template": {
    type: T.certificateTemplate,
    valid: {
      name: "payments",
      location: REGION,
      project: PROJECT,
      identityConstraints: {
        allowSubjectPassthrough: true,
        allowSubjectAltNamesPassthrough: true,
        celExpression: { expression: "subject_alt_names.size() > 0" },
      },
    },
    required: [
      "name",
      "location",
      "identityConstraints.allowSubjectPassthrough",
      "identityConstraints.allowSubjectAltNamesPassthrough",
    ],
    enums: {},
    replaces: ["name", "location", "project"],
    defaults: {},
  },
  // Handwritten IAM member of privateca/CertificateTemplate.yaml (iam_policy.go.tmpl)
  "gcp.privateca.certificate-template-iam-member": {
    type: T.certificateTemplateIamMember,
    valid: {
      certificateTemplate: `projects/${PROJECT}/locations/${REGION}/certificateTemplates/payments`,
      role: "roles/privateca.templateUser",
      member: "serviceAccount:processor@bank-prod.iam.gserviceaccount.com",
    },
    required: ["certificateTemplate", "role", "member"],
    enums: {},
    replaces: ["certificateTemplate", "role", "member", "condition", "location", "project"],
    defaults: {},
  },
  // Handwritten (services/resourcemanager/resource_project_service_identity.go.tmpl).
  "gcp.projects.service-identity": {
    type: T.serviceIdentity,
    valid: { service: "networksecurity.googleapis.com", project: PROJECT },
    required: ["service"],
    enums: {},
    replaces: ["service", "project"],
    defaults: {},
  },
  // compute/SslPolicy.yaml
  "gcp.compute.ssl-policy": {
    type: T.sslPolicy,
    valid: {
      name: "frontend-tls12-modern",
      project: PROJECT,
      description: "TLS 1.2+ with the MODERN profile",
      profile: "MODERN",
      minTlsVersion: "TLS_1_2",
      postQuantumKeyExchange: "DEFAULT",
    },
    required: ["name"],
    enums: { profile: SSL_PROFILES, minTlsVersion: TLS_VERSIONS, postQuantumKeyExchange: POST_QUANTUM },
    replaces: ["name", "project", "description"],
    defaults: SSL_POLICY_DEFAULTS,
  },
  // compute/RegionSslPolicy.yaml
  "gcp.compute.region-ssl-policy": {
    type: T.regionSslPolicy,
    valid: {
      name: "internal-tls12-modern",
      project: PROJECT,
      region: REGION,
      description: "TLS 1.2+ with the MODERN profile",
      profile: "MODERN",
      minTlsVersion: "TLS_1_2",
      postQuantumKeyExchange: "DEFAULT",
    },
    required: ["name"],
    enums: { profile: SSL_PROFILES, minTlsVersion: TLS_VERSIONS, postQuantumKeyExchange: POST_QUANTUM },
    replaces: ["name", "project", "region", "description"],
    defaults: SSL_POLICY_DEFAULTS,
  },
  // compute/SslCertificate.yaml (immutable: true)
  "gcp.compute.ssl-certificate": {
    type: T.sslCertificate,
    valid: {
      name: "frontend-cert",
      project: PROJECT,
      description: "api.acme.example",
      certificate: CHAIN_OF_2,
      privateKey: SERVER_KEY,
    },
    required: ["certificate", "privateKey"],
    enums: {},
    replaces: ["name", "namePrefix", "project", "certificate", "privateKey", "description"],
    defaults: {},
  },
  // compute/RegionSslCertificate.yaml (immutable: true)
  "gcp.compute.region-ssl-certificate": {
    type: T.regionSslCertificate,
    valid: {
      namePrefix: "internal-cert-",
      project: PROJECT,
      region: REGION,
      certificate: CHAIN_OF_2,
      privateKey: SERVER_KEY,
    },
    required: ["certificate", "privateKey"],
    enums: {},
    replaces: ["name", "namePrefix", "project", "region", "certificate", "privateKey", "description"],
    defaults: {},
  },
  // compute/Subnetwork.yaml (a proxy-only subnet; ipCidrRange expands in place, purpose and role update)
  "gcp.compute.subnetwork": {
    type: T.subnetwork,
    valid: {
      name: "proxy-only",
      project: PROJECT,
      region: REGION,
      network: "projects/acme/global/networks/vpc",
      ipCidrRange: "10.129.0.0/23",
      purpose: "REGIONAL_MANAGED_PROXY",
      role: "ACTIVE",
    },
    required: ["name", "network"],
    enums: {
      purpose: [
        "PRIVATE",
        "REGIONAL_MANAGED_PROXY",
        "GLOBAL_MANAGED_PROXY",
        "PRIVATE_SERVICE_CONNECT",
        "PEER_MIGRATION",
        "PRIVATE_NAT",
      ],
      role: ["ACTIVE", "BACKUP"],
    },
    replaces: ["name", "project", "network", "region"],
    defaults: {},
  },
  // compute/ManagedSslCertificate.yaml (immutable: true)
  "gcp.compute.managed-ssl-certificate": {
    type: T.managedSslCertificate,
    valid: {
      name: "frontend-managed-cert",
      project: PROJECT,
      type: "MANAGED",
      managed: { domains: ["api.acme.example."] },
    },
    required: ["managed.domains"],
    enums: { type: ["MANAGED"] },
    replaces: ["name", "project", "description", "managed.domains", "type"],
    defaults: { type: "MANAGED" },
  },
  // Handwritten (services/compute/resource_compute_security_policy.go.tmpl).
  "gcp.compute.security-policy": {
    type: T.securityPolicy,
    valid: { name: "edge-armor", project: PROJECT, type: "CLOUD_ARMOR", rules: securityRules },
    // The handwritten resource's rule schema: `match` is Required (resource_compute_security_policy.go.tmpl).
    required: ["name", "rules[].priority", "rules[].action", "rules[].match"],
    enums: { type: ["CLOUD_ARMOR", "CLOUD_ARMOR_EDGE", "CLOUD_ARMOR_INTERNAL_SERVICE"] },
    replaces: ["name", "project", "type"],
    defaults: {},
  },
  // compute/RegionSecurityPolicy.yaml
  "gcp.compute.region-security-policy": {
    type: T.regionSecurityPolicy,
    valid: { name: "internal-armor", project: PROJECT, region: REGION, type: "CLOUD_ARMOR", rules: securityRules },
    required: ["name", "rules[].priority", "rules[].action"],
    enums: { type: ["CLOUD_ARMOR", "CLOUD_ARMOR_EDGE", "CLOUD_ARMOR_NETWORK"] },
    replaces: ["name", "project", "region", "type"],
    defaults: {},
  },
  // logging/Metric.yaml
  "gcp.logging.metric": {
    type: T.metric,
    valid: {
      name: "swp-rejected-client-certs",
      project: PROJECT,
      description: "Client certificates rejected by Secure Web Proxy swp-gateway, by reason",
      filter: GATEWAY_LOG_FILTER,
      metricDescriptor: {
        metricKind: "DELTA",
        valueType: "INT64",
        unit: "1",
        labels: [{ key: "reason", valueType: "STRING", description: "client_cert_* reason from the proxy log" }],
      },
      labelExtractors: { reason: "EXTRACT(jsonPayload.mtls.clientCertError)" },
    },
    required: [
      "name",
      "filter",
      "metricDescriptor.metricKind",
      "metricDescriptor.valueType",
      "metricDescriptor.labels[].key",
    ],
    enums: {
      "metricDescriptor.metricKind": ["DELTA", "GAUGE", "CUMULATIVE"],
      "metricDescriptor.valueType": ["BOOL", "INT64", "DOUBLE", "STRING", "DISTRIBUTION", "MONEY"],
      "metricDescriptor.labels[].valueType": ["BOOL", "INT64", "STRING"],
    },
    replaces: ["project", "metricDescriptor.labels[].key", "metricDescriptor.labels[].valueType"],
    // metricDescriptor.unit defaults to "1" only inside a metricDescriptor block.
    defaults: {},
    nestedDefaults: [
      [{ metricDescriptor: {} }, { metricDescriptor: { unit: "1" } }],
      [{ metricDescriptor: { unit: "By" } }, { metricDescriptor: { unit: "By" } }],
    ],
  },
  // monitoring/AlertPolicy.yaml
  "gcp.monitoring.alert-policy": {
    type: T.alertPolicy,
    valid: {
      displayName: "swp-gateway: rejected client certificates",
      project: PROJECT,
      combiner: "OR",
      severity: "WARNING",
      notificationChannels: [`projects/${PROJECT}/notificationChannels/4168093452271638842`],
      conditions: [
        {
          displayName: "More than 5 rejected client certificates in 5 minutes",
          conditionThreshold: {
            filter: METRIC_FILTER,
            comparison: "COMPARISON_GT",
            thresholdValue: 5,
            duration: "0s",
            aggregations: [
              { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" },
            ],
            trigger: { count: 1 },
          },
        },
      ],
    },
    required: [
      "displayName",
      "combiner",
      "conditions",
      "conditions[].displayName",
      "conditions[].conditionThreshold.duration",
      "conditions[].conditionThreshold.comparison",
    ],
    enums: {
      combiner: ["AND", "OR", "AND_WITH_MATCHING_RESOURCE"],
      "conditions[].conditionThreshold.comparison": COMPARISONS,
      severity: ["CRITICAL", "ERROR", "WARNING"],
    },
    replaces: ["project"],
    defaults: { enabled: true },
  },
};

const ROW_BY_TYPE = new Map(Object.values(SCHEMAS).map((row) => [row.type, row]));
const schemaOf = (type: string): ResourceSchema => {
  const schema = gcpResourceSchema(type);
  if (!schema) throw new Error(`no schema for ${type}`);
  return schema;
};
const validOf = (type: string): Inputs => clone(ROW_BY_TYPE.get(type)!.valid);

describe("GCP_RESOURCE_SCHEMAS", () => {
  it("has a row here for every schema, keyed by the schema's catalogue rule", () => {
    expect(GCP_RESOURCE_SCHEMAS).toHaveLength(28);
    expect(sorted(Object.keys(SCHEMAS))).toEqual(sorted(GCP_RESOURCE_SCHEMAS.map((s) => s.rule)));
    for (const [rule, row] of Object.entries(SCHEMAS)) {
      expect({ rule, type: row.type, schemaRule: gcpResourceSchema(row.type)?.rule }).toEqual({
        rule,
        type: row.type,
        schemaRule: rule,
      });
    }
  });

  it("marks every field of a resource-level immutable schema immutable", () => {
    for (const s of GCP_RESOURCE_SCHEMAS.filter((x) => x.immutable)) {
      expect({ type: s.type, mutable: s.fields.filter((f) => !f.immutable).map((f) => f.path) }).toEqual({
        type: s.type,
        mutable: [],
      });
    }
  });

  it("knows nothing of other types", () => {
    expect(gcpResourceSchema("gcp:compute/network:Network")).toBeUndefined();
    expect(plannedInputProblems("gcp:compute/network:Network", { name: 1 })).toEqual([]);
  });
});

describe.each(Object.entries(SCHEMAS))("%s", (rule, row) => {
  const schema = schemaOf(row.type);
  const fieldPaths = (pick: (f: ResourceSchema["fields"][number]) => boolean) =>
    sorted(schema.fields.filter(pick).map((f) => f.path));
  /** The concrete locations of a field in the valid inputs (none would leave the field untested). */
  const locations = (path: string) => {
    const found = valuesAt(row.valid, path).filter((v) => present(v.value));
    expect({ path, reached: found.length > 0 }).toEqual({ path, reached: true });
    return found.map((v) => v.path);
  };

  it("accepts the valid inputs", () => {
    expect(schemaProblems(schema, clone(row.valid))).toEqual([]);
    expect(plannedInputProblems(row.type, clone(row.valid))).toEqual([]);
  });

  it("requires the fields upstream requires, only where their parent is present", () => {
    expect(fieldPaths((f) => !!f.required)).toEqual(sorted(row.required));
    for (const field of row.required) {
      for (const path of locations(field)) {
        const inputs = set(clone(row.valid), path, undefined);
        // Exactly one problem: a cross-field check leaves an absent field to the required-field rule.
        expect(schemaProblems(schema, inputs)).toEqual([{ path, message: "is required", rule }]);
        // Planned inputs leave required fields to the provider.
        expect(plannedInputProblems(row.type, inputs)).toEqual([]);
      }
    }
  });

  it("refuses values outside each enum, listing the allowed values", () => {
    expect(fieldPaths((f) => !!f.enum)).toEqual(sorted(Object.keys(row.enums)));
    for (const [field, allowed] of Object.entries(row.enums)) {
      expect({ field, values: schema.fields.find((f) => f.path === field)!.enum }).toEqual({ field, values: allowed });
      for (const path of locations(field)) {
        const inputs = set(clone(row.valid), path, "BOGUS");
        const expected = [{ path, message: `must be one of ${allowed.join(", ")}, got \`BOGUS\``, rule }];
        expect(schemaProblems(schema, inputs)).toEqual(expected);
        expect(plannedInputProblems(row.type, inputs)).toEqual(expected);
      }
    }
  });

  it("replaces the resource on a change of exactly the upstream immutable fields", () => {
    expect(sorted(replacementPaths(schema))).toEqual(sorted(row.replaces));
  });

  it("fills the declared defaults, keeping values that are set", () => {
    const empty: Inputs = {};
    applyDefaults(schema, empty);
    expect(empty).toEqual(row.defaults);
    for (const [state, after] of row.nestedDefaults ?? []) {
      const s = clone(state);
      applyDefaults(schema, s);
      expect(s).toEqual(after);
    }
    const full = clone(row.valid);
    applyDefaults(schema, full);
    expect(full).toEqual({ ...row.defaults, ...row.valid });
  });
});

// --- the cross-field checks ---------------------------------------------------------------------------------------

type CheckRow = readonly [rule: RuleId, type: string, what: string, mutate: Mutate, expected: readonly Expected[]];

const principal = (exact: string) => ({ principalSelector: "CLIENT_CERT_URI_SAN", principal: { exact } });
const PRINCIPAL_0 = "httpRules[0].from.sources[0].principals[0]";
const scopeOf = (length: number) => `swp-${"a".repeat(length - 4)}`;
const mapCertificates = (n: number) =>
  Array.from({ length: n }, (_, i) => loc("certificates", `api-cert-${i}`, "global"));
const CA_NAME_64 = `a${"b-c_d".repeat(12)}${"x".repeat(3)}`;
const DESCRIPTION_64 = "d".repeat(64);

const sslPolicyRows = (type: string): CheckRow[] => [
  [
    "gcp.compute.ssl-policy.tls13-restricted",
    type,
    "TLS 1.3 with MODERN",
    patch({ minTlsVersion: "TLS_1_3" }),
    [{ path: "profile", message: "must be `RESTRICTED` when `minTlsVersion` is `TLS_1_3`, got `MODERN`" }],
  ],
  [
    "gcp.compute.ssl-policy.tls13-restricted",
    type,
    "TLS 1.3 with the default profile",
    patch({ minTlsVersion: "TLS_1_3", profile: undefined }),
    [{ path: "profile", message: "must be `RESTRICTED` when `minTlsVersion` is `TLS_1_3`, got `COMPATIBLE`" }],
  ],
  [
    "gcp.compute.ssl-policy.tls13-restricted",
    type,
    "TLS 1.3 with RESTRICTED",
    patch({ minTlsVersion: "TLS_1_3", profile: "RESTRICTED" }),
    [],
  ],
  [
    "gcp.compute.ssl-policy.custom-features",
    type,
    "CUSTOM without features",
    patch({ profile: "CUSTOM" }),
    [{ path: "customFeatures", message: "must be set when `profile` is `CUSTOM`" }],
  ],
  [
    "gcp.compute.ssl-policy.custom-features",
    type,
    "CUSTOM with an empty feature list",
    patch({ profile: "CUSTOM", customFeatures: [] }),
    [{ path: "customFeatures", message: "must be set when `profile` is `CUSTOM`" }],
  ],
  [
    "gcp.compute.ssl-policy.custom-features",
    type,
    "features with MODERN",
    patch({ customFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] }),
    [{ path: "customFeatures", message: "must be empty unless `profile` is `CUSTOM`, got `MODERN`" }],
  ],
  [
    "gcp.compute.ssl-policy.custom-features",
    type,
    "features with the default profile",
    patch({ profile: undefined, customFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] }),
    [{ path: "customFeatures", message: "must be empty unless `profile` is `CUSTOM`, got `COMPATIBLE`" }],
  ],
  [
    "gcp.compute.ssl-policy.custom-features",
    type,
    "CUSTOM with features",
    patch({
      profile: "CUSTOM",
      customFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"],
    }),
    [],
  ],
  [
    "gcp.compute.ssl-policy.fips-tls12",
    type,
    "FIPS with TLS 1.1",
    patch({ profile: "FIPS_202205", minTlsVersion: "TLS_1_1" }),
    [{ path: "minTlsVersion", message: "must be `TLS_1_2` with profile `FIPS_202205`, got `TLS_1_1`" }],
  ],
  [
    "gcp.compute.ssl-policy.fips-tls12",
    type,
    "FIPS with the default minimum version",
    patch({ profile: "FIPS_202205", minTlsVersion: undefined }),
    [{ path: "minTlsVersion", message: "must be `TLS_1_2` with profile `FIPS_202205`, got `TLS_1_0`" }],
  ],
  [
    "gcp.compute.ssl-policy.fips-tls12",
    type,
    "FIPS with TLS 1.3 (also not RESTRICTED)",
    patch({ profile: "FIPS_202205", minTlsVersion: "TLS_1_3" }),
    [
      {
        path: "profile",
        message: "must be `RESTRICTED` when `minTlsVersion` is `TLS_1_3`, got `FIPS_202205`",
        rule: "gcp.compute.ssl-policy.tls13-restricted",
      },
      { path: "minTlsVersion", message: "must be `TLS_1_2` with profile `FIPS_202205`, got `TLS_1_3`" },
    ],
  ],
  ["gcp.compute.ssl-policy.fips-tls12", type, "FIPS with TLS 1.2", patch({ profile: "FIPS_202205" }), []],
];

const sslCertificateRows = (type: string): CheckRow[] => [
  [
    "gcp.compute.ssl-certificate.chain-length",
    type,
    "a chain of 6",
    patch({ certificate: CHAIN_OF_6, privateKey: under5.keyPem }),
    [{ path: "certificate", message: "holds a chain of 6 certificates, more than 5" }],
  ],
  [
    "gcp.compute.ssl-certificate.chain-length",
    type,
    "a chain of 5",
    patch({ certificate: CHAIN_OF_5, privateKey: under4.keyPem }),
    [],
  ],
  [
    "gcp.compute.ssl-certificate.chain-length",
    type,
    "a chain of 5 followed by its key (only CERTIFICATE blocks count)",
    patch({ certificate: CHAIN_OF_5 + under4.keyPem, privateKey: under4.keyPem }),
    [],
  ],
];

const securityPolicyRows = (type: string): CheckRow[] => [
  [
    "gcp.compute.security-policy.rules",
    type,
    "a negative priority",
    patch({ "rules[0].priority": -1 }),
    [{ path: "rules[0].priority", message: "must be a whole number 0-2147483647, got `-1`" }],
  ],
  [
    "gcp.compute.security-policy.rules",
    type,
    "a priority past 2147483647",
    patch({ "rules[1].priority": 2147483648 }),
    [{ path: "rules[1].priority", message: "must be a whole number 0-2147483647, got `2147483648`" }],
  ],
  [
    "gcp.compute.security-policy.rules",
    type,
    "a fractional priority",
    patch({ "rules[0].priority": 1.5 }),
    [{ path: "rules[0].priority", message: "must be a whole number 0-2147483647, got `1.5`" }],
  ],
  ["gcp.compute.security-policy.rules", type, "priorities 0 and 2147483647", patch({ "rules[0].priority": 0 }), []],
  [
    "gcp.compute.security-policy.rules",
    type,
    "a repeated priority",
    patch({ "rules[1].priority": 1000 }),
    [{ path: "rules[1].priority", message: "repeats priority 1000" }],
  ],
  [
    "gcp.compute.security-policy.rules",
    type,
    "a 65-character description",
    patch({ "rules[0].description": `${DESCRIPTION_64}!` }),
    // The 64-character limit is the handwritten global resource's; RegionSecurityPolicy.yaml states none.
    type === T.securityPolicy ? [{ path: "rules[0].description", message: "is 65 characters, more than 64" }] : [],
  ],
  [
    "gcp.compute.security-policy.rules",
    type,
    "a 64-character description",
    patch({ "rules[0].description": DESCRIPTION_64 }),
    [],
  ],
  [
    "gcp.compute.security-policy.rules",
    type,
    "deny(429) (a rate-limit exceed action, not a rule action)",
    patch({ "rules[0].action": "deny(429)" }),
    [
      {
        path: "rules[0].action",
        message: "must be allow, deny(403|404|502), rate_based_ban, redirect or throttle, got `deny(429)`",
      },
    ],
  ],
  [
    "gcp.compute.security-policy.rules",
    type,
    "deny(502), throttle",
    patch({ "rules[0].action": "deny(502)", "rules[1].action": "throttle" }),
    [],
  ],
  [
    "gcp.compute.security-policy.rules",
    type,
    "a redirect rule (global CLOUD_ARMOR policies only, RegionSecurityPolicy.yaml)",
    patch({ "rules[0].action": "redirect" }),
    type === T.securityPolicy
      ? []
      : [
          {
            path: "rules[0].action",
            message: "`redirect` is supported only in global security policies of type `CLOUD_ARMOR`",
          },
        ],
  ],
];

const CHECKS: readonly CheckRow[] = [
  // certificatemanager/Certificate.yaml
  [
    "gcp.certificatemanager.certificate.shape",
    T.certificate,
    "both selfManaged and managed",
    patch({ managed: { domains: ["api.acme.example"] } }),
    [{ path: "selfManaged", message: "exactly one of `selfManaged` and `managed` must be set" }],
  ],
  [
    "gcp.certificatemanager.certificate.shape",
    T.certificate,
    "neither selfManaged nor managed",
    patch({ selfManaged: undefined }),
    [{ path: "selfManaged", message: "exactly one of `selfManaged` and `managed` must be set" }],
  ],
  [
    "gcp.certificatemanager.certificate.shape",
    T.certificate,
    "managed only",
    patch({
      selfManaged: undefined,
      managed: {
        domains: ["api.acme.example"],
        dnsAuthorizations: [loc("dnsAuthorizations", "acme-example-dns-auth", "global")],
      },
    }),
    [],
  ],
  [
    "gcp.certificatemanager.certificate.shape",
    T.certificate,
    "a name starting with a digit",
    patch({ name: "1-swp-cert" }),
    [{ path: "name", message: "must be 1-64 characters matching [a-zA-Z][a-zA-Z0-9_-]*, got `1-swp-cert`" }],
  ],
  [
    "gcp.certificatemanager.certificate.shape",
    T.certificate,
    "a 65-character name",
    patch({ name: `${CA_NAME_64}y` }),
    [
      {
        path: "name",
        message: `must be 1-64 characters matching [a-zA-Z][a-zA-Z0-9_-]*, got \`${CA_NAME_64}y\``,
      },
    ],
  ],
  ["gcp.certificatemanager.certificate.shape", T.certificate, "a 64-character name", patch({ name: CA_NAME_64 }), []],
  // certificatemanager/CertificateMapEntry.yaml
  [
    "gcp.certificatemanager.certificate-map-entry.shape",
    T.mapEntry,
    "both hostname and matcher",
    patch({ matcher: "PRIMARY" }),
    [{ path: "hostname", message: "exactly one of `hostname` and `matcher` must be set" }],
  ],
  [
    "gcp.certificatemanager.certificate-map-entry.shape",
    T.mapEntry,
    "neither hostname nor matcher",
    patch({ hostname: undefined }),
    [{ path: "hostname", message: "exactly one of `hostname` and `matcher` must be set" }],
  ],
  [
    "gcp.certificatemanager.certificate-map-entry.shape",
    T.mapEntry,
    "matcher only",
    patch({ hostname: undefined, matcher: "PRIMARY" }),
    [],
  ],
  [
    "gcp.certificatemanager.certificate-map-entry.shape",
    T.mapEntry,
    "16 certificates",
    patch({ certificates: mapCertificates(16) }),
    [{ path: "certificates", message: "has 16 certificates, more than 15" }],
  ],
  [
    "gcp.certificatemanager.certificate-map-entry.shape",
    T.mapEntry,
    "15 certificates",
    patch({ certificates: mapCertificates(15) }),
    [],
  ],
  // networksecurity/TlsInspectionPolicy.yaml customTlsFeatures (the check uses the schema's own entry)
  [
    "gcp.networksecurity.tls-inspection-policy",
    T.tlsInspectionPolicy,
    "custom features with PROFILE_MODERN",
    patch({ customTlsFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"] }),
    [{ path: "customTlsFeatures", message: "is valid only with `tlsFeatureProfile` `PROFILE_CUSTOM`" }],
  ],
  [
    "gcp.networksecurity.tls-inspection-policy",
    T.tlsInspectionPolicy,
    "custom features without a profile",
    patch({ tlsFeatureProfile: undefined, customTlsFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"] }),
    [{ path: "customTlsFeatures", message: "is valid only with `tlsFeatureProfile` `PROFILE_CUSTOM`" }],
  ],
  [
    "gcp.networksecurity.tls-inspection-policy",
    T.tlsInspectionPolicy,
    "custom features with PROFILE_CUSTOM",
    patch({ tlsFeatureProfile: "PROFILE_CUSTOM", customTlsFeatures: ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"] }),
    [],
  ],
  [
    "gcp.networksecurity.tls-inspection-policy",
    T.tlsInspectionPolicy,
    "an empty feature list with PROFILE_MODERN",
    patch({ customTlsFeatures: [] }),
    [],
  ],
  // networksecurity/AuthzPolicy.yaml
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "ALLOW without rules",
    patch({ httpRules: [] }),
    [{ path: "httpRules", message: "needs at least one rule for action `ALLOW`" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "DENY without rules",
    patch({ action: "DENY", httpRules: undefined }),
    [{ path: "httpRules", message: "needs at least one rule for action `DENY`" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "CUSTOM (an authz extension) without rules",
    patch({
      action: "CUSTOM",
      httpRules: undefined,
      customProvider: { authzExtension: { resources: [loc("authzExtensions", "agents-ext-authz")] } },
    }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "6 rules",
    (v) => ({ ...v, httpRules: Array.from({ length: 6 }, () => clone(v.httpRules[0])) }),
    [{ path: "httpRules", message: "has 6 rules, more than 5" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "5 rules",
    (v) => ({ ...v, httpRules: Array.from({ length: 5 }, () => clone(v.httpRules[0])) }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "2 sources",
    patch({
      "httpRules[0].from.sources[1]": { principals: [principal("spiffe://acme.example/ns/agents/sa/payments")] },
    }),
    [{ path: "httpRules[0].from.sources", message: "has 2 sources, more than 1" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "6 principals",
    patch({
      "httpRules[0].from.sources[0].principals": Array.from({ length: 6 }, (_, i) =>
        principal(`spiffe://acme.example/ns/agents/sa/agent-${i}`),
      ),
    }),
    [{ path: "httpRules[0].from.sources[0].principals", message: "has 6 principals, more than 5" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "5 principals",
    patch({
      "httpRules[0].from.sources[0].principals": Array.from({ length: 5 }, (_, i) =>
        principal(`spiffe://acme.example/ns/agents/sa/agent-${i}`),
      ),
    }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "2 operations",
    patch({ "httpRules[0].to.operations[1]": { paths: [{ prefix: "/v2/" }] } }),
    [{ path: "httpRules[0].to.operations", message: "has 2 operations, more than 1" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "11 hosts",
    patch({
      "httpRules[0].to.operations[0].hosts": Array.from({ length: 11 }, (_, i) => ({ exact: `api-${i}.acme.example` })),
    }),
    [{ path: "httpRules[0].to.operations[0].hosts", message: "has 11 entries, more than 10" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "11 paths",
    patch({ "httpRules[0].to.operations[0].paths": Array.from({ length: 11 }, (_, i) => ({ prefix: `/v${i}/` })) }),
    [{ path: "httpRules[0].to.operations[0].paths", message: "has 11 entries, more than 10" }],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "10 hosts and 10 paths",
    patch({
      "httpRules[0].to.operations[0].hosts": Array.from({ length: 10 }, (_, i) => ({ exact: `api-${i}.acme.example` })),
      "httpRules[0].to.operations[0].paths": Array.from({ length: 10 }, (_, i) => ({ prefix: `/v${i}/` })),
    }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "CONNECT and a lower-case method",
    patch({ "httpRules[0].to.operations[0].methods": ["GET", "CONNECT", "post"] }),
    [
      {
        path: "httpRules[0].to.operations[0].methods[1]",
        message: "must be GET, PUT, POST, HEAD, PATCH, DELETE or OPTIONS, got `CONNECT`",
      },
      {
        path: "httpRules[0].to.operations[0].methods[2]",
        message: "must be GET, PUT, POST, HEAD, PATCH, DELETE or OPTIONS, got `post`",
      },
    ],
  ],
  [
    "gcp.networksecurity.authz-policy.http-rules",
    T.authzPolicy,
    "every listed method",
    patch({ "httpRules[0].to.operations[0].methods": ["GET", "PUT", "POST", "HEAD", "PATCH", "DELETE", "OPTIONS"] }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.exact-principals",
    T.authzPolicy,
    "a prefix match on the URI SAN",
    patch({ [`${PRINCIPAL_0}.principal`]: { prefix: "spiffe://acme.example/ns/agents/" } }),
    [
      {
        path: `${PRINCIPAL_0}.principal`,
        message: "must be an `exact` match for selector `CLIENT_CERT_URI_SAN`, got prefix",
      },
    ],
  ],
  [
    "gcp.networksecurity.authz-policy.exact-principals",
    T.authzPolicy,
    "a suffix match with the selector left to its default (CLIENT_CERT_URI_SAN)",
    patch({ [`${PRINCIPAL_0}.principalSelector`]: undefined, [`${PRINCIPAL_0}.principal`]: { suffix: "/sa/billing" } }),
    [
      {
        path: `${PRINCIPAL_0}.principal`,
        message: "must be an `exact` match for selector `CLIENT_CERT_URI_SAN`, got suffix",
      },
    ],
  ],
  [
    "gcp.networksecurity.authz-policy.exact-principals",
    T.authzPolicy,
    "exact and contains on the DNS SAN",
    patch({
      [`${PRINCIPAL_0}.principalSelector`]: "CLIENT_CERT_DNS_NAME_SAN",
      [`${PRINCIPAL_0}.principal`]: { exact: "billing.agents.acme.example", contains: "agents" },
    }),
    [
      {
        path: `${PRINCIPAL_0}.principal`,
        message: "must be an `exact` match for selector `CLIENT_CERT_DNS_NAME_SAN`, got contains",
      },
    ],
  ],
  [
    "gcp.networksecurity.authz-policy.exact-principals",
    T.authzPolicy,
    "no match value on the common name",
    patch({ [`${PRINCIPAL_0}.principalSelector`]: "CLIENT_CERT_COMMON_NAME", [`${PRINCIPAL_0}.principal`]: {} }),
    [
      {
        path: `${PRINCIPAL_0}.principal`,
        message: "must be an `exact` match for selector `CLIENT_CERT_COMMON_NAME`, got no exact value",
      },
    ],
  ],
  [
    "gcp.networksecurity.authz-policy.exact-principals",
    T.authzPolicy,
    "an exact, case-insensitive common name",
    patch({
      [`${PRINCIPAL_0}.principalSelector`]: "CLIENT_CERT_COMMON_NAME",
      [`${PRINCIPAL_0}.principal`]: { exact: "billing-agent", ignoreCase: true },
    }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.exact-principals",
    T.authzPolicy,
    "the deprecated flat form: `exact` on the principal itself",
    patch({ [PRINCIPAL_0]: { principalSelector: "CLIENT_CERT_URI_SAN", exact: "spiffe://acme.example/agent" } }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.exact-principals",
    T.authzPolicy,
    "a prefix with PRINCIPAL_SELECTOR_UNSPECIFIED (not one of the client-certificate selectors)",
    patch({
      [`${PRINCIPAL_0}.principalSelector`]: "PRINCIPAL_SELECTOR_UNSPECIFIED",
      [`${PRINCIPAL_0}.principal`]: { prefix: "spiffe://acme.example/" },
    }),
    [],
  ],
  [
    "gcp.networksecurity.authz-policy.swp-target",
    T.authzPolicy,
    "a Secure Web Proxy gateway without a scheme",
    patch({ "target.loadBalancingScheme": undefined }),
    [{ path: "target.loadBalancingScheme", message: "is required when targeting a Secure Web Proxy gateway" }],
  ],
  [
    "gcp.networksecurity.authz-policy.swp-target",
    T.authzPolicy,
    "an Agent Gateway without a scheme (it must not have one)",
    patch({ target: { resources: [loc("agentGateways", "agents-gateway")] } }),
    [],
  ],
  // networkservices/Gateway.yaml
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "a Secure Web Proxy without a routing mode",
    patch({ routingMode: undefined }),
    [{ path: "routingMode", message: "is required for gateways of type `SECURE_WEB_GATEWAY`" }],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "an OPEN_MESH gateway without a routing mode",
    (v) => ({
      name: "mesh-gateway",
      location: "global",
      project: v.project,
      type: "OPEN_MESH",
      ports: [80],
      scope: "mesh",
    }),
    [],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "two addresses",
    patch({ addresses: ["10.128.0.99", "10.128.0.100"] }),
    [{ path: "addresses", message: "takes zero or one address, got 2" }],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "no address (one is allocated from the subnetwork)",
    patch({ addresses: [] }),
    [],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "a scope starting with a digit",
    patch({ scope: "1-swp" }),
    [
      {
        path: "scope",
        message: "must start with a letter and hold at most 64 letters, digits and hyphens, got `1-swp`",
      },
    ],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "a scope with an underscore",
    patch({ scope: "swp_scope" }),
    [
      {
        path: "scope",
        message: "must start with a letter and hold at most 64 letters, digits and hyphens, got `swp_scope`",
      },
    ],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "a 65-character scope",
    patch({ scope: scopeOf(65) }),
    [
      {
        path: "scope",
        message: `must start with a letter and hold at most 64 letters, digits and hyphens, got \`${scopeOf(65)}\``,
      },
    ],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "a 64-character scope",
    patch({ scope: scopeOf(64) }),
    [],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "allPorts with ports",
    patch({ allPorts: true }),
    [{ path: "ports", message: "conflicts with `allPorts`" }],
  ],
  [
    "gcp.networkservices.gateway.secure-web-gateway",
    T.gateway,
    "allPorts without ports",
    patch({ allPorts: true, ports: undefined }),
    [],
  ],
  // privateca/CertificateAuthority.yaml + constants/privateca_certificate_authority.go.tmpl
  [
    "gcp.privateca.authority.desired-state",
    T.authority,
    "created DISABLED",
    patch({ desiredState: "DISABLED" }),
    [{ path: "desiredState", message: "must be `STAGED` or `ENABLED` when the CA is created, got `DISABLED`" }],
  ],
  ["gcp.privateca.authority.desired-state", T.authority, "created STAGED", patch({ desiredState: "STAGED" }), []],
  [
    "gcp.privateca.authority.desired-state",
    T.authority,
    "no desired state (ENABLED)",
    patch({ desiredState: undefined }),
    [],
  ],
  // iambeta/WorkloadIdentityPool.yaml: caPools keyed by the pool's region, lifetime and rotation window ranges
  [
    "gcp.iam.workload-identity-pool",
    T.workloadIdentityPool,
    "a CA pool in another region than its key",
    patch({ "inlineCertificateIssuanceConfig.caPools": { "europe-west1": loc("caPools", "issuing") } }),
    [
      {
        path: "inlineCertificateIssuanceConfig.caPools.europe-west1",
        message: `names a CA pool in \`${REGION}\`; the key must be the CA pool's region (workloads are issued certificates only from CA pools in their own region)`,
      },
    ],
  ],
  [
    "gcp.iam.workload-identity-pool",
    T.workloadIdentityPool,
    "a 31-day lifetime and a 90 % window",
    patch({
      "inlineCertificateIssuanceConfig.lifetime": "2678400s",
      "inlineCertificateIssuanceConfig.rotationWindowPercentage": 90,
    }),
    [
      { path: "inlineCertificateIssuanceConfig.lifetime", message: "must be 86400s to 2592000s, got `2678400s`" },
      { path: "inlineCertificateIssuanceConfig.rotationWindowPercentage", message: "must be 50 to 80, got `90`" },
    ],
  ],
  ["gcp.iam.workload-identity-pool", T.workloadIdentityPool, "the valid pool", patch({}), []],
  // certificatemanager/CertificateIssuanceConfig.yaml, certificate-manager/docs/issuance-configs: lifetime 21-30 days,
  // rotation window 1-99 %, a regional config on a pool of its own region
  [
    "gcp.certificatemanager.certificate-issuance-config",
    T.issuanceConfig,
    "a 14-day lifetime, a 100 % window and a pool of another region",
    patch({
      lifetime: "1209600s",
      rotationWindowPercentage: 100,
      location: "europe-west1",
    }),
    [
      { path: "lifetime", message: "must be 1814400s (21 days) to 2592000s (30 days), got `1209600s`" },
      { path: "rotationWindowPercentage", message: "must be 1 to 99, got `100`" },
      {
        path: "certificateAuthorityConfig.certificateAuthorityServiceConfig.caPool",
        message: `is in \`${REGION}\`; a regional issuance config in \`europe-west1\` needs a CA pool of its own region`,
      },
    ],
  ],
  [
    "gcp.certificatemanager.certificate-issuance-config",
    T.issuanceConfig,
    "a global config on a regional pool",
    patch({ location: "global" }),
    [],
  ],
  // compute/SslPolicy.yaml, compute/RegionSslPolicy.yaml
  ...sslPolicyRows(T.sslPolicy),
  ...sslPolicyRows(T.regionSslPolicy),
  // compute/SslCertificate.yaml, compute/RegionSslCertificate.yaml
  ...sslCertificateRows(T.sslCertificate),
  ...sslCertificateRows(T.regionSslCertificate),
  // services/compute/resource_compute_security_policy.go.tmpl, compute/RegionSecurityPolicy.yaml
  ...securityPolicyRows(T.securityPolicy),
  ...securityPolicyRows(T.regionSecurityPolicy),
  // logging/Metric.yaml
  [
    "gcp.logging.metric.label-extractors",
    T.metric,
    "a label without an extractor",
    patch({ labelExtractors: {} }),
    [{ path: "metricDescriptor.labels[0].key", message: "`reason` has no extractor in `labelExtractors`" }],
  ],
  [
    "gcp.logging.metric.label-extractors",
    T.metric,
    "a second label without an extractor",
    patch({ "metricDescriptor.labels[1]": { key: "gateway", valueType: "STRING" } }),
    [{ path: "metricDescriptor.labels[1].key", message: "`gateway` has no extractor in `labelExtractors`" }],
  ],
  [
    "gcp.logging.metric.label-extractors",
    T.metric,
    "an empty extractor",
    patch({ "labelExtractors.reason": "" }),
    [{ path: "metricDescriptor.labels[0].key", message: "`reason` has no extractor in `labelExtractors`" }],
  ],
  [
    "gcp.logging.metric.label-extractors",
    T.metric,
    "no labels and no extractors (a counter)",
    patch({ "metricDescriptor.labels": undefined, labelExtractors: undefined }),
    [],
  ],
  // monitoring/AlertPolicy.yaml
  [
    "gcp.monitoring.alert-policy.filter-resource-type",
    T.alertPolicy,
    "a metric filter without resource.type",
    patch({
      "conditions[0].conditionThreshold.filter": 'metric.type="logging.googleapis.com/user/swp-rejected-client-certs"',
    }),
    [
      {
        path: "conditions[0].conditionThreshold.filter",
        message:
          'must restrict `resource.type`, got `metric.type="logging.googleapis.com/user/swp-rejected-client-certs"`',
      },
    ],
  ],
  [
    "gcp.monitoring.alert-policy.filter-resource-type",
    T.alertPolicy,
    "a second condition without resource.type",
    (v) => {
      const second = clone(v.conditions[0]);
      second.displayName = "Any rejected client certificate";
      second.conditionThreshold.filter = 'metric.type = "logging.googleapis.com/user/swp-rejected-client-certs"';
      return { ...v, conditions: [v.conditions[0], second] };
    },
    [
      {
        path: "conditions[1].conditionThreshold.filter",
        message:
          'must restrict `resource.type`, got `metric.type = "logging.googleapis.com/user/swp-rejected-client-certs"`',
      },
    ],
  ],
  [
    "gcp.monitoring.alert-policy.filter-resource-type",
    T.alertPolicy,
    "metric and resource type with spaces around =",
    patch({
      "conditions[0].conditionThreshold.filter":
        'metric.type = "logging.googleapis.com/user/swp-rejected-client-certs" AND resource.type = "networkservices.googleapis.com/Gateway"',
    }),
    [],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a 90 s duration",
    patch({ "conditions[0].conditionThreshold.duration": "90s" }),
    [
      {
        path: "conditions[0].conditionThreshold.duration",
        message: "must be a multiple of a minute such as `0s` or `300s`, got `90s`",
      },
    ],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a duration in minutes",
    patch({ "conditions[0].conditionThreshold.duration": "5m" }),
    [
      {
        path: "conditions[0].conditionThreshold.duration",
        message: "must be a multiple of a minute such as `0s` or `300s`, got `5m`",
      },
    ],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a duration with fractional seconds (google.protobuf.Duration JSON)",
    patch({ "conditions[0].conditionThreshold.duration": "60.000s" }),
    [],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a 300 s duration",
    patch({ "conditions[0].conditionThreshold.duration": "300s" }),
    [],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a 59 s alignment period",
    patch({ "conditions[0].conditionThreshold.aggregations[0].alignmentPeriod": "59s" }),
    [
      {
        path: "conditions[0].conditionThreshold.aggregations[0].alignmentPeriod",
        message: "must be at least 60 seconds, got `59s`",
      },
    ],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a 60 s alignment period",
    patch({ "conditions[0].conditionThreshold.aggregations[0].alignmentPeriod": "60s" }),
    [],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a cross-series reducer without a per-series aligner",
    patch({ "conditions[0].conditionThreshold.aggregations[0].perSeriesAligner": undefined }),
    [
      {
        path: "conditions[0].conditionThreshold.aggregations[0].perSeriesAligner",
        message: "must be set (not `ALIGN_NONE`) when `crossSeriesReducer` is set",
      },
    ],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "a cross-series reducer with ALIGN_NONE",
    patch({ "conditions[0].conditionThreshold.aggregations[0].perSeriesAligner": "ALIGN_NONE" }),
    [
      {
        path: "conditions[0].conditionThreshold.aggregations[0].perSeriesAligner",
        message: "must be set (not `ALIGN_NONE`) when `crossSeriesReducer` is set",
      },
    ],
  ],
  [
    "gcp.monitoring.alert-policy.durations",
    T.alertPolicy,
    "REDUCE_NONE with ALIGN_NONE",
    patch({
      "conditions[0].conditionThreshold.aggregations[0]": {
        crossSeriesReducer: "REDUCE_NONE",
        perSeriesAligner: "ALIGN_NONE",
      },
    }),
    [],
  ],
];

describe("cross-field checks", () => {
  it("has failing and passing rows for every check rule of every schema", () => {
    const checkRules = new Set(GCP_RESOURCE_SCHEMAS.flatMap((s) => (s.checks ?? []).map((c) => c.rule)));
    const covered = (rule: RuleId) => ({
      rule,
      failing: CHECKS.some(([r, , , , e]) => r === rule && e.length > 0 && e.some((p) => (p.rule ?? r) === rule)),
      passing: CHECKS.some(([r, , , , e]) => r === rule && e.length === 0),
    });
    expect([...checkRules].sort().map(covered)).toEqual(
      [...checkRules].sort().map((rule) => ({ rule, failing: true, passing: true })),
    );
    // Each row's rule is a check of its type; each type with checks has rows.
    for (const [rule, type] of CHECKS) {
      expect({ rule, type, check: schemaOf(type).checks?.some((c) => c.rule === rule) }).toEqual({
        rule,
        type,
        check: true,
      });
    }
    const typesWithChecks = GCP_RESOURCE_SCHEMAS.filter((s) => (s.checks ?? []).length > 0).map((s) => s.type);
    expect(sorted([...new Set(CHECKS.map(([, type]) => type))])).toEqual(sorted(typesWithChecks));
  });

  it.each(CHECKS.map((row, n) => [n, row[0], row[1], row[2], row] as const))(
    "#%i %s (%s): %s",
    (_n, rule, type, _what, [, , , mutate, expected]) => {
      const inputs = mutate(validOf(type));
      const problems = withRule(rule, expected);
      expect(schemaProblems(schemaOf(type), inputs)).toEqual(problems);
      expect(plannedInputProblems(type, inputs)).toEqual(problems);
    },
  );
});
