import { generateKey, issuerFromPem, OID, type KeyMaterial } from "../x509";
import {
  checkGcpClientCertificate,
  checkGcpTrustCertificate,
  gcpReasonFor,
  GCP_MAX_CLIENT_CHAIN_BYTES,
  type GcpViolation,
} from "./gcp-rules";
import {
  dnsNameConstraints,
  expired,
  makeClient,
  makeIntermediate,
  makeRoot,
  makeSelfSigned,
  notYetValid,
  resign,
  type Issued,
} from "./__fixtures__/pki";

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
function check(leaf: Issued | string, extra: Partial<Parameters<typeof checkGcpClientCertificate>[0]> = {}) {
  return checkGcpClientCertificate({
    leafPem: typeof leaf === "string" ? leaf : leaf.pem,
    intermediatesPems: [intermediate.pem],
    trustAnchors: [root.pem],
    ...extra,
  });
}

const codes = (violations: readonly GcpViolation[]) => violations.map((v) => v.code);

describe("checkGcpClientCertificate: the leaf", () => {
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
      ["client_cert_unsupported_elliptic_curve_key"],
    ],
    [
      "ECDSA P-521 client",
      () => makeClient(intermediate, "p521", { key: { algorithm: "ECDSA", ecdsaCurve: "P521" } }),
      ["client_cert_unsupported_elliptic_curve_key"],
    ],
    [
      "Ed25519 client",
      () => makeClient(intermediate, "ed", { key: { algorithm: "ED25519" } }),
      ["client_cert_unsupported_key_algorithm"],
    ],
    [
      "RSA-1024 client",
      () => makeClient(intermediate, "rsa1024", { key: rsa1024 }),
      ["client_cert_invalid_rsa_key_size"],
    ],
    ["RSA-2048 client", () => makeClient(intermediate, "rsa2048", { key: rsa2048 }), []],
    ["RSA-4096 client", () => makeClient(intermediate, "rsa4096", { key: rsa4096 }), []],
    [
      "CA:TRUE leaf",
      () => makeClient(intermediate, "ca-leaf", { template: { isCa: true } }),
      ["client_cert_leaf_is_ca"],
    ],
    [
      "leaf without EKU",
      () => makeClient(intermediate, "no-eku", { template: { allowedUses: ["digital_signature"] } }),
      ["client_cert_chain_invalid_eku"],
    ],
    [
      "serverAuth-only leaf",
      () => makeClient(intermediate, "srv", { template: { allowedUses: ["digital_signature", "server_auth"] } }),
      ["client_cert_chain_invalid_eku"],
    ],
    [
      "clientAuth + codeSigning leaf",
      () => makeClient(intermediate, "cs", { template: { allowedUses: ["client_auth", "code_signing"] } }),
      ["client_cert_chain_invalid_eku"],
    ],
    [
      "clientAuth + timeStamping leaf",
      () => makeClient(intermediate, "ts", { template: { allowedUses: ["client_auth", "timestamping"] } }),
      ["client_cert_chain_invalid_eku"],
    ],
    [
      "clientAuth + OCSPSigning leaf",
      () => makeClient(intermediate, "ocsp", { template: { allowedUses: ["client_auth", "ocsp_signing"] } }),
      ["client_cert_chain_invalid_eku"],
    ],
    [
      "clientAuth + serverAuth leaf",
      () => makeClient(intermediate, "both", { template: { allowedUses: ["client_auth", "server_auth"] } }),
      [],
    ],
    ["expired leaf", () => makeClient(intermediate, "old", expired()), ["client_cert_expired"]],
    ["not-yet-valid leaf", () => makeClient(intermediate, "new", notYetValid()), ["client_cert_not_yet_valid"]],
    ["self-signed client", () => makeSelfSigned("selfie"), ["client_cert_self_signed"]],
    [
      "SPIFFE ID of 2048 bytes",
      () => makeClient(intermediate, "spiffe-max", { template: { uris: [spiffeId(2048)] } }),
      [],
    ],
    [
      "SPIFFE ID of 2049 bytes",
      () => makeClient(intermediate, "spiffe-long", { template: { uris: [spiffeId(2049)] } }),
      ["client_cert_spiffe_id_too_long"],
    ],
    [
      "URI SAN of 513 bytes",
      () => makeClient(intermediate, "uri-long", { template: { uris: ["https://a.test/" + "x".repeat(513 - 15)] } }),
      ["client_cert_san_too_long"],
    ],
    [
      "DNS SAN of 512 bytes",
      () => makeClient(intermediate, "dns-max", { template: { dnsNames: ["d".repeat(507) + ".test"] } }),
      [],
    ],
    [
      "DNS SAN of 513 bytes",
      () => makeClient(intermediate, "dns-long", { template: { dnsNames: ["d".repeat(508) + ".test"] } }),
      ["client_cert_san_too_long"],
    ],
  ];

  it.each(cases.map(([name, make, expected]) => ({ name, make, expected })))(
    "$name → $expected",
    ({ make, expected }) => {
      expect(codes(check(make()))).toEqual(expected);
    },
  );

  it("rejects a SHA-1 signature", () => {
    const sha1 = resign(makeClient(intermediate, "sha1").pem, intermediate.key.privateKey, {
      hash: "sha1",
      signatureOid: OID.ecdsaWithSha1,
    });
    expect(codes(check(sha1))).toEqual(["client_cert_unsupported_signature_algorithm"]);
  });

  it("names the certificate and the fix in each message", () => {
    const [v] = check(makeClient(intermediate, "no-eku", { template: { allowedUses: ["digital_signature"] } }));
    expect(v).toEqual({
      code: "client_cert_chain_invalid_eku",
      certificate: "CN=no-eku",
      message: expect.stringContaining('Add "client_auth" to allowedUses'),
    });
  });

  it("uses `now` for validity", () => {
    const leaf = makeClient(intermediate, "now");
    expect(codes(check(leaf, { now: new Date(Date.now() + 30 * 24 * 3600_000) }))).toEqual([
      "client_cert_expired",
      "client_cert_expired",
      "client_cert_expired",
    ]);
  });
});

describe("checkGcpClientCertificate: the path", () => {
  it("accepts a leaf sent without the intermediate when the TrustConfig holds it", () => {
    const leaf = makeClient(intermediate, "bare");
    expect(check(leaf, { intermediatesPems: [], trustConfigIntermediates: [intermediate.pem] })).toEqual([]);
  });

  it("accepts a bundle (leaf + intermediate) as leafPem", () => {
    const leaf = makeClient(intermediate, "bundle");
    expect(check(leaf.pem + intermediate.pem, { intermediatesPems: [] })).toEqual([]);
  });

  it("reports an intermediate missing everywhere as an unknown issuer", () => {
    const [v, ...rest] = check(makeClient(intermediate, "orphan"), { intermediatesPems: [] });
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ code: "client_cert_unknown_issuer", certificate: "CN=orphan" });
    expect(gcpReasonFor(v!.code)).toBe("client_cert_validation_failed");
  });

  it("reports a chain ending at a root that is not an anchor", () => {
    const otherRoot = makeRoot("Other Root");
    const otherIntermediate = makeIntermediate(otherRoot, "Other CA");
    const violations = check(makeClient(otherIntermediate, "stranger"), {
      intermediatesPems: [otherIntermediate.pem, otherRoot.pem],
    });
    expect(violations).toMatchObject([{ code: "client_cert_untrusted_root", certificate: "CN=Other Root" }]);
  });

  it("does not treat a TrustConfig intermediate as an anchor", () => {
    const leaf = makeClient(intermediate, "leaf");
    expect(codes(check(leaf, { trustAnchors: [], trustConfigIntermediates: [intermediate.pem] }))).toEqual([
      "client_cert_unknown_issuer",
    ]);
  });

  it("rejects an intermediate whose EKU lacks clientAuth, accepts one that has it", () => {
    const serverCa = makeIntermediate(root, "Server CA", {
      template: { allowedUses: ["cert_signing", "server_auth"] },
    });
    expect(check(makeClient(serverCa, "a"), { intermediatesPems: [serverCa.pem] })).toMatchObject([
      { code: "client_cert_chain_invalid_eku", certificate: "CN=Server CA" },
    ]);
    const clientCa = makeIntermediate(root, "Client CA", {
      template: { allowedUses: ["cert_signing", "client_auth"] },
    });
    expect(check(makeClient(clientCa, "b"), { intermediatesPems: [clientCa.pem] })).toEqual([]);
  });

  it("rejects an issuer without keyCertSign and an issuer that is not a CA", () => {
    const noCertSign = makeIntermediate(root, "No CertSign", { template: { allowedUses: ["digital_signature"] } });
    expect(codes(check(makeClient(noCertSign, "a"), { intermediatesPems: [noCertSign.pem] }))).toEqual([
      "client_cert_issuer_missing_key_cert_sign",
    ]);
    const notCa = makeIntermediate(root, "Not A CA", { template: { isCa: false, subjectKeyId: Buffer.alloc(20, 7) } });
    expect(codes(check(makeClient(notCa, "b"), { intermediatesPems: [notCa.pem] }))).toEqual([
      "client_cert_issuer_not_ca",
    ]);
  });

  it("rejects an issuer with an unsupported key", () => {
    const p224Ca = makeIntermediate(root, "P224 CA", { key: { algorithm: "ECDSA", ecdsaCurve: "P224" } });
    expect(check(makeClient(p224Ca, "a"), { intermediatesPems: [p224Ca.pem] })).toMatchObject([
      { code: "client_cert_unsupported_elliptic_curve_key", certificate: "CN=P224 CA" },
    ]);
  });

  it("rejects an expired intermediate", () => {
    const old = makeIntermediate(root, "Old CA", expired());
    expect(check(makeClient(old, "a"), { intermediatesPems: [old.pem] })).toMatchObject([
      { code: "client_cert_expired", certificate: "CN=Old CA" },
    ]);
  });

  it("requires each AKID to equal the issuer's SKID", () => {
    const wrongSkid = {
      ...issuerFromPem(intermediate.pem, intermediate.key.privateKey),
      subjectKeyId: Buffer.alloc(20, 1),
    };
    expect(check(makeClient(wrongSkid, "wrong-akid"))).toMatchObject([
      { code: "client_cert_akid_mismatch", certificate: "CN=wrong-akid", message: expect.stringContaining("0101") },
    ]);
    const noSkid = { ...issuerFromPem(intermediate.pem, intermediate.key.privateKey), subjectKeyId: undefined };
    expect(check(makeClient(noSkid, "no-akid"))).toMatchObject([
      { code: "client_cert_akid_mismatch", message: expect.stringContaining("has no authorityKeyIdentifier") },
    ]);
  });

  it("allows a chain depth of 10 and rejects 11", () => {
    // root + 8 intermediates + leaf = 10; one more intermediate makes 11.
    const cas = [root];
    for (let i = 1; i <= 9; i++) cas.push(makeIntermediate(cas[i - 1]!, `CA ${i}`));
    const sent = (n: number) => cas.slice(1, n + 1).map((c) => c.pem);
    const depth10 = makeClient(cas[8]!, "depth-10");
    expect(check(depth10, { intermediatesPems: sent(8) })).toEqual([]);
    const depth11 = makeClient(cas[9]!, "depth-11");
    expect(check(depth11, { intermediatesPems: sent(9) })).toMatchObject([{ code: "client_cert_pki_too_large" }]);
  });

  it("rejects a client sending more than 10 certificates", () => {
    const violations = check(makeClient(intermediate, "chatty"), {
      intermediatesPems: Array(10).fill(intermediate.pem),
    });
    expect(violations).toMatchObject([
      { code: "client_cert_pki_too_large", message: expect.stringContaining("sends 11 certificates") },
    ]);
  });

  it("rejects a client sending more than 16 KiB of certificates", () => {
    const names = Array.from({ length: 40 }, (_, i) => `${"n".repeat(440)}.${i}.test`);
    const big = makeClient(intermediate, "big", { template: { dnsNames: names } });
    const violations = check(big);
    expect(violations).toMatchObject([{ code: "client_cert_pki_too_large" }]);
    expect(violations[0]!.message).toContain(`at most ${GCP_MAX_CLIENT_CHAIN_BYTES}`);
  });

  it("rejects an issuer carrying more than 10 name constraints", () => {
    const constrained = (count: number) =>
      resign(intermediate.pem, root.key.privateKey, {
        hash: "sha256",
        signatureOid: OID.ecdsaWithSha256,
        addExtensions: [dnsNameConstraints(count)],
      });
    const leaf = makeClient(intermediate, "constrained");
    expect(check(leaf, { intermediatesPems: [constrained(10)] })).toEqual([]);
    expect(codes(check(leaf, { intermediatesPems: [constrained(11)] }))).toEqual([
      "client_cert_chain_max_name_constraints_exceeded",
    ]);
  });
});

describe("checkGcpTrustCertificate", () => {
  const cases: [string, () => string, "anchor" | "intermediate", string[]][] = [
    ["root", () => root.pem, "anchor", []],
    ["intermediate", () => intermediate.pem, "intermediate", []],
    [
      "leaf",
      () => makeClient(intermediate, "leaf").pem,
      "anchor",
      ["trust_config_cert_not_ca", "trust_config_cert_missing_key_cert_sign"],
    ],
    [
      "CA without keyCertSign",
      () => makeRoot("No CertSign Root", { template: { allowedUses: ["crl_signing"] } }).pem,
      "anchor",
      ["trust_config_cert_missing_key_cert_sign"],
    ],
    [
      "root with serverAuth-only EKU",
      () => makeRoot("Server Root", { template: { allowedUses: ["cert_signing", "server_auth"] } }).pem,
      "anchor",
      ["client_cert_chain_invalid_eku"],
    ],
    [
      "P-224 root",
      () => makeRoot("P224 Root", { key: { algorithm: "ECDSA", ecdsaCurve: "P224" } }).pem,
      "anchor",
      ["client_cert_unsupported_elliptic_curve_key"],
    ],
    [
      "RSA-1024 root",
      () => makeRoot("RSA1024 Root", { key: rsa1024 }).pem,
      "anchor",
      ["client_cert_invalid_rsa_key_size"],
    ],
    ["RSA-2048 root", () => makeRoot("RSA2048 Root", { key: rsa2048 }).pem, "anchor", []],
    [
      "Ed25519 root",
      () => makeRoot("Ed Root", { key: { algorithm: "ED25519" } }).pem,
      "anchor",
      ["client_cert_unsupported_key_algorithm", "client_cert_unsupported_signature_algorithm"],
    ],
    ["expired root", () => makeRoot("Old Root", expired()).pem, "anchor", ["trust_config_cert_expired"]],
    [
      "not-yet-valid root",
      () => makeRoot("New Root", notYetValid()).pem,
      "anchor",
      ["trust_config_cert_not_yet_valid"],
    ],
    ["root", () => root.pem, "intermediate", ["trust_config_intermediate_self_signed"]],
    ["bundle of two", () => root.pem + intermediate.pem, "anchor", ["trust_config_invalid_pem"]],
    ["not a PEM", () => "hello", "anchor", ["trust_config_invalid_pem"]],
  ];

  it.each(cases.map(([name, pem, role, expected]) => ({ name, pem, role, expected })))(
    "$name as $role → $expected",
    ({ pem, role, expected }) => {
      expect(codes(checkGcpTrustCertificate(pem(), role))).toEqual(expected);
    },
  );

  it("rejects a PEM entry over 5 KiB", () => {
    const names = Array.from({ length: 12 }, (_, i) => `${"n".repeat(300)}.${i}.test`);
    const big = makeRoot("Big Root", { template: { dnsNames: names } });
    expect(codes(checkGcpTrustCertificate(big.pem, "anchor"))).toEqual(["trust_config_pem_too_large"]);
  });

  it("rejects a SHA-1 signed intermediate", () => {
    const sha1 = resign(intermediate.pem, root.key.privateKey, { hash: "sha1", signatureOid: OID.ecdsaWithSha1 });
    expect(checkGcpTrustCertificate(sha1, "intermediate")).toMatchObject([
      { code: "client_cert_unsupported_signature_algorithm", certificate: "CN=Issuing CA" },
    ]);
  });

  it("rejects more than 10 name constraints", () => {
    const pem = resign(intermediate.pem, root.key.privateKey, {
      hash: "sha256",
      signatureOid: OID.ecdsaWithSha256,
      addExtensions: [dnsNameConstraints(11)],
    });
    expect(codes(checkGcpTrustCertificate(pem, "intermediate"))).toEqual([
      "client_cert_chain_max_name_constraints_exceeded",
    ]);
  });

  it("checks validity against the given time", () => {
    const later = new Date(Date.now() + 30 * 24 * 3600_000);
    expect(codes(checkGcpTrustCertificate(root.pem, "anchor", { now: later }))).toEqual(["trust_config_cert_expired"]);
  });
});

describe("gcpReasonFor", () => {
  it.each([
    ["CERT_HAS_EXPIRED", "client_cert_validation_failed"],
    ["CERT_NOT_YET_VALID", "client_cert_validation_failed"],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "client_cert_validation_failed"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "client_cert_validation_failed"],
    ["INVALID_PURPOSE", "client_cert_chain_invalid_eku"],
    ["NO_CERTIFICATE", "client_cert_not_provided"],
    ["CERT_CHAIN_TOO_LONG", "client_cert_pki_too_large"],
    ["client_cert_invalid_rsa_key_size", "client_cert_invalid_rsa_key_size"],
    ["client_cert_akid_mismatch", "client_cert_validation_failed"],
    ["SOMETHING_NEW", "client_cert_validation_failed"],
  ])("%s → %s", (code, reason) => {
    expect(gcpReasonFor(code)).toBe(reason);
  });
});

/** A syntactically valid SPIFFE ID of exactly `bytes` bytes. */
function spiffeId(bytes: number): string {
  const prefix = "spiffe://td.test/";
  return prefix + "p".repeat(bytes - prefix.length);
}
