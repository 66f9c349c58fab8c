import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  evaluateAuthzPolicies,
  inspectCertificate,
  makeClient,
  makeRoot,
  mtlsHandshake,
  setupMocks,
  type MockEnvironment,
  type RecordedResource,
  projectNumber,
} from "@gcp-mtls/testing";
import { CertificateChain } from "../certificate-chain";
import { SecureWebProxyMtls, type SecureWebProxyMtlsArgs } from "./index";
import type { RuleId } from "@gcp-mtls/rules";
import { thrownBy } from "../internal/__fixtures__/thrown";

const T = {
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  certificate: "gcp:certificatemanager/certificate:Certificate",
  serverTlsPolicy: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
  gsp: "gcp:networksecurity/gatewaySecurityPolicy:GatewaySecurityPolicy",
  tlsInspection: "gcp:networksecurity/tlsInspectionPolicy:TlsInspectionPolicy",
  authz: "gcp:networksecurity/authzPolicy:AuthzPolicy",
  gateway: "gcp:networkservices/gateway:Gateway",
  caPool: "gcp:certificateauthority/caPool:CaPool",
  authority: "gcp:certificateauthority/authority:Authority",
  iam: "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember",
  agent: "gcp:projects/serviceIdentity:ServiceIdentity",
  metric: "gcp:logging/metric:Metric",
  alert: "gcp:monitoring/alertPolicy:AlertPolicy",
};

const PAY = "spiffe://bank.example/ns/payments/sa/processor";
const AGENT = "spiffe://bank.example/ns/agents/sa/research";
const NETWORK = "projects/bank-prod/global/networks/egress";
const SUBNET = "projects/bank-prod/regions/us-central1/subnetworks/workloads";

let env: MockEnvironment;
let chain: CertificateChain;
beforeAll(async () => {
  env = await setupMocks({ gcpProject: "bank-prod" });
  chain = new CertificateChain("bank", {
    root: { subject: { commonName: "Bank Root CA" } },
    intermediates: [{ key: "workloads", subject: { commonName: "Bank Workload CA" } }],
    leaves: {
      processor: { uris: [PAY], subject: { commonName: "processor" } },
      research: { uris: [AGENT], dnsNames: ["research.agents.bank.example"] },
      bystander: { uris: ["spiffe://bank.example/ns/batch/sa/reports"] },
      proxy: { usages: ["server"], dnsNames: ["swp.bank.internal"] },
    },
  });
});

function base(overrides: Partial<SecureWebProxyMtlsArgs> = {}): SecureWebProxyMtlsArgs {
  return {
    region: "us-central1",
    network: NETWORK,
    subnetwork: SUBNET,
    trust: { chain },
    serverCertificate: { chain, leaf: "proxy" },
    allow: {
      payments: { identity: PAY, hosts: ["api.bank-gateway.example"] },
      research: { identity: AGENT, hosts: ["api.openai.example", "*.models.example"], methods: ["GET", "POST"] },
    },
    ...overrides,
  };
}

async function childrenOf(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
  await env.settled();
  const urn = await awaitOutput(component.urn);
  return env.children(urn);
}

describe("SecureWebProxyMtls: the bank's egress proxy", () => {
  let swp: SecureWebProxyMtls;
  let children: RecordedResource[];
  const one = (type: string) => {
    const found = children.filter((c) => c.type === type);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    swp = new SecureWebProxyMtls("egress", { ...base(), rejectedCertificateAlert: { threshold: 3 } });
    await awaitOutput(swp.gatewayId);
    children = await childrenOf(swp);
  });

  it("creates exactly one of each resource, the CA behind TLS inspection, and a policy per identity", () => {
    expect(children.map((c) => `${c.type} ${c.name}`).sort()).toEqual(
      [
        `${T.trustConfig} egress-trust-config`,
        `${T.serverTlsPolicy} egress-server-tls-policy`,
        `${T.certificate} egress-server-cert`,
        `${T.caPool} egress-tls-ca-pool`,
        `${T.authority} egress-tls-ca`,
        `${T.agent} egress-network-security-agent`,
        `${T.iam} egress-tls-ca-pool-agent`,
        `${T.tlsInspection} egress-tls-inspection`,
        `${T.gsp} egress-policy`,
        `${T.gateway} egress-gateway`,
        `${T.authz} egress-allow-payments`,
        `${T.authz} egress-allow-research`,
        `${T.metric} egress-rejected-client-certs`,
        `${T.alert} egress-rejected-client-certs-alert`,
      ].sort(),
    );
    for (const c of children) expect(c.urn).toContain(`::gcp-mtls:index:SecureWebProxyMtls$${c.type}::${c.name}`);
  });

  it("puts every regional resource in the proxy's region", () => {
    for (const type of [
      T.trustConfig,
      T.serverTlsPolicy,
      T.certificate,
      T.caPool,
      T.authority,
      T.tlsInspection,
      T.gsp,
      T.gateway,
    ]) {
      expect(one(type).inputs.location).toBe("us-central1");
    }
    for (const p of children.filter((c) => c.type === T.authz)) expect(p.inputs.location).toBe("us-central1");
  });

  it("builds the trust config from the chain: the root as anchor, the intermediate as intermediate CA", async () => {
    const store = await awaitOutput(chain.trustStore);
    expect(one(T.trustConfig).inputs.trustStores).toEqual([store]);
    expect(one(T.trustConfig).inputs.allowlistedCertificates).toBeUndefined();
  });

  it("wires the ServerTlsPolicy to the TrustConfig in REJECT_INVALID mode, auto-named so a change replaces it create-first", () => {
    const policy = one(T.serverTlsPolicy);
    const tc = one(T.trustConfig);
    // By project number, as upstream samples pass it: immutable, and not diff-suppressed against the project id.
    expect(policy.inputs.mtlsPolicy).toEqual({
      clientValidationMode: "REJECT_INVALID",
      clientValidationTrustConfig: `projects/${projectNumber(tc.outputs.project)}/locations/us-central1/trustConfigs/${tc.outputs.name}`,
    });
    expect(policy.inputs.name).toBeUndefined();
    expect(policy.outputs.name).toMatch(/^egress-server-tls-policy-[0-9a-f]{7}$/);
    expect(policy.propertyDependencies.mtlsPolicy).toEqual([tc.urn]);
    // location is not immutable upstream: the component makes a change of it a replacement.
    expect(policy.replaceOnChanges).toEqual(["location"]);
    expect(env.invokes.map((i) => i.token)).toContain("gcp:organizations/getProject:getProject");
  });

  it("configures an explicit-mode SECURE_WEB_GATEWAY with the policy, certificate and network", () => {
    const gw = one(T.gateway);
    expect(gw.inputs).toMatchObject({
      type: "SECURE_WEB_GATEWAY",
      routingMode: "EXPLICIT_ROUTING_MODE",
      serverTlsPolicy: one(T.serverTlsPolicy).id,
      gatewaySecurityPolicy: one(T.gsp).id,
      certificateUrls: [one(T.certificate).id],
      network: NETWORK,
      subnetwork: SUBNET,
      ports: [443],
      deleteSwgAutogenRouterOnDestroy: true,
    });
    expect(gw.id).toMatch(/^projects\/bank-prod\/locations\/us-central1\/gateways\/egress-gateway-[0-9a-f]{7}$/);
  });

  it("wires TLS inspection: CA pool → IAM for the Network Security agent → TLS inspection policy → gateway security policy", () => {
    const pool = one(T.caPool);
    expect(pool.inputs).toMatchObject({ tier: "DEVOPS" });
    expect(one(T.authority).inputs).toMatchObject({
      pool: pool.outputs.name,
      type: "SELF_SIGNED",
      deletionProtection: false,
      keySpec: { algorithm: "EC_P256_SHA256" },
    });
    expect(one(T.agent).inputs.service).toBe("networksecurity.googleapis.com");
    expect(one(T.iam).inputs).toEqual({
      caPool: pool.id,
      role: "roles/privateca.certificateManager",
      member: one(T.agent).outputs.member,
    });
    const tls = one(T.tlsInspection);
    expect(tls.inputs.caPool).toBe(pool.id);
    // Ordered after the CA and the grant through the values it reads, not through dependsOn.
    expect([...tls.dependencies].sort()).toEqual([one(T.authority).urn, one(T.iam).urn].sort());
    expect(Object.values(tls.propertyDependencies).flat().sort()).toEqual(
      [one(T.authority).urn, one(T.iam).urn].sort(),
    );
    // "gcp.swp.authz-needs-tls-inspection": the AuthzPolicies take effect only through a gateway security policy
    // that names a TLS inspection policy, and that policy has no GatewaySecurityPolicyRule of its own.
    expect(one(T.gsp).inputs.tlsInspectionPolicy).toBe(tls.id);
    expect(
      children.filter((c) => c.type === "gcp:networksecurity/gatewaySecurityPolicyRule:GatewaySecurityPolicyRule"),
    ).toEqual([]);
  });

  it("exports the TLS inspection CA that intercepted workloads must trust: a real self-signed CA from its inputs", async () => {
    const pem = await awaitOutput(swp.tlsInspectionCaCertificatePem!);
    expect(pem).toBe(one(T.authority).outputs.pemCaCertificates[0]);
    const ca = inspectCertificate(pem);
    expect([ca.subjectText, ca.selfIssued, ca.basicConstraints?.ca, ca.keyUsage]).toEqual([
      "O=gcp-mtls, CN=egress TLS inspection CA",
      true,
      true,
      ["cert_signing", "crl_signing"],
    ]);
    expect([ca.publicKey.algorithm, ca.publicKey.curve]).toEqual(["ECDSA", "P256"]);
    expect(ca.subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
    // `lifetime` 315360000s: ten years from creation.
    expect((ca.notAfter.getTime() - ca.notBefore.getTime()) / 1000).toBe(315360000);
  });

  it("creates the proxy's certificate from the chain's server leaf, key secret", async () => {
    const cert = one(T.certificate);
    const leaf = chain.leaves.proxy!;
    expect(cert.inputs.selfManaged.pemCertificate).toBe(await awaitOutput(leaf.chainPem));
    expect(cert.secretInputs).toContain("selfManaged");
    expect(cert.inputs.scope).toBe("DEFAULT");
  });

  it("authorizes each identity with an exact principal on the gateway, INTERNAL_MANAGED, REQUEST_AUTHZ", () => {
    const payments = env.byName("egress-allow-payments");
    expect(payments.inputs).toMatchObject({
      action: "ALLOW",
      policyProfile: "REQUEST_AUTHZ",
      target: { loadBalancingScheme: "INTERNAL_MANAGED", resources: [one(T.gateway).id] },
    });
    expect(payments.inputs.httpRules).toEqual([
      {
        from: { sources: [{ principals: [{ principalSelector: "CLIENT_CERT_URI_SAN", principal: { exact: PAY } }] }] },
        to: { operations: [{ hosts: [{ exact: "api.bank-gateway.example" }] }] },
      },
    ]);
    expect(env.byName("egress-allow-research").inputs.httpRules[0].to.operations[0]).toEqual({
      hosts: [{ suffix: ".models.example" }, { exact: "api.openai.example" }],
      methods: ["GET", "POST"],
    });
  });

  it("authorizes exactly the identities the chain issued", async () => {
    expect(swp.principals).toEqual({
      "allow-payments": { action: "ALLOW", principalSelector: "CLIENT_CERT_URI_SAN", identity: PAY },
      "allow-research": { action: "ALLOW", principalSelector: "CLIENT_CERT_URI_SAN", identity: AGENT },
    });
    expect(
      Object.values(swp.principals)
        .map((p) => p.identity)
        .sort(),
    ).toEqual([...chain.leaves.processor!.uris, ...chain.leaves.research!.uris].sort());
  });

  it("counts rejected certificates of this gateway by reason and alerts above the threshold", () => {
    const metric = one(T.metric);
    expect(metric.inputs.filter).toBe(
      `resource.type="networkservices.googleapis.com/Gateway" AND resource.labels.gateway_name="${one(T.gateway).outputs.name}" AND resource.labels.location="us-central1" AND jsonPayload.mtls.clientCertError=~"^client_cert_" AND jsonPayload.mtls.clientCertError!="client_cert_validation_not_performed"`,
    );
    expect(metric.inputs.labelExtractors).toEqual({ reason: "EXTRACT(jsonPayload.mtls.clientCertError)" });
    expect(metric.inputs.metricDescriptor).toMatchObject({
      metricKind: "DELTA",
      valueType: "INT64",
      labels: [{ key: "reason", valueType: "STRING" }],
    });
    const condition = one(T.alert).inputs.conditions[0].conditionThreshold;
    expect(condition).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: 3 });
    // One series summed over every reason: the threshold counts all rejections together, as documented.
    expect(condition.aggregations).toEqual([
      { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" },
    ]);
    // Monitoring refuses a metric filter without a resource.type (rule gcp.monitoring.alert-policy.filter-resource-type).
    expect(condition.filter).toBe(
      `resource.type="networkservices.googleapis.com/Gateway" AND metric.type="logging.googleapis.com/user/${metric.outputs.name}"`,
    );
  });

  it("registers its outputs", async () => {
    await env.settled();
    const outputs = env.byName("egress").componentOutputs!;
    expect(outputs.gatewayId).toBe(one(T.gateway).id);
    expect(outputs.trustConfigId).toBe(one(T.trustConfig).id);
    expect(Object.keys(outputs.authzPolicyIds).sort()).toEqual(["allow-payments", "allow-research"]);
  });
});

describe("observability in permissive mode: what was admitted unverified, not 'rejected'", () => {
  it("counts requests admitted without a verified chain, by reason, under its own name", async () => {
    const swp = new SecureWebProxyMtls("onboarding", {
      ...base(),
      clientValidationMode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
      rejectedCertificateAlert: { threshold: 0 },
    });
    const children = await childrenOf(swp);
    const metrics = children.filter((c) => c.type === T.metric);
    expect(metrics.map((m) => m.name)).toEqual(["onboarding-unverified-client-certs"]);
    const gateway = children.find((c) => c.type === T.gateway)!;
    // A permissive proxy refuses nothing: its verdict is the request's mtls.clientCertChainVerified (rule
    // gcp.logging.mtls-request-logs), the reason mtls.clientCertError.
    expect(metrics[0]!.inputs.filter).toBe(
      `resource.type="networkservices.googleapis.com/Gateway" AND resource.labels.gateway_name="${gateway.outputs.name}" AND resource.labels.location="us-central1" AND jsonPayload.mtls.clientCertChainVerified=false`,
    );
    expect(metrics[0]!.inputs.labelExtractors).toEqual({ reason: "EXTRACT(jsonPayload.mtls.clientCertError)" });
    const alert = children.find((c) => c.type === T.alert)!;
    expect(alert.name).toBe("onboarding-unverified-client-certs-alert");
    expect(alert.inputs.documentation.content).toContain("admitting clients without a verified certificate");
    expect(alert.inputs.conditions[0].conditionThreshold.thresholdValue).toBe(0);
    expect(swp.rejectedCertificatesMetric).toBeDefined();
  });

  it("refuses an alert when nothing validates client certificates", () => {
    expect(
      () =>
        new SecureWebProxyMtls("no-validation", {
          ...base(),
          clientValidationMode: "DISABLED",
          trust: undefined,
          allow: undefined,
          rejectedCertificateAlert: {},
        }),
    ).toThrow(
      "`rejectedCertificateAlert` needs client certificates to judge, but client validation is `DISABLED`; remove it or validate clients",
    );
  });
});

describe("offline proof: handshake against the TrustConfig, then the AuthzPolicies", () => {
  let policies: RecordedResource[];
  let trust: { anchors: string[]; intermediates: string[] };

  beforeAll(async () => {
    const swp = new SecureWebProxyMtls("proof", base());
    await awaitOutput(swp.gatewayId);
    const children = await childrenOf(swp);
    policies = children.filter((c) => c.type === T.authz);
    const store = children.find((c) => c.type === T.trustConfig)!.inputs.trustStores[0];
    trust = {
      anchors: store.trustAnchors.map((a: any) => a.pemCertificate),
      intermediates: store.intermediateCas.map((a: any) => a.pemCertificate),
    };
  });

  async function throughProxy(leafKey: string | { certificatePem: string; privateKeyPem: string }, host: string) {
    const client =
      typeof leafKey === "string"
        ? {
            certificatePem: await awaitOutput(chain.leaves[leafKey]!.certificatePem),
            privateKeyPem: await awaitOutput(chain.leaves[leafKey]!.privateKeyPem),
          }
        : leafKey;
    const handshake = await mtlsHandshake({ trustAnchors: trust.anchors, intermediates: trust.intermediates, client });
    const decision = evaluateAuthzPolicies(policies, {
      identity: handshake.identity,
      verified: handshake.verified,
      host,
    });
    return { handshake, decision };
  }

  it("admits each configured identity to its own destination, the principal being what the proxy saw", async () => {
    for (const [leaf, host, role] of [
      ["processor", "api.bank-gateway.example", "allow-payments"],
      ["research", "eu.models.example", "allow-research"],
    ] as const) {
      const { handshake, decision } = await throughProxy(leaf, host);
      expect(handshake).toMatchObject({ accepted: true, verified: true });
      const policy = policies.find((p) => p.name === `proof-${role}`)!;
      expect(handshake.identity!.uriSans).toEqual([
        policy.inputs.httpRules[0].from.sources[0].principals[0].principal.exact,
      ]);
      expect(decision).toMatchObject({ allowed: true, policy: `proof-${role}` });
    }
  });

  it("keeps each identity to its own destinations", async () => {
    expect((await throughProxy("processor", "api.openai.example")).decision.allowed).toBe(false);
    expect((await throughProxy("research", "api.bank-gateway.example")).decision.allowed).toBe(false);
  });

  it("lets a valid certificate of a non-allowed identity handshake but not through", async () => {
    const { handshake, decision } = await throughProxy("bystander", "api.bank-gateway.example");
    expect(handshake).toMatchObject({ accepted: true, verified: true });
    expect(decision).toEqual({ allowed: false, reason: "no ALLOW policy matches (2 evaluated)" });
  });

  it("rejects an impostor from a foreign root claiming the payments identity at the handshake", async () => {
    const impostor = makeClient(makeRoot("Evil Root"), "processor", { template: { uris: [PAY] } });
    const { handshake } = await throughProxy(
      { certificatePem: impostor.pem, privateKeyPem: impostor.keyPem },
      "api.bank-gateway.example",
    );
    // Only the leaf is sent and its issuer is unknown: OpenSSL cannot verify the first certificate.
    expect(handshake).toMatchObject({ accepted: false, verified: false, reason: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
  });
});

describe("splitting identity rules at the AuthzPolicy limits", () => {
  const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${String(i).padStart(2, "0")}.example`);

  it.each([
    [1, 1, ["allow-w"]],
    [10, 1, ["allow-w"]],
    [50, 1, ["allow-w"]],
    [51, 2, ["allow-w", "allow-w-2"]],
  ])("%i hosts → %i policies", async (n, count, roles) => {
    const name = `split-${n}`;
    const swp = new SecureWebProxyMtls(
      name,
      base({
        trust: { trustAnchorPems: { r: makeRoot(`r${n}`).pem } },
        allow: { w: { identity: PAY, hosts: hosts(n) } },
      }),
    );
    expect(Object.keys(swp.authzPolicies)).toEqual(roles);
    const policies = (await childrenOf(swp)).filter((c) => c.type === T.authz);
    expect(policies).toHaveLength(count);
    for (const p of policies) {
      expect(p.inputs.httpRules.length).toBeLessThanOrEqual(5);
      for (const r of p.inputs.httpRules) expect(r.to.operations[0].hosts.length).toBeLessThanOrEqual(10);
    }
    const allHosts = policies.flatMap((p) =>
      p.inputs.httpRules.flatMap((r: any) => r.to.operations[0].hosts.map((h: any) => h.exact)),
    );
    expect(allHosts.sort()).toEqual(hosts(n));
  });

  // Up to 20: two-digit keys (w10…w19) sort apart from one-digit ones; sized for the unit tier (pnpm test < 60 s).
  it.each([1, 5, 6, 20])("%i identities → one policy each, and adding one leaves the others untouched", (n) => {
    const rules = (count: number) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, i) => [
          `w${i}`,
          { identity: `spiffe://ext.example/w${i}`, hosts: [`w${i}.example`] },
        ]),
      );
    const before = new SecureWebProxyMtls(`ids-${n}`, base({ allow: rules(n) }));
    const after = new SecureWebProxyMtls(
      `ids-${n}-plus`,
      base({ allow: { ...rules(n), added: { identity: "spiffe://ext.example/new", hosts: ["new.example"] } } }),
    );
    expect(Object.keys(before.authzPolicies)).toHaveLength(n);
    expect(Object.keys(after.authzPolicies).sort()).toEqual(
      [...Object.keys(before.authzPolicies), "allow-added"].sort(),
    );
    for (const role of Object.keys(before.authzPolicies))
      expect(after.principals[role]).toEqual(before.principals[role]);
  });
});

describe("other modes", () => {
  it("permissive mode warns what it lets through and is what the ServerTlsPolicy says", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    const swp = new SecureWebProxyMtls(
      "onboarding",
      base({ clientValidationMode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT" }),
    );
    await awaitOutput(swp.gatewayId);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("lets every connection through the proxy, including clients with no certificate"),
      swp,
    );
    const policy = (await childrenOf(swp)).find((c) => c.type === T.serverTlsPolicy)!;
    expect(policy.inputs.mtlsPolicy.clientValidationMode).toBe("ALLOW_INVALID_OR_MISSING_CLIENT_CERT");
    warn.mockRestore();
  });

  it("keeps a previous root next to the current one during rotation, and its leaves still handshake", async () => {
    const oldRoot = makeRoot("Bank Root CA 2019");
    const oldLeaf = makeClient(oldRoot, "processor", { template: { uris: [PAY] } });
    const swp = new SecureWebProxyMtls(
      "rotating",
      base({ trust: { chain, trustAnchorPems: { previous: oldRoot.pem } } }),
    );
    await awaitOutput(swp.gatewayId);
    const store = (await childrenOf(swp)).find((c) => c.type === T.trustConfig)!.inputs.trustStores[0];
    expect(store.trustAnchors.map((a: any) => a.pemCertificate)).toEqual([
      await awaitOutput(chain.rootCertificatePem),
      oldRoot.pem,
    ]);
    const result = await mtlsHandshake({
      trustAnchors: store.trustAnchors.map((a: any) => a.pemCertificate),
      client: { certificatePem: oldLeaf.pem, privateKeyPem: oldLeaf.keyPem },
    });
    expect(result).toMatchObject({ accepted: true, verified: true });
  });

  it("allowlists certificates only when asked, and warns", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    const pinned = makeClient(makeRoot("Partner Root"), "partner");
    const swp = new SecureWebProxyMtls("allowlist", base({ allowlistedCertificatePems: [pinned.pem] }));
    await awaitOutput(swp.gatewayId);
    const tc = (await childrenOf(swp)).find((c) => c.type === T.trustConfig)!;
    expect(tc.inputs.allowlistedCertificates).toEqual([{ pemCertificate: pinned.pem }]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("even when expired or not chained to a trust anchor"),
      swp,
    );
    warn.mockRestore();
  });

  it("uses an existing gateway security policy and certificate without creating TLS inspection", async () => {
    const swp = new SecureWebProxyMtls(
      "existing",
      base({
        serverCertificate: undefined,
        serverCertificateIds: ["projects/bank-prod/locations/us-central1/certificates/swp"],
        gatewaySecurityPolicyId: "projects/bank-prod/locations/us-central1/gatewaySecurityPolicies/shared",
      }),
    );
    await awaitOutput(swp.gatewayId);
    const children = await childrenOf(swp);
    expect(children.map((c) => c.type).sort()).toEqual(
      [T.authz, T.authz, T.gateway, T.serverTlsPolicy, T.trustConfig].sort(),
    );
    const gw = children.find((c) => c.type === T.gateway)!;
    expect(gw.inputs.gatewaySecurityPolicy).toBe(
      "projects/bank-prod/locations/us-central1/gatewaySecurityPolicies/shared",
    );
    expect(gw.inputs.certificateUrls).toEqual(["projects/bank-prod/locations/us-central1/certificates/swp"]);
  });

  it("uses an existing CA pool: grants the agent and creates only the TLS inspection policy", async () => {
    const pool = "projects/bank-prod/locations/us-central1/caPools/shared-pool";
    const swp = new SecureWebProxyMtls("pool", base({ tlsInspectionCaPoolId: pool }));
    await awaitOutput(swp.gatewayId);
    const children = await childrenOf(swp);
    expect(children.filter((c) => [T.caPool, T.authority].includes(c.type))).toHaveLength(0);
    expect(children.find((c) => c.type === T.iam)!.inputs.caPool).toBe(pool);
    expect(children.find((c) => c.type === T.tlsInspection)!.inputs.caPool).toBe(pool);
  });

  it("DISABLED creates no trust config or ServerTlsPolicy", async () => {
    const swp = new SecureWebProxyMtls(
      "plain",
      base({ clientValidationMode: "DISABLED", trust: undefined, allow: {} }),
    );
    await awaitOutput(swp.gatewayId);
    const children = await childrenOf(swp);
    expect(children.filter((c) => [T.trustConfig, T.serverTlsPolicy].includes(c.type))).toHaveLength(0);
    expect(children.find((c) => c.type === T.gateway)!.inputs.serverTlsPolicy).toBeUndefined();
  });

  it("deletes a proxy with a fixed address before creating its replacement", async () => {
    const swp = new SecureWebProxyMtls("fixed-ip", base({ addresses: ["10.0.0.10"], ports: [443, 8443] }));
    await awaitOutput(swp.gatewayId);
    const gw = (await childrenOf(swp)).find((c) => c.type === T.gateway)!;
    expect(gw.inputs).toMatchObject({ addresses: ["10.0.0.10"], ports: [443, 8443] });
  });
});

describe("guardrails: refused before any resource exists, with the argument, the value and the fix", () => {
  const rootPem = makeRoot("Guard Root").pem;
  const guardRoot = makeRoot("Guard Root 2");
  const leafPem = makeClient(guardRoot, "leaf-as-anchor").pem;
  const bundle = rootPem + guardRoot.pem;

  const cases: [string, Partial<SecureWebProxyMtlsArgs>, string | RegExp, RuleId?][] = [
    [
      "next-hop routing",
      { routingMode: "NEXT_HOP_ROUTING_MODE" },
      "`routingMode` must be `EXPLICIT_ROUTING_MODE`, got `NEXT_HOP_ROUTING_MODE`; Secure Web Proxy supports frontend mTLS only in explicit proxy routing mode (clients send CONNECT to the proxy)",
      "gcp.swp.explicit-routing",
    ],
    [
      "bad region",
      { region: "global" },
      "`region` must be a Google Cloud region such as `us-central1`, got `global`; this resource is regional",
    ],
    [
      "subnetwork in another region",
      { subnetwork: "projects/bank-prod/regions/us-east1/subnetworks/w" },
      "Subnetwork `subnetwork` location `us-east1` must equal the proxy region `us-central1`; use one in us-central1 (got `projects/bank-prod/regions/us-east1/subnetworks/w`)",
      "gcp.swp.location-alignment",
    ],
    [
      "certificate in another region",
      { serverCertificate: undefined, serverCertificateIds: ["projects/p/locations/us-east1/certificates/c"] },
      "Certificate `serverCertificateIds[0]` location `us-east1` must equal the proxy region `us-central1`; use one in us-central1 (got `projects/p/locations/us-east1/certificates/c`)",
    ],
    [
      "TLS inspection policy in another region",
      { tlsInspectionPolicyId: "projects/p/locations/europe-west1/tlsInspectionPolicies/t" },
      "TLS inspection policy `tlsInspectionPolicyId` location `europe-west1` must equal the proxy region `us-central1`; use one in us-central1 (got `projects/p/locations/europe-west1/tlsInspectionPolicies/t`)",
      "gcp.swp.location-alignment",
    ],
    [
      "identity typo",
      { allow: { payments: { identity: "spiffe://bank.example/ns/payments/sa/procesor", hosts: ["a.example"] } } },
      "`allow.payments.identity` `spiffe://bank.example/ns/payments/sa/procesor` is not issued by `trust.chain`: no client leaf carries this URI SAN (closest: `spiffe://bank.example/ns/payments/sa/processor` of leaf `processor`); fix the typo, or issue a leaf with this identity",
    ],
    [
      "DNS identity typo",
      { allow: { r: { identity: "reseach.agents.bank.example", selector: "dnsSan", hosts: ["a.example"] } } },
      "`allow.r.identity` `reseach.agents.bank.example` is not issued by `trust.chain`: no client leaf carries this DNS SAN (closest: `research.agents.bank.example` of leaf `research`); fix the typo, or issue a leaf with this identity",
    ],
    [
      "server-only identity",
      { allow: { p: { identity: "swp.bank.internal", selector: "dnsSan", hosts: ["a.example"] } } },
      "`allow.p.identity` `swp.bank.internal` belongs to leaf `proxy`, a server-only certificate (no clientAuth) that the proxy will never accept from a client; add `client` to its usages",
    ],
    [
      "empty trust store in strict mode",
      { trust: { trustAnchorPems: {} } },
      "`trust` trusts no CA, so every certificate would be rejected: set `chain` to the PKI that issues the certificates, or `trustAnchorPems` to its root CAs",
    ],
    [
      "no trust source",
      { trust: undefined },
      "`trust` must be set when `clientValidationMode` is `REJECT_INVALID`: the proxy validates client certificates against these CAs; set `trust.chain` to the PKI of your workloads, or `trust.trustAnchorPems` to their roots",
    ],
    [
      "leaf as anchor",
      { trust: { trustAnchorPems: { corp: leafPem } } },
      "`trust.trustAnchorPems.corp` (CN=leaf-as-anchor) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead",
    ],
    [
      "several certificates in one entry",
      { trust: { trustAnchorPems: { corp: bundle } } },
      "`trust.trustAnchorPems.corp` must hold exactly one PEM certificate, found 2 certificate(s) among 2 PEM block(s) (CERTIFICATE); put one certificate per entry",
    ],
    [
      "PEM over 5 kB",
      {
        trust: {
          trustAnchorPems: {
            big: makeRoot("big", {
              key: { algorithm: "RSA", rsaBits: 4096 },
              template: {
                dnsNames: Array.from({ length: 60 }, (_, i) => `host-${i}.a-rather-long-domain-name.example`),
              },
            }).pem,
          },
        },
      },
      /^`trust\.trustAnchorPems\.big` \(CN=big\) is 5\d{3} bytes of PEM, over the 5000-byte limit of a trust store entry; reissue it smaller \(an ECDSA key, fewer names or extensions\)$/,
    ],
    [
      "too many intermediates",
      {
        trust: {
          trustAnchorPems: { root: rootPem },
          intermediateCaPems: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`i${i}`, pulumi.output("x")])),
        },
      },
      "`trust` has 1 trust anchors and 101 intermediate CAs; a Certificate Manager trust store holds at most 200 certificates, of which at most 100 intermediates: split the PKI or trust fewer CAs",
    ],
    [
      "invalid host",
      { allow: { payments: { identity: PAY, hosts: ["api bank.example"] } } },
      "`allow.payments.hosts[0]` `api bank.example` is not a valid hostname: it has an invalid label `api bank`; use a name such as `api.example.com` or `*.example.com`",
    ],
    [
      "duplicate identity",
      { allow: { a: { identity: PAY, hosts: ["a.example"] }, b: { identity: PAY, hosts: ["b.example"] } } },
      "`allow.b` and `allow.a` both name identity `spiffe://bank.example/ns/payments/sa/processor` (uriSan); merge them into one rule so the identity's access is stated once",
    ],
    [
      "allowed and denied",
      { allow: { a: { identity: PAY, hosts: ["a.example"] } }, deny: { a: { identity: PAY, hosts: ["*.example"] } } },
      "`allow.a` allows identity `spiffe://bank.example/ns/payments/sa/processor` to reach `a.example`, which `deny.a` denies (deny wins); remove the host from one of the two rules",
    ],
    [
      "identity rule with mTLS disabled",
      { clientValidationMode: "DISABLED", trust: undefined },
      "`allow.payments` is an identity rule but `clientValidationMode` is `DISABLED`: the proxy reads identities from verified client certificates only; set clientValidationMode to `REJECT_INVALID`",
    ],
    [
      // gcp.networksecurity.authz-policy.deny-only: no ALLOW policy means every request no DENY matches is allowed.
      "deny rules without any allow rule",
      { allow: {}, deny: { block: { identity: PAY, hosts: ["evil.example"] } } },
      "`allow` is empty while `deny` has rules: with no ALLOW authorization policy, Secure Web Proxy allows every request that no DENY policy matches; list each identity and the destinations it may reach",
      "gcp.networksecurity.authz-policy.deny-only",
    ],
    [
      // gcp.networkservices.gateway.network-format
      "network given by short name",
      { network: "egress" },
      "`network` must be `projects/<project>/global/networks/<name>`, got `egress`; the router clean-up on destroy compares it by string",
      "gcp.networkservices.gateway.network-format",
    ],
    [
      "uri selector with a hostname",
      { allow: { a: { identity: "payments.bank.example", hosts: ["a.example"] } } },
      "`allow.a.identity` `payments.bank.example` is not a URI but `selector` is `uriSan`; use a URI such as `spiffe://example.org/ns/app`, or set `selector` to `dnsSan` or `commonName`",
    ],
    [
      "bad method",
      { allow: { a: { identity: PAY, hosts: ["a.example"], methods: ["get" as never] } } },
      "`allow.a.methods[0]` must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (upper case), got `get`",
    ],
    [
      "bad path",
      { allow: { a: { identity: PAY, hosts: ["a.example"], paths: ["v1/*"] } } },
      "`allow.a.paths[0]` `v1/*` must start with `/` and may end with one `*` (a prefix), e.g. `/v1/*`",
    ],
    [
      "no server certificate",
      { serverCertificate: undefined },
      "Exactly one of [serverCertificateIds], [serverCertificate] and [privateServerCertificate] must be set, got none; the proxy presents this certificate to clients in the TLS handshake",
    ],
    ["no port", { ports: [] }, "`ports` must list at least one port, got none"],
    [
      "existing policy plus TLS inspection",
      {
        gatewaySecurityPolicyId: "projects/p/locations/us-central1/gatewaySecurityPolicies/g",
        tlsInspectionCaPoolId: "projects/p/locations/us-central1/caPools/c",
      },
      "[gatewaySecurityPolicyId] cannot be combined with [tlsInspectionPolicyId] or [tlsInspectionCaPoolId]: an existing gateway security policy already names its TLS inspection policy",
    ],
  ];

  let bad = 0;
  it.each(cases)("%s", async (...row) => {
    // A rest parameter: with a fourth named one, jest would take rows without a rule for callback-style tests.
    const [, overrides, message, rule] = row;
    const name = `bad-${bad++}`;
    const error = thrownBy(() => new SecureWebProxyMtls(name, base(overrides)));
    expect(() => {
      throw error;
    }).toThrow(message);
    // Upstream constraints name their catalogue rule.
    if (rule !== undefined) expect(error.problems.map((p) => p.rule)).toContain(rule);
    // Registration is asynchronous: only once it has settled does "no child was created" mean anything.
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith(`${name}-`))).toEqual([]);
  });

  it("refuses a client-only leaf as the proxy's certificate", () => {
    expect(
      () => new SecureWebProxyMtls("bad-server-leaf", base({ serverCertificate: { chain, leaf: "processor" } })),
    ).toThrow(
      '`serverCertificate.leaf` `processor` is a client-only certificate (no serverAuth); issue it with `usages: ["server"]`',
    );
  });

  it("refuses a component name too long for Google Cloud names", () => {
    expect(() => new SecureWebProxyMtls("a-very-long-proxy-name-for-the-payments-platform", base())).toThrow(
      "component name `a-very-long-proxy-name-for-the-payments-platform` is too long: the child `a-very-long-proxy-name-for-the-payments-platform-rejected-client-certs` plus Pulumi's 8-character suffix would be 78 characters, over Google Cloud's 63; use a name of at most 33 characters",
    );
  });

  it("refuses a rule key that would collide with another rule's overflow policy", () => {
    const many = Array.from({ length: 51 }, (_, i) => `h${i}.example`);
    expect(
      () =>
        new SecureWebProxyMtls(
          "overflow",
          base({ allow: { a: { identity: PAY, hosts: many }, "a-2": { identity: AGENT, hosts: ["x.example"] } } }),
        ),
    ).toThrow(
      "`allow.a-2` and `allow.a` would both create the AuthzPolicy `overflow-allow-a-2` (a rule past the limits gets numbered overflow policies `-2`, `-3`…); rename the rule whose key ends in a number",
    );
  });

  it("takes identities from another trust domain as they are", () => {
    expect(
      () =>
        new SecureWebProxyMtls(
          "partner",
          base({ allow: { partner: { identity: "spiffe://partner.example/billing", hosts: ["a.example"] } } }),
        ),
    ).not.toThrow();
  });
});

describe("every problem at once", () => {
  it("reports independent problems of different arguments in one ArgumentError, each with its path", () => {
    const error = thrownBy(
      () =>
        new SecureWebProxyMtls(
          "many",
          base({
            routingMode: "NEXT_HOP_ROUTING_MODE",
            ports: [0],
            allow: { payments: { identity: PAY, hosts: ["api bank.example"] } },
            rejectedCertificateAlert: { threshold: -1 },
          }),
        ),
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      "routingMode",
      "ports[0]",
      "allow.payments.hosts[0]",
      "rejectedCertificateAlert.threshold",
    ]);
    // The engine prints each `{ propertyPath, reason }` of the SDK's InputPropertiesError.
    expect(error.errors?.map((e) => e.propertyPath)).toEqual(error.problems.map((p) => p.path));
    expect(error.message.split("\n")).toHaveLength(4);
  });
});

describe("a PKI given as PEMs (how other Pulumi languages pass a chain)", () => {
  const root = makeRoot("Partner Root");
  const server = makeClient(root, "swp.partner.internal", { template: { dnsNames: ["swp.partner.internal"] } });

  it("trusts the root PEM and takes the server certificate from the given leaf", async () => {
    const proxy = new SecureWebProxyMtls(
      "pems",
      base({
        trust: { chain: { rootCertificatePem: root.pem } },
        serverCertificate: {
          chain: {
            rootCertificatePem: root.pem,
            leaves: {
              proxy: {
                certificatePem: server.pem,
                privateKeyPem: server.keyPem,
                chainPem: server.pem,
                usages: ["server"],
              },
            },
          },
          leaf: "proxy",
        },
        allow: { partner: { identity: "spiffe://partner.example/agent", hosts: ["api.partner.example"] } },
      }),
    );
    const children = await childrenOf(proxy);
    const trustConfig = children.find((c) => c.type === T.trustConfig)!;
    expect(trustConfig.inputs.trustStores).toEqual([
      { trustAnchors: [{ pemCertificate: root.pem }], intermediateCas: [] },
    ]);
    const cert = children.find((c) => c.type === T.certificate)!;
    expect(cert.inputs.selfManaged.pemCertificate).toBe(server.pem);
    expect(cert.secretInputs).toContain("selfManaged");
  });

  it("judges a root PEM known now before any resource exists", () => {
    const leaf = makeClient(root, "not a ca");
    expect(
      thrownBy(() => new SecureWebProxyMtls("pems-bad", base({ trust: { chain: { rootCertificatePem: leaf.pem } } })))
        .message,
    ).toBe(
      "`trust.chain.rootCertificatePem` (CN=not a ca) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead",
    );
  });
});
