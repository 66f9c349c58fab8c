import {
  CERTIFICATE_LIMITS,
  checkCertificate,
  checkClientChain,
  checkIssuer,
  checkTrustStore,
  type CertificateViolation,
} from "@gcp-mtls/rules";
import { generateKey, issuerFromPem, OID, type KeyMaterial } from "@gcp-mtls/testing";
import {
  dnsNameConstraints,
  expired,
  makeClient,
  makeIntermediate,
  makeRoot,
  makeSelfSigned,
  makeServer,
  notYetValid,
  resign,
  type Issued,
} from "../../packages/testing/src/handshake/__fixtures__/pki";

// The one certificate rule set (`@gcp-mtls/rules`): each catalogue entry of kind `certificate` by its id.

let root: Issued;
let intermediate: Issued;
let rsa1024: KeyMaterial;
let rsa2048: KeyMaterial;
let rsa4096: KeyMaterial;

beforeAll(() => {
  root = makeRoot("Root CA");
  intermediate = makeIntermediate(root, "Issuing CA");
  // RSA keys only where a size boundary is the point: 1024 (too small), 2048 and 4096 (the accepted range).
  rsa1024 = generateKey({ algorithm: "RSA", rsaBits: 1024 });
  rsa2048 = generateKey({ algorithm: "RSA", rsaBits: 2048 });
  rsa4096 = generateKey({ algorithm: "RSA", rsaBits: 4096 });
});

/** Checks `leaf` sent with the intermediate against a TrustConfig anchored at `root`. */
function check(leaf: Issued | string, extra: Partial<Parameters<typeof checkClientChain>[0]> = {}) {
  return checkClientChain({
    leafPem: typeof leaf === "string" ? leaf : leaf.pem,
    intermediatesPems: [intermediate.pem],
    trustAnchors: [root.pem],
    ...extra,
  });
}

const rules = (violations: readonly CertificateViolation[]) => violations.map((v) => v.rule);

describe("client chains: the leaf", () => {
  const cases: [string, () => Issued, string[]][] = [
    ["valid ECDSA P-256 client", () => makeClient(intermediate, "ok"), []],
    [
      "ECDSA P-384 client",
      () => makeClient(intermediate, "p384", { key: { algorithm: "ECDSA", ecdsaCurve: "P384" } }),
      [],
    ],
    [
      "ECDSA P-224 client",
      () => makeClient(intermediate, "p224", { key: { algorithm: "ECDSA", ecdsaCurve: "P224" } }),
      ["cert.key.algorithm"],
    ],
    [
      "ECDSA P-521 client",
      () => makeClient(intermediate, "p521", { key: { algorithm: "ECDSA", ecdsaCurve: "P521" } }),
      ["cert.key.algorithm"],
    ],
    [
      "Ed25519 client",
      () => makeClient(intermediate, "ed", { key: { algorithm: "ED25519" } }),
      ["cert.key.algorithm"], // signed by the ECDSA intermediate: the signature itself is fine
    ],
    ["RSA-1024 client", () => makeClient(intermediate, "rsa1024", { key: rsa1024 }), ["cert.key.algorithm"]],
    ["RSA-2048 client", () => makeClient(intermediate, "rsa2048", { key: rsa2048 }), []],
    ["RSA-4096 client", () => makeClient(intermediate, "rsa4096", { key: rsa4096 }), []],
    ["CA:TRUE leaf", () => makeClient(intermediate, "ca-leaf", { template: { isCa: true } }), ["cert.leaf.not-ca"]],
    [
      "leaf without EKU",
      () => makeClient(intermediate, "no-eku", { template: { allowedUses: ["digital_signature"] } }),
      ["cert.leaf.client-auth-eku"],
    ],
    [
      "serverAuth-only leaf",
      () => makeClient(intermediate, "srv", { template: { allowedUses: ["digital_signature", "server_auth"] } }),
      ["cert.leaf.client-auth-eku"],
    ],
    [
      "clientAuth + codeSigning leaf",
      () => makeClient(intermediate, "cs", { template: { allowedUses: ["client_auth", "code_signing"] } }),
      ["cert.leaf.forbidden-eku"],
    ],
    [
      "clientAuth + timeStamping leaf",
      () => makeClient(intermediate, "ts", { template: { allowedUses: ["client_auth", "timestamping"] } }),
      ["cert.leaf.forbidden-eku"],
    ],
    [
      "clientAuth + OCSPSigning leaf",
      () => makeClient(intermediate, "ocsp", { template: { allowedUses: ["client_auth", "ocsp_signing"] } }),
      ["cert.leaf.forbidden-eku"],
    ],
    [
      "clientAuth + serverAuth leaf",
      () => makeClient(intermediate, "both", { template: { allowedUses: ["client_auth", "server_auth"] } }),
      [],
    ],
    ["expired leaf", () => makeClient(intermediate, "old", expired()), ["cert.validity.current"]],
    ["not-yet-valid leaf", () => makeClient(intermediate, "new", notYetValid()), ["cert.validity.current"]],
    ["self-signed client", () => makeSelfSigned("selfie"), ["cert.leaf.not-self-signed"]],
    [
      "SPIFFE ID of 2048 bytes",
      () => makeClient(intermediate, "spiffe-max", { template: { uris: [spiffeId(2048)] } }),
      [],
    ],
    [
      "SPIFFE ID of 2049 bytes",
      () => makeClient(intermediate, "spiffe-long", { template: { uris: [spiffeId(2049)] } }),
      [] /* a header limit, not a validation rule: custom-headers page */,
    ],
    [
      "URI SAN of 513 bytes",
      () => makeClient(intermediate, "uri-long", { template: { uris: ["https://a.test/" + "x".repeat(513 - 15)] } }),
      [] /* a header limit, not a validation rule: custom-headers page */,
    ],
    [
      "DNS SAN of 512 bytes",
      () => makeClient(intermediate, "dns-max", { template: { dnsNames: ["d".repeat(507) + ".test"] } }),
      [],
    ],
    [
      "DNS SAN of 513 bytes",
      () => makeClient(intermediate, "dns-long", { template: { dnsNames: ["d".repeat(508) + ".test"] } }),
      [] /* a header limit, not a validation rule: custom-headers page */,
    ],
  ];

  it.each(cases.map(([name, make, expected]) => ({ name, make, expected })))(
    "$name → $expected",
    ({ make, expected }) => {
      expect(rules(check(make()))).toEqual(expected);
    },
  );

  it("logs Google Cloud's reason for each key problem", () => {
    const reason = (key: Parameters<typeof makeClient>[2]) =>
      check(makeClient(intermediate, "k", key)).find((v) => v.rule === "cert.key.algorithm")?.reason;
    expect(reason({ key: rsa1024 })).toBe("client_cert_invalid_rsa_key_size");
    expect(reason({ key: { algorithm: "ECDSA", ecdsaCurve: "P521" } })).toBe(
      "client_cert_unsupported_elliptic_curve_key",
    );
    expect(reason({ key: { algorithm: "ED25519" } })).toBe("client_cert_unsupported_key_algorithm");
  });

  it("rejects a SHA-1 signature", () => {
    const sha1 = resign(makeClient(intermediate, "sha1").pem, intermediate.key.privateKey, {
      hash: "sha1",
      signatureOid: OID.ecdsaWithSha1,
    });
    expect(rules(check(sha1))).toEqual(["cert.signature.algorithm"]);
  });

  it("names the certificate, the problem and the fix in each message", () => {
    const [v] = check(makeClient(intermediate, "no-eku", { template: { allowedUses: ["digital_signature"] } }));
    expect(v).toEqual({
      rule: "cert.leaf.client-auth-eku",
      reason: "client_cert_chain_invalid_eku",
      certificate: "CN=no-eku",
      message:
        "(CN=no-eku) has no extendedKeyUsage extension; Google Cloud requires one listing clientAuth on client certificates: issue it with clientAuth",
    });
  });

  it("uses `now` for validity, on the leaf and every CA of the path", () => {
    const leaf = makeClient(intermediate, "now");
    const later = check(leaf, { now: new Date(Date.now() + 30 * 24 * 3600_000) });
    expect(later.map((v) => [v.rule, v.certificate])).toEqual([
      ["cert.validity.current", "CN=now"],
      ["cert.validity.current", "CN=Issuing CA"],
      ["cert.validity.current", "CN=Root CA"],
    ]);
  });
});

describe("client chains: the path", () => {
  it("accepts a leaf sent without the intermediate when the TrustConfig holds it", () => {
    const leaf = makeClient(intermediate, "bare");
    expect(check(leaf, { intermediatesPems: [], trustConfigIntermediates: [intermediate.pem] })).toEqual([]);
  });

  it("accepts a bundle (leaf + intermediate) as leafPem", () => {
    expect(check(makeClient(intermediate, "bundle").pem + intermediate.pem, { intermediatesPems: [] })).toEqual([]);
  });

  it("reports an intermediate missing everywhere, naming the certificate whose issuer is missing", () => {
    expect(check(makeClient(intermediate, "orphan"), { intermediatesPems: [] })).toMatchObject([
      { rule: "cert.chain.signature", certificate: "CN=orphan", reason: "client_cert_validation_failed" },
    ]);
  });

  it("reports a chain ending at a root that is not an anchor", () => {
    const otherRoot = makeRoot("Other Root");
    const otherIntermediate = makeIntermediate(otherRoot, "Other CA");
    expect(
      check(makeClient(otherIntermediate, "stranger"), { intermediatesPems: [otherIntermediate.pem, otherRoot.pem] }),
    ).toMatchObject([{ rule: "cert.chain.signature", certificate: "CN=Other Root" }]);
  });

  it("does not treat a TrustConfig intermediate as an anchor", () => {
    const leaf = makeClient(intermediate, "leaf");
    expect(rules(check(leaf, { trustAnchors: [], trustConfigIntermediates: [intermediate.pem] }))).toEqual([
      "cert.chain.signature",
    ]);
  });

  it("does not accept a certificate that names the right issuer but was signed by another key", () => {
    const impostorCa = makeRoot("Issuing CA"); // same name as the real intermediate, different key
    const forged = makeClient(impostorCa, "forged");
    expect(rules(check(forged))).toEqual(["cert.chain.signature"]);
  });

  it("rejects an intermediate whose EKU lacks clientAuth, accepts one that has it", () => {
    const serverCa = makeIntermediate(root, "Server CA", {
      template: { allowedUses: ["cert_signing", "server_auth"] },
    });
    expect(check(makeClient(serverCa, "a"), { intermediatesPems: [serverCa.pem] })).toMatchObject([
      { rule: "cert.ca.client-auth-eku", certificate: "CN=Server CA", reason: "client_cert_chain_invalid_eku" },
    ]);
    const clientCa = makeIntermediate(root, "Client CA", {
      template: { allowedUses: ["cert_signing", "client_auth"] },
    });
    expect(check(makeClient(clientCa, "b"), { intermediatesPems: [clientCa.pem] })).toEqual([]);
  });

  it("rejects an issuer without keyCertSign and an issuer that is not a CA", () => {
    const noCertSign = makeIntermediate(root, "No CertSign", { template: { allowedUses: ["digital_signature"] } });
    expect(rules(check(makeClient(noCertSign, "a"), { intermediatesPems: [noCertSign.pem] }))).toEqual([
      "cert.ca.key-cert-sign",
    ]);
    const notCa = makeIntermediate(root, "Not A CA", { template: { isCa: false, subjectKeyId: Buffer.alloc(20, 7) } });
    expect(rules(check(makeClient(notCa, "b"), { intermediatesPems: [notCa.pem] }))).toEqual([
      "cert.ca.basic-constraints",
    ]);
  });

  it("rejects an issuer with an unsupported key, and an expired intermediate", () => {
    const p224Ca = makeIntermediate(root, "P224 CA", { key: { algorithm: "ECDSA", ecdsaCurve: "P224" } });
    expect(check(makeClient(p224Ca, "a"), { intermediatesPems: [p224Ca.pem] })).toMatchObject([
      { rule: "cert.key.algorithm", certificate: "CN=P224 CA" },
    ]);
    const old = makeIntermediate(root, "Old CA", expired());
    expect(check(makeClient(old, "a"), { intermediatesPems: [old.pem] })).toMatchObject([
      { rule: "cert.validity.current", certificate: "CN=Old CA" },
    ]);
  });

  it("requires each AKID to equal the issuer's SKID, and every CA to have a SKID", () => {
    const wrongSkid = {
      ...issuerFromPem(intermediate.pem, intermediate.key.privateKey),
      subjectKeyId: Buffer.alloc(20, 1),
    };
    expect(check(makeClient(wrongSkid, "wrong-akid"))).toMatchObject([
      { rule: "cert.chain.authority-key-id", certificate: "CN=wrong-akid", message: expect.stringContaining("0101") },
    ]);
    const noSkid = { ...issuerFromPem(intermediate.pem, intermediate.key.privateKey), subjectKeyId: undefined };
    expect(check(makeClient(noSkid, "no-akid"))).toMatchObject([
      { rule: "cert.chain.authority-key-id", message: expect.stringContaining("has no authorityKeyIdentifier") },
    ]);
    const skidless = makeIntermediate(root, "Skidless CA", { template: { omitSubjectKeyId: true } });
    expect(rules(checkCertificate(skidless.pem, "intermediate"))).toEqual(["cert.ca.subject-key-id"]);
  });

  it("enforces path length: pathlen:0 allows no intermediate CA below", () => {
    const zeroRoot = makeRoot("Zero Root", { template: { maxPathLength: 0, maxPathLenZero: true } });
    const below = makeIntermediate(zeroRoot, "Below Zero");
    expect(
      check(makeClient(below, "a"), { trustAnchors: [zeroRoot.pem], intermediatesPems: [below.pem] }),
    ).toMatchObject([
      { rule: "cert.chain.path-length", certificate: "CN=Zero Root", message: expect.stringContaining("pathlen:0") },
    ]);
    // pathlen:0 on the intermediate itself still lets it issue leaves.
    const zeroInt = makeIntermediate(root, "Zero Int", { template: { maxPathLength: 0, maxPathLenZero: true } });
    expect(check(makeClient(zeroInt, "b"), { intermediatesPems: [zeroInt.pem] })).toEqual([]);
    const tooDeep = makeIntermediate(zeroInt, "Too Deep");
    expect(rules(check(makeClient(tooDeep, "c"), { intermediatesPems: [zeroInt.pem, tooDeep.pem] }))).toEqual([
      "cert.chain.path-length",
    ]);
  });

  it("enforces name constraints on DNS names, URIs and IPs, permitted and excluded", () => {
    const constrained = (nc: Parameters<typeof makeIntermediate>[2]) => makeIntermediate(root, "Constrained CA", nc);
    const dnsCa = constrained({ template: { nameConstraints: { permitted: [{ dns: "corp.example" }] } } });
    const chain = (ca: Issued, leaf: Issued) => check(leaf, { intermediatesPems: [ca.pem] });
    expect(chain(dnsCa, makeClient(dnsCa, "in", { template: { dnsNames: ["a.corp.example"] } }))).toEqual([]);
    expect(chain(dnsCa, makeClient(dnsCa, "out", { template: { dnsNames: ["a.other.example"] } }))).toMatchObject([
      { rule: "cert.chain.name-constraints", message: expect.stringContaining("`a.other.example`") },
    ]);
    // OpenSSL checks a leaf's host-like CN as a DNS name when it has no DNS SAN.
    expect(rules(chain(dnsCa, makeClient(dnsCa, "host.other.example")))).toEqual(["cert.chain.name-constraints"]);
    const uriCa = constrained({ template: { nameConstraints: { permitted: [{ uri: ".spiffe.example" }] } } });
    expect(
      rules(chain(uriCa, makeClient(uriCa, "u1", { template: { uris: ["spiffe://td.spiffe.example/ns/a"] } }))),
    ).toEqual([]);
    expect(
      rules(chain(uriCa, makeClient(uriCa, "u2", { template: { uris: ["spiffe://other.example/ns/a"] } }))),
    ).toEqual(["cert.chain.name-constraints"]);
    const exCa = constrained({
      template: { nameConstraints: { excluded: [{ dns: "blocked.example" }, { ip: "10.0.0.0/8" }] } },
    });
    expect(rules(chain(exCa, makeClient(exCa, "x1", { template: { dnsNames: ["svc.blocked.example"] } })))).toEqual([
      "cert.chain.name-constraints",
    ]);
    expect(rules(chain(exCa, makeClient(exCa, "x2", { template: { ipAddresses: ["10.1.2.3"] } })))).toEqual([
      "cert.chain.name-constraints",
    ]);
    expect(rules(chain(exCa, makeClient(exCa, "x3", { template: { ipAddresses: ["192.168.1.1"] } })))).toEqual([]);
  });

  it("allows a chain depth of 10 and rejects 11", () => {
    const cas = [root];
    for (let i = 1; i <= 9; i++) cas.push(makeIntermediate(cas[i - 1]!, `CA ${i}`));
    const sent = (n: number) => cas.slice(1, n + 1).map((c) => c.pem);
    expect(check(makeClient(cas[8]!, "depth-10"), { intermediatesPems: sent(8) })).toEqual([]);
    expect(check(makeClient(cas[9]!, "depth-11"), { intermediatesPems: sent(9) })).toMatchObject([
      { rule: "cert.chain.depth", reason: "client_cert_validation_search_limit_exceeded" },
    ]);
  });

  it("rejects a client sending more than 10 intermediates, or more than 16 KB", () => {
    expect(
      check(makeClient(intermediate, "chatty"), { intermediatesPems: Array(11).fill(intermediate.pem) }),
    ).toMatchObject([
      { rule: "cert.chain.client-size", message: expect.stringContaining("sends 11 intermediate certificates") },
    ]);
    const names = Array.from({ length: 40 }, (_, i) => `${"n".repeat(440)}.${i}.test`);
    const violations = check(makeClient(intermediate, "big", { template: { dnsNames: names } }));
    expect(rules(violations)).toEqual(["cert.chain.client-size"]);
    expect(violations[0]!.message).toContain(`over Google Cloud's ${CERTIFICATE_LIMITS.clientChainBytes}`);
  });

  it("rejects more than 10 intermediates sharing one subject and key (re-issues piling up), accepts 10", () => {
    const key = generateKey({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    const reissues = Array.from({ length: 11 }, () => makeIntermediate(root, "Reissued CA", { key }));
    const leaf = makeClient(reissues[0]!, "reissued-leaf");
    expect(
      check(leaf, { intermediatesPems: [], trustConfigIntermediates: reissues.slice(0, 10).map((r) => r.pem) }),
    ).toEqual([]);
    expect(check(leaf, { intermediatesPems: [], trustConfigIntermediates: reissues.map((r) => r.pem) })).toMatchObject([
      {
        rule: "cert.chain.duplicate-intermediates",
        reason: "client_cert_pki_too_large",
        certificate: "CN=Reissued CA",
      },
    ]);
    expect(
      checkTrustStore({ trustAnchors: [root.pem], intermediateCas: reissues.map((r) => r.pem) }).map(
        (f) => f.violation.rule,
      ),
    ).toEqual(["cert.chain.duplicate-intermediates"]);
  });

  it("rejects an issuer carrying more than 10 name constraints", () => {
    const constrained = (count: number) =>
      resign(intermediate.pem, root.key.privateKey, {
        hash: "sha256",
        signatureOid: OID.ecdsaWithSha256,
        addExtensions: [dnsNameConstraints(count)],
      });
    const leaf = makeClient(intermediate, "constrained", { template: { dnsNames: ["zone0.example.test"] } });
    expect(check(leaf, { intermediatesPems: [constrained(10)] })).toEqual([]);
    expect(check(leaf, { intermediatesPems: [constrained(11)] })).toMatchObject([
      { rule: "cert.ca.name-constraints-count", reason: "client_cert_chain_max_name_constraints_exceeded" },
    ]);
  });
});

describe("certificates in a role", () => {
  const cases: [string, () => string, Parameters<typeof checkCertificate>[1], string[]][] = [
    ["root", () => root.pem, "anchor", []],
    ["intermediate", () => intermediate.pem, "intermediate", []],
    ["leaf as anchor", () => makeClient(intermediate, "leaf").pem, "anchor", ["cert.ca.basic-constraints"]],
    [
      "CA without keyCertSign",
      () => makeRoot("No CertSign Root", { template: { allowedUses: ["crl_signing"] } }).pem,
      "anchor",
      ["cert.ca.key-cert-sign"],
    ],
    [
      "root with serverAuth-only EKU",
      () => makeRoot("Server Root", { template: { allowedUses: ["cert_signing", "server_auth"] } }).pem,
      "anchor",
      ["cert.ca.client-auth-eku"],
    ],
    [
      "P-224 root",
      () => makeRoot("P224 Root", { key: { algorithm: "ECDSA", ecdsaCurve: "P224" } }).pem,
      "anchor",
      ["cert.key.algorithm"],
    ],
    ["RSA-1024 root", () => makeRoot("RSA1024 Root", { key: rsa1024 }).pem, "anchor", ["cert.key.algorithm"]],
    ["RSA-2048 root", () => makeRoot("RSA2048 Root", { key: rsa2048 }).pem, "anchor", []],
    [
      "Ed25519 root",
      () => makeRoot("Ed Root", { key: { algorithm: "ED25519" } }).pem,
      "anchor",
      ["cert.key.algorithm", "cert.signature.algorithm"],
    ],
    ["expired root", () => makeRoot("Old Root", expired()).pem, "anchor", ["cert.validity.current"]],
    ["not-yet-valid root", () => makeRoot("New Root", notYetValid()).pem, "anchor", ["cert.validity.current"]],
    ["root as intermediate", () => root.pem, "intermediate", ["cert.intermediate.not-self-signed"]],
    ["intermediate as anchor", () => intermediate.pem, "anchor", ["cert.anchor.self-signed"]],
    ["bundle of two", () => root.pem + intermediate.pem, "anchor", ["cert.pem.one-certificate"]],
    ["a private key", () => intermediate.keyPem, "anchor", ["cert.pem.one-certificate"]],
    ["not a PEM", () => "hello", "anchor", ["cert.pem.one-certificate"]],
    [
      "garbage in a certificate block",
      () => "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      "anchor",
      ["cert.pem.parseable"],
    ],
    ["server leaf", () => makeServer(intermediate, "srv.example").pem, "server", []],
    [
      "clientAuth-only leaf as server",
      () => makeClient(intermediate, "cli").pem,
      "server",
      ["cert.leaf.server-auth-eku"],
    ],
    ["expired client as allowlisted", () => makeClient(intermediate, "old", expired()).pem, "allowlisted", []],
  ];

  it.each(cases.map(([name, pem, role, expected]) => ({ name, pem, role, expected })))(
    "$name as $role → $expected",
    ({ pem, role, expected }) => {
      expect(rules(checkCertificate(pem(), role))).toEqual(expected);
    },
  );

  it("rejects a trust store entry over 5 KiB", () => {
    const names = Array.from({ length: 12 }, (_, i) => `${"n".repeat(300)}.${i}.test`);
    const big = makeRoot("Big Root", { template: { dnsNames: names } });
    expect(rules(checkCertificate(big.pem, "anchor"))).toEqual(["cert.pem.size"]);
    // The same certificate is no trust store entry when it is a server certificate: no size rule.
    expect(rules(checkCertificate(big.pem, "issuer"))).toEqual([]);
  });

  it("rejects a SHA-1 signed intermediate and more than 10 name constraints", () => {
    const sha1 = resign(intermediate.pem, root.key.privateKey, { hash: "sha1", signatureOid: OID.ecdsaWithSha1 });
    expect(checkCertificate(sha1, "intermediate")).toMatchObject([
      { rule: "cert.signature.algorithm", certificate: "CN=Issuing CA" },
    ]);
    const constrained = resign(intermediate.pem, root.key.privateKey, {
      hash: "sha256",
      signatureOid: OID.ecdsaWithSha256,
      addExtensions: [dnsNameConstraints(11)],
    });
    expect(rules(checkCertificate(constrained, "intermediate"))).toEqual(["cert.ca.name-constraints-count"]);
  });

  it("checks validity against the given time", () => {
    const later = new Date(Date.now() + 30 * 24 * 3600_000);
    expect(rules(checkCertificate(root.pem, "anchor", { now: later }))).toEqual(["cert.validity.current"]);
  });
});

describe("issuers and trust stores", () => {
  it("accepts an issuer with its own key and refuses another key", () => {
    expect(checkIssuer(intermediate.pem, intermediate.keyPem)).toEqual([]);
    expect(checkIssuer(intermediate.pem, root.keyPem)).toMatchObject([
      { rule: "cert.issuer.key-matches", message: expect.stringContaining("does not match the private key") },
    ]);
  });

  it("checks each entry in its role, duplicates and counts", () => {
    const found = checkTrustStore({ trustAnchors: [root.pem, root.pem], intermediateCas: [root.pem] });
    expect(found.map((f) => [f.path, f.violation.rule])).toEqual([
      ["trustAnchors[1]", "cert.trust-store.unique"],
      ["intermediateCas[0]", "cert.intermediate.not-self-signed"],
      ["intermediateCas[0]", "cert.trust-store.unique"],
    ]);
    const many = checkTrustStore({ trustAnchors: [], intermediateCas: Array(101).fill(intermediate.pem) });
    expect(many.filter((f) => f.violation.rule === "cert.trust-store.counts")).toHaveLength(1);
  });
});

/** A syntactically valid SPIFFE ID of exactly `bytes` bytes. */
function spiffeId(bytes: number): string {
  const prefix = "spiffe://td.test/";
  return prefix + "p".repeat(bytes - prefix.length);
}
