import { createHash } from "node:crypto";
import * as path from "node:path";

import type * as pulumi from "@pulumi/pulumi";

import {
  autoName,
  gcpOutputs,
  KNOWN_GCP_TYPES,
  KNOWN_KUBERNETES_TYPES,
  kubernetesOutputs,
  type OutputContext,
} from "./index";

const ctx: OutputContext = { project: "acme-dev", region: "europe-west1", seed: "dev" };

// The testing package does not depend on the provider SDKs; the components package does.
const componentsDir = path.join(__dirname, "../../../components");
const fromComponents = (name: string): any => jest.requireActual(require.resolve(name, { paths: [componentsDir] }));

/** 7 hex characters for Pulumi's auto-names of bridged (GCP) resources, 8 for pulumi-kubernetes' (pulumi-k8s.autoname). */
function suffix(seed: string, type: string, name: string, length = type.startsWith("kubernetes:") ? 8 : 7): string {
  return createHash("sha256")
    .update(seed + type + name)
    .digest("hex")
    .slice(0, length);
}

function gcp(type: string, name: string, inputs: Record<string, any> = {}, context = ctx) {
  const out = gcpOutputs(type, name, inputs, context);
  if (!out) throw new Error(`no outputs for ${type}`);
  if (out.problems?.length) throw new Error(`${type} refused: ${JSON.stringify(out.problems)}`);
  return { id: out.id, state: out.state as Record<string, any> };
}

function k8s(type: string, name: string, inputs: Record<string, any> = {}, context = ctx) {
  const out = kubernetesOutputs(type, name, inputs, context);
  if (!out) throw new Error(`no outputs for ${type}`);
  return { id: out.id, state: out.state as Record<string, any> };
}

/** Self-signed P-256 certificate: SAN DNS:api.example.com, DNS:*.api.example.com, IP:10.0.0.1; notAfter 2026-07-01T12:00:00Z. */
const CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIBATAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9hcGkuZXhh
bXBsZS5jb20wHhcNMjUwMTAxMDAwMDAwWhcNMjYwNzAxMTIwMDAwWjAaMRgwFgYD
VQQDDA9hcGkuZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARv
5tjy/0CgXCFAPAS+/3+upglJEu5WYiNFr0AR/5O2ybRonAcbqYwvQ++In/qf91RG
ww8lTETJi7wdahNxOaQoo2QwYjAzBgNVHREELDAqgg9hcGkuZXhhbXBsZS5jb22C
ESouYXBpLmV4YW1wbGUuY29thwQKAAABMAwGA1UdEwEB/wQCMAAwHQYDVR0OBBYE
FIgG3B6rwUJC5s2K7d9eK58Isaf/MAoGCCqGSM49BAMCA0gAMEUCIQDnYEcXYsYb
DNtiFIKHJg7k69EQdlLMnm0oWIp0A99fzAIgf1GRFLJ/k/M0tHVg5W4kHSlT1wf7
Fa6Le6MJ2u6F5Q0=
-----END CERTIFICATE-----
`;

const TRUST_CONFIG = "gcp:certificatemanager/trustConfig:TrustConfig";
const SSL_CERT = "gcp:compute/sSLCertificate:SSLCertificate";
const REGION_SSL_CERT = "gcp:compute/regionSslCertificate:RegionSslCertificate";

/** Inputs the SDK classes require, so every known type can be exercised with a valid minimal resource. */
const REQUIRED_INPUTS: Record<string, Record<string, unknown>> = {
  [TRUST_CONFIG]: { location: "global" },
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": { domain: "acme.example" },
  "gcp:compute/subnetwork:Subnetwork": { network: "projects/acme/global/networks/vpc", ipCidrRange: "10.129.0.0/23" },
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": {
    map: "edge-map",
    certificates: ["c"],
    matcher: "PRIMARY",
  },
  "gcp:certificatemanager/certificate:Certificate": { selfManaged: { pemCertificate: CERT_PEM, pemPrivateKey: "k" } },
  "gcp:networksecurity/gatewaySecurityPolicyRule:GatewaySecurityPolicyRule": {
    location: "europe-west1",
    gatewaySecurityPolicy: "swp-policy",
    basicProfile: "ALLOW",
    enabled: true,
    priority: 1,
    sessionMatcher: "true",
  },
  "gcp:networksecurity/tlsInspectionPolicy:TlsInspectionPolicy": {
    location: "europe-west1",
    caPool: "projects/p/locations/l/caPools/x",
  },
  "gcp:networksecurity/authzPolicy:AuthzPolicy": {
    location: "europe-west1",
    action: "ALLOW",
    target: { loadBalancingScheme: "INTERNAL_MANAGED", resources: ["projects/p/locations/europe-west1/gateways/g"] },
    httpRules: [{ to: { operations: [{ hosts: [{ exact: "a.example.com" }] }] } }],
  },
  "gcp:networkservices/gateway:Gateway": { type: "SECURE_WEB_GATEWAY", routingMode: "EXPLICIT_ROUTING_MODE" },
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": { workloadIdentityPoolId: "bank-vms" },
  "gcp:certificatemanager/certificateIssuanceConfig:CertificateIssuanceConfig": {
    certificateAuthorityConfig: {
      certificateAuthorityServiceConfig: { caPool: "projects/p/locations/us-central1/caPools/issuing" },
    },
    keyAlgorithm: "ECDSA_P256",
    lifetime: "2592000s",
    rotationWindowPercentage: 66,
  },
  "gcp:certificateauthority/certificate:Certificate": { location: "europe-west1", pool: "issuing" },
  "gcp:certificateauthority/caPool:CaPool": {
    location: "europe-west1",
    tier: "DEVOPS",
    publishingOptions: { publishCaCert: false, publishCrl: false },
  },
  "gcp:certificateauthority/authority:Authority": {
    location: "europe-west1",
    certificateAuthorityId: "root",
    pool: "pool",
    // keyUsage with baseKeyUsage and extendedKeyUsage is required (privateca/CertificateAuthority.yaml).
    config: {
      subjectConfig: { subject: { commonName: "Root" } },
      x509Config: {
        caOptions: { isCa: true },
        keyUsage: { baseKeyUsage: { certSign: true, crlSign: true }, extendedKeyUsage: {} },
      },
    },
    keySpec: { algorithm: "EC_P256_SHA256" },
  },
  "gcp:certificateauthority/certificateTemplate:CertificateTemplate": {
    location: "us-central1",
    identityConstraints: { allowSubjectPassthrough: true, allowSubjectAltNamesPassthrough: true },
  },
  "gcp:certificateauthority/certificateTemplateIamMember:CertificateTemplateIamMember": {
    certificateTemplate: "projects/p/locations/us-central1/certificateTemplates/t",
    role: "roles/privateca.templateUser",
    member: "serviceAccount:issuer@acme-dev.iam.gserviceaccount.com",
  },
  "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember": {
    caPool: "pool",
    role: "roles/privateca.certificateRequester",
    member: "serviceAccount:issuer@acme-dev.iam.gserviceaccount.com",
  },
  [SSL_CERT]: { certificate: CERT_PEM, privateKey: "pk" },
  [REGION_SSL_CERT]: { certificate: CERT_PEM, privateKey: "pk" },
  "gcp:compute/securityPolicy:SecurityPolicy": {},
  "gcp:monitoring/alertPolicy:AlertPolicy": { combiner: "OR", conditions: [{ displayName: "c" }], displayName: "p" },
  "gcp:logging/metric:Metric": { filter: "severity>=ERROR" },
  "gcp:projects/iAMMember:IAMMember": { project: "acme-dev", role: "roles/viewer", member: "user:dev@example.com" },
  "gcp:projects/service:Service": { service: "certificatemanager.googleapis.com" },
  "gcp:projects/serviceIdentity:ServiceIdentity": { service: "networksecurity.googleapis.com" },
  "gcp:compute/regionSslPolicy:RegionSslPolicy": {},
};

describe("autoName", () => {
  it("appends 7 hex characters of sha256(seed + type + name)", () => {
    expect(autoName("tc", TRUST_CONFIG, "dev")).toBe(`tc-${suffix("dev", TRUST_CONFIG, "tc")}`);
    expect(autoName("tc", TRUST_CONFIG, "dev")).toMatch(/^tc-[0-9a-f]{7}$/);
  });

  it("is stable per seed, type and name and differs when any of them changes", () => {
    const base = autoName("tc", TRUST_CONFIG, "dev");
    expect(autoName("tc", TRUST_CONFIG, "dev")).toBe(base);
    expect(autoName("tc", TRUST_CONFIG, "prod")).not.toBe(base);
    expect(autoName("tc", SSL_CERT, "dev")).not.toBe(base);
    expect(autoName("tc2", TRUST_CONFIG, "dev")).not.toBe(base.replace("tc-", "tc2-"));
  });
});

describe("gcpOutputs", () => {
  it("returns undefined for a token it does not know", () => {
    expect(gcpOutputs("gcp:storage/bucket:Bucket", "b", {}, ctx)).toBeUndefined();
    expect(gcpOutputs("kubernetes:core/v1:ConfigMap", "c", {}, ctx)).toBeUndefined();
    expect(gcpOutputs("gcp:certificatemanager/trustconfig:TrustConfig", "t", {}, ctx)).toBeUndefined();
  });

  it("auto-names, defaults the project and builds the TrustConfig id", () => {
    const { id, state } = gcp(TRUST_CONFIG, "mtls-trust", {
      location: "global",
      trustStores: [{ trustAnchors: [{ pemCertificate: CERT_PEM }] }],
    });
    const name = `mtls-trust-${suffix("dev", TRUST_CONFIG, "mtls-trust")}`;
    expect(id).toBe(`projects/acme-dev/locations/global/trustConfigs/${name}`);
    expect(state).toMatchObject({
      name,
      project: "acme-dev",
      location: "global",
      trustStores: [{ trustAnchors: [{ pemCertificate: CERT_PEM }] }],
      createTime: "2024-01-01T00:00:00Z",
      updateTime: "2024-01-01T00:00:00Z",
      effectiveLabels: {},
      pulumiLabels: {},
    });
  });

  it("keeps an explicit name, project, location and labels", () => {
    const { id, state } = gcp(TRUST_CONFIG, "mtls-trust", {
      name: "clients",
      project: "other",
      location: "europe-west1",
      labels: { team: "edge" },
    });
    expect(id).toBe("projects/other/locations/europe-west1/trustConfigs/clients");
    expect(state.name).toBe("clients");
    expect(state.effectiveLabels).toEqual({ team: "edge" });
    expect(state.pulumiLabels).toEqual({ team: "edge" });
  });

  it("uses the short map name in a CertificateMapEntry id and serves it as ACTIVE", () => {
    const type = "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry";
    const byName = gcp(type, "entry", { name: "api", map: "edge-map", certificates: ["c"], hostname: "a.example.com" });
    const byId = gcp(type, "entry", {
      name: "api",
      map: "projects/acme-dev/locations/global/certificateMaps/edge-map",
      certificates: ["c"],
      hostname: "a.example.com",
    });
    expect(byName.id).toBe("projects/acme-dev/locations/global/certificateMaps/edge-map/certificateMapEntries/api");
    expect(byId.id).toBe(byName.id);
    expect(byName.state.state).toBe("ACTIVE");
    expect(byName.state.hostname).toBe("a.example.com");
  });

  it("derives Certificate Manager sanDnsnames from managed domains or the self-managed PEM", () => {
    const type = "gcp:certificatemanager/certificate:Certificate";
    const managed = gcp(type, "c", { managed: { domains: ["a.example.com"] } });
    const self = gcp(type, "c", { selfManaged: { pemCertificate: CERT_PEM, pemPrivateKey: "key" } });
    expect(managed.id).toMatch(/^projects\/acme-dev\/locations\/global\/certificates\/c-[0-9a-f]{7}$/);
    expect(managed.state.sanDnsnames).toEqual(["a.example.com"]);
    expect(self.state.sanDnsnames).toEqual(["api.example.com", "*.api.example.com"]);
    expect(self.state.selfManaged.pemPrivateKey).toBe("key");
  });

  it("defaults ServerTlsPolicy and Gateway to global; a rule's parent policy goes into its id as given", () => {
    expect(gcp("gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy", "p", { name: "mtls" }).id).toBe(
      "projects/acme-dev/locations/global/serverTlsPolicies/mtls",
    );
    const gw = gcp("gcp:networkservices/gateway:Gateway", "gw", {
      name: "swp",
      type: "SECURE_WEB_GATEWAY",
      routingMode: "EXPLICIT_ROUTING_MODE",
    });
    expect(gw.id).toBe("projects/acme-dev/locations/global/gateways/swp");
    expect(gw.state.selfLink).toBe("https://networkservices.googleapis.com/v1/" + gw.id);
    // magic-modules substitutes gateway_security_policy raw into the URL: the short name, as its samples pass.
    const rule = gcp("gcp:networksecurity/gatewaySecurityPolicyRule:GatewaySecurityPolicyRule", "r", {
      name: "allow-api",
      location: "europe-west1",
      gatewaySecurityPolicy: "swp-policy",
    });
    expect(rule.id).toBe("projects/acme-dev/locations/europe-west1/gatewaySecurityPolicies/swp-policy/rules/allow-api");
  });

  it("builds compute ids, selfLinks, creationTimestamp, certificateId and expireTime like Compute Engine", () => {
    const global = gcp(SSL_CERT, "edge", { name: "edge-cert", certificate: CERT_PEM, privateKey: "pk" });
    expect(global.id).toBe("projects/acme-dev/global/sslCertificates/edge-cert");
    expect(global.state.selfLink).toBe(
      "https://www.googleapis.com/compute/v1/projects/acme-dev/global/sslCertificates/edge-cert",
    );
    expect(global.state.creationTimestamp).toBe("2023-12-31T16:00:00.000-08:00");
    expect(global.state.expireTime).toBe("2026-07-01T05:00:00.000-07:00");
    expect(Number.isSafeInteger(global.state.certificateId)).toBe(true);
    expect(String(global.state.certificateId)).toMatch(/^[1-9][0-9]{14}$/);
    expect(global.state.privateKey).toBe("pk");
    expect(global.state.certificate).toBe(CERT_PEM);

    const regional = gcp(REGION_SSL_CERT, "edge", { certificate: CERT_PEM, privateKey: "pk" });
    const name = `edge-${suffix("dev", REGION_SSL_CERT, "edge")}`;
    expect(regional.id).toBe(`projects/acme-dev/regions/europe-west1/sslCertificates/${name}`);
    expect(regional.state.region).toBe("europe-west1");
    expect(regional.state.selfLink).toBe(`https://www.googleapis.com/compute/v1/${regional.id}`);
    const explicit = gcp(REGION_SSL_CERT, "edge", {
      name: "x",
      region: "us-east1",
      certificate: CERT_PEM,
      privateKey: "pk",
    });
    expect(explicit.id).toBe("projects/acme-dev/regions/us-east1/sslCertificates/x");
  });

  it("names an SSL certificate from namePrefix like Terraform's PrefixedUniqueId", () => {
    const { state } = gcp(SSL_CERT, "edge", { namePrefix: "edge-", certificate: CERT_PEM, privateKey: "pk" });
    expect(state.name).toMatch(/^edge-202401010000000000[0-9a-f]{8}$/);
  });

  it("fills Compute policy outputs: fingerprints, default rule, policyId", () => {
    const sslPolicy = gcp("gcp:compute/sSLPolicy:SSLPolicy", "tls", { name: "modern" });
    expect(sslPolicy.state).toMatchObject({ profile: "COMPATIBLE", minTlsVersion: "TLS_1_0" });
    expect(sslPolicy.state.fingerprint).toMatch(/^[A-Za-z0-9+/]{11}=$/);

    const armor = gcp("gcp:compute/securityPolicy:SecurityPolicy", "armor", { name: "edge" });
    expect(armor.id).toBe("projects/acme-dev/global/securityPolicies/edge");
    expect(armor.state.type).toBe("CLOUD_ARMOR");
    expect(armor.state.labelFingerprint).toBe("42WmSpB8rSM=");
    expect(armor.state.rules).toEqual([expect.objectContaining({ action: "allow", priority: 2147483647 })]);

    const regional = gcp("gcp:compute/regionSecurityPolicy:RegionSecurityPolicy", "armor", { name: "edge" });
    expect(regional.id).toBe("projects/acme-dev/regions/europe-west1/securityPolicies/edge");
    expect(regional.state.policyId).toMatch(/^[1-9][0-9]{18}$/);
    expect(regional.state.selfLinkWithPolicyId).toBe(
      `https://www.googleapis.com/compute/v1/projects/acme-dev/regions/europe-west1/securityPolicies/${regional.state.policyId}`,
    );
  });

  it("identifies a CA by pool and certificateAuthorityId, with name equal to the id", () => {
    const type = "gcp:certificateauthority/authority:Authority";
    const config = {
      subjectConfig: { subject: { commonName: "CA" } },
      x509Config: {
        caOptions: { isCa: true },
        keyUsage: { baseKeyUsage: { certSign: true, crlSign: true }, extendedKeyUsage: {} },
      },
    };
    const keySpec = { algorithm: "EC_P256_SHA256" };
    const root = gcp(type, "root", {
      location: "europe-west1",
      certificateAuthorityId: "root-ca",
      pool: "mtls-pool",
      config,
      keySpec,
    });
    expect(root.id).toBe("projects/acme-dev/locations/europe-west1/caPools/mtls-pool/certificateAuthorities/root-ca");
    // magic-modules defaults: type SELF_SIGNED, lifetime 10 years, deletion protection on.
    expect(root.state).toMatchObject({
      name: root.id,
      state: "ENABLED",
      type: "SELF_SIGNED",
      lifetime: "315360000s",
      deletionProtection: true,
    });
    // Access URLs depend on the pool's publishing options, which this resource does not see: none are invented.
    expect(root.state.accessUrls).toBeUndefined();
    const sub = gcp(type, "sub", {
      certificateAuthorityId: "sub",
      pool: "p",
      type: "SUBORDINATE",
      location: "us-east1",
      config,
      keySpec,
    });
    expect(sub.state.state).toBe("AWAITING_USER_ACTIVATION");
    expect(sub.state.accessUrls).toBeUndefined();
  });

  it("builds IAM member ids from the parent long name, role and lower-cased member", () => {
    const type = "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember";
    const role = "roles/privateca.certificateRequester";
    const member = "serviceAccount:Issuer@acme-dev.iam.gserviceaccount.com";
    const short = gcp(type, "m", { caPool: "mtls-pool", role, member });
    expect(short.id).toBe(
      `projects/acme-dev/locations/europe-west1/caPools/mtls-pool/${role}/serviceAccount:issuer@acme-dev.iam.gserviceaccount.com`,
    );
    expect(short.state.caPool).toBe("projects/acme-dev/locations/europe-west1/caPools/mtls-pool");
    expect(short.state.member).toBe(member);
    expect(short.state.etag).toMatch(/^Bw[XY][A-Za-z0-9+/]{8}=$/);

    const long = gcp(type, "m", { caPool: "projects/pki/locations/us-east1/caPools/root", role, member });
    expect(long.state).toMatchObject({ project: "pki", location: "us-east1" });
    expect(long.id.startsWith("projects/pki/locations/us-east1/caPools/root/")).toBe(true);

    const project = gcp("gcp:projects/iAMMember:IAMMember", "m", {
      project: "acme-dev",
      role: "roles/logging.logWriter",
      member: "principalSet://iam.googleapis.com/Pool",
      condition: { title: "t", expression: "true" },
    });
    expect(project.id).toBe("acme-dev/roles/logging.logWriter/principalSet://iam.googleapis.com/Pool/t//true");
  });

  it("derives service account identity from the (auto-named) accountId", () => {
    const type = "gcp:serviceaccount/account:Account";
    const { id, state } = gcp(type, "issuer", { displayName: "Issuer" });
    const accountId = `issuer-${suffix("dev", type, "issuer")}`;
    const email = `${accountId}@acme-dev.iam.gserviceaccount.com`;
    expect(id).toBe(`projects/acme-dev/serviceAccounts/${email}`);
    expect(state).toMatchObject({ accountId, email, name: id, member: `serviceAccount:${email}` });
    expect(state.uniqueId).toMatch(/^1[0-9]{20}$/);
    expect(gcp(type, "issuer", { accountId: "mtls-issuer" }).state.email).toBe(
      "mtls-issuer@acme-dev.iam.gserviceaccount.com",
    );
  });

  it("uses the metric name as logging.Metric id and a numeric alert policy name as its id", () => {
    expect(gcp("gcp:logging/metric:Metric", "m", { name: "mtls/denied", filter: "x" }).id).toBe("mtls/denied");
    const alert = gcp("gcp:monitoring/alertPolicy:AlertPolicy", "a", {
      combiner: "OR",
      displayName: "mTLS denials",
      conditions: [{ displayName: "denied" }],
    });
    expect(alert.id).toMatch(/^projects\/acme-dev\/alertPolicies\/[1-9][0-9]{18}$/);
    expect(alert.state.name).toBe(alert.id);
    expect(alert.state.conditions[0].name).toMatch(new RegExp(`^${alert.id}/conditions/[0-9]{19}$`));
  });

  it("identifies a project service as project/service", () => {
    expect(gcp("gcp:projects/service:Service", "svc", { service: "privateca.googleapis.com" }).id).toBe(
      "acme-dev/privateca.googleapis.com",
    );
  });

  it("fails loudly when an input the id is made of is missing", () => {
    expect(() => gcpOutputs("gcp:projects/service:Service", "svc", {}, ctx)).toThrow(/"service"/);
  });

  it("gives a service identity the service agent's email, with one project number per project", () => {
    const ns = gcp("gcp:projects/serviceIdentity:ServiceIdentity", "ns", { service: "networksecurity.googleapis.com" });
    expect(ns.id).toBe("projects/acme-dev/services/networksecurity.googleapis.com");
    expect(ns.state.email).toMatch(/^service-[1-9]\d{11}@gcp-sa-networksecurity\.iam\.gserviceaccount\.com$/);
    expect(ns.state.member).toBe(`serviceAccount:${ns.state.email}`);
    const other = gcp("gcp:projects/serviceIdentity:ServiceIdentity", "pca", { service: "privateca.googleapis.com" });
    expect(String(other.state.email).split("@")[0]).toBe(String(ns.state.email).split("@")[0]);
  });

  it("is deterministic and does not mutate the inputs", () => {
    const inputs = { labels: { a: "b" }, trustStores: [{ trustAnchors: [{ pemCertificate: CERT_PEM }] }] };
    const snapshot = structuredClone(inputs);
    const first = gcpOutputs(TRUST_CONFIG, "t", inputs, ctx);
    expect(gcpOutputs(TRUST_CONFIG, "t", inputs, ctx)).toEqual(first);
    expect(inputs).toEqual(snapshot);
    for (const type of KNOWN_GCP_TYPES) {
      const a = gcpOutputs(type, "r", { ...REQUIRED_INPUTS[type] }, ctx);
      expect(gcpOutputs(type, "r", { ...REQUIRED_INPUTS[type] }, ctx)).toEqual(a);
    }
  });

  it.each(KNOWN_GCP_TYPES.map((type) => [type]))("%s produces a complete id with minimal inputs", (type) => {
    const { id, state } = gcp(type, "r", { ...REQUIRED_INPUTS[type] });
    expect(id).not.toMatch(/undefined|null|\{|\/\/(?!iam)/);
    expect(state.project).toBe("acme-dev");
  });

  it("lists only tokens that exist in @pulumi/gcp", () => {
    const sdk = fromComponents("@pulumi/gcp");
    for (const type of KNOWN_GCP_TYPES) {
      const [, module, className] = /^gcp:([^/]+)\/[^:]+:(\w+)$/.exec(type) ?? [];
      expect(sdk[module!]?.[className!]?.__pulumiType).toBe(type);
    }
  });
});

describe("kubernetesOutputs", () => {
  it("returns undefined for components and foreign tokens", () => {
    expect(kubernetesOutputs("kubernetes:yaml/v2:ConfigGroup", "g", {}, ctx)).toBeUndefined();
    expect(kubernetesOutputs("kubernetes:helm.sh/v4:Chart", "c", {}, ctx)).toBeUndefined();
    expect(kubernetesOutputs("kubernetes:core/v1:ConfigMapList", "l", {}, ctx)).toBeUndefined();
    expect(kubernetesOutputs("gcp:certificatemanager/trustConfig:TrustConfig", "t", {}, ctx)).toBeUndefined();
    expect(kubernetesOutputs("pulumi:providers:kubernetes", "p", {}, ctx)).toBeUndefined();
  });

  it("auto-names into the default namespace and ids as namespace/name", () => {
    const type = "kubernetes:core/v1:ConfigMap";
    const { id, state } = k8s(type, "Trust-Bundle", { data: { "ca.crt": CERT_PEM } });
    const name = `trust-bundle-${suffix("dev", type, "Trust-Bundle")}`;
    expect(id).toBe(`default/${name}`);
    expect(state).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", data: { "ca.crt": CERT_PEM } });
    expect(state.metadata).toMatchObject({
      name,
      namespace: "default",
      annotations: { "pulumi.com/autonamed": "true" },
      creationTimestamp: "2024-01-01T00:00:00Z",
    });
    expect(state.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(state.metadata.resourceVersion).toMatch(/^[1-9][0-9]*$/);
  });

  it("keeps an explicit name and namespace, and secret data as given", () => {
    const { id, state } = k8s("kubernetes:core/v1:Secret", "tls", {
      metadata: { name: "gateway-tls", namespace: "edge", labels: { app: "gw" } },
      type: "kubernetes.io/tls",
      data: { "tls.crt": "Y3J0" },
      stringData: { "tls.key": "key" },
    });
    expect(id).toBe("edge/gateway-tls");
    expect(state.metadata.annotations).toBeUndefined();
    expect(state).toMatchObject({
      type: "kubernetes.io/tls",
      data: { "tls.crt": "Y3J0" },
      stringData: { "tls.key": "key" },
    });
    expect(k8s("kubernetes:core/v1:Secret", "s").state.type).toBe("Opaque");
  });

  it("treats Namespace as cluster-scoped", () => {
    const { id, state } = k8s("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "edge", namespace: "x" } });
    expect(id).toBe("edge");
    expect(state.metadata.namespace).toBeUndefined();
    expect(state.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "edge" });
    expect(state.status).toEqual({ phase: "Active" });
  });

  it("allocates a ClusterIP and applies Service defaults", () => {
    const { state } = k8s("kubernetes:core/v1:Service", "api", { spec: { ports: [{ port: 443, name: "https" }] } });
    expect(state.spec.type).toBe("ClusterIP");
    expect(state.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d{1,3}\.\d{1,3}$/);
    expect(state.spec.clusterIPs).toEqual([state.spec.clusterIP]);
    expect(state.spec.ports).toEqual([{ port: 443, name: "https", protocol: "TCP", targetPort: 443 }]);
    const headless = k8s("kubernetes:core/v1:Service", "h", { spec: { clusterIP: "None" } });
    expect(headless.state.spec.clusterIP).toBe("None");
    const lb = k8s("kubernetes:core/v1:Service", "lb", { spec: { type: "LoadBalancer", ports: [{ port: 443 }] } });
    expect(lb.state.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.state.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(lb.state.status.loadBalancer.ingress[0].ip).toMatch(/^34\.120\.\d+\.\d+$/);
  });

  it("handles any CRD token generically, with generation and cluster scope where known", () => {
    const gw = k8s("kubernetes:gateway.networking.k8s.io/v1:Gateway", "external", {
      metadata: { namespace: "edge" },
      spec: { gatewayClassName: "gke-l7-global-external-managed" },
    });
    expect(gw.state).toMatchObject({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway" });
    expect(gw.state.metadata.generation).toBe(1);
    expect(gw.id).toMatch(/^edge\/external-[0-9a-f]{8}$/);

    const grant = k8s("kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant", "g", { metadata: { name: "g" } });
    expect(grant.state.apiVersion).toBe("gateway.networking.k8s.io/v1beta1");
    expect(grant.id).toBe("default/g");

    const cls = k8s("kubernetes:gateway.networking.k8s.io/v1:GatewayClass", "c", { metadata: { name: "mtls" } });
    expect(cls.id).toBe("mtls");

    const policy = k8s("kubernetes:networking.gke.io/v1:GCPBackendPolicy", "p", {
      apiVersion: "networking.gke.io/v1",
      kind: "GCPBackendPolicy",
      metadata: { name: "p", namespace: "edge" },
    });
    expect(policy.id).toBe("edge/p");
    expect(k8s("kubernetes:core/v1:ConfigMap", "c").state.metadata.generation).toBeUndefined();
  });

  it("lets the API server complete generateName", () => {
    const { state } = k8s("kubernetes:core/v1:ConfigMap", "c", { metadata: { generateName: "bundle-" } });
    expect(state.metadata.name).toMatch(/^bundle-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(state.metadata.annotations).toBeUndefined();
  });

  it("is deterministic and does not mutate the inputs", () => {
    const inputs = { metadata: { labels: { a: "b" } }, spec: { ports: [{ port: 80 }] } };
    const snapshot = structuredClone(inputs);
    const first = kubernetesOutputs("kubernetes:core/v1:Service", "s", inputs, ctx);
    expect(kubernetesOutputs("kubernetes:core/v1:Service", "s", inputs, ctx)).toEqual(first);
    expect(inputs).toEqual(snapshot);
    expect(kubernetesOutputs("kubernetes:core/v1:Service", "s", inputs, { ...ctx, seed: "prod" })?.id).not.toBe(
      first?.id,
    );
  });

  it("lists built-in tokens that exist in @pulumi/kubernetes", () => {
    const sdk = fromComponents("@pulumi/kubernetes");
    for (const type of KNOWN_KUBERNETES_TYPES.filter((t) => t.startsWith("kubernetes:core/"))) {
      const kind = type.split(":")[2]!;
      expect(sdk.core.v1[kind].__pulumiType).toBe(type);
    }
  });
});

describe("with pulumi.runtime.setMocks", () => {
  const sdkPulumi: typeof pulumi = fromComponents("@pulumi/pulumi");
  const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

  beforeAll(() => {
    sdkPulumi.runtime.setMocks(
      {
        newResource: (args) =>
          gcpOutputs(args.type, args.name, args.inputs, ctx) ??
          kubernetesOutputs(args.type, args.name, args.inputs, ctx) ?? { id: `${args.name}_id`, state: args.inputs },
        call: (args) => args.inputs,
      },
      "gcp-mtls",
      "dev",
      false,
    );
  });

  it("wires Certificate Manager resources with provider-shaped ids", async () => {
    const gcpSdk = fromComponents("@pulumi/gcp");
    const map = new gcpSdk.certificatemanager.CertificateMap("edge-map", {});
    const cert = new gcpSdk.certificatemanager.Certificate("api-cert", {
      selfManaged: { pemCertificate: CERT_PEM, pemPrivateKey: "key" },
    });
    const entry = new gcpSdk.certificatemanager.CertificateMapEntry("api", {
      map: map.name,
      certificates: [cert.id],
      hostname: "api.example.com",
    });
    const [mapName, certId, entryId, certificates, sans] = await Promise.all([
      value<string>(map.name),
      value<string>(cert.id),
      value<string>(entry.id),
      value<string[]>(entry.certificates),
      value<string[]>(cert.sanDnsnames),
    ]);
    expect(mapName).toMatch(/^edge-map-[0-9a-f]{7}$/);
    expect(certId).toMatch(/^projects\/acme-dev\/locations\/global\/certificates\/api-cert-[0-9a-f]{7}$/);
    expect(entryId).toMatch(
      new RegExp(
        `^projects/acme-dev/locations/global/certificateMaps/${mapName}/certificateMapEntries/api-[0-9a-f]{7}$`,
      ),
    );
    expect(certificates).toEqual([certId]);
    expect(sans).toEqual(["api.example.com", "*.api.example.com"]);
  });

  it("wires Kubernetes resources with namespace/name ids", async () => {
    const k8sSdk = fromComponents("@pulumi/kubernetes");
    const ns = new k8sSdk.core.v1.Namespace("edge", {});
    const cm = new k8sSdk.core.v1.ConfigMap("bundle", { metadata: { namespace: ns.metadata.name } });
    const [nsName, cmId] = await Promise.all([value<string>(ns.metadata.name), value<string>(cm.id)]);
    expect(nsName).toMatch(/^edge-[0-9a-f]{8}$/);
    expect(cmId).toMatch(new RegExp(`^${nsName}/bundle-[0-9a-f]{8}$`));
  });
});
