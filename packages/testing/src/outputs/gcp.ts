import { applyDefaults, gcpResourceSchema, schemaProblems } from "@gcp-mtls/rules";
import type * as crypto from "node:crypto";
import {
  createCertificate,
  createCertificateRequest,
  generateKey,
  issuerFromPem,
  parseCertificateRequest,
  privateKeyPem,
  type GenerateKeyOptions,
} from "../x509";
import {
  autoName,
  cloneInputs,
  type ComputedResource,
  computeTimestamp,
  CREATED_AT,
  deepCopy,
  Digest,
  dnsSubjectAltNames,
  isAbsent,
  type OutputContext,
  parseFirstCertificate,
  rfc3339,
} from "./common";

/** Rules that judge a resource as it is created, not as it is updated (`OutputContext.updating`). */
const CREATE_ONLY_RULES = new Set<string>(["gcp.privateca.authority.desired-state"]);

/** Resource being assembled: the hooks of a spec read and extend `state`. */
interface Draft {
  readonly type: string;
  readonly name: string;
  readonly ctx: OutputContext;
  readonly digest: Digest;
  readonly state: Record<string, any>;
}

interface GcpSpec {
  /**
   * The provider id. A template replaces `{key}` with the state value of `key` after defaults are applied; the
   * templates are the Terraform provider's `id_format` (the first format of the docs' "Import" section).
   */
  readonly id: string | ((d: Draft) => string);
  /** Input Pulumi fills with `<resource name>-<7 hex>` when absent. */
  readonly autoName?: string;
  /** Location-like input and its value when absent: `global`, or the provider's region. */
  readonly location?: readonly [field: "location" | "region", fallback: "global" | "region"];
  /**
   * Inputs naming a parent in the request URL. The API only accepts the parent's short name there, so a full
   * resource path is reduced to its last segment.
   */
  readonly parents?: readonly string[];
  /** Resource has `labels`, hence the `effectiveLabels`/`pulumiLabels` outputs. */
  readonly labels?: true;
  /** `createTime`/`updateTime` (newer APIs) or `creationTimestamp` (Compute). */
  readonly times?: "rfc3339" | "compute";
  /** `selfLink` is this prefix followed by the id. */
  readonly selfLinkBase?: string;
  /** Values the provider or API fills in for optional inputs left unset. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Runs before the id is built, for outputs the id is made of. */
  readonly resolve?: (d: Draft) => void;
  /** Runs after the id is built, for the remaining computed outputs. */
  readonly compute?: (d: Draft, id: string) => void;
}

const COMPUTE_V1 = "https://www.googleapis.com/compute/v1/";
const NETWORK_SECURITY_V1 = "https://networksecurity.googleapis.com/v1/";
const NETWORK_SERVICES_V1 = "https://networkservices.googleapis.com/v1/";

const GLOBAL = ["location", "global"] as const;
const REGIONAL = ["location", "region"] as const;
const COMPUTE_REGION = ["region", "region"] as const;

const SPECS: Readonly<Record<string, GcpSpec>> = {
  // Certificate Manager
  "gcp:certificatemanager/trustConfig:TrustConfig": {
    id: "projects/{project}/locations/{location}/trustConfigs/{name}",
    autoName: "name",
    labels: true,
    times: "rfc3339",
  },
  "gcp:certificatemanager/certificate:Certificate": {
    id: "projects/{project}/locations/{location}/certificates/{name}",
    autoName: "name",
    location: GLOBAL,
    labels: true,
    compute: certificateManagerSans,
  },
  // Certificate Manager's link to a CA Service pool (certificatemanager/CertificateIssuanceConfig.yaml).
  "gcp:certificatemanager/certificateIssuanceConfig:CertificateIssuanceConfig": {
    id: "projects/{project}/locations/{location}/certificateIssuanceConfigs/{name}",
    autoName: "name",
    location: GLOBAL,
    labels: true,
    times: "rfc3339",
    compute: ({ state }, id) => void HELD_ISSUANCE_CONFIGS.set(id, { ...state }),
  },
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": {
    id: "projects/{project}/locations/{location}/dnsAuthorizations/{name}",
    autoName: "name",
    location: GLOBAL,
    labels: true,
    compute: dnsAuthorizationRecord,
  },
  "gcp:certificatemanager/certificateMap:CertificateMap": {
    id: "projects/{project}/locations/global/certificateMaps/{name}",
    autoName: "name",
    labels: true,
    times: "rfc3339",
    // Stays empty until a target proxy references the map.
    compute: ({ state }) => void (state.gclbTargets = []),
  },
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": {
    id: "projects/{project}/locations/global/certificateMaps/{map}/certificateMapEntries/{name}",
    autoName: "name",
    parents: ["map"],
    labels: true,
    times: "rfc3339",
    compute: ({ state }) => void (state.state = "ACTIVE"),
  },

  // Network Security / Network Services
  "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy": {
    id: "projects/{project}/locations/{location}/serverTlsPolicies/{name}",
    autoName: "name",
    location: GLOBAL,
    labels: true,
    times: "rfc3339",
  },
  "gcp:networksecurity/gatewaySecurityPolicy:GatewaySecurityPolicy": {
    id: "projects/{project}/locations/{location}/gatewaySecurityPolicies/{name}",
    autoName: "name",
    location: GLOBAL,
    times: "rfc3339",
    selfLinkBase: NETWORK_SECURITY_V1,
  },
  "gcp:networksecurity/gatewaySecurityPolicyRule:GatewaySecurityPolicyRule": {
    id: "projects/{project}/locations/{location}/gatewaySecurityPolicies/{gatewaySecurityPolicy}/rules/{name}",
    autoName: "name",
    times: "rfc3339",
    selfLinkBase: NETWORK_SECURITY_V1,
  },
  "gcp:networksecurity/tlsInspectionPolicy:TlsInspectionPolicy": {
    id: "projects/{project}/locations/{location}/tlsInspectionPolicies/{name}",
    autoName: "name",
    times: "rfc3339",
  },
  "gcp:networksecurity/authzPolicy:AuthzPolicy": {
    id: "projects/{project}/locations/{location}/authzPolicies/{name}",
    autoName: "name",
    labels: true,
    times: "rfc3339",
  },
  "gcp:networkservices/gateway:Gateway": {
    id: "projects/{project}/locations/{location}/gateways/{name}",
    autoName: "name",
    location: GLOBAL,
    labels: true,
    times: "rfc3339",
    selfLinkBase: NETWORK_SERVICES_V1,
    compute: gatewayAddresses,
  },

  // Certificate Authority Service
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": {
    id: "projects/{project}/locations/global/workloadIdentityPools/{workloadIdentityPoolId}",
    compute: ({ state }, id) => {
      state.name = id;
      state.state = "ACTIVE";
    },
  },
  "gcp:certificateauthority/caPool:CaPool": {
    id: "projects/{project}/locations/{location}/caPools/{name}",
    autoName: "name",
    labels: true,
    compute: ({ state }, id) => void HELD_POOLS.set(id, { ...state }),
  },
  "gcp:certificateauthority/authority:Authority": {
    id: "projects/{project}/locations/{location}/caPools/{pool}/certificateAuthorities/{certificateAuthorityId}",
    parents: ["pool"],
    labels: true,
    times: "rfc3339",
    defaults: { type: "SELF_SIGNED", deletionProtection: true },
    compute: authorityOutputs,
  },
  // Issued asynchronously by the recording mocks (requestCaServiceCertificate); the id follows the pool.
  "gcp:certificateauthority/certificate:Certificate": {
    id: "projects/{project}/locations/{location}/caPools/{pool}/certificates/{name}",
    autoName: "name",
    parents: ["pool"],
  },
  "gcp:certificateauthority/certificateTemplate:CertificateTemplate": {
    id: "projects/{project}/locations/{location}/certificateTemplates/{name}",
    autoName: "name",
    labels: true,
    times: "rfc3339",
    compute: ({ state }, id) => void HELD_TEMPLATES.set(id, { ...state }),
  },
  "gcp:certificateauthority/certificateTemplateIamMember:CertificateTemplateIamMember": {
    id: ({ state }) => iamMemberId(state.certificateTemplate, state),
    location: REGIONAL,
    compute: (draft) => holdGrant(draft, draft.state.certificateTemplate),
  },
  "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember": {
    id: ({ state }) => iamMemberId(state.caPool, state),
    location: REGIONAL,
    resolve: qualifyCaPool,
    compute: (draft) => holdGrant(draft, draft.state.caPool),
  },

  // Compute
  "gcp:compute/sSLCertificate:SSLCertificate": {
    id: "projects/{project}/global/sslCertificates/{name}",
    autoName: "name",
    times: "compute",
    selfLinkBase: COMPUTE_V1,
    compute: sslCertificateOutputs,
  },
  "gcp:compute/subnetwork:Subnetwork": {
    id: "projects/{project}/regions/{region}/subnetworks/{name}",
    autoName: "name",
    location: COMPUTE_REGION,
    times: "compute",
    selfLinkBase: COMPUTE_V1,
    // The first usable address of the range is the subnet's gateway (Subnetwork.yaml `gatewayAddress`, output).
    compute: ({ state }) => {
      const [base] = String(state.ipCidrRange ?? "").split("/");
      const octets = (base ?? "").split(".").map(Number);
      if (octets.length === 4 && octets.every((o) => Number.isInteger(o))) {
        state.gatewayAddress = [...octets.slice(0, 3), octets[3]! + 1].join(".");
      }
      state.purpose ??= "PRIVATE";
    },
  },
  "gcp:compute/regionSslCertificate:RegionSslCertificate": {
    id: "projects/{project}/regions/{region}/sslCertificates/{name}",
    autoName: "name",
    location: COMPUTE_REGION,
    times: "compute",
    selfLinkBase: COMPUTE_V1,
    compute: sslCertificateOutputs,
  },
  "gcp:compute/sSLPolicy:SSLPolicy": {
    id: "projects/{project}/global/sslPolicies/{name}",
    autoName: "name",
    times: "compute",
    selfLinkBase: COMPUTE_V1,
    defaults: { profile: "COMPATIBLE", minTlsVersion: "TLS_1_0" },
    compute: sslPolicyOutputs,
  },
  "gcp:compute/regionSslPolicy:RegionSslPolicy": {
    id: "projects/{project}/regions/{region}/sslPolicies/{name}",
    autoName: "name",
    location: COMPUTE_REGION,
    times: "compute",
    selfLinkBase: COMPUTE_V1,
    defaults: { profile: "COMPATIBLE", minTlsVersion: "TLS_1_0" },
    compute: sslPolicyOutputs,
  },
  "gcp:compute/securityPolicy:SecurityPolicy": {
    id: "projects/{project}/global/securityPolicies/{name}",
    autoName: "name",
    labels: true,
    selfLinkBase: COMPUTE_V1,
    defaults: { type: "CLOUD_ARMOR" },
    compute: securityPolicyOutputs,
  },
  "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy": {
    id: "projects/{project}/regions/{region}/securityPolicies/{name}",
    autoName: "name",
    location: COMPUTE_REGION,
    selfLinkBase: COMPUTE_V1,
    compute: regionSecurityPolicyOutputs,
  },

  // Observability
  "gcp:logging/metric:Metric": {
    id: "{name}",
    autoName: "name",
    defaults: { metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" } },
  },
  "gcp:monitoring/alertPolicy:AlertPolicy": {
    id: "{name}",
    defaults: { enabled: true },
    resolve: alertPolicyNames,
  },

  // Projects and identities
  "gcp:projects/iAMMember:IAMMember": {
    id: ({ state }) => iamMemberId(state.project, state),
    compute: iamEtag,
  },
  "gcp:projects/service:Service": { id: "{project}/{service}" },
  "gcp:projects/serviceIdentity:ServiceIdentity": {
    id: "projects/{project}/services/{service}",
    resolve: serviceAgentIdentity,
  },
  "gcp:serviceaccount/account:Account": {
    id: "{name}",
    autoName: "accountId",
    defaults: { disabled: false },
    resolve: serviceAccountIdentity,
  },
};

export const KNOWN_GCP_TYPES: readonly string[] = Object.freeze(Object.keys(SPECS));

/** Returns undefined for a type token it does not know. */
export function gcpOutputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  ctx: OutputContext,
): ComputedResource | undefined {
  const spec = SPECS[type];
  if (!spec) return undefined;
  const d: Draft = { type, name, ctx, digest: new Digest(ctx.seed, type, name), state: cloneInputs(inputs) };
  const { state } = d;

  if (spec.autoName && isAbsent(state[spec.autoName])) {
    state[spec.autoName] =
      typeof state.namePrefix === "string" && state.namePrefix !== ""
        ? prefixedUniqueId(state.namePrefix, d.digest)
        : autoName(name, type, ctx.seed);
  }
  if (isAbsent(state.project)) state.project = ctx.project;
  if (spec.location) {
    const [field, fallback] = spec.location;
    if (isAbsent(state[field])) state[field] = fallback === "global" ? "global" : ctx.region;
  }
  for (const parent of spec.parents ?? []) {
    if (typeof state[parent] === "string") state[parent] = lastSegment(state[parent]);
  }
  for (const [key, value] of Object.entries(spec.defaults ?? {})) {
    if (state[key] === undefined || state[key] === null) state[key] = deepCopy(value);
  }
  // What the provider and the API refuse (required fields, enums, cross-field rules), from the upstream definitions.
  const schema = gcpResourceSchema(type);
  const problems = (schema ? schemaProblems(schema, state) : []).filter(
    (p) => !(ctx.updating === true && p.rule !== undefined && CREATE_ONLY_RULES.has(p.rule)),
  );
  if (problems.length > 0) return { id: "", state, problems };
  if (schema) applyDefaults(schema, state);
  if (spec.labels) {
    // Without provider-level default labels both views equal the configured labels.
    const labels = state.labels ?? {};
    state.effectiveLabels = { ...labels };
    state.pulumiLabels = { ...labels };
  }
  if (spec.times === "rfc3339") {
    state.createTime = rfc3339(CREATED_AT);
    state.updateTime = rfc3339(CREATED_AT);
  } else if (spec.times === "compute") {
    state.creationTimestamp = computeTimestamp(CREATED_AT);
  }

  spec.resolve?.(d);
  const id = typeof spec.id === "function" ? spec.id(d) : fill(spec.id, d);
  spec.compute?.(d, id);
  if (spec.selfLinkBase) state.selfLink = spec.selfLinkBase + id;
  return { id, state: deepCopy(state) as Record<string, unknown> };
}

function fill(template: string, { type, state }: Draft): string {
  return template.replace(/\{(\w+)\}/g, (_match, key: string) => {
    const value = state[key];
    // The real provider fails too: an empty segment would make the API URL invalid.
    if (isAbsent(value)) throw new Error(`${type}: input "${key}" is required to build the resource id`);
    return String(value);
  });
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Terraform's `name_prefix` naming (`id.PrefixedUniqueId`): the prefix, a UTC timestamp to 1/10000 s and an
 * 8-hex-digit counter; prefixes over 37 characters get a short `YYmmdd` + 3-digit form to fit the 63-char limit.
 */
function prefixedUniqueId(prefix: string, digest: Digest): string {
  const stamp = rfc3339(CREATED_AT).replace(/\D/g, "");
  if (prefix.length > 37) return `${prefix}${stamp.slice(2, 8)}${digest.digits("namePrefix", 3)}`;
  return `${prefix}${stamp}0000${digest.hex("namePrefix", 8)}`;
}

/**
 * The record a DnsAuthorization asks for (magic-modules certificatemanager/DnsAuthorization.yaml, `dnsResourceRecord`,
 * a list in the bridged provider: `dnsResourceRecords`): a CNAME under `_acme-challenge` of the domain pointing into
 * `authorize.certificatemanager.goog`. The API defaults `type` to FIXED_RECORD for global authorizations and to
 * PER_PROJECT_RECORD elsewhere; a per-project record carries a project-specific label after `_acme-challenge_` (its
 * exact form is the API's: the emulator derives one from the resource).
 */
function dnsAuthorizationRecord({ state, digest }: Draft): void {
  state.type ??= state.location === "global" ? "FIXED_RECORD" : "PER_PROJECT_RECORD";
  const label = state.type === "FIXED_RECORD" ? "_acme-challenge" : `_acme-challenge_${digest.hex("label", 16)}`;
  state.dnsResourceRecords = [
    {
      name: `${label}.${state.domain}.`,
      type: "CNAME",
      data: `${digest.hex("a", 8)}-${digest.hex("b", 4)}-${digest.hex("c", 4)}-${digest.hex("d", 4)}-${digest.hex("e", 12)}.${Number(digest.digits("shard", 1)) + 1}.authorize.certificatemanager.goog.`,
    },
  ];
}

function certificateManagerSans({ state }: Draft): void {
  const managed = state.managed?.domains;
  if (Array.isArray(managed)) {
    state.sanDnsnames = [...managed];
    // Issued only once every authorization's record resolves: a fresh certificate is still provisioning (a private
    // one is provisioned by its CA pool after the create: provisionPrivateCertificate).
    state.managed.state = "PROVISIONING";
    if (!isAbsent(state.managed.issuanceConfig)) return;
    state.managed.authorizationAttemptInfos = managed.map((domain: string) => ({ domain, state: "AUTHORIZING" }));
    return;
  }
  const cert = parseFirstCertificate(state.selfManaged?.pemCertificate);
  if (cert) state.sanDnsnames = dnsSubjectAltNames(cert);
}

function sslCertificateOutputs({ state, digest }: Draft): void {
  // The API's id is a uint64; kept below 2^53 so the JavaScript number Pulumi surfaces is exact.
  state.certificateId = Number(digest.digits("certificateId", 15));
  const cert = parseFirstCertificate(state.certificate);
  if (cert) state.expireTime = computeTimestamp(new Date(cert.validTo));
}

function sslPolicyOutputs({ state, digest }: Draft): void {
  state.fingerprint = digest.base64("fingerprint");
  // Only a CUSTOM profile's feature list follows from the inputs; the predefined profiles' lists are Google's.
  if (state.profile === "CUSTOM" && Array.isArray(state.customFeatures)) {
    state.enabledFeatures = [...state.customFeatures];
  }
}

function securityPolicyOutputs({ state, digest }: Draft): void {
  state.fingerprint = digest.base64("fingerprint");
  // Compute's fingerprint of an empty label set is this constant on every resource.
  state.labelFingerprint = Object.keys(state.labels ?? {}).length === 0 ? "42WmSpB8rSM=" : digest.base64("labels");
  const rules: any[] = Array.isArray(state.rules) ? state.rules : [];
  // The API always keeps a lowest-priority catch-all rule; it adds an "allow" one when none is given.
  if (!rules.some((rule) => Number(rule?.priority) === 2147483647)) {
    rules.push({
      action: "allow",
      description: "default rule",
      match: { config: { srcIpRanges: ["*"] }, versionedExpr: "SRC_IPS_V1" },
      preview: false,
      priority: 2147483647,
    });
  }
  state.rules = rules;
}

function regionSecurityPolicyOutputs({ state, digest }: Draft): void {
  state.fingerprint = digest.base64("fingerprint");
  state.policyId = digest.digits("policyId", 19);
  state.selfLinkWithPolicyId = `${COMPUTE_V1}projects/${state.project}/regions/${state.region}/securityPolicies/${state.policyId}`;
}

/**
 * CA Service key specs (magic-modules privateca/CertificateAuthority.yaml `keySpec.algorithm`) as keys the emulator
 * can make. The RSA_PSS variants are issued with PKCS#1 v1.5 signatures here (the only RSA scheme of this toolkit).
 */
const CA_KEY_SPECS: Record<string, GenerateKeyOptions> = {
  EC_P256_SHA256: { algorithm: "ECDSA", ecdsaCurve: "P256" },
  EC_P384_SHA384: { algorithm: "ECDSA", ecdsaCurve: "P384" },
  RSA_PKCS1_2048_SHA256: { algorithm: "RSA", rsaBits: 2048 },
  RSA_PKCS1_3072_SHA256: { algorithm: "RSA", rsaBits: 3072 },
  RSA_PKCS1_4096_SHA256: { algorithm: "RSA", rsaBits: 4096 },
  RSA_PSS_2048_SHA256: { algorithm: "RSA", rsaBits: 2048 },
  RSA_PSS_3072_SHA256: { algorithm: "RSA", rsaBits: 3072 },
  RSA_PSS_4096_SHA256: { algorithm: "RSA", rsaBits: 4096 },
};
/** One CA certificate per authority and configuration: the same inputs give the same certificate, as a live CA does. */
/** A CA the emulated CA Service holds: its certificate chain (its own first) and its key, which never leaves it. */
interface HeldCa {
  readonly chain: readonly string[];
  readonly privateKey: crypto.KeyObject;
}
// By settings (the same inputs give the same CA across runs of one process) and by resource name (the issuer lookup).
const HELD_BY_SETTINGS = new Map<string, HeldCa>();
const HELD_BY_NAME = new Map<string, HeldCa>();
// CA pools by id, as created (their tier and issuance policy judge certificate requests).
const HELD_POOLS = new Map<string, Record<string, any>>();
// The state of each held CA by resource name: the pool issues from its ENABLED CAs; a STAGED CA issues only requests
// that name it (as a subordinate's creation does); a DISABLED one issues nothing: CertificateAuthority.yaml `state`,
// https://cloud.google.com/certificate-authority-service/docs/managing-ca-state.
const HELD_STATE = new Map<string, string>();
// Certificate issuance configs by id, IAM grants by CA pool id, and what Certificate Manager serves for a private
// Google-managed certificate (its chain and the key Google holds) by certificate id.
const HELD_ISSUANCE_CONFIGS = new Map<string, Record<string, any>>();
const HELD_TEMPLATES = new Map<string, Record<string, any>>();
const HELD_GRANTS = new Map<string, { role: string; member: string; condition?: unknown }[]>();
const SERVED = new Map<string, { certificatePem: string; chainPems: string[]; privateKeyPem: string }>();

/** The CA certificate template of an Authority's inputs (subject, lifetime, CA options, key usage). */
function caTemplate(state: Record<string, any>, publicKey: crypto.KeyObject) {
  const createdNow = new Date(Math.floor(Date.now() / 1000) * 1000);
  const subject = state.config?.subjectConfig?.subject ?? {};
  const ca = state.config?.x509Config?.caOptions ?? {};
  const base = state.config?.x509Config?.keyUsage?.baseKeyUsage ?? {};
  const eku = state.config?.x509Config?.keyUsage?.extendedKeyUsage ?? {};
  const seconds = Number(String(state.lifetime ?? "315360000s").replace(/s$/, ""));
  const uses = [
    ...(base.certSign ? ["cert_signing"] : []),
    ...(base.crlSign ? ["crl_signing"] : []),
    ...(base.digitalSignature ? ["digital_signature"] : []),
    ...(eku.clientAuth ? ["client_auth"] : []),
    ...(eku.serverAuth ? ["server_auth"] : []),
  ];
  const pathLength = ca.zeroMaxIssuerPathLength
    ? 0
    : typeof ca.maxIssuerPathLength === "number"
      ? ca.maxIssuerPathLength
      : -1;
  return {
    subject: {
      commonName: subject.commonName,
      organization: subject.organization,
      organizationalUnit: subject.organizationalUnit,
      country: subject.countryCode,
      province: subject.province,
      locality: subject.locality,
      postalCode: subject.postalCode,
      ...(subject.streetAddress ? { streetAddresses: [subject.streetAddress] } : {}),
    },
    // CA Service starts a CA's validity when it creates it (not the fixed clock of the other outputs): a CA built from
    // a fixed date would expire while the tests still run.
    notBefore: createdNow,
    notAfter: new Date(createdNow.getTime() + (Number.isFinite(seconds) ? seconds : 315360000) * 1000),
    isCa: ca.isCa !== false,
    basicConstraints: true,
    maxPathLength: pathLength,
    maxPathLenZero: pathLength === 0,
    allowedUses: uses,
    publicKey,
  };
}

/**
 * The CA an Authority's inputs describe, as CA Service creates it: a self-signed root, or a subordinate signed by its
 * first-party issuer (`subordinateConfig.certificateAuthority`), which the provider activates after create (rule
 * gcp.privateca.authority.lifecycle). Undefined: nothing the emulator can sign (an unknown key spec, a KMS key, or an
 * issuer it does not hold).
 */
function heldCa(state: Record<string, any>, id: string): HeldCa | undefined {
  const spec = CA_KEY_SPECS[state.keySpec?.algorithm];
  if (!spec || !isAbsent(state.keySpec?.cloudKmsKeyVersion)) return undefined;
  const issuerName = state.type === "SUBORDINATE" ? state.subordinateConfig?.certificateAuthority : undefined;
  const issuer = typeof issuerName === "string" ? HELD_BY_NAME.get(issuerName) : undefined;
  if (state.type === "SUBORDINATE" && !issuer) return undefined;
  const key = JSON.stringify([id, state.type, state.config, spec, state.lifetime, issuerName ?? null]);
  const cached = HELD_BY_SETTINGS.get(key);
  if (cached) return cached;
  const material = generateKey(spec);
  const template = caTemplate(state, material.publicKey);
  const pem = issuer
    ? createCertificate(template, issuerFromPem(issuer.chain[0]!, issuer.privateKey))
    : createCertificate(template, { self: material.privateKey });
  const held: HeldCa = { chain: [pem, ...(issuer?.chain ?? [])], privateKey: material.privateKey };
  HELD_BY_SETTINGS.set(key, held);
  return held;
}

function authorityOutputs({ state, ctx }: Draft, id: string): void {
  state.name = id;
  // A DISABLED CA signs nothing, a subordinate's certificate included (its existing certificate stays on an update).
  const issuerName = state.type === "SUBORDINATE" ? state.subordinateConfig?.certificateAuthority : undefined;
  if (ctx.updating !== true && typeof issuerName === "string" && HELD_STATE.get(issuerName) === "DISABLED") {
    state.state = "AWAITING_USER_ACTIVATION";
    return;
  }
  // A CA's certificate follows from its inputs (a real X.509, with a key the emulator keeps, as CA Service does).
  if (typeof state.pemCaCertificate !== "string") {
    const held = heldCa(state, id);
    if (held) {
      HELD_BY_NAME.set(id, held);
      state.pemCaCertificates = [...held.chain];
      if (isAbsent(state.state)) state.state = isAbsent(state.desiredState) ? "ENABLED" : state.desiredState;
      HELD_STATE.set(id, String(state.state));
      return;
    }
  }
  if (isAbsent(state.state)) state.state = authorityState(state);
  // An external CA's certificate cannot be invented; when it is supplied (activation) echo it.
  if (typeof state.pemCaCertificate === "string") {
    const issuers = state.subordinateConfig?.pemIssuerChain?.pemCertificates;
    state.pemCaCertificates = [state.pemCaCertificate, ...(Array.isArray(issuers) ? issuers : [])];
  }
}

function authorityState(state: Record<string, any>): string {
  if (!isAbsent(state.desiredState)) return state.desiredState;
  // A subordinate CA without a parent to sign it waits for its certificate to be uploaded.
  const activated = state.subordinateConfig !== undefined || typeof state.pemCaCertificate === "string";
  return state.type === "SUBORDINATE" && !activated ? "AWAITING_USER_ACTIVATION" : "ENABLED";
}

/**
 * The IAM resources store the parent's long name and take project/location from it, which wins over the
 * `project`/`location` inputs.
 */
function qualifyCaPool({ state, type }: Draft): void {
  if (isAbsent(state.caPool)) throw new Error(`${type}: input "caPool" is required to build the resource id`);
  const long = /^projects\/([^/]+)\/locations\/([^/]+)\/caPools\/([^/]+)$/.exec(state.caPool);
  const parts = long ? long.slice(1) : String(state.caPool).split("/");
  const [pool] = parts.slice(-1);
  const [location] = parts.length >= 2 ? parts.slice(-2) : [state.location];
  const [project] = parts.length >= 3 ? parts.slice(-3) : [state.project];
  state.project = project;
  state.location = location;
  state.caPool = `projects/${project}/locations/${location}/caPools/${pool}`;
}

/** `<parent>/<role>/<member>[/<title>/<description>/<expression>]`, as the provider's IAM member resources. */
function iamMemberId(parent: unknown, state: Record<string, any>): string {
  for (const key of ["role", "member"]) {
    if (isAbsent(state[key])) throw new Error(`IAM member: input "${key}" is required to build the resource id`);
  }
  let id = `${String(parent)}/${state.role}/${normalizeIamMember(state.member)}`;
  const c = state.condition;
  if (c && (c.title || c.description || c.expression)) {
    id += `/${c.title ?? ""}/${c.description ?? ""}/${c.expression ?? ""}`;
  }
  return id;
}

/** IAM compares most principals case-insensitively, so the provider lowercases them in ids (not the type prefix). */
function normalizeIamMember(member: string): string {
  const caseSensitive = (m: string) =>
    m.includes("allUsers") ||
    m.includes("allAuthenticatedUsers") ||
    /^(principal|principalSet|principalHierarchy):/.test(m);
  if (member.startsWith("deleted:")) {
    const [deleted, kind, ...rest] = member.split(":");
    if (rest.length === 0 || caseSensitive(member.slice("deleted:".length))) return member;
    return [deleted, kind, rest.join(":").toLowerCase()].join(":");
  }
  if (caseSensitive(member)) return member;
  const colon = member.indexOf(":");
  return colon < 0 ? member : member.slice(0, colon + 1) + member.slice(colon + 1).toLowerCase();
}

/** An IAM member resource's binding, kept for the emulated IAM checks of its parent (a CA pool, a template). */
function holdGrant(draft: Draft, parent: string): void {
  iamEtag(draft);
  const grants = HELD_GRANTS.get(parent) ?? [];
  grants.push({ role: draft.state.role, member: draft.state.member, condition: draft.state.condition });
  HELD_GRANTS.set(parent, grants);
}

function iamEtag({ state, digest }: Draft): void {
  // IAM policy etags are base64 of 8 bytes starting 0x07 0x05 or 0x07 0x06 ("BwX..."/"BwY...").
  const bytes = digest.bytes("etag", 8);
  bytes[1] = 0x05 + (bytes[1] & 1);
  bytes[0] = 0x07;
  state.etag = bytes.toString("base64");
}

function alertPolicyNames({ state, digest }: Draft): void {
  state.name = `projects/${state.project}/alertPolicies/${digest.digits("alertPolicy", 19)}`;
  if (Array.isArray(state.conditions)) {
    state.conditions = state.conditions.map((condition: any, i: number) =>
      isAbsent(condition?.name)
        ? { ...condition, name: `${state.name}/conditions/${digest.digits(`condition${i}`, 19)}` }
        : condition,
    );
  }
  state.creationRecords = [{ mutateTime: rfc3339(CREATED_AT) }];
}

/** A Secure Web Proxy without fixed addresses gets one from its subnetwork (deterministic here). */
function gatewayAddresses({ state, digest }: Draft): void {
  if (state.type === "SECURE_WEB_GATEWAY" && isAbsent(state.addresses)) {
    const b = digest.bytes("address", 2);
    state.addresses = [`10.${b[0]! % 256}.${b[1]! % 256}.${2 + (b[0]! % 250)}`];
  }
}

/** A Google-managed service agent: `service-<project number>@gcp-sa-<service>.iam.gserviceaccount.com`. */
function serviceAgentIdentity({ state }: Draft): void {
  const agent = String(state.service).replace(/\.googleapis\.com$/, "");
  state.email = `service-${projectNumber(String(state.project))}@gcp-sa-${agent}.iam.gserviceaccount.com`;
  state.member = `serviceAccount:${state.email}`;
}

/** A stable 12-digit project number for a project id (the same for every resource of that project). */
export function projectNumber(project: string): string {
  return new Digest("project-number", "", project).digits("number", 12);
}

function serviceAccountIdentity({ state, digest }: Draft): void {
  state.email = `${state.accountId}@${state.project}.iam.gserviceaccount.com`;
  state.name = `projects/${state.project}/serviceAccounts/${state.email}`;
  state.member = `serviceAccount:${state.email}`;
  state.uniqueId = `1${digest.digits("uniqueId", 20)}`;
}

/** Data sources (invokes) of `@pulumi/gcp` the emulator answers; undefined for others. */
export function gcpInvoke(
  token: string,
  inputs: Record<string, any>,
  ctx: OutputContext,
): Record<string, unknown> | undefined {
  if (token === "gcp:organizations/getProject:getProject") {
    // google_project data source: the provider's project when none is given; `number` is the project number.
    const projectId = typeof inputs.projectId === "string" && inputs.projectId !== "" ? inputs.projectId : ctx.project;
    return {
      id: `projects/${projectId}`,
      projectId,
      number: projectNumber(projectId),
      name: projectId,
      labels: {},
      effectiveLabels: {},
      pulumiLabels: {},
    };
  }
  return undefined;
}

/** A certificate request to an emulated CA Service pool (CreateCertificate with a CSR). */
export interface CaServiceRequest {
  /** The pool's id, `projects/<p>/locations/<l>/caPools/<pool>`. */
  readonly pool: string;
  /** The CSR (PEM): the workload keeps its private key. */
  readonly pemCsr: string;
  /** The CA's id within the pool. @default - any enabled CA of the pool */
  readonly certificateAuthority?: string;
  /** Requested lifetime (`<seconds>s`). @default - the pool's maximumLifetime */
  readonly lifetime?: string;
  /**
   * Through the `certificateauthority.Certificate` resource, which needs an ENTERPRISE CA (rule
   * gcp.privateca.certificate-tier). @default false
   */
  readonly viaResource?: boolean;
  /**
   * The certificate template the request names (`projects/<project>/locations/<location>/certificateTemplates/<id>`):
   * its identity constraint applies as well as the pool's. @default - none
   */
  readonly certificateTemplate?: string;
  /**
   * Who asks: then IAM is judged as CreateCertificate does (rule gcp.privateca.requester-confinement): the member
   * needs roles/privateca.certificateRequester on the pool, under a condition that holds for this request, and
   * roles/privateca.templateUser on a named template. @default - IAM is not judged
   */
  readonly requester?: string;
  /**
   * Subject mode REFLECTED_SPIFFE, as managed workload identities request (GKE Pods, Compute Engine VMs): the caller
   * is a workload of `workloadIdentityPool` (`projects/<number>/locations/global/workloadIdentityPools/<id>`), the
   * service sets the certificate's one SAN to its SPIFFE id and ignores the CSR's subject and SANs, and the pool's
   * grant must be roles/privateca.workloadCertificateRequester (privateca.certificates.createForSelf) to that
   * workload identity pool. @default - the CSR's subject and SANs
   */
  readonly reflectedFor?: { readonly spiffeId: string; readonly workloadIdentityPool: string };
}

/** The workload identity pool a principal / principalSet member of IAM's `/name/` form names, if any. */
export function workloadIdentityPoolOf(member: string): string | undefined {
  const m =
    /^principal(?:Set)?:\/\/iam\.googleapis\.com\/projects\/(\d+)\/name\/locations\/global\/workloadIdentityPools\/([^/]+)(?:\/\*)?$/.exec(
      member,
    );
  return m ? `projects/${m[1]}/locations/global/workloadIdentityPools/${m[2]}` : undefined;
}

const CREATE_ROLES = [
  "roles/privateca.certificateRequester",
  "roles/privateca.certificateManager",
  "roles/privateca.admin",
];

/**
 * Whether an IAM condition of a CA pool grant holds for a request. The emulator judges the template form CA Service
 * documents (`api.getAttribute('privateca.googleapis.com/template', '') == '<project>/-/<template id>'`); any other
 * expression is not judged and fails closed.
 */
function conditionHolds(condition: unknown, template: string | undefined): boolean {
  const expression = (condition as { expression?: unknown } | undefined)?.expression;
  if (condition === undefined || condition === null || isAbsent(expression)) return true;
  const m =
    /^\s*api\.getAttribute\((['"])privateca\.googleapis\.com\/template\1,\s*(['"])\2\)\s*==\s*(['"])([^'"]*)\3\s*$/.exec(
      String(expression),
    );
  if (!m || template === undefined) return false;
  const t = /^projects\/([^/]+)\/locations\/[^/]+\/certificateTemplates\/([^/]+)$/.exec(template);
  return t !== null && m[4] === `${t[1]}/-/${t[2]}`;
}

function iamProblem(request: CaServiceRequest): string | undefined {
  const reflected = request.reflectedFor;
  if (reflected !== undefined) {
    const ok = (HELD_GRANTS.get(request.pool) ?? []).some(
      (g) =>
        ["roles/privateca.workloadCertificateRequester", "roles/privateca.admin"].includes(g.role) &&
        workloadIdentityPoolOf(g.member) === reflected.workloadIdentityPool,
    );
    return ok
      ? undefined
      : `PERMISSION_DENIED: the workloads of ${reflected.workloadIdentityPool} lack privateca.certificates.createForSelf on CA pool ${request.pool}`;
  }
  if (request.requester === undefined) return undefined;
  const member = request.requester;
  const onPool = (HELD_GRANTS.get(request.pool) ?? []).filter(
    (g) => g.member === member && CREATE_ROLES.includes(g.role),
  );
  if (!onPool.some((g) => conditionHolds(g.condition, request.certificateTemplate))) {
    return onPool.length === 0
      ? `PERMISSION_DENIED: ${member} lacks privateca.certificates.create on CA pool ${request.pool}`
      : `PERMISSION_DENIED: the condition of ${member}'s grant on CA pool ${request.pool} does not hold for this request (${request.certificateTemplate === undefined ? "it names no template" : `template ${request.certificateTemplate}`})`;
  }
  if (request.certificateTemplate !== undefined) {
    const onTemplate = (HELD_GRANTS.get(request.certificateTemplate) ?? []).some(
      (g) => g.member === member && ["roles/privateca.templateUser", "roles/privateca.admin"].includes(g.role),
    );
    if (!onTemplate)
      return `PERMISSION_DENIED: ${member} lacks privateca.certificateTemplates.use on ${request.certificateTemplate}`;
  }
  return undefined;
}

export interface CaServiceCertificate {
  readonly pemCertificate: string;
  /** The issuing CA's chain, the root last (`pemCertificateChain`). */
  readonly pemCertificateChain: string[];
}

/**
 * What CA Service answers a workload's CreateCertificate request (the "request your own" flow) in the emulated
 * project: a real X.509 leaf signed by a CA of the pool, after the pool's identity constraints (its CEL expression,
 * evaluated by a CEL interpreter over `subject` and `subject_alt_names`), baseline values and maximum lifetime (rule
 * gcp.privateca.issuance-policy). Throws with the API's reason when it refuses.
 */
export async function requestCaServiceCertificate(request: CaServiceRequest): Promise<CaServiceCertificate> {
  const pool = HELD_POOLS.get(request.pool);
  if (!pool) throw new Error(`NOT_FOUND: CA pool ${request.pool} does not exist`);
  const denied = iamProblem(request);
  if (denied !== undefined) throw new Error(denied);
  const template =
    request.certificateTemplate !== undefined ? HELD_TEMPLATES.get(request.certificateTemplate) : undefined;
  if (request.certificateTemplate !== undefined && !template)
    throw new Error(`NOT_FOUND: certificate template ${request.certificateTemplate} does not exist`);
  if (request.viaResource && pool.tier !== "ENTERPRISE") {
    throw new Error(
      `FAILED_PRECONDITION: CA pool ${request.pool} is ${pool.tier}; the certificateauthority.Certificate resource needs an ENTERPRISE CA`,
    );
  }
  const prefix = `${request.pool}/certificateAuthorities/`;
  const caName = request.certificateAuthority ? `${prefix}${request.certificateAuthority}` : undefined;
  // The pool load-balances requests across its ENABLED CAs; a request that names a CA is also served by a STAGED one;
  // a DISABLED CA issues nothing (https://cloud.google.com/certificate-authority-service/docs/managing-ca-state).
  const enabled = (name: string) => HELD_STATE.get(name) === "ENABLED";
  if (caName !== undefined && HELD_BY_NAME.has(caName) && !["ENABLED", "STAGED"].includes(HELD_STATE.get(caName)!)) {
    throw new Error(`FAILED_PRECONDITION: CA ${caName} is ${HELD_STATE.get(caName)}; a DISABLED CA issues nothing`);
  }
  const ca = caName
    ? HELD_BY_NAME.get(caName)
    : [...HELD_BY_NAME.entries()].find(([name]) => name.startsWith(prefix) && enabled(name))?.[1];
  if (!ca) throw new Error(`FAILED_PRECONDITION: CA pool ${request.pool} has no enabled CA to issue from`);
  const csr = parseCertificateRequest(request.pemCsr);
  if (!csr.signatureValid) throw new Error("INVALID_ARGUMENT: the CSR's signature does not verify");
  const policy = pool.issuancePolicy ?? {};
  const constraints = policy.identityConstraints;
  const passSans = constraints?.allowSubjectAltNamesPassthrough !== false;
  const sans = request.reflectedFor
    ? { dnsNames: [], uris: [request.reflectedFor.spiffeId], ipAddresses: [] }
    : passSans
      ? csr
      : { dnsNames: [], uris: [], ipAddresses: [] };
  const expressions = [
    constraints?.celExpression?.expression,
    template?.identityConstraints?.celExpression?.expression,
  ];
  for (const expression of expressions) {
    if (typeof expression !== "string" || expression === "") continue;
    const { evaluate } = await import("@marcbachmann/cel-js");
    const context = {
      subject: { common_name: csr.subject.commonName ?? "", organization: csr.subject.organization ?? "" },
      subject_alt_names: [
        ...sans.dnsNames.map((value) => ({ type: "DNS", value })),
        ...sans.uris.map((value) => ({ type: "URI", value })),
        ...sans.ipAddresses.map((value) => ({ type: "IP", value })),
      ],
      DNS: "DNS",
      URI: "URI",
      EMAIL: "EMAIL",
      IP: "IP",
    };
    if (evaluate(expression, context) !== true) {
      const of =
        expression === constraints?.celExpression?.expression
          ? `CA pool ${request.pool}`
          : `template ${request.certificateTemplate}`;
      throw new Error(`FAILED_PRECONDITION: the request violates the identity constraints of ${of} (${expression})`);
    }
  }
  const seconds = (d: unknown) => (typeof d === "string" && /^\d+s$/.test(d) ? Number(d.slice(0, -1)) : undefined);
  const max = seconds(policy.maximumLifetime);
  const asked = seconds(request.lifetime) ?? max ?? 2592000;
  const lifetime = max === undefined ? asked : Math.min(asked, max);
  const baseline = policy.baselineValues ?? {};
  const base = baseline.keyUsage?.baseKeyUsage ?? { digitalSignature: true };
  const eku = baseline.keyUsage?.extendedKeyUsage ?? {};
  const notBefore = new Date();
  const pemCertificate = createCertificate(
    {
      subject: constraints?.allowSubjectPassthrough === false || request.reflectedFor ? {} : csr.subject,
      publicKey: csr.publicKey,
      notBefore,
      notAfter: new Date(notBefore.getTime() + lifetime * 1000),
      isCa: baseline.caOptions?.isCa === true,
      basicConstraints: baseline.caOptions !== undefined,
      allowedUses: [
        ...(base.digitalSignature ? ["digital_signature"] : []),
        ...(base.keyEncipherment ? ["key_encipherment"] : []),
        ...(eku.clientAuth ? ["client_auth"] : []),
        ...(eku.serverAuth ? ["server_auth"] : []),
      ],
      dnsNames: sans.dnsNames,
      uris: sans.uris,
      ipAddresses: sans.ipAddresses,
    },
    issuerFromPem(ca.chain[0]!, ca.privateKey),
  );
  return { pemCertificate, pemCertificateChain: [...ca.chain] };
}

/**
 * Forgets the emulated project's CA Service and Certificate Manager state (pools, CA states, grants, templates,
 * issuance configs, served certificates) when a new deployment is emulated (`setupMocks`), so one test's grants never
 * judge another's requests. The CA certificates themselves stay cached by their settings: a CA that the next
 * deployment registers again with the same inputs is the same CA, as it is in a real project.
 */
export function resetCaServiceState(): void {
  for (const m of [HELD_BY_NAME, HELD_POOLS, HELD_STATE, HELD_ISSUANCE_CONFIGS, HELD_GRANTS, HELD_TEMPLATES, SERVED]) {
    m.clear();
  }
}

/** What a load balancer (or Secure Web Proxy) serves for a Certificate Manager certificate issued by CA Service. */
export function servedCertificate(
  certificateId: string,
): { certificatePem: string; chainPems: string[]; privateKeyPem: string } | undefined {
  return SERVED.get(certificateId);
}

/**
 * Certificate Manager provisioning a Google-managed certificate through a CertificateIssuanceConfig (rule
 * gcp.certificatemanager.private-issuance): Google generates the key, and the config's CA pool issues the certificate
 * for the domains, if Certificate Manager's service agent holds roles/privateca.certificateRequester on the pool and
 * the pool's policy allows them. The certificate then is ACTIVE; otherwise FAILED, with the reason in
 * `managed.provisioningIssues` (the create itself succeeds: provisioning runs after it).
 */
export async function provisionPrivateCertificate(state: Record<string, any>, id: string): Promise<void> {
  const configId = String(state.managed?.issuanceConfig ?? "");
  const fail = (reason: string, details: string) => {
    state.managed = { ...state.managed, state: "FAILED", provisioningIssues: [{ reason, details }] };
  };
  const config = [...HELD_ISSUANCE_CONFIGS.entries()].find(
    ([key]) => key === configId || key.endsWith(`/certificateIssuanceConfigs/${configId.split("/").pop()}`),
  )?.[1];
  if (!config) return fail("CONFIG_NOT_FOUND", `certificate issuance config ${configId} does not exist`);
  const pool = String(config.certificateAuthorityConfig?.certificateAuthorityServiceConfig?.caPool ?? "");
  const agent = `serviceAccount:service-${projectNumber(String(state.project))}@gcp-sa-certificatemanager.iam.gserviceaccount.com`;
  const granted = (HELD_GRANTS.get(pool) ?? []).some(
    (g) =>
      g.member === agent &&
      ["roles/privateca.certificateRequester", "roles/privateca.certificateManager"].includes(g.role),
  );
  if (!granted) {
    return fail(
      "CA_SERVICE_PERMISSION_DENIED",
      `${agent.slice("serviceAccount:".length)} lacks roles/privateca.certificateRequester on ${pool}`,
    );
  }
  const key = generateKey(
    config.keyAlgorithm === "RSA_2048"
      ? { algorithm: "RSA", rsaBits: 2048 }
      : { algorithm: "ECDSA", ecdsaCurve: "P256" },
  );
  const domains: string[] = state.managed?.domains ?? [];
  try {
    const issued = await requestCaServiceCertificate({
      pool,
      pemCsr: createCertificateRequest({}, key.privateKey, { dnsNames: domains }),
      ...(typeof config.lifetime === "string" ? { lifetime: config.lifetime } : {}),
    });
    SERVED.set(id, {
      certificatePem: issued.pemCertificate,
      chainPems: issued.pemCertificateChain.slice(0, -1),
      privateKeyPem: privateKeyPem(key),
    });
    state.managed = { ...state.managed, state: "ACTIVE" };
    delete state.managed.authorizationAttemptInfos;
  } catch (e) {
    fail("CA_SERVICE_REFUSED", e instanceof Error ? e.message : String(e));
  }
}
