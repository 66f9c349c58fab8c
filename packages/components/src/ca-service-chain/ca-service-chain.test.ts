import * as crypto from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  createCertificateRequest,
  inspectCertificate,
  mtlsHandshake,
  requestCaServiceCertificate,
  setupMocks,
  type MockEnvironment,
  type RecordedResource,
} from "@gcp-mtls/testing";
import { rule } from "@gcp-mtls/rules";
import { thrownBy } from "../internal/__fixtures__/thrown";
import { SecureWebProxyMtls } from "../secure-web-proxy-mtls";
import { CaServiceChain, gkeWorkloadIdentity, managedWorkloadIdentity, type CaServiceChainArgs } from "./index";

// A PKI in Certificate Authority Service: no private key in Pulumi state, workloads request their certificates with
// their own keys, and every component takes it as a trust source (rules gcp.privateca.issuance-policy,
// gcp.privateca.certificate-tier, gcp.privateca.authority.lifecycle).
const T = {
  pool: "gcp:certificateauthority/caPool:CaPool",
  authority: "gcp:certificateauthority/authority:Authority",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
};
const PAY = "spiffe://bank.example/ns/payments/sa/processor";

let env: MockEnvironment;
let warnings: string[];
beforeAll(async () => {
  env = await setupMocks({ gcpProject: "bank-prod" });
  warnings = [];
  jest.spyOn(pulumi.log, "warn").mockImplementation(async (m: string) => void warnings.push(m));
});

const base = (overrides: Partial<CaServiceChainArgs> = {}): CaServiceChainArgs => ({
  location: "us-central1",
  root: { subject: { commonName: "Bank Workload Root CA", organization: "Bank" } },
  issuing: { subject: { commonName: "Bank Workload Issuing CA", organization: "Bank" } },
  issuancePolicy: { uriPrefixes: ["spiffe://bank.example/"], dnsSuffixes: [".bank.internal"] },
  ...overrides,
});

async function childrenOf(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
  await env.settled();
  return env.children(await awaitOutput(component.urn));
}

/** A workload's own key and CSR: the key never leaves the test (the workload). */
function workloadCsr(uri: string) {
  const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    pemCsr: createCertificateRequest({ commonName: "processor" }, privateKey, { uris: [uri] }),
  };
}

describe("CaServiceChain: the bank's production PKI", () => {
  let pki: CaServiceChain;
  let children: RecordedResource[];
  beforeAll(async () => {
    pki = new CaServiceChain("workloads", base());
    children = await childrenOf(pki);
  });

  it("creates a root pool and CA, and an issuing pool and subordinate CA, all parented and protected", () => {
    expect(children.map((c) => `${c.type} ${c.name}`).sort()).toEqual(
      [
        `${T.authority} workloads-issuing`,
        `${T.authority} workloads-root`,
        `${T.pool} workloads-issuing-pool`,
        `${T.pool} workloads-root-pool`,
      ].sort(),
    );
    const root = env.byName("workloads-root");
    const issuing = env.byName("workloads-issuing");
    for (const ca of [root, issuing]) {
      expect(ca.inputs.deletionProtection).toBe(true);
      expect(ca.inputs.keySpec).toEqual({ algorithm: "EC_P256_SHA256" });
      expect(ca.inputs.certificateAuthorityId).toMatch(/^workloads-(root|issuing)-[0-9a-f]{8}$/);
    }
    expect(root.inputs.type).toBe("SELF_SIGNED");
    expect(issuing.inputs.type).toBe("SUBORDINATE");
    expect(issuing.inputs.subordinateConfig.certificateAuthority).toBe(root.outputs.name);
    expect(issuing.inputs.config.x509Config.caOptions).toEqual({
      isCa: true,
      maxIssuerPathLength: 0,
      zeroMaxIssuerPathLength: true,
    });
    expect(env.byName("workloads-root-pool").inputs.tier).toBe("ENTERPRISE");
    expect(env.byName("workloads-issuing-pool").inputs.tier).toBe("ENTERPRISE");
    expect(env.failures).toEqual([]);
    // No private key anywhere in state: not an input, not an output.
    for (const c of children) expect(JSON.stringify([c.inputs, c.outputs])).not.toContain("PRIVATE KEY");
  });

  it("pins the SANs the issuing pool may issue to the trust domain (CEL)", () => {
    const policy = env.byName("workloads-issuing-pool").inputs.issuancePolicy;
    expect(policy.identityConstraints.celExpression.expression).toBe(
      'subject_alt_names.size() > 0 && subject_alt_names.all(san, (san.type == URI && san.value.startsWith("spiffe://bank.example/")) || (san.type == DNS && san.value.endsWith(".bank.internal")))',
    );
    expect(policy.maximumLifetime).toBe("2592000s");
    expect(policy.baselineValues.caOptions).toEqual({ isCa: false });
  });

  it("is a real two-level chain: the issuing CA is signed by the root, with pathlen 0", async () => {
    const root = inspectCertificate(await awaitOutput(pki.rootCertificatePem));
    const [issuingPem] = await awaitOutput(pki.intermediateCertificatePems);
    const issuing = inspectCertificate(issuingPem!);
    expect(root.subjectText).toBe("O=Bank, CN=Bank Workload Root CA");
    expect(root.selfIssued).toBe(true);
    expect(issuing.issuerText).toBe(root.subjectText);
    expect(issuing.basicConstraints).toMatchObject({ ca: true, pathLength: 0 });
    expect(issuing.keyUsage).toEqual(expect.arrayContaining(["cert_signing", "crl_signing"]));
  });

  it("is a trust source like CertificateChain: the proxy's TrustConfig holds its root and issuing CA", async () => {
    const swp = new SecureWebProxyMtls("egress", {
      region: "us-central1",
      network: "projects/bank-prod/global/networks/egress",
      subnetwork: "projects/bank-prod/regions/us-central1/subnetworks/workloads",
      trust: { chain: pki },
      serverCertificateIds: ["projects/bank-prod/locations/us-central1/certificates/swp"],
      allow: { payments: { identity: PAY, hosts: ["api.bank-gateway.example"] } },
    });
    const trust = (await childrenOf(swp)).find((c) => c.type === T.trustConfig)!;
    const store = trust.inputs.trustStores[0];
    expect(store.trustAnchors.map((a: any) => a.pemCertificate)).toEqual([await awaitOutput(pki.rootCertificatePem)]);
    expect(store.intermediateCas.map((a: any) => a.pemCertificate)).toEqual(
      await awaitOutput(pki.intermediateCertificatePems),
    );
    expect(env.failures).toEqual([]);
  });

  it("issues a workload's own key a certificate the proxy verifies, and refuses an identity outside the domain", async () => {
    const pool = await awaitOutput(pki.issuingPoolId);
    const workload = workloadCsr(PAY);
    const issued = await requestCaServiceCertificate({ pool, pemCsr: workload.pemCsr });
    const leaf = inspectCertificate(issued.pemCertificate);
    expect(leaf.sans.uri).toEqual([PAY]);
    expect(leaf.basicConstraints?.ca ?? false).toBe(false);
    const result = await mtlsHandshake({
      trustAnchors: [await awaitOutput(pki.rootCertificatePem)],
      intermediates: await awaitOutput(pki.intermediateCertificatePems),
      client: {
        certificatePem: issued.pemCertificate,
        privateKeyPem: workload.privateKeyPem,
        chainPems: [issued.pemCertificateChain[0]!],
      },
    });
    expect(result).toMatchObject({ accepted: true, verified: true });
    expect(result.identity?.uriSans).toEqual([PAY]);
    await expect(
      requestCaServiceCertificate({ pool, pemCsr: workloadCsr("spiffe://evil.example/ns/x/sa/y").pemCsr }),
    ).rejects.toThrow(/^FAILED_PRECONDITION: the request violates the identity constraints of CA pool /);
  });
});

describe("managed workload identities for Compute Engine (rule gcp.iam.workload-identity-pool)", () => {
  let pki: CaServiceChain;
  let children: RecordedResource[];
  const TD = "bank-vms.global.123456789012.workload.id.goog";
  beforeAll(async () => {
    pki = new CaServiceChain(
      "vms",
      base({ computeWorkloadIdentities: { poolId: "bank-vms", projectNumber: "123456789012" } }),
    );
    children = await childrenOf(pki);
  });

  it("creates a trust-domain pool issuing from the issuing pool of its region, and grants it what it needs", () => {
    const pool = children.find((c) => c.type === "gcp:iam/workloadIdentityPool:WorkloadIdentityPool")!;
    expect(pool.name).toBe("vms-workload-identity-pool");
    expect(pool.inputs).toMatchObject({
      workloadIdentityPoolId: "bank-vms",
      mode: "TRUST_DOMAIN",
      inlineCertificateIssuanceConfig: {
        caPools: { "us-central1": env.byName("vms-issuing-pool").id },
        lifetime: "86400s",
        rotationWindowPercentage: 50,
        keyAlgorithm: "ECDSA_P256",
      },
    });
    const grants = children.filter((c) => c.type === "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember");
    expect(grants.map((g) => [g.name, g.inputs.role, g.inputs.member])).toEqual([
      [
        "vms-workload-identities-requester",
        "roles/privateca.workloadCertificateRequester",
        "principalSet://iam.googleapis.com/projects/123456789012/name/locations/global/workloadIdentityPools/bank-vms/*",
      ],
      [
        "vms-workload-identities-reader",
        "roles/privateca.poolReader",
        "principalSet://iam.googleapis.com/projects/123456789012/name/locations/global/workloadIdentityPools/bank-vms/*",
      ],
    ]);
    for (const g of grants) expect(g.inputs.caPool).toBe(env.byName("vms-issuing-pool").id);
    expect(env.failures).toEqual([]);
  });

  it("adds the trust domain to the issuance policy, so a VM's managed identity is issued", async () => {
    expect(pki.workloadTrustDomainValue).toBe(TD);
    expect(env.byName("vms-issuing-pool").inputs.issuancePolicy.identityConstraints.celExpression.expression).toContain(
      `san.value.startsWith("spiffe://${TD}/")`,
    );
    const identity = managedWorkloadIdentity(TD, "payments", "processor");
    expect(identity).toBe(`spiffe://${TD}/ns/payments/sa/processor`);
    const issued = await requestCaServiceCertificate({
      pool: await awaitOutput(pki.issuingPoolId),
      pemCsr: workloadCsr(identity).pemCsr,
    });
    expect(inspectCertificate(issued.pemCertificate).sans.uri).toEqual([identity]);
  });

  it("looks the project number up when it is not given", async () => {
    const looked = new CaServiceChain("vms2", base({ computeWorkloadIdentities: { poolId: "bank-vms2" } }));
    await childrenOf(looked);
    expect(looked.workloadTrustDomainValue).toBeUndefined();
    expect(await awaitOutput(looked.workloadTrustDomain!)).toMatch(/^bank-vms2\.global\.\d+\.workload\.id\.goog$/);
  });
});

describe("the certificateauthority.Certificate resource, emulated (rules gcp.privateca.issuance-policy, gcp.privateca.certificate-tier)", () => {
  it("issues a real leaf for a CSR, chained to the issuing CA and the root; a forbidden SAN fails the create", async () => {
    const pki = new CaServiceChain("res", base());
    await childrenOf(pki);
    const ok = new gcp.certificateauthority.Certificate("res-cert-ok", {
      location: "us-central1",
      pool: pki.issuingPool.name,
      lifetime: "86400s",
      pemCsr: workloadCsr(PAY).pemCsr,
    });
    const bad = new gcp.certificateauthority.Certificate("res-cert-bad", {
      location: "us-central1",
      pool: pki.issuingPool.name,
      pemCsr: workloadCsr("spiffe://evil.example/ns/x/sa/y").pemCsr,
    });
    const pem = await awaitOutput(ok.pemCertificate);
    const leaf = inspectCertificate(pem);
    expect(leaf.sans.uri).toEqual([PAY]);
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(86400 * 1000);
    expect(await awaitOutput(ok.pemCertificateChains)).toEqual([
      ...(await awaitOutput(pki.intermediateCertificatePems)),
      await awaitOutput(pki.rootCertificatePem),
    ]);
    await awaitOutput(bad.urn);
    await env.settled();
    const failure = env.byName("res-cert-bad").failure;
    expect(failure?.phase).toBe("create");
    expect(failure?.message).toMatch(/^FAILED_PRECONDITION: the request violates the identity constraints/);
    expect(failure?.rules).toEqual(["gcp.privateca.issuance-policy"]);
    expect(env.byName("res-cert-ok").failure).toBeUndefined();
  });

  it("fails on a DevOps pool: the resource needs an ENTERPRISE CA", async () => {
    const pool = new gcp.certificateauthority.CaPool("devops-pool", {
      location: "us-central1",
      tier: "DEVOPS",
      publishingOptions: { publishCaCert: false, publishCrl: false },
    });
    new gcp.certificateauthority.Authority("devops-ca", {
      location: "us-central1",
      pool: pool.name,
      certificateAuthorityId: "devops-ca",
      type: "SELF_SIGNED",
      keySpec: { algorithm: "EC_P256_SHA256" },
      config: {
        subjectConfig: { subject: { commonName: "DevOps CA" } },
        x509Config: { caOptions: { isCa: true }, keyUsage: { baseKeyUsage: { certSign: true }, extendedKeyUsage: {} } },
      },
      deletionProtection: false,
    });
    await env.settled();
    const cert = new gcp.certificateauthority.Certificate("devops-cert", {
      location: "us-central1",
      pool: pool.name,
      pemCsr: workloadCsr(PAY).pemCsr,
    });
    await awaitOutput(cert.urn);
    await env.settled();
    expect(env.byName("devops-cert").failure?.rules).toEqual(["gcp.privateca.certificate-tier"]);
  });
});

describe("request your own, confined to its own identities (rule gcp.privateca.requester-confinement)", () => {
  const PROCESSOR = "serviceAccount:processor@bank-prod.iam.gserviceaccount.com";
  const RESEARCH = "spiffe://bank.example/ns/agents/sa/research";
  let pki: CaServiceChain;
  let children: RecordedResource[];
  beforeAll(async () => {
    pki = new CaServiceChain(
      "req",
      base({ certificateRequesters: { payments: { member: PROCESSOR, identities: [PAY, "pay.bank.internal"] } } }),
    );
    children = await childrenOf(pki);
  });

  it("creates a template pinning its SANs, templateUser on it, and a pool grant conditioned on naming it", () => {
    const template = children.find((c) => c.name === "req-template-payments")!;
    expect(template.type).toBe("gcp:certificateauthority/certificateTemplate:CertificateTemplate");
    expect(template.inputs.identityConstraints).toEqual({
      allowSubjectPassthrough: true,
      allowSubjectAltNamesPassthrough: true,
      celExpression: {
        title: "The SANs of payments",
        expression: `subject_alt_names.size() > 0 && subject_alt_names.all(san, (san.type == URI && san.value == "${PAY}") || (san.type == DNS && san.value == "pay.bank.internal"))`,
      },
    });
    const user = children.find((c) => c.name === "req-template-user-payments")!;
    expect([user.type, user.inputs.role, user.inputs.member, user.inputs.certificateTemplate]).toEqual([
      "gcp:certificateauthority/certificateTemplateIamMember:CertificateTemplateIamMember",
      "roles/privateca.templateUser",
      PROCESSOR,
      template.id,
    ]);
    const grant = children.find((c) => c.name === "req-requester-payments")!;
    expect([grant.inputs.role, grant.inputs.member, grant.inputs.caPool]).toEqual([
      "roles/privateca.certificateRequester",
      PROCESSOR,
      env.byName("req-issuing-pool").id,
    ]);
    expect(grant.inputs.condition.expression).toBe(
      `api.getAttribute('privateca.googleapis.com/template', '') == 'bank-prod/-/${template.outputs.name}'`,
    );
  });

  it("issues its own identity with its template, and refuses another identity, or a request without the template", async () => {
    const pool = env.byName("req-issuing-pool").id!;
    const certificateTemplate = await awaitOutput(pki.requesterTemplateIds.payments!);
    const ask = (uri: string, withTemplate: boolean) =>
      requestCaServiceCertificate({
        pool,
        pemCsr: workloadCsr(uri).pemCsr,
        requester: PROCESSOR,
        ...(withTemplate ? { certificateTemplate } : {}),
      });
    expect(inspectCertificate((await ask(PAY, true)).pemCertificate).sans.uri).toEqual([PAY]);
    // The research agent's identity is within the pool's policy, but not the template's: the processor cannot have it.
    await expect(ask(RESEARCH, true)).rejects.toThrow(/violates the identity constraints of template/);
    // Without the template the grant's condition does not hold: no permission at all.
    await expect(ask(PAY, false)).rejects.toThrow(
      /condition of .* does not hold for this request \(it names no template\)/,
    );
    expect(rule("gcp.privateca.requester-confinement").enforcedBy).toContain("emulator");
    // Another principal has no grant.
    await expect(
      requestCaServiceCertificate({ pool, pemCsr: workloadCsr(PAY).pemCsr, requester: "user:mallory@evil.example" }),
    ).rejects.toThrow(/lacks privateca.certificates.create/);
  });
});

describe("CaServiceChain arguments, before any resource", () => {
  const cases: [string, Partial<CaServiceChainArgs>, string][] = [
    [
      "an issuing pool that pins no SAN",
      { issuancePolicy: {} },
      "`issuancePolicy` pins no SAN: give `uriPrefixes` (e.g. `spiffe://bank.example/`) or `dnsSuffixes` (e.g. `.bank.internal`); an unconstrained issuing pool would issue any identity to anyone allowed to request",
    ],
    [
      "a URI prefix without its slash",
      { issuancePolicy: { uriPrefixes: ["spiffe://bank.example"] } },
      "`issuancePolicy.uriPrefixes[0]` must be a URI prefix ending in `/` such as `spiffe://bank.example/`, got `spiffe://bank.example` (without the slash, `spiffe://bank.example.evil/` would match too)",
    ],
    [
      "a DNS suffix without its dot",
      { issuancePolicy: { dnsSuffixes: ["bank.internal"] } },
      "`issuancePolicy.dnsSuffixes[0]` must be a DNS suffix starting with `.` such as `.bank.internal`, got `bank.internal` (without the dot, `evilbank.internal` would match too)",
    ],
    [
      "a DevOps issuing pool",
      { issuing: { subject: { commonName: "Issuing" }, tier: "DEVOPS" } },
      "`issuing.tier` is `DEVOPS`, which stores no certificates: they cannot be listed or revoked, and the `certificateauthority.Certificate` resource needs an ENTERPRISE CA; use `ENTERPRISE`",
    ],
    [
      "an unknown key algorithm",
      { root: { subject: { commonName: "Root" }, keyAlgorithm: "EC_P224" as never } },
      "`root.keyAlgorithm` must be one of EC_P256_SHA256, EC_P384_SHA384, RSA_PKCS1_3072_SHA256, RSA_PKCS1_4096_SHA256, got `EC_P224`",
    ],
    [
      "a lifetime in days",
      { root: { subject: { commonName: "Root" }, lifetime: "3650d" } },
      "`root.lifetime` must be a whole number of seconds such as `315360000s`, got `3650d`",
    ],
    [
      "a workload certificate lifetime over 30 days",
      { computeWorkloadIdentities: { poolId: "bank-vms", lifetime: "5184000s" } },
      "`computeWorkloadIdentities.lifetime` must be `86400s` (1 day) to `2592000s` (30 days), got `5184000s`",
    ],
    [
      "a rotation window outside 50-80",
      { computeWorkloadIdentities: { poolId: "bank-vms", rotationWindowPercentage: 90 } },
      "`computeWorkloadIdentities.rotationWindowPercentage` must be a whole number from 50 to 80, got `90`",
    ],
    [
      "a reserved pool id",
      { computeWorkloadIdentities: { poolId: "gcp-vms" } },
      "`computeWorkloadIdentities.poolId` must be 4-32 lowercase letters, digits and `-`, not starting with `gcp-`, got `gcp-vms`",
    ],
    [
      "a requester key that names nothing stable",
      { certificateRequesters: { "Payments Team": { member: "user:a@b.example", identities: [PAY] } } },
      "`certificateRequesters.Payments Team` is no stable key: use lowercase letters, digits and `-` (at most 30); it names the grant",
    ],
    [
      "an unconfined requester",
      { certificateRequesters: { payments: { member: "user:a@b.example", identities: [] } } },
      "`certificateRequesters.payments.identities` is empty: list the SANs this principal may request (an unconfined requester could ask for any identity the pool issues)",
    ],
    [
      "a requester identity the pool would refuse",
      { certificateRequesters: { payments: { member: "user:a@b.example", identities: ["spiffe://evil.example/x"] } } },
      "`certificateRequesters.payments.identities[0]` `spiffe://evil.example/x` is outside the issuance policy (`spiffe://bank.example/`, `.bank.internal`): the pool would refuse it",
    ],
    [
      "a global location",
      { location: "global" },
      "`location` must be a Google Cloud region such as `us-central1`, got `global`; this resource is regional",
    ],
  ];
  let bad = 0;
  it.each(cases)("refuses %s", async (...row) => {
    const [, overrides, message] = row;
    const name = `bad-pki-${bad++}`;
    const error = thrownBy(() => new CaServiceChain(name, base(overrides)));
    expect(error.problems.map((p) => `\`${p.path}\` ${p.message}`)).toContain(message);
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith(`${name}-`))).toEqual([]);
  });

  it("names the rules behind the upstream constraints", () => {
    const error = thrownBy(
      () =>
        new CaServiceChain(
          "bad-rules",
          base({ issuing: { subject: { commonName: "I" }, tier: "DEVOPS" }, issuancePolicy: {} }),
        ),
    );
    expect(error.problems.map((p) => p.rule)).toEqual([
      "gcp.privateca.certificate-tier",
      "gcp.privateca.issuance-policy",
    ]);
  });

  it("warns when the CAs can be destroyed, and passes that on", async () => {
    const pki = new CaServiceChain("lab", base({ deletionProtection: false }));
    await childrenOf(pki);
    expect(env.byName("lab-root").inputs.deletionProtection).toBe(false);
    expect(warnings.some((w) => w.startsWith("deletionProtection is false"))).toBe(true);
  });
});

describe("the emulated CA Service lifecycle (rule gcp.privateca.authority.lifecycle)", () => {
  it("activates and enables the subordinate CA it signed", async () => {
    await env.settled();
    expect(env.byName("workloads-issuing").outputs.state).toBe("ENABLED");
    expect(env.byName("workloads-issuing").outputs.pemCaCertificates).toHaveLength(2);
    expect(rule("gcp.privateca.authority.lifecycle").sources).toContain(
      "https://github.com/GoogleCloudPlatform/magic-modules/blob/main/mmv1/templates/terraform/post_create/privateca_certificate_authority.go.tmpl",
    );
  });
});

describe("Certificate Manager issuance: server certificates with no key in state (rules gcp.certificatemanager.certificate-issuance-config, gcp.certificatemanager.private-issuance)", () => {
  it("creates an issuance config per location on the issuing pool and grants Certificate Manager's agent; a managed certificate is issued by the pool", async () => {
    const pki = new CaServiceChain("servers", {
      ...base(),
      certificateManagerIssuance: { locations: ["global", "us-central1"] },
    });
    const children = await childrenOf(pki);
    const configs = children.filter(
      (c) => c.type === "gcp:certificatemanager/certificateIssuanceConfig:CertificateIssuanceConfig",
    );
    expect(
      configs.map((c) => [
        c.name,
        c.inputs.location,
        c.inputs.keyAlgorithm,
        c.inputs.lifetime,
        c.inputs.rotationWindowPercentage,
      ]),
    ).toEqual([
      ["servers-issuance-global", "global", "ECDSA_P256", "2592000s", 66],
      ["servers-issuance-us-central1", "us-central1", "ECDSA_P256", "2592000s", 66],
    ]);
    const pool = children.find((c) => c.name === "servers-issuing-pool")!;
    for (const c of configs)
      expect(c.inputs.certificateAuthorityConfig.certificateAuthorityServiceConfig.caPool).toBe(pool.id);
    const grant = children.find((c) => c.name === "servers-certificate-manager-requester")!;
    expect([grant.inputs.role, grant.inputs.member]).toEqual([
      "roles/privateca.certificateRequester",
      expect.stringMatching(/^serviceAccount:service-\d{12}@gcp-sa-certificatemanager\.iam\.gserviceaccount\.com$/),
    ]);
    // A private Google-managed certificate: issued by the pool for an allowed domain, refused for another.
    const ok = new gcp.certificatemanager.Certificate("srv-ok", {
      location: "us-central1",
      managed: { domains: ["api.bank.internal"], issuanceConfig: pki.issuanceConfigIds["us-central1"]! },
    });
    const bad = new gcp.certificatemanager.Certificate("srv-bad", {
      location: "us-central1",
      managed: { domains: ["api.evil.example"], issuanceConfig: pki.issuanceConfigIds["us-central1"]! },
    });
    await env.settled();
    expect((await awaitOutput(ok.managed))?.state).toBe("ACTIVE");
    const refused = await awaitOutput(bad.managed);
    expect([refused?.state, refused?.provisioningIssues?.[0]?.reason]).toEqual(["FAILED", "CA_SERVICE_REFUSED"]);
    expect(rule("gcp.certificatemanager.private-issuance").enforcedBy).toEqual(["emulator"]);
    // The proxy's own certificate, the same way (no key in state).
    const swp = new SecureWebProxyMtls("srv-egress", {
      region: "us-central1",
      network: "projects/bank-prod/global/networks/egress",
      subnetwork: "projects/bank-prod/regions/us-central1/subnetworks/workloads",
      trust: { chain: pki },
      privateServerCertificate: {
        domains: ["swp.bank.internal"],
        issuanceConfig: pki.issuanceConfigIds["us-central1"]!,
      },
      allow: { payments: { identity: PAY, hosts: ["api.bank-gateway.example"] } },
    });
    const cert = (await childrenOf(swp)).find((c) => c.name === "srv-egress-server-cert")!;
    expect(cert.inputs.selfManaged).toBeUndefined();
    expect(cert.inputs.managed.domains).toEqual(["swp.bank.internal"]);
    expect(cert.outputs.managed.state).toBe("ACTIVE");
    expect(
      thrownBy(
        () =>
          new SecureWebProxyMtls("srv-far", {
            region: "us-central1",
            network: "projects/bank-prod/global/networks/egress",
            subnetwork: "projects/bank-prod/regions/us-central1/subnetworks/workloads",
            trust: { chain: pki },
            privateServerCertificate: {
              domains: ["swp.bank.internal"],
              issuanceConfig: "projects/bank-prod/locations/global/certificateIssuanceConfigs/x",
            },
            allow: { payments: { identity: PAY, hosts: ["api.bank-gateway.example"] } },
          }),
      ).message,
    ).toBe(
      "CertificateIssuanceConfig `privateServerCertificate.issuanceConfig` location `global` must equal the proxy region `us-central1`; use one in us-central1 (got `projects/bank-prod/locations/global/certificateIssuanceConfigs/x`)",
    );
  });

  it.each([
    [{ locations: ["europe-west1"] }, "certificateManagerIssuance.locations[0]"],
    [{ lifetime: "86400s" }, "certificateManagerIssuance.lifetime"],
    [{ rotationWindowPercentage: 90 }, "certificateManagerIssuance.rotationWindowPercentage"],
    [{ keyAlgorithm: "ECDSA_P384" }, "certificateManagerIssuance.keyAlgorithm"],
  ])("refuses %j at %s", (cm, path) => {
    expect(
      thrownBy(() => new CaServiceChain("bad-cm", { ...base(), certificateManagerIssuance: cm })).message,
    ).toContain(`\`${path}\``);
  });
});

describe("CA rotation arguments (rule gcp.privateca.authority.desired-state)", () => {
  const next = {
    root: { subject: { commonName: "Bank Workload Root CA g2" } },
    issuing: { subject: { commonName: "Bank Workload Issuing CA g2" } },
  };
  it.each([
    [{ generation: "root", phase: "STAGED" }, "rotation.generation"],
    [{ generation: "g2", phase: "LATER" }, "rotation.phase"],
    [{ generation: "g2", phase: "STAGED", root: { ...next.root, tier: "DEVOPS" } }, "rotation.root.tier"],
  ])("refuses %j at %s", (rotation, path) => {
    expect(
      thrownBy(() => new CaServiceChain("bad-rotation", { ...base(), rotation: { ...next, ...rotation } as any }))
        .message,
    ).toContain(`\`${path}\``);
  });

  it("stages the next generation in the same pools and trusts it only from TRUSTED", async () => {
    const staged = new CaServiceChain("rot-staged", {
      ...base(),
      rotation: { ...next, generation: "g2", phase: "STAGED" },
    });
    const trusted = new CaServiceChain("rot-trusted", {
      ...base(),
      rotation: { ...next, generation: "g2", phase: "TRUSTED" },
    });
    const kids = await childrenOf(staged);
    expect(
      kids
        .filter((c) => c.type === T.authority)
        .map((c) => [c.name, c.inputs.desiredState])
        .sort(),
    ).toEqual([
      ["rot-staged-issuing", "ENABLED"],
      ["rot-staged-issuing-g2", "STAGED"],
      ["rot-staged-root", "ENABLED"],
      ["rot-staged-root-g2", "STAGED"],
    ]);
    expect(Object.keys(staged.rotationTrustAnchorPems)).toEqual([]);
    expect(Object.keys(trusted.rotationTrustAnchorPems)).toEqual(["g2"]);
    expect(await awaitOutput(trusted.intermediateCertificatePems)).toHaveLength(2);
  });
});

describe("managed workload identities for GKE (rule gcp.iam.workload-identity-pool)", () => {
  let pki: CaServiceChain;
  let children: RecordedResource[];
  beforeAll(async () => {
    pki = new CaServiceChain(
      "pods",
      base({ gkeWorkloadIdentities: { projectId: "bank-prod", projectNumber: "123456789012" } }),
    );
    children = await childrenOf(pki);
  });

  it("grants the fleet's pool createForSelf and poolReader on the issuing pool, and admits its trust domain", async () => {
    const grants = children.filter((c) => c.name.startsWith("pods-gke-identities-"));
    const member =
      "principal://iam.googleapis.com/projects/123456789012/name/locations/global/workloadIdentityPools/bank-prod.svc.id.goog";
    expect(grants.map((g) => [g.name, g.inputs.role, g.inputs.member])).toEqual([
      ["pods-gke-identities-requester", "roles/privateca.workloadCertificateRequester", member],
      ["pods-gke-identities-reader", "roles/privateca.poolReader", member],
    ]);
    expect(pki.gkeTrustDomain).toBe("bank-prod.svc.id.goog");
    expect(await awaitOutput(pki.issuanceCelExpression)).toContain(
      'san.value.startsWith("spiffe://bank-prod.svc.id.goog/")',
    );
  });

  it("issues a Pod its reflected SPIFFE id (whatever the CSR asks), and nothing to another pool's workloads", async () => {
    const pool = env.byName("pods-issuing-pool").id!;
    const spiffeId = gkeWorkloadIdentity("bank-prod", "payments", "processor");
    expect(spiffeId).toBe("spiffe://bank-prod.svc.id.goog/ns/payments/sa/processor");
    const issued = await requestCaServiceCertificate({
      pool,
      pemCsr: workloadCsr("spiffe://bank.example/ns/agents/sa/research").pemCsr,
      reflectedFor: {
        spiffeId,
        workloadIdentityPool: "projects/123456789012/locations/global/workloadIdentityPools/bank-prod.svc.id.goog",
      },
    });
    expect(inspectCertificate(issued.pemCertificate).sans.uri).toEqual([spiffeId]);
    await expect(
      requestCaServiceCertificate({
        pool,
        pemCsr: workloadCsr(spiffeId).pemCsr,
        reflectedFor: {
          spiffeId: "spiffe://other.svc.id.goog/ns/x/sa/y",
          workloadIdentityPool: "projects/999999999999/locations/global/workloadIdentityPools/other.svc.id.goog",
        },
      }),
    ).rejects.toThrow(/lack privateca.certificates.createForSelf/);
  });
});
