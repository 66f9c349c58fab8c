import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  inspectCertificate,
  makeClient,
  makeIntermediate,
  makeRoot,
  setupMocks,
  type CertificateInfo,
  type MockEnvironment,
} from "@gcp-mtls/testing";
import { CertificateChain, type CertificateChainArgs } from "./index";
import type { RuleId } from "@gcp-mtls/rules";
import { thrownBy } from "../internal/__fixtures__/thrown";

let env: MockEnvironment;
beforeAll(async () => {
  env = await setupMocks();
});

const T = {
  key: "tls:index/privateKey:PrivateKey",
  self: "tls:index/selfSignedCert:SelfSignedCert",
  csr: "tls:index/certRequest:CertRequest",
  signed: "tls:index/locallySignedCert:LocallySignedCert",
};

function childrenOf(chain: CertificateChain) {
  return pulumi.output(chain.urn).apply((urn) => env.children(urn));
}

describe("CertificateChain: a two-tier chain with client, server and dual-use leaves", () => {
  let chain: CertificateChain;
  const info: Record<string, CertificateInfo> = {};

  beforeAll(async () => {
    chain = new CertificateChain("corp", {
      root: { subject: { commonName: "Corp Root CA", organization: "Corp" } },
      intermediates: [
        { key: "policy", subject: { commonName: "Corp Policy CA", organization: "Corp" } },
        {
          key: "issuing",
          subject: { commonName: "Corp Issuing CA", organization: "Corp" },
          keyAlgorithm: "ECDSA_P384",
        },
      ],
      leaves: {
        payments: { uris: ["spiffe://corp.example/ns/prod/sa/payments"], subject: { commonName: "payments" } },
        web: { usages: ["server"], dnsNames: ["api.corp.example", "*.api.corp.example"], keyAlgorithm: "RSA_3072" },
        agent: { usages: ["client", "server"], dnsNames: ["agent.corp.example"], issuer: "policy" },
      },
    });
    await env.settled();
    info.root = inspectCertificate(await awaitOutput(chain.rootCertificatePem));
    info.policy = inspectCertificate(await awaitOutput(chain.intermediates.policy!.certificatePem));
    info.issuing = inspectCertificate(await awaitOutput(chain.intermediates.issuing!.certificatePem));
    for (const k of ["payments", "web", "agent"])
      info[k] = inspectCertificate(await awaitOutput(chain.leaves[k]!.certificatePem));
  });

  it("creates exactly the expected children, named from stable keys and parented to the component", async () => {
    const children = await awaitOutput(childrenOf(chain));
    const names = children.map((c) => `${c.type} ${c.name}`).sort();
    expect(names).toEqual(
      [
        `${T.key} corp-root-key`,
        `${T.self} corp-root`,
        ...["policy", "issuing"].flatMap((k) => [
          `${T.key} corp-intermediate-${k}-key`,
          `${T.csr} corp-intermediate-${k}-csr`,
          `${T.signed} corp-intermediate-${k}`,
        ]),
        ...["payments", "web", "agent"].flatMap((k) => [
          `${T.key} corp-leaf-${k}-key`,
          `${T.csr} corp-leaf-${k}-csr`,
          `${T.signed} corp-leaf-${k}`,
        ]),
      ].sort(),
    );
    for (const c of children) expect(c.urn).toContain(`::gcp-mtls:index:CertificateChain$${c.type}::${c.name}`);
  });

  it("never leaves a key on the provider's P224 default", () => {
    const keys = env.byType(T.key).filter((r) => r.name.startsWith("corp-"));
    expect(keys).toHaveLength(6);
    for (const k of keys) {
      if (k.name === "corp-leaf-web-key") expect(k.inputs).toMatchObject({ algorithm: "RSA", rsaBits: 3072 });
      else if (k.name === "corp-intermediate-issuing-key")
        expect(k.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P384" });
      else expect(k.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    }
  });

  it("passes lifetimes, CA flags and key usages to the tls resources", () => {
    expect(env.byName("corp-root").inputs).toMatchObject({
      isCaCertificate: true,
      maxPathLength: 2,
      validityPeriodHours: 87600,
      earlyRenewalHours: 0,
      allowedUses: ["cert_signing", "crl_signing", "client_auth", "server_auth"],
    });
    expect(env.byName("corp-intermediate-policy").inputs).toMatchObject({
      maxPathLength: 1,
      validityPeriodHours: 43800,
    });
    expect(env.byName("corp-intermediate-issuing").inputs).toMatchObject({
      maxPathLength: 0,
      validityPeriodHours: 43800,
    });
    expect(env.byName("corp-leaf-payments").inputs).toMatchObject({
      isCaCertificate: false,
      validityPeriodHours: 2160,
      earlyRenewalHours: 720,
      allowedUses: ["digital_signature", "client_auth"],
    });
    expect(env.byName("corp-leaf-web").inputs.allowedUses).toEqual([
      "digital_signature",
      "key_encipherment",
      "server_auth",
    ]);
    expect(env.byName("corp-leaf-agent").inputs.allowedUses).toEqual([
      "digital_signature",
      "client_auth",
      "server_auth",
    ]);
  });

  it("chains every certificate by AKID = parent SKID and by signature", () => {
    expect(info.root!.selfIssued).toBe(true);
    expect(info.root!.authorityKeyId).toBeUndefined();
    const edges: [string, string][] = [
      ["policy", "root"],
      ["issuing", "policy"],
      ["payments", "issuing"],
      ["web", "issuing"],
      ["agent", "policy"],
    ];
    for (const [child, parent] of edges) {
      expect(info[parent]!.subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
      expect(info[child]!.authorityKeyId).toBe(info[parent]!.subjectKeyId);
      expect(info[child]!.x509.verify(info[parent]!.x509.publicKey)).toBe(true);
      expect(info[child]!.issuerText).toBe(info[parent]!.subjectText);
    }
  });

  it("sets basic constraints per tier, with the provider's pathlen 0 quirk visible in DER", () => {
    expect(info.root!.basicConstraints).toEqual({ ca: true, pathLength: 2, critical: true });
    expect(info.policy!.basicConstraints).toEqual({ ca: true, pathLength: 1, critical: true });
    // terraform-provider-tls sets MaxPathLen 0 without MaxPathLenZero, so Go emits no pathlen at all.
    expect(info.issuing!.basicConstraints).toEqual({ ca: true, pathLength: undefined, critical: true });
    for (const leaf of ["payments", "web", "agent"])
      expect(info[leaf]!.basicConstraints).toEqual({ ca: false, pathLength: undefined, critical: true });
  });

  it("gives an RSA client leaf the guide's client.cnf usages: digitalSignature + keyEncipherment, clientAuth, its DNS SAN", async () => {
    const rsa = new CertificateChain("guide-client", {
      root: { subject: { commonName: "root" } },
      leaves: { "my-client": { dnsNames: ["my-client.example.com"], keyAlgorithm: "RSA_2048" } },
    });
    const leaf = inspectCertificate(await awaitOutput(rsa.leaves["my-client"]!.certificatePem));
    expect([leaf.keyUsage, leaf.extKeyUsage, leaf.sans.dns]).toEqual([
      ["digital_signature", "key_encipherment"],
      ["client_auth"],
      ["my-client.example.com"],
    ]);
  });

  it("gives issuers keyCertSign and clientAuth (GCP checks issuer EKU) and leaves the usages asked for", () => {
    for (const ca of ["root", "policy", "issuing"]) {
      expect(info[ca]!.keyUsage).toEqual(["cert_signing", "crl_signing"]);
      expect(info[ca]!.keyUsageCritical).toBe(true);
      expect(info[ca]!.extKeyUsage).toEqual(["client_auth", "server_auth"]);
    }
    expect(info.payments!.keyUsage).toEqual(["digital_signature"]);
    expect(info.payments!.extKeyUsage).toEqual(["client_auth"]);
    expect(info.web!.keyUsage).toEqual(["digital_signature", "key_encipherment"]);
    expect(info.web!.extKeyUsage).toEqual(["server_auth"]);
    expect(info.agent!.extKeyUsage).toEqual(["client_auth", "server_auth"]);
  });

  it("issues the SANs, subjects and key types asked for", () => {
    expect(info.payments!.sans).toEqual({
      dns: [],
      uri: ["spiffe://corp.example/ns/prod/sa/payments"],
      ip: [],
      email: [],
    });
    expect(info.payments!.subjectText).toBe("CN=payments");
    expect(info.web!.sans.dns).toEqual(["api.corp.example", "*.api.corp.example"]);
    expect(info.web!.subjectText).toBe("CN=web");
    expect(info.web!.publicKey).toEqual({ algorithm: "RSA", bits: 3072, curve: undefined });
    expect(info.issuing!.publicKey).toEqual({ algorithm: "ECDSA", curve: "P384", bits: undefined });
    expect(info.payments!.publicKey).toEqual({ algorithm: "ECDSA", curve: "P256", bits: undefined });
    // P-384 issuer signs with SHA-384 (Go's default), P-256 with SHA-256: both accepted by GCP.
    expect(info.payments!.signatureAlgorithm).toBe("ecdsa-with-SHA384");
    expect(info.agent!.signatureAlgorithm).toBe("ecdsa-with-SHA256");
  });

  it("keeps every private key secret", async () => {
    expect(await pulumi.isSecret(chain.root!.privateKeyPem)).toBe(true);
    for (const k of ["policy", "issuing"])
      expect(await pulumi.isSecret(chain.intermediates[k]!.privateKeyPem)).toBe(true);
    for (const k of ["payments", "web", "agent"]) {
      expect(await pulumi.isSecret(chain.leaves[k]!.privateKeyPem)).toBe(true);
      expect(await awaitOutput(chain.leaves[k]!.privateKeyPem)).toMatch(/^-----BEGIN (EC|RSA) PRIVATE KEY-----\n/);
    }
    for (const r of env.byType(T.key).filter((r) => r.name.startsWith("corp-"))) {
      expect(r.secretOutputs).toEqual(
        expect.arrayContaining(["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"]),
      );
    }
    for (const r of env.byType(T.signed).filter((r) => r.name.startsWith("corp-")))
      expect(r.secretInputs).toContain("caPrivateKeyPem");
  });

  it("outputs trust-store values and ConfigMap data: one normalised certificate per entry", async () => {
    const store = await awaitOutput(chain.trustStore);
    expect(store.trustAnchors).toEqual([{ pemCertificate: info.root!.pem }]);
    expect(store.intermediateCas).toEqual([
      { pemCertificate: info.policy!.pem },
      { pemCertificate: info.issuing!.pem },
    ]);
    for (const e of [...store.trustAnchors, ...store.intermediateCas]) {
      expect(e.pemCertificate.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
      expect(e.pemCertificate.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
      expect(e.pemCertificate).not.toContain("\r");
    }
    expect(await awaitOutput(chain.rootConfigMapData)).toEqual({ "ca.crt": info.root!.pem });
  });

  it("outputs each leaf's chain without the root, leaf first", async () => {
    expect(await awaitOutput(chain.leaves.payments!.chainPem)).toBe(
      info.payments!.pem + info.issuing!.pem + info.policy!.pem,
    );
    expect(await awaitOutput(chain.leaves.agent!.chainPem)).toBe(info.agent!.pem + info.policy!.pem);
  });
});

describe("CertificateChain: the seed's chain with defaults", () => {
  it("matches the guide: CN=root → CN=int → my-client.example.com, 90-day leaf renewed at ⅓", async () => {
    const chain = new CertificateChain("seed", {
      root: { subject: { commonName: "root" } },
      intermediates: [{ key: "int", subject: { commonName: "int" } }],
      leaves: {
        "my-client": { subject: { commonName: "my-client.example.com" }, dnsNames: ["my-client.example.com"] },
      },
    });
    const leaf = inspectCertificate(await awaitOutput(chain.leaves["my-client"]!.certificatePem));
    const root = inspectCertificate(await awaitOutput(chain.rootCertificatePem));
    expect(root.subjectText).toBe("CN=root");
    expect(root.basicConstraints?.pathLength).toBe(1);
    expect(leaf.issuerText).toBe("CN=int");
    expect(leaf.sans.dns).toEqual(["my-client.example.com"]);
    expect((leaf.notAfter.getTime() - leaf.notBefore.getTime()) / 3_600_000).toBe(2160);
    expect(env.byName("seed-leaf-my-client").inputs.earlyRenewalHours).toBe(720);
  });
});

describe("CertificateChain: bring your own issuer", () => {
  const existingRoot = makeRoot("Existing Root", { notAfter: new Date(Date.now() + 365 * 24 * 3_600_000) });
  const existingInt = makeIntermediate(existingRoot, "Existing Issuing", {
    notAfter: new Date(Date.now() + 365 * 24 * 3_600_000),
  });
  const rootPem = existingRoot.pem;
  const intPem = existingInt.pem;

  it("issues leaves from an existing intermediate and anchors trust on the given root", async () => {
    const chain = new CertificateChain("byo", {
      existingIssuer: {
        certificatePem: intPem,
        privateKeyPem: pulumi.secret(existingInt.keyPem),
        rootCertificatePem: rootPem,
      },
      leaves: { svc: { uris: ["spiffe://corp.example/svc"] } },
    });
    const leaf = inspectCertificate(await awaitOutput(chain.leaves.svc!.certificatePem));
    const int = inspectCertificate(intPem);
    expect(leaf.authorityKeyId).toBe(int.subjectKeyId);
    expect(leaf.x509.verify(int.x509.publicKey)).toBe(true);
    const store = await awaitOutput(chain.trustStore);
    expect(store.trustAnchors).toEqual([{ pemCertificate: rootPem }]);
    expect(store.intermediateCas).toEqual([{ pemCertificate: intPem }]);
    expect(await awaitOutput(chain.leaves.svc!.chainPem)).toBe(leaf.pem + intPem);
    const children = await awaitOutput(childrenOf(chain));
    expect(children.map((c) => c.name).sort()).toEqual(["byo-leaf-svc", "byo-leaf-svc-csr", "byo-leaf-svc-key"]);
  });
});

describe("validation: each bad input is refused before any resource exists, with the argument, the value and the fix", () => {
  const root = { subject: { commonName: "root" } };
  const cases: [string, CertificateChainArgs, string, RuleId?][] = [
    [
      "neither issuer",
      { leaves: {} },
      "Exactly one of [root] and [existingIssuer] must be set, got neither; set [root] to create a self-signed root CA, or [existingIssuer] to issue from a CA you already have",
    ],
    [
      "P-224 key",
      { root: { ...root, keyAlgorithm: "ECDSA_P224" as never } },
      "`root.keyAlgorithm` must be one of ECDSA_P256, ECDSA_P384, RSA_2048, RSA_3072, RSA_4096, got `ECDSA_P224`; Google Cloud rejects mTLS chains with P-224, P-521 or Ed25519 keys and RSA keys under 2048 bits",
    ],
    [
      "RSA 1024 leaf",
      { root, leaves: { a: { keyAlgorithm: "RSA_1024" as never } } },
      "`leaves.a.keyAlgorithm` must be one of ECDSA_P256, ECDSA_P384, RSA_2048, RSA_3072, RSA_4096, got `RSA_1024`; Google Cloud rejects mTLS chains with P-224, P-521 or Ed25519 keys and RSA keys under 2048 bits",
    ],
    [
      "empty root subject",
      { root: { subject: {} } },
      "`root.subject` must not be empty for a CA (RFC 5280 §4.1.2.6); set at least `commonName`",
    ],
    [
      "subject equal to issuer",
      { root, intermediates: [{ key: "int", subject: { commonName: "root" } }] },
      "`intermediates[0].subject` `CN=root` equals the subject of its issuer `root`; @pulumi/tls then omits the Authority Key Identifier, which Google Cloud requires: give it a different subject",
    ],
    [
      "leaf subject equal to issuer",
      { root, leaves: { root2: { subject: { commonName: "root" } } } },
      "`leaves.root2.subject` `CN=root` equals the subject of its issuer `root`; @pulumi/tls then omits the Authority Key Identifier, which Google Cloud requires: give it a different subject",
    ],
    [
      "leaf outlives issuer",
      { root: { ...root, validityHours: 1000 }, leaves: { a: { validityHours: 2000 } } },
      "`leaves.a.validityHours` (2000) exceeds its issuer `root` (1000); a certificate must not outlive the CA that signed it: shorten it or lengthen the issuer",
    ],
    [
      "early renewal ≥ validity",
      { root, leaves: { a: { validityHours: 24, earlyRenewalHours: 24 } } },
      "`leaves.a.earlyRenewalHours` (24) must be less than `leaves.a.validityHours` (24); otherwise the certificate is replaced on every `pulumi up`",
    ],
    [
      "zero validity",
      { root: { ...root, validityHours: 0 } },
      "`root.validityHours` must be a positive whole number of hours, got `0`",
    ],
    [
      // Rule pulumi-tls.validity-range: a Go time.Duration of hours overflows past 2,562,047 (found by the property test).
      "validity beyond the tls provider's duration",
      { root: { ...root, validityHours: 1e300 } },
      "`root.validityHours` `1e+300` exceeds 2562047 hours (≈ 292 years), beyond which the tls provider's Go duration overflows and the certificate gets another expiry; use fewer hours",
    ],
    [
      "SPIFFE ID with root path",
      { root, leaves: { a: { uris: ["spiffe://corp.example/"] } } },
      "`leaves.a.uris[0]` `spiffe://corp.example/` must have a non-root path (e.g. spiffe://example.org/ns/payments)",
    ],
    [
      "SPIFFE ID with uppercase trust domain",
      { root, leaves: { a: { uris: ["spiffe://Corp.example/ns/a"] } } },
      "`leaves.a.uris[0]` `spiffe://Corp.example/ns/a` has a trust domain with characters other than lowercase letters, digits, `.`, `-` and `_` (no port or user info)",
    ],
    [
      "SPIFFE ID over 2048 bytes",
      { root, leaves: { a: { uris: [`spiffe://corp.example/${"a".repeat(2030)}`] } } },
      `\`leaves.a.uris[0]\` \`spiffe://corp.example/${"a".repeat(2030)}\` is longer than 2048 bytes`,
    ],
    [
      "two SPIFFE IDs",
      { root, leaves: { a: { uris: ["spiffe://corp.example/a", "spiffe://corp.example/b"] } } },
      '`leaves.a.uris` holds 2 SPIFFE IDs `["spiffe://corp.example/a","spiffe://corp.example/b"]`; an X.509-SVID carries exactly one: issue one leaf per identity',
      "cert.leaf.spiffe-id",
    ],
    [
      "bad DNS SAN",
      { root, leaves: { a: { dnsNames: ["Bad_Name.example"] } } },
      "`leaves.a.dnsNames[0]` `Bad_Name.example` must be lowercase; use a DNS name such as `api.example.com`",
    ],
    [
      "wildcard on a client",
      { root, leaves: { a: { dnsNames: ["*.corp.example"] } } },
      "`leaves.a.dnsNames[0]` `*.corp.example` may use a wildcard only as the whole leftmost label of a server name; use a DNS name such as `api.example.com`",
    ],
    [
      "bad IP",
      { root, leaves: { a: { ipAddresses: ["10.0.0.256"] } } },
      "`leaves.a.ipAddresses[0]` `10.0.0.256` is not an IPv4 or IPv6 address",
    ],
    [
      "bad URI",
      { root, leaves: { a: { uris: ["not a uri"] } } },
      "`leaves.a.uris[0]` `not a uri` is not an absolute URI (scheme:rest, no spaces)",
    ],
    [
      "server without SAN",
      { root, leaves: { a: { usages: ["server"] } } },
      "`leaves.a` is a server certificate without `dnsNames` or `ipAddresses`; TLS clients match the server name against SANs only (not the common name): add the host names it serves",
    ],
    [
      "unknown usage",
      { root, leaves: { a: { usages: ["codesign" as never] } } },
      '`leaves.a.usages` must be a non-empty list of distinct values from `client`, `server`, got `["codesign"]`',
    ],
    [
      "unknown issuer",
      { root, leaves: { a: { issuer: "intt" } } },
      "`leaves.a.issuer` `intt` is not a tier of this chain; use `root` or one of `[]`",
    ],
    [
      "bad tier key",
      { root, intermediates: [{ key: "Int_1", subject: { commonName: "int" } }] },
      "`intermediates[0].key` key `Int_1` of an intermediate tier is not a valid name part; use 1-40 lowercase letters, digits and `-` (it becomes part of child resource names and must stay stable)",
    ],
    [
      "duplicate tier key",
      {
        root,
        intermediates: [
          { key: "int", subject: { commonName: "a" } },
          { key: "int", subject: { commonName: "b" } },
        ],
      },
      "`intermediates[1].key` `int` is used by another tier; give every tier a unique key",
    ],
    [
      "too many tiers",
      {
        root,
        intermediates: Array.from({ length: 9 }, (_, i) => ({ key: `t${i}`, subject: { commonName: `t${i}` } })),
      },
      "[intermediates] has 9 tiers, more than 8 in all; Google Cloud validates chains of at most 10 certificates including the root and the leaf: use fewer tiers",
    ],
    [
      "bad country",
      { root: { subject: { commonName: "r", country: "USA" } } },
      "`root.subject.country` must be a two-letter ISO 3166 code such as `US`, got `USA`",
    ],
  ];

  let bad = 0;
  it.each(cases)("%s", async (...row) => {
    // A rest parameter: with a fourth named one, jest would take rows without a rule for callback-style tests.
    const [, args, message, rule] = row;
    const name = `bad-${bad++}`;
    const error = thrownBy(() => new CertificateChain(name, args));
    expect(() => {
      throw error;
    }).toThrow(message);
    // Upstream constraints name their catalogue rule.
    if (rule !== undefined) expect(error.problems.map((p) => p.rule)).toContain(rule);
    // Registration is asynchronous: only once it has settled does "no child was created" mean anything.
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith(`${name}-`))).toEqual([]);
  });

  it("judges an existing PKI with Google Cloud's certificate rules, before any resource exists", () => {
    const day = 24 * 3_600_000;
    const root = makeRoot("Corp Root");
    const issuing = makeIntermediate(root, "Corp Issuing");
    const other = makeIntermediate(root, "Corp Other");
    const sub = makeIntermediate(issuing, "Corp Sub");
    const expiredRoot = makeRoot("Old Root", {
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    });
    const p521 = makeRoot("P521 Root", { key: { algorithm: "ECDSA", ecdsaCurve: "P521" } });
    const noCertSign = makeRoot("No CertSign Root", { template: { allowedUses: ["crl_signing"] } });
    const pathlenZero = makeIntermediate(root, "Zero Issuing", {
      template: { maxPathLength: 0, maxPathLenZero: true },
    });
    const constrained = makeIntermediate(root, "Constrained Issuing", {
      template: { nameConstraints: { permitted: [{ dns: "corp.example" }] } },
    });
    const cases: [string, CertificateChainArgs["existingIssuer"], Partial<CertificateChainArgs>, string][] = [
      [
        "an expired root",
        { certificatePem: expiredRoot.pem, privateKeyPem: expiredRoot.keyPem },
        {},
        `\`existingIssuer.certificatePem\` (CN=Old Root) expired at ${inspectCertificate(expiredRoot.pem).notAfter.toISOString()}; renew it`,
      ],
      [
        "a P-521 root",
        { certificatePem: p521.pem, privateKeyPem: p521.keyPem },
        {},
        "`existingIssuer.certificatePem` (CN=P521 Root) has an ECDSA P521 key; Google Cloud accepts RSA keys of 2048 to 4096 bits and ECDSA P-256 or P-384 keys: reissue it with one of those",
      ],
      [
        "a CA without keyCertSign",
        { certificatePem: noCertSign.pem, privateKeyPem: noCertSign.keyPem },
        {},
        "`existingIssuer.certificatePem` (CN=No CertSign Root) lacks keyUsage keyCertSign (has [crl_signing]); reissue the CA with keyCertSign",
      ],
      [
        "a key that is not the issuer's",
        { certificatePem: root.pem, privateKeyPem: issuing.keyPem },
        {},
        "`existingIssuer.privateKeyPem` (CN=Corp Root) does not match the private key given with it, so every certificate it signs would fail verification; pass the CA's own key",
      ],
      [
        "intermediates out of order",
        {
          certificatePem: sub.pem,
          privateKeyPem: sub.keyPem,
          rootCertificatePem: root.pem,
          intermediateCertificatePems: [other.pem],
        },
        {},
        "`existingIssuer.certificatePem` (CN=Corp Sub) is not signed by `existingIssuer.intermediateCertificatePems[0]` (CN=Corp Other); list the existing intermediates top-down, from the one the root issued to the one that issued `existingIssuer.certificatePem`",
      ],
      [
        "pathlen:0 with tiers below it",
        { certificatePem: pathlenZero.pem, privateKeyPem: pathlenZero.keyPem, rootCertificatePem: root.pem },
        { intermediates: [{ key: "team", subject: { commonName: "Team CA" } }] },
        "`existingIssuer.certificatePem` (CN=Zero Issuing) allows 0 intermediate CA(s) below it (pathlen:0) but there would be 1 (0 existing, 1 in `intermediates`); use fewer tiers, or an issuer whose path length allows them",
      ],
      [
        "a leaf name outside the issuer's name constraints",
        { certificatePem: constrained.pem, privateKeyPem: constrained.keyPem, rootCertificatePem: root.pem },
        { leaves: { api: { usages: ["server"], dnsNames: ["api.other.example"] } } },
        "`leaves.api` names `api.other.example`, which is outside the permitted subtree `corp.example` of `existingIssuer.certificatePem` (CN=Constrained Issuing); issue only names its name constraints allow",
      ],
    ];
    for (const [name, existingIssuer, extra, message] of cases) {
      let thrown: unknown;
      try {
        new CertificateChain("byo-bad", { existingIssuer, ...extra });
      } catch (e) {
        thrown = e;
      }
      expect([name, (thrown as Error | undefined)?.message]).toEqual([name, message]);
    }
  });

  it("refuses an existing issuer that is a leaf, an intermediate without its root, or several certificates", () => {
    const root = makeRoot("ca");
    const ca = root.pem;
    const int = makeIntermediate(root, "int").pem;
    const leaf = makeClient(root, "leaf").pem;
    const key = root.keyPem;
    expect(
      () => new CertificateChain("bad-leaf-issuer", { existingIssuer: { certificatePem: leaf, privateKeyPem: key } }),
    ).toThrow(
      "`existingIssuer.certificatePem` (CN=leaf) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead",
    );
    expect(
      () => new CertificateChain("bad-int-issuer", { existingIssuer: { certificatePem: int, privateKeyPem: key } }),
    ).toThrow(
      "`existingIssuer.certificatePem` is an intermediate (issued by `CN=ca`) but `existingIssuer.rootCertificatePem` is not set; pass the root so trust stores get the right anchor",
    );
    expect(
      () =>
        new CertificateChain("bad-bundle-issuer", { existingIssuer: { certificatePem: ca + int, privateKeyPem: key } }),
    ).toThrow(
      "`existingIssuer.certificatePem` must hold exactly one PEM certificate, found 2 certificate(s) among 2 PEM block(s) (CERTIFICATE); put one certificate per entry",
    );
  });
});
