import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  inspectCertificate,
  makeRoot,
  makeSelfSigned,
  setupMocks,
  validateManifest,
  type MockEnvironment,
  type RecordedResource,
} from "@gcp-mtls/testing";
import type { RuleId } from "@gcp-mtls/rules";
import { CertificateChain } from "../certificate-chain";
import { thrownBy } from "../internal/__fixtures__/thrown";
import { GatewayFrontendMtls, type GatewayFrontendMtlsArgs } from "./index";

// The guide's first three sections: a Gateway with server TLS and no client validation (`clientValidation.mode:
// DISABLED`), on every single-cluster GKE class, with each source of server certificates (rule gke.gateway.classes).
const T = {
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  configMap: "kubernetes:core/v1:ConfigMap",
  secret: "kubernetes:core/v1:Secret",
  cert: "gcp:certificatemanager/certificate:Certificate",
  map: "gcp:certificatemanager/certificateMap:CertificateMap",
  entry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  sslCert: "gcp:compute/sSLCertificate:SSLCertificate",
  regionSslCert: "gcp:compute/regionSslCertificate:RegionSslCertificate",
  gcpPolicy: "kubernetes:networking.gke.io/v1:GCPGatewayPolicy",
};

let env: MockEnvironment;
let pki: CertificateChain;
let warnings: string[];
beforeAll(async () => {
  env = await setupMocks({ gcpProject: "shop-prod" });
  pki = new CertificateChain("srv", {
    root: { subject: { commonName: "Store Root" } },
    leaves: { store: { usages: ["server"], dnsNames: ["store.example.com"] } },
  });
  warnings = [];
  jest.spyOn(pulumi.log, "warn").mockImplementation(async (m: string) => void warnings.push(m));
});

async function childrenOf(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
  await env.settled();
  return env.children(await awaitOutput(component.urn));
}

const base = (overrides: Partial<GatewayFrontendMtlsArgs>): GatewayFrontendMtlsArgs => ({
  namespace: "store",
  // The Gateway's name is the component's: one Gateway per name in the emulated cluster, as in a real one.
  gatewayClassName: "gke-l7-global-external-managed",
  listeners: [{ name: "https", hostname: "store.example.com" }],
  clientValidation: { mode: "DISABLED" },
  ...overrides,
});

/** The Gateway manifest as the Kubernetes provider sends it, checked against the Gateway API schema and CEL. */
async function gatewayOf(children: RecordedResource[]) {
  const gateways = children.filter((c) => c.type === T.gateway);
  expect(gateways).toHaveLength(1);
  const g = gateways[0]!;
  const manifest = {
    apiVersion: g.inputs.apiVersion,
    kind: g.inputs.kind,
    metadata: g.inputs.metadata,
    spec: g.inputs.spec,
  };
  expect(await validateManifest(manifest as never)).toEqual([]);
  return manifest as { metadata: any; spec: any };
}

describe("server TLS only (clientValidation.mode DISABLED): the guide's Secret, pre-shared and Certificate Manager Gateways", () => {
  it.each([
    ["gke-l7-global-external-managed", undefined],
    ["gke-l7-gxlb", undefined],
    ["gke-l7-regional-external-managed", "us-central1"],
    ["gke-l7-rilb", "us-central1"],
  ])("a Kubernetes Secret on %s: certificateRefs, no frontend validation, no CA object", async (className, region) => {
    const name = `secret-${className.replace("gke-l7-", "")}`;
    const gw = new GatewayFrontendMtls(name, {
      ...base({ gatewayClassName: className as never, ...(region ? { region } : {}) }),
      tlsSecret: { material: { chain: pki, leaf: "store" } },
    });
    const children = await childrenOf(gw);
    expect(children.map((c) => c.type).sort()).toEqual([T.secret, T.gateway]);
    const gateway = await gatewayOf(children);
    expect(gateway.spec.gatewayClassName).toBe(className);
    expect(gateway.spec.tls).toBeUndefined();
    const secret = children.find((c) => c.type === T.secret)!;
    expect(gateway.spec.listeners).toEqual([
      {
        name: "https",
        protocol: "HTTPS",
        port: 443,
        hostname: "store.example.com",
        tls: {
          mode: "Terminate",
          certificateRefs: [{ kind: "Secret", group: "", name: secret.outputs.metadata.name }],
        },
        allowedRoutes: { namespaces: { from: "Same" } },
      },
    ]);
    for (const key of Object.keys(gateway.metadata.annotations ?? {})) {
      expect(key).not.toMatch(/frontend-trust-config|allow-invalid-or-missing-client-cert/);
    }
    expect(await awaitOutput(gw.clientValidationApplied)).toBe(false);
    // The server certificate in the Secret is the chain's leaf for the listener's hostname.
    const served = inspectCertificate(await awaitOutput(pki.leaves.store!.certificatePem));
    expect(served.sans.dns).toEqual(["store.example.com"]);
  });

  it("a certificate map on the classic global class (gke-l7-gxlb): the map and its entry, the certmap annotation", async () => {
    const gw = new GatewayFrontendMtls("classic", {
      ...base({ gatewayClassName: "gke-l7-gxlb" }),
      certificateManager: { certificates: { store: { material: { chain: pki, leaf: "store" } } } },
    });
    const children = await childrenOf(gw);
    expect(children.map((c) => c.name).sort()).toEqual([
      "classic-cert-map",
      "classic-cert-map-entry-store-example-com",
      "classic-cert-store",
      "classic-gateway",
    ]);
    const gateway = await gatewayOf(children);
    const map = children.find((c) => c.type === T.map)!;
    expect(gateway.metadata.annotations["networking.gke.io/certmap"]).toBe(map.outputs.name);
    expect(children.find((c) => c.type === T.cert)!.inputs.location).toBe("global");
    expect(gateway.spec.tls).toBeUndefined();
  });

  it("regional Certificate Manager certificates on gke-l7-rilb: the cert-manager-certs option", async () => {
    const gw = new GatewayFrontendMtls("internal", {
      ...base({ gatewayClassName: "gke-l7-rilb", region: "us-central1" }),
      certificateManager: { certificates: { store: { material: { chain: pki, leaf: "store" } } } },
    });
    const children = await childrenOf(gw);
    const cert = children.find((c) => c.type === T.cert)!;
    expect(cert.inputs.location).toBe("us-central1");
    const gateway = await gatewayOf(children);
    expect(gateway.spec.listeners[0].tls).toEqual({
      mode: "Terminate",
      options: { "networking.gke.io/cert-manager-certs": cert.outputs.name },
    });
    expect(children.filter((c) => c.type === T.configMap || c.type === T.trustConfig)).toEqual([]);
  });

  it("pre-shared Compute Engine certificates on gke-l7-gxlb, Google-managed ones included (global only)", async () => {
    const gw = new GatewayFrontendMtls("preshared", {
      ...base({ gatewayClassName: "gke-l7-gxlb" }),
      preSharedCertificates: { existingNames: ["store-example-com"], googleManagedNames: ["store-managed"] },
    });
    const gateway = await gatewayOf(await childrenOf(gw));
    expect(gateway.spec.listeners[0].tls).toEqual({
      mode: "Terminate",
      options: { "networking.gke.io/pre-shared-certs": "store-example-com,store-managed" },
    });
  });

  it("warns about nothing: server TLS only is an explicit choice, not a fallback", () => {
    expect(warnings.filter((w) => /fallback|ALLOW_INVALID/.test(w))).toEqual([]);
  });
});

describe("server TLS only: refused before any resource exists", () => {
  const secret = { tlsSecret: { existingSecretName: "store-example-com" } };
  // Built when the table is (before any beforeAll): a CA known at construction.
  const clients = { trustAnchorPems: { clients: makeRoot("Client Root").pem } };
  const cases: [string, GatewayFrontendMtlsArgs, string, RuleId?][] = [
    [
      "mTLS on the classic class",
      base({ ...secret, gatewayClassName: "gke-l7-gxlb", clientValidation: { trust: clients } }),
      "`gatewayClassName` `gke-l7-gxlb` does not support frontend mTLS; use one of gke-l7-global-external-managed, gke-l7-regional-external-managed, gke-l7-rilb, or set `clientValidation.mode` to `DISABLED` for server TLS only",
      "gke.frontend-mtls.classes",
    ],
    [
      "a multi-cluster class",
      base({ ...secret, gatewayClassName: "gke-l7-global-external-managed-mc" as never }),
      "`gatewayClassName` `gke-l7-global-external-managed-mc` is a multi-cluster class, which needs a fleet config cluster and MultiClusterServices that this component does not create; use one of gke-l7-global-external-managed, gke-l7-regional-external-managed, gke-l7-rilb, gke-l7-gxlb",
      "gke.gateway.classes",
    ],
    [
      "an unknown class",
      base({ ...secret, gatewayClassName: "istio" as never }),
      "`gatewayClassName` `istio` is not a GKE GatewayClass this component deploys; use one of gke-l7-global-external-managed, gke-l7-regional-external-managed, gke-l7-rilb, gke-l7-gxlb",
      "gke.gateway.classes",
    ],
    [
      "trust with DISABLED",
      base({ ...secret, clientValidation: { mode: "DISABLED", trust: clients } }),
      "`clientValidation.trust` is set, but `clientValidation.mode` is `DISABLED` (server TLS only: no client certificate is validated); remove it, or validate clients with `REJECT_INVALID`",
    ],
    [
      "a TrustConfig with DISABLED",
      base({ ...secret, clientValidation: { mode: "DISABLED", trustConfig: {} } }),
      "`clientValidation.trustConfig` is set, but `clientValidation.mode` is `DISABLED` (server TLS only: no client certificate is validated); remove it, or validate clients with `REJECT_INVALID`",
    ],
    [
      "validation without trust",
      base({ ...secret, clientValidation: { mode: "REJECT_INVALID" } }),
      "`clientValidation.trust` is required to validate client certificates: set `chain` or `trustAnchorPems`, or set `clientValidation.mode` to `DISABLED` for server TLS only",
    ],
    [
      "a per-port DISABLED",
      base({
        ...secret,
        listeners: [
          { name: "https", hostname: "store.example.com" },
          { name: "alt", port: 8443, hostname: "store.example.com" },
        ],
        clientValidation: { trust: clients, perPort: [{ port: 8443, trust: clients, mode: "DISABLED" }] },
      }),
      "`clientValidation.perPort[0].mode` is `DISABLED`, but a port override validates client certificates; use `REJECT_INVALID`, or `ALLOW_INVALID_OR_MISSING_CLIENT_CERT` while onboarding clients (serve unvalidated ports from another Gateway)",
    ],
    [
      "Compute Google-managed certificates on a regional class",
      base({
        gatewayClassName: "gke-l7-rilb",
        region: "us-central1",
        preSharedCertificates: { googleManagedNames: ["m"] },
      }),
      "`preSharedCertificates.googleManagedNames` names Compute Engine Google-managed certificates, which are global resources that regional load balancers cannot use, but `gke-l7-rilb` is a regional class: use Certificate Manager Google-managed certificates (`certificateManager`) instead",
      "gcp.compute.managed-ssl-certificate",
    ],
  ];
  // Rows of 3 or 4: spread, so a missing rule is not jest's `done` callback.
  it.each(cases)("%s", (...row) => {
    const [, args, message, rule] = row;
    const error = thrownBy(() => new GatewayFrontendMtls("bad", args));
    expect(error.message).toBe(message);
    if (rule) expect(error.problems.map((p) => p.rule)).toContain(rule);
  });
});

describe("Certificate Manager Google-managed certificates with DNS authorization (the guide's A/AAAA step)", () => {
  const T2 = {
    auth: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
    cert: "gcp:certificatemanager/certificate:Certificate",
  };

  it("global: a DnsAuthorization per domain (a wildcard through its parent), a managed certificate, the map entries, and the DNS records to create", async () => {
    const gw = new GatewayFrontendMtls("managed", {
      ...base({
        listeners: [
          { name: "store", hostname: "store.example.com" },
          { name: "shops", hostname: "*.shops.example.com" },
        ],
      }),
      certificateManager: {
        certificates: { public: { googleManaged: { domains: ["store.example.com", "*.shops.example.com"] } } },
      },
    });
    const children = await childrenOf(gw);
    const auths = children.filter((c) => c.type === T2.auth);
    expect(auths.map((a) => [a.name, a.inputs.domain, a.inputs.location])).toEqual([
      ["managed-dns-auth-public-shops-example-com", "shops.example.com", "global"],
      ["managed-dns-auth-public-store-example-com", "store.example.com", "global"],
    ]);
    const cert = children.find((c) => c.type === T2.cert)!;
    expect(cert.inputs.selfManaged).toBeUndefined();
    expect(cert.inputs.managed).toEqual({
      domains: ["store.example.com", "*.shops.example.com"],
      dnsAuthorizations: auths.map((a) => a.id),
    });
    expect(cert.outputs.managed.state).toBe("PROVISIONING");
    expect(
      children
        .filter((c) => c.type === T.entry)
        .map((e) => e.inputs.hostname)
        .sort(),
    ).toEqual(["*.shops.example.com", "store.example.com"]);
    const address = await awaitOutput(gw.address);
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const records = await awaitOutput(gw.dnsRecords);
    expect(records).toEqual([
      {
        name: "_acme-challenge.shops.example.com.",
        type: "CNAME",
        data: expect.stringMatching(/\.authorize\.certificatemanager\.goog\.$/),
      },
      {
        name: "_acme-challenge.store.example.com.",
        type: "CNAME",
        data: expect.stringMatching(/\.authorize\.certificatemanager\.goog\.$/),
      },
      { name: "store.example.com", type: "A", data: address },
      { name: "*.shops.example.com", type: "A", data: address },
    ]);
    // Each CNAME is the live authorization's own record, not one the component made up.
    expect(records.slice(0, 2).map((r) => r.data)).toEqual(auths.map((a) => a.outputs.dnsResourceRecords[0].data));
  });

  it("regional: the authorization and the certificate in the Gateway's region, listed in cert-manager-certs", async () => {
    const gw = new GatewayFrontendMtls("managed-rilb", {
      ...base({ gatewayClassName: "gke-l7-rilb", region: "europe-west1" }),
      certificateManager: { certificates: { internal: { googleManaged: { domains: ["store.example.com"] } } } },
    });
    const children = await childrenOf(gw);
    const auth = children.find((c) => c.type === T2.auth)!;
    expect([auth.inputs.location, auth.outputs.type]).toEqual(["europe-west1", "PER_PROJECT_RECORD"]);
    const cert = children.find((c) => c.type === T2.cert)!;
    expect(cert.inputs.location).toBe("europe-west1");
    const gateway = await gatewayOf(children);
    expect(gateway.spec.listeners[0].tls.options).toEqual({
      "networking.gke.io/cert-manager-certs": cert.outputs.name,
    });
  });

  it("no Google-managed certificate: no DNS record to create", async () => {
    const gw = new GatewayFrontendMtls("self-managed", {
      ...base({}),
      certificateManager: { certificates: { store: { material: { chain: pki, leaf: "store" } } } },
    });
    expect(await awaitOutput(gw.dnsRecords)).toEqual([]);
  });

  it.each([
    [
      "both material and googleManaged",
      { material: { certificatePem: "x", privateKeyPem: "y" }, googleManaged: { domains: ["store.example.com"] } },
      "Exactly one of [certificateManager.certificates.c.material] and [certificateManager.certificates.c.googleManaged] must be set, got both",
    ],
    [
      "no domain",
      { googleManaged: { domains: [] } },
      "`certificateManager.certificates.c.googleManaged.domains` is empty; list the domains the certificate covers",
    ],
    [
      "an invalid domain",
      { googleManaged: { domains: ["store example.com"] } },
      "`certificateManager.certificates.c.googleManaged.domains[0]` `store example.com` has an invalid label `store example`; use a domain such as `store.example.com`",
    ],
  ])("refuses %s", (_label, certificate, message) => {
    const error = thrownBy(
      () =>
        new GatewayFrontendMtls("bad-managed", {
          ...base({}),
          certificateManager: { certificates: { c: certificate as never } },
        }),
    );
    expect(error.message).toBe(message);
  });
});

describe("the guide's self-signed server certificate (openssl x509 -req -signkey, CA:FALSE)", () => {
  it("is accepted as PEMs in a Secret, with its own key", async () => {
    const selfSigned = makeSelfSigned("store.example.com", {
      // The guide's config: basicConstraints CA:FALSE, digitalSignature + keyEncipherment, the host as DNS SAN.
      template: {
        dnsNames: ["store.example.com"],
        basicConstraints: true,
        allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
      },
    });
    const gw = new GatewayFrontendMtls("self-signed", {
      ...base({}),
      tlsSecret: { material: { certificatePem: selfSigned.pem, privateKeyPem: selfSigned.keyPem } },
    });
    const children = await childrenOf(gw);
    const secret = children.find((c) => c.type === T.secret)!;
    expect(secret.inputs.stringData["tls.crt"]).toBe(selfSigned.pem);
    expect(secret.secretInputs).toContain("stringData");
  });
});
