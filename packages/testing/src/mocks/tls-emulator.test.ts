import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { awaitOutput } from "../helpers";
import { inspectCertificate, parseCertificateRequest, parsePrivateKey } from "../x509";
import { setupMocks, type MockEnvironment } from "./recording";

// A fixed clock makes validity times exact.
const NOW = new Date("2026-05-01T12:00:00.000Z");
let env: MockEnvironment;
beforeAll(async () => {
  env = await setupMocks({ now: () => NOW });
});

const caUses = ["cert_signing", "crl_signing"];

describe("PrivateKey", () => {
  it("defaults ECDSA to the provider's P224 curve, as terraform-provider-tls does", async () => {
    const key = new tls.PrivateKey("p224", { algorithm: "ECDSA" });
    const pem = await awaitOutput(key.privateKeyPem);
    expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(parsePrivateKey(pem).ecdsaCurve).toBe("P224");
    expect(await awaitOutput(key.ecdsaCurve)).toBe("P224");
    // SSH has no P-224 key type: the provider leaves the OpenSSH fields empty.
    expect(await awaitOutput(key.publicKeyOpenssh)).toBe("");
    expect(await awaitOutput(key.publicKeyFingerprintSha256)).toBe("");
  });

  it("writes PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 for Ed25519, with OpenSSH forms and fingerprints", async () => {
    const rsa = new tls.PrivateKey("rsa", { algorithm: "RSA" });
    const p256 = new tls.PrivateKey("p256", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const ed = new tls.PrivateKey("ed", { algorithm: "ED25519" });
    expect(await awaitOutput(rsa.privateKeyPem)).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(parsePrivateKey(await awaitOutput(rsa.privateKeyPem)).rsaBits).toBe(2048);
    expect(await awaitOutput(rsa.rsaBits)).toBe(2048);
    expect(await awaitOutput(p256.privateKeyPem)).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(await awaitOutput(ed.privateKeyPem)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    for (const k of [rsa, p256, ed]) {
      expect(await awaitOutput(k.privateKeyPemPkcs8)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(await awaitOutput(k.publicKeyPem)).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(await awaitOutput(k.privateKeyOpenssh)).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
      expect(await awaitOutput(k.publicKeyFingerprintMd5)).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      expect(await awaitOutput(k.publicKeyFingerprintSha256)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    }
    expect(await awaitOutput(rsa.publicKeyOpenssh)).toMatch(/^ssh-rsa AAAA[^ ]+\n$/);
    expect(await awaitOutput(p256.publicKeyOpenssh)).toMatch(/^ecdsa-sha2-nistp256 AAAA[^ ]+\n$/);
    expect(await awaitOutput(ed.publicKeyOpenssh)).toMatch(/^ssh-ed25519 AAAA[^ ]+\n$/);
  });

  it("returns the private key outputs as secrets (the mock monitor ignores additionalSecretOutputs)", async () => {
    const key = new tls.PrivateKey("secret-check", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(await pulumi.isSecret(key.privateKeyPem)).toBe(true);
    expect(await pulumi.isSecret(key.privateKeyPemPkcs8)).toBe(true);
    expect(await pulumi.isSecret(key.privateKeyOpenssh)).toBe(true);
    expect(await pulumi.isSecret(key.publicKeyPem)).toBe(false);
  });
});

describe("SelfSignedCert", () => {
  const key = () =>
    new tls.PrivateKey(`k-${Math.random().toString(36).slice(2, 8)}`, { algorithm: "ECDSA", ecdsaCurve: "P256" });

  it("gives a CA a SKID but no AKID, NotBefore = now and NotAfter = now + validity", async () => {
    const cert = new tls.SelfSignedCert("ca", {
      privateKeyPem: key().privateKeyPem,
      subject: { commonName: "CA", organization: "Org" },
      isCaCertificate: true,
      maxPathLength: 1,
      allowedUses: caUses,
      validityPeriodHours: 48,
    });
    const info = inspectCertificate(await awaitOutput(cert.certPem));
    expect(info.subjectText).toBe("O=Org, CN=CA");
    expect(info.selfIssued).toBe(true);
    expect(info.subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
    expect(info.authorityKeyId).toBeUndefined();
    expect(info.basicConstraints).toEqual({ ca: true, pathLength: 1, critical: true });
    expect(info.keyUsage).toEqual(["cert_signing", "crl_signing"]);
    expect(info.extKeyUsage).toBeUndefined();
    expect(info.notBefore).toEqual(NOW);
    expect(await awaitOutput(cert.validityStartTime)).toBe("2026-05-01T12:00:00Z");
    expect(await awaitOutput(cert.validityEndTime)).toBe("2026-05-03T12:00:00Z");
    expect(await awaitOutput(cert.readyForRenewal)).toBe(false);
    expect(await awaitOutput(cert.id)).toBe(info.serialNumber);
    expect(await awaitOutput(cert.keyAlgorithm)).toBe("ECDSA");
  });

  it("puts its own SKID in the AKID when setAuthorityKeyId, and no SKID on a non-CA", async () => {
    const withAkid = new tls.SelfSignedCert("ca-akid", {
      privateKeyPem: key().privateKeyPem,
      subject: { commonName: "CA2" },
      isCaCertificate: true,
      setAuthorityKeyId: true,
      allowedUses: caUses,
      validityPeriodHours: 1,
    });
    const a = inspectCertificate(await awaitOutput(withAkid.certPem));
    expect(a.authorityKeyId).toBe(a.subjectKeyId);
    const plain = new tls.SelfSignedCert("not-ca", {
      privateKeyPem: key().privateKeyPem,
      subject: { commonName: "srv" },
      dnsNames: ["srv.example"],
      allowedUses: ["digital_signature", "server_auth"],
      validityPeriodHours: 1,
    });
    const p = inspectCertificate(await awaitOutput(plain.certPem));
    expect(p.subjectKeyId).toBeUndefined();
    expect(p.basicConstraints).toEqual({ ca: false, pathLength: undefined, critical: true });
    expect(p.extKeyUsage).toEqual(["server_auth"]);
    expect(p.sans.dns).toEqual(["srv.example"]);
  });

  it("fails the create of a lifetime the provider's Go duration cannot hold (rule pulumi-tls.validity-range)", async () => {
    const own = await setupMocks({ now: () => NOW });
    new tls.SelfSignedCert("too-long", {
      privateKeyPem: key().privateKeyPem,
      subject: { commonName: "x" },
      allowedUses: [],
      validityPeriodHours: 2_562_048,
    });
    await own.settled();
    expect(own.failures.map((f) => [f.name, f.phase, f.message, f.rules])).toEqual([
      [
        "too-long",
        "create",
        "`validityPeriodHours` 2562048 exceeds 2562047 hours (≈ 292 years), beyond which the tls provider's Go duration overflows and the certificate gets another expiry",
        ["pulumi-tls.validity-range"],
      ],
    ]);
    env = await setupMocks({ now: () => NOW });
  });

  it("is ready for renewal at once when earlyRenewalHours ≥ validity (the provider replaces it on every up)", async () => {
    const cert = new tls.SelfSignedCert("always-renew", {
      privateKeyPem: key().privateKeyPem,
      subject: { commonName: "x" },
      allowedUses: [],
      validityPeriodHours: 10,
      earlyRenewalHours: 10,
    });
    expect(await awaitOutput(cert.readyForRenewal)).toBe(true);
  });

  it("keeps the private key input secret in the recorded inputs and the state", async () => {
    const cert = new tls.SelfSignedCert("secret-input", {
      privateKeyPem: key().privateKeyPem,
      subject: { commonName: "x" },
      allowedUses: [],
      validityPeriodHours: 1,
    });
    await awaitOutput(cert.certPem);
    const r = env.byName("secret-input");
    expect(r.secretInputs).toEqual(["privateKeyPem"]);
    expect(r.secretOutputs).toContain("privateKeyPem");
    expect(await pulumi.isSecret(cert.privateKeyPem)).toBe(true);
  });
});

describe("CertRequest + LocallySignedCert", () => {
  let caCert: tls.SelfSignedCert;
  let caKey: tls.PrivateKey;
  beforeAll(() => {
    caKey = new tls.PrivateKey("issuer-key", { algorithm: "ECDSA", ecdsaCurve: "P384" });
    caCert = new tls.SelfSignedCert("issuer", {
      privateKeyPem: caKey.privateKeyPem,
      subject: { commonName: "Issuer" },
      isCaCertificate: true,
      allowedUses: caUses,
      validityPeriodHours: 100,
    });
  });

  function sign(
    name: string,
    subject: tls.types.input.CertRequestSubject,
    extra: Partial<tls.LocallySignedCertArgs> = {},
  ) {
    const key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const csr = new tls.CertRequest(`${name}-csr`, {
      privateKeyPem: key.privateKeyPem,
      subject,
      dnsNames: ["a.example"],
      uris: ["spiffe://td.example/a"],
      ipAddresses: ["10.1.2.3"],
    });
    const cert = new tls.LocallySignedCert(name, {
      certRequestPem: csr.certRequestPem,
      caCertPem: caCert.certPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      allowedUses: ["digital_signature", "client_auth"],
      validityPeriodHours: 10,
      ...extra,
    });
    return { key, csr, cert };
  }

  it("takes subject and SANs from the CSR and sets AKID = issuer SKID", async () => {
    const { csr, cert } = sign("leaf", { commonName: "leaf", organization: "Org" });
    const req = parseCertificateRequest(await awaitOutput(csr.certRequestPem));
    expect(req.signatureValid).toBe(true);
    expect(req.dnsNames).toEqual(["a.example"]);
    const info = inspectCertificate(await awaitOutput(cert.certPem));
    const ca = inspectCertificate(await awaitOutput(caCert.certPem));
    expect(info.subjectText).toBe("O=Org, CN=leaf");
    expect(info.issuerText).toBe("CN=Issuer");
    expect(info.sans).toEqual({ dns: ["a.example"], uri: ["spiffe://td.example/a"], ip: ["10.1.2.3"], email: [] });
    expect(info.authorityKeyId).toBe(ca.subjectKeyId);
    expect(info.x509.verify(ca.x509.publicKey)).toBe(true);
    // Go picks the digest from the CA key: P-384 signs with SHA-384.
    expect(info.signatureAlgorithm).toBe("ecdsa-with-SHA384");
    expect(await awaitOutput(cert.caKeyAlgorithm)).toBe("ECDSA");
    expect(await pulumi.isSecret(cert.caPrivateKeyPem)).toBe(true);
  });

  it("omits the AKID when the subject equals the issuer's (Go's subject ≠ issuer rule)", async () => {
    const { cert } = sign("same-subject", { commonName: "Issuer" });
    const info = inspectCertificate(await awaitOutput(cert.certPem));
    expect(info.issuerText).toBe(info.subjectText);
    expect(info.authorityKeyId).toBeUndefined();
  });

  it("drops the CSR's emailAddress from the subject, as Go's re-encoding does", async () => {
    const { csr, cert } = sign("email", { commonName: "mail", emailAddress: "ops@example.com" });
    expect(parseCertificateRequest(await awaitOutput(csr.certRequestPem)).subject.emailAddress).toBe("ops@example.com");
    expect(inspectCertificate(await awaitOutput(cert.certPem)).subjectText).toBe("CN=mail");
  });

  it("emits pathlen only when positive: maxPathLength 0 gives an unconstrained CA", async () => {
    const zero = sign(
      "pathlen-zero",
      { commonName: "int0" },
      { isCaCertificate: true, maxPathLength: 0, allowedUses: caUses },
    );
    const two = sign(
      "pathlen-two",
      { commonName: "int2" },
      { isCaCertificate: true, maxPathLength: 2, allowedUses: caUses },
    );
    expect(inspectCertificate(await awaitOutput(zero.cert.certPem)).basicConstraints).toEqual({
      ca: true,
      pathLength: undefined,
      critical: true,
    });
    expect(inspectCertificate(await awaitOutput(two.cert.certPem)).basicConstraints).toEqual({
      ca: true,
      pathLength: 2,
      critical: true,
    });
    expect(inspectCertificate(await awaitOutput(two.cert.certPem)).subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
  });

  it("records the dependencies through consumed outputs", async () => {
    const { cert } = sign("deps", { commonName: "deps" });
    await awaitOutput(cert.certPem);
    const r = env.byName("deps");
    const urnOf = (n: string) => env.byName(n).urn;
    expect(r.propertyDependencies.certRequestPem).toEqual([urnOf("deps-csr")]);
    expect(r.propertyDependencies.caCertPem).toEqual([urnOf("issuer")]);
    expect(r.propertyDependencies.caPrivateKeyPem).toEqual([urnOf("issuer-key")]);
    expect([...r.dependencies].sort()).toEqual([urnOf("deps-csr"), urnOf("issuer"), urnOf("issuer-key")].sort());
  });
});

describe("invokes", () => {
  it("getPublicKey derives the public forms from a private key PEM", async () => {
    const key = new tls.PrivateKey("for-invoke", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const pem = await awaitOutput(key.privateKeyPem);
    const result = await tls.getPublicKey({ privateKeyPem: pem });
    expect(result.publicKeyPem).toBe(await awaitOutput(key.publicKeyPem));
    expect(result.publicKeyOpenssh).toBe(await awaitOutput(key.publicKeyOpenssh));
    expect(result.algorithm).toBe("ECDSA");
    expect(env.invokes.map((i) => i.token)).toContain("tls:index/getPublicKey:getPublicKey");
  });

  it("getCertificate parses PEM content (a URL would need the network and is refused)", async () => {
    const key = new tls.PrivateKey("for-getcert", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const cert = new tls.SelfSignedCert("for-getcert", {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: "Fetched CA" },
      isCaCertificate: true,
      allowedUses: caUses,
      validityPeriodHours: 5,
    });
    const pem = await awaitOutput(cert.certPem);
    const result = await tls.getCertificate({ content: pem });
    expect(result.certificates).toHaveLength(1);
    expect(result.certificates[0]).toMatchObject({
      isCa: true,
      subject: "CN=Fetched CA",
      certPem: pem,
      notBefore: "2026-05-01T12:00:00.000Z",
    });
    await expect(tls.getCertificate({ url: "https://example.com" })).rejects.toThrow(
      "tls:index/getCertificate:getCertificate: only `content` is emulated offline (a `url` would need the network)",
    );
  });
});
