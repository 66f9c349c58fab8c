import { issuerFromPem } from "../x509";
import { mtlsHandshake, serverVerification, type HandshakeOptions, type TlsCredential } from "./handshake";
import {
  expired,
  makeClient,
  makeIntermediate,
  makeRoot,
  makeSelfSigned,
  makeServer,
  notYetValid,
  type Issued,
} from "./__fixtures__/pki";

const SPIFFE_ID = "spiffe://shop.example.test/ns/shop/sa/checkout";

let root: Issued;
let intermediate: Issued;
let server: TlsCredential;
let goodClient: Issued;
let foreignRoot: Issued;
let foreignIntermediate: Issued;
let rsa1024Client: Issued;

/** A client credential that sends `chain` (by default the intermediate) after the leaf. */
function credential(leaf: Issued, chain: readonly Issued[] = [intermediate]): TlsCredential {
  return { certificatePem: leaf.pem, privateKeyPem: leaf.keyPem, chainPems: chain.map((c) => c.pem) };
}

/** The server side of a TrustConfig holding `root` as its only anchor. */
function handshake(overrides: Partial<HandshakeOptions>): ReturnType<typeof mtlsHandshake> {
  return mtlsHandshake({ trustAnchors: [root.pem], server, ...overrides });
}

beforeAll(() => {
  root = makeRoot("Shop Root CA");
  intermediate = makeIntermediate(root, "Shop Issuing CA");
  const serverCert = makeServer(intermediate, "gateway.shop.example.test", {
    template: { dnsNames: ["gateway.shop.example.test", "*.api.shop.example.test"] },
  });
  server = credential(serverCert);
  goodClient = makeClient(intermediate, "checkout", {
    template: { uris: [SPIFFE_ID], dnsNames: ["checkout.shop.svc.cluster.local"] },
  });
  foreignRoot = makeRoot("Foreign Root CA");
  foreignIntermediate = makeIntermediate(foreignRoot, "Foreign Issuing CA");
  // The only RSA key of this file: 1024 bits generate in milliseconds.
  rsa1024Client = makeClient(intermediate, "legacy-rsa", { key: { algorithm: "RSA", rsaBits: 1024 } });
});

describe("mtlsHandshake: client certificate verification", () => {
  it("accepts a valid client and exposes its URI SAN, DNS SAN and CN", async () => {
    const result = await handshake({ client: credential(goodClient) });
    expect(result).toEqual({
      accepted: true,
      verified: true,
      identity: { uriSans: [SPIFFE_ID], dnsSans: ["checkout.shop.svc.cluster.local"], commonName: "checkout" },
      protocol: "TLSv1.3",
    });
  });

  it("rejects a client of another root as an unknown issuer, still showing who it was", async () => {
    const foreign = makeClient(foreignIntermediate, "intruder", { template: { uris: ["spiffe://evil.test/x"] } });
    const result = await handshake({ client: credential(foreign, [foreignIntermediate]) });
    expect(result).toMatchObject({
      accepted: false,
      verified: false,
      reason: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
      gcpReason: "client_cert_validation_failed",
      identity: { uriSans: ["spiffe://evil.test/x"], dnsSans: [], commonName: "intruder" },
    });
  });

  it("rejects an expired client certificate with CERT_HAS_EXPIRED", async () => {
    const result = await handshake({ client: credential(makeClient(intermediate, "old", expired())) });
    expect(result).toMatchObject({
      accepted: false,
      verified: false,
      reason: "CERT_HAS_EXPIRED",
      gcpReason: "client_cert_validation_failed",
    });
  });

  it("rejects a not-yet-valid client certificate with CERT_NOT_YET_VALID", async () => {
    const result = await handshake({ client: credential(makeClient(intermediate, "future", notYetValid())) });
    expect(result).toMatchObject({
      accepted: false,
      reason: "CERT_NOT_YET_VALID",
      gcpReason: "client_cert_validation_failed",
    });
  });

  it("rejects a serverAuth-only leaf presented as a client with INVALID_PURPOSE", async () => {
    const serverOnly = makeClient(intermediate, "server-only", {
      template: { allowedUses: ["digital_signature", "server_auth"] },
    });
    const result = await handshake({ client: credential(serverOnly) });
    expect(result).toMatchObject({
      accepted: false,
      reason: "INVALID_PURPOSE",
      gcpReason: "client_cert_chain_invalid_eku",
    });
  });

  it("accepts a leaf without EKU under OpenSSL alone but rejects it under GCP rules", async () => {
    const noEku = makeClient(intermediate, "no-eku", { template: { allowedUses: ["digital_signature"] } });
    const openssl = await handshake({ client: credential(noEku), gcpRules: false });
    expect(openssl).toMatchObject({ accepted: true, verified: true });
    expect(openssl.reason).toBeUndefined();

    const gcp = await handshake({ client: credential(noEku) });
    expect(gcp).toMatchObject({
      accepted: false,
      verified: false,
      reason: "cert.leaf.client-auth-eku",
      gcpReason: "client_cert_chain_invalid_eku",
      identity: { commonName: "no-eku" },
    });

    const permissive = await handshake({ client: credential(noEku), mode: "permissive" });
    expect(permissive).toMatchObject({ accepted: true, verified: false, reason: "cert.leaf.client-auth-eku" });
  });

  it("rejects a missing certificate in strict mode with NO_CERTIFICATE / client_cert_not_provided", async () => {
    const result = await handshake({});
    expect(result).toMatchObject({
      accepted: false,
      verified: false,
      reason: "NO_CERTIFICATE",
      gcpReason: "client_cert_not_provided",
    });
    expect(result.identity).toBeUndefined();
  });

  it("admits a missing certificate unverified in permissive mode", async () => {
    const result = await handshake({ mode: "permissive" });
    expect(result).toMatchObject({ accepted: true, verified: false, reason: "NO_CERTIFICATE" });
    expect(result.identity).toBeUndefined();
  });

  it("admits a foreign client unverified in permissive mode with its identity visible", async () => {
    const foreign = makeClient(foreignIntermediate, "partner", { template: { uris: ["spiffe://partner.test/svc"] } });
    const result = await handshake({ client: credential(foreign, [foreignIntermediate]), mode: "permissive" });
    expect(result).toMatchObject({
      accepted: true,
      verified: false,
      reason: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
      identity: { uriSans: ["spiffe://partner.test/svc"], dnsSans: [], commonName: "partner" },
    });
  });

  it("rejects a P-224 client key: OpenSSL silently sends no certificate, GCP rules name the curve", async () => {
    const p224 = makeClient(intermediate, "p224", { key: { algorithm: "ECDSA", ecdsaCurve: "P224" } });
    // TLS 1.3 has no signature scheme for P-224, so the client omits its certificate instead of failing.
    const openssl = await handshake({ client: credential(p224), gcpRules: false });
    expect(openssl).toMatchObject({ accepted: false, reason: "NO_CERTIFICATE", gcpReason: "client_cert_not_provided" });

    const gcp = await handshake({ client: credential(p224) });
    expect(gcp).toMatchObject({
      accepted: false,
      verified: false,
      reason: "cert.key.algorithm",
      gcpReason: "client_cert_unsupported_elliptic_curve_key",
    });
  });

  it("rejects a P-521 client key under GCP rules although OpenSSL accepts it", async () => {
    const p521 = makeClient(intermediate, "p521", { key: { algorithm: "ECDSA", ecdsaCurve: "P521" } });
    expect(await handshake({ client: credential(p521), gcpRules: false })).toMatchObject({ accepted: true });
    expect(await handshake({ client: credential(p521) })).toMatchObject({
      accepted: false,
      reason: "cert.key.algorithm",
      gcpReason: "client_cert_unsupported_elliptic_curve_key",
    });
  });

  it("rejects an RSA-1024 client key under GCP rules although OpenSSL accepts it", async () => {
    expect(await handshake({ client: credential(rsa1024Client), gcpRules: false })).toMatchObject({
      accepted: true,
      verified: true,
    });
    expect(await handshake({ client: credential(rsa1024Client) })).toMatchObject({
      accepted: false,
      reason: "cert.key.algorithm",
      gcpReason: "client_cert_invalid_rsa_key_size",
    });
  });

  it("rejects an Ed25519 client key under GCP rules", async () => {
    const ed = makeClient(intermediate, "ed", { key: { algorithm: "ED25519" } });
    expect(await handshake({ client: credential(ed) })).toMatchObject({
      accepted: false,
      reason: "cert.key.algorithm",
      gcpReason: "client_cert_unsupported_key_algorithm",
    });
  });

  it("accepts a client that omits the intermediate when the trust config knows it", async () => {
    const result = await handshake({ client: credential(goodClient, []), intermediates: [intermediate.pem] });
    expect(result).toMatchObject({ accepted: true, verified: true, identity: { commonName: "checkout" } });
  });

  it("rejects a chain whose intermediate is missing everywhere", async () => {
    const result = await handshake({ client: credential(goodClient, []) });
    // A lone leaf whose issuer is nowhere: OpenSSL says UNABLE_TO_VERIFY_LEAF_SIGNATURE, not ..._LOCALLY.
    expect(result).toMatchObject({
      accepted: false,
      reason: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      gcpReason: "client_cert_validation_failed",
    });
  });

  it("does not trust an intermediate listed only as a trust-config intermediate", async () => {
    const result = await handshake({
      trustAnchors: [],
      intermediates: [intermediate.pem],
      client: credential(goodClient),
    });
    expect(result).toMatchObject({ accepted: false, reason: "UNABLE_TO_GET_ISSUER_CERT" });
  });

  it("rejects a self-signed client certificate", async () => {
    const self = makeSelfSigned("selfie");
    const result = await handshake({ client: credential(self, []) });
    expect(result).toMatchObject({ accepted: false, reason: "DEPTH_ZERO_SELF_SIGNED_CERT" });
  });

  it("rejects a CA:TRUE leaf and a code-signing leaf under GCP rules", async () => {
    const caLeaf = makeClient(intermediate, "ca-leaf", { template: { isCa: true } });
    expect(await handshake({ client: credential(caLeaf) })).toMatchObject({
      accepted: false,
      reason: "cert.leaf.not-ca",
      gcpReason: "client_cert_validation_failed",
    });
    const codeSigning = makeClient(intermediate, "signer", {
      template: { allowedUses: ["digital_signature", "client_auth", "code_signing"] },
    });
    expect(await handshake({ client: credential(codeSigning) })).toMatchObject({
      accepted: false,
      reason: "cert.leaf.forbidden-eku",
      gcpReason: "client_cert_chain_invalid_eku",
    });
  });

  it("reports a missing authority key identifier that OpenSSL tolerates", async () => {
    const noSkidIssuer = { ...issuerFromPem(intermediate.pem, intermediate.key.privateKey), subjectKeyId: undefined };
    const noAkid = makeClient(noSkidIssuer, "no-akid");
    expect(await handshake({ client: credential(noAkid), gcpRules: false })).toMatchObject({ accepted: true });
    expect(await handshake({ client: credential(noAkid) })).toMatchObject({
      accepted: false,
      reason: "cert.chain.authority-key-id",
    });
  });

  it("names the GCP cause where node reports only UNSPECIFIED (issuer without keyCertSign)", async () => {
    const noCertSign = makeIntermediate(root, "No CertSign CA", { template: { allowedUses: ["digital_signature"] } });
    const leaf = makeClient(noCertSign, "victim");
    expect(await handshake({ client: credential(leaf, [noCertSign]), gcpRules: false })).toMatchObject({
      accepted: false,
      reason: "UNSPECIFIED",
    });
    expect(await handshake({ client: credential(leaf, [noCertSign]) })).toMatchObject({
      accepted: false,
      reason: "cert.ca.key-cert-sign",
    });
  });

  it("verifies the server from the client side when clientTrust is given", async () => {
    const client = credential(goodClient);
    expect(await handshake({ client, clientTrust: [root.pem], servername: "gateway.shop.example.test" })).toMatchObject(
      { accepted: true, serverVerified: true },
    );
    const wrongName = await handshake({ client, clientTrust: [root.pem], servername: "shop.example.test" });
    expect(wrongName).toMatchObject({
      accepted: true,
      serverVerified: false,
      serverError: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
    const wrongCa = await handshake({
      client,
      clientTrust: [foreignRoot.pem],
      servername: "gateway.shop.example.test",
    });
    expect(wrongCa).toMatchObject({ serverVerified: false, serverError: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" });
    expect((await handshake({ client })).serverVerified).toBeUndefined();
  });

  it("fails loudly instead of hanging when the timeout is exceeded", async () => {
    await expect(handshake({ client: credential(goodClient), timeoutMs: 1 })).rejects.toThrow(
      "TLS handshake on loopback did not complete within 1 ms",
    );
  });
});

describe("serverVerification: gateway to backend", () => {
  let backend: TlsCredential;
  const backendUri = "spiffe://shop.example.test/ns/shop/sa/inventory";

  beforeAll(() => {
    const cert = makeServer(intermediate, "inventory", {
      template: { dnsNames: ["inventory.shop.svc.cluster.local", "*.inventory.example.test"], uris: [backendUri] },
    });
    backend = credential(cert);
  });

  const verify = (overrides: Partial<Parameters<typeof serverVerification>[0]>) =>
    serverVerification({
      caPems: [root.pem],
      server: backend,
      hostname: "inventory.shop.svc.cluster.local",
      ...overrides,
    });

  it("accepts the right hostname and reports what was presented", async () => {
    expect(await verify({})).toEqual({
      accepted: true,
      presented: {
        uriSans: [backendUri],
        dnsSans: ["inventory.shop.svc.cluster.local", "*.inventory.example.test"],
        commonName: "inventory",
      },
    });
  });

  it("matches a wildcard SAN for exactly one label", async () => {
    expect(await verify({ hostname: "eu.inventory.example.test" })).toMatchObject({ accepted: true });
    expect(await verify({ hostname: "a.eu.inventory.example.test" })).toMatchObject({
      accepted: false,
      reason: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
    expect(await verify({ hostname: "inventory.example.test" })).toMatchObject({ accepted: false });
  });

  it("rejects a wrong hostname, ignoring the CN", async () => {
    expect(await verify({ hostname: "payments.shop.svc.cluster.local" })).toMatchObject({
      accepted: false,
      reason: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
    expect(await verify({ hostname: "inventory" })).toMatchObject({
      accepted: false,
      reason: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
  });

  it("accepts an expected URI SAN even when the SNI hostname does not match the certificate", async () => {
    const result = await verify({ hostname: "backend.internal", subjectAltNames: [{ type: "URI", uri: backendUri }] });
    expect(result).toMatchObject({ accepted: true });
  });

  it("rejects when none of the expected SANs is present", async () => {
    const result = await verify({
      subjectAltNames: [
        { type: "URI", uri: "spiffe://shop.example.test/ns/shop/sa/payments" },
        { type: "Hostname", hostname: "payments.shop.svc.cluster.local" },
      ],
    });
    expect(result).toMatchObject({ accepted: false, reason: "SUBJECT_ALT_NAME_MISMATCH" });
  });

  it("accepts an expected Hostname SAN in place of the SNI hostname", async () => {
    const result = await verify({
      hostname: "backend.internal",
      subjectAltNames: [{ type: "Hostname", hostname: "inventory.shop.svc.cluster.local" }],
    });
    expect(result).toMatchObject({ accepted: true });
  });

  it("rejects a backend certificate from a foreign CA", async () => {
    const result = await verify({ caPems: [foreignRoot.pem] });
    expect(result).toMatchObject({ accepted: false, reason: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" });
  });

  it("rejects an expired backend certificate", async () => {
    const old = makeServer(intermediate, "old-backend", {
      ...expired(),
      template: { dnsNames: ["inventory.shop.svc.cluster.local"] },
    });
    expect(await verify({ server: credential(old) })).toMatchObject({ accepted: false, reason: "CERT_HAS_EXPIRED" });
  });
});
