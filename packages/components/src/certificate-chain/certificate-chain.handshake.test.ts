import {
  awaitOutput,
  checkClientChain,
  checkCertificate,
  createCertificate,
  generateKey,
  inspectCertificate,
  issuerFromPem,
  mtlsHandshake,
  privateKeyPem,
  serverVerification,
  setupMocks,
} from "@gcp-mtls/testing";
import { CertificateChain } from "./index";

// A mutable clock: a chain issued "100 days ago" carries a genuinely expired 90-day leaf.
let clock = new Date();
const DAY = 24 * 3_600_000;

interface Material {
  anchors: string[];
  intermediates: string[];
  leaf: (key: string) => Promise<{ certificatePem: string; privateKeyPem: string; chainPems: string[] }>;
  intermediateKey: () => Promise<string>;
}

async function material(chain: CertificateChain): Promise<Material> {
  const store = await awaitOutput(chain.trustStore);
  return {
    anchors: store.trustAnchors.map((a) => a.pemCertificate),
    intermediates: store.intermediateCas.map((a) => a.pemCertificate),
    leaf: async (key) => {
      const leaf = chain.leaves[key]!;
      const [certificatePem, ...chainPems] = (await awaitOutput(leaf.chainPem)).match(
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
      )!;
      return { certificatePem: certificatePem!, privateKeyPem: await awaitOutput(leaf.privateKeyPem), chainPems };
    },
    intermediateKey: () => awaitOutput(chain.intermediates.issuing!.privateKeyPem),
  };
}

function corpChain(name: string) {
  return new CertificateChain(name, {
    root: { subject: { commonName: `${name} Root CA` } },
    intermediates: [{ key: "issuing", subject: { commonName: `${name} Issuing CA` } }],
    leaves: {
      payments: {
        subject: { commonName: "payments" },
        uris: ["spiffe://corp.example/ns/prod/sa/payments"],
        dnsNames: ["payments.corp.example"],
      },
      web: { usages: ["server"], dnsNames: ["api.corp.example"] },
    },
  });
}

let corp: Material;
let foreign: Material;
let old: Material;

beforeAll(async () => {
  await setupMocks({ now: () => clock });
  corp = await material(corpChain("corp"));
  foreign = await material(corpChain("foreign"));
  clock = new Date(Date.now() - 100 * DAY);
  old = await material(corpChain("old"));
  clock = new Date();
});

describe("CertificateChain in a live mTLS handshake (strict = REJECT_INVALID / AllowValidOnly)", () => {
  it("accepts its client leaf and shows the identity a proxy authorizes on: URI SAN, DNS SAN, CN", async () => {
    const result = await mtlsHandshake({
      trustAnchors: corp.anchors,
      intermediates: corp.intermediates,
      client: await corp.leaf("payments"),
    });
    expect(result).toMatchObject({ accepted: true, verified: true });
    expect(result.reason).toBeUndefined();
    expect(result.identity).toEqual({
      uriSans: ["spiffe://corp.example/ns/prod/sa/payments"],
      dnsSans: ["payments.corp.example"],
      commonName: "payments",
    });
  });

  it("accepts the leaf alone when the trust config holds the intermediate", async () => {
    const { certificatePem, privateKeyPem } = await corp.leaf("payments");
    const result = await mtlsHandshake({
      trustAnchors: corp.anchors,
      intermediates: corp.intermediates,
      client: { certificatePem, privateKeyPem },
    });
    expect(result).toMatchObject({ accepted: true, verified: true });
  });

  it("rejects a client of another root", async () => {
    const result = await mtlsHandshake({
      trustAnchors: corp.anchors,
      intermediates: corp.intermediates,
      client: await foreign.leaf("payments"),
    });
    expect(result).toMatchObject({
      accepted: false,
      verified: false,
      reason: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
      gcpReason: "client_cert_validation_failed",
    });
  });

  it("rejects a leaf issued 100 days ago with the default 90-day lifetime as expired", async () => {
    const client = await old.leaf("payments");
    expect(inspectCertificate(client.certificatePem).notAfter.getTime()).toBeLessThan(Date.now());
    const result = await mtlsHandshake({ trustAnchors: old.anchors, intermediates: old.intermediates, client });
    expect(result).toMatchObject({
      accepted: false,
      reason: "CERT_HAS_EXPIRED",
      gcpReason: "client_cert_validation_failed",
    });
  });

  it("rejects a not-yet-valid leaf signed by the chain's own intermediate", async () => {
    const key = generateKey({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    const certificatePem = createCertificate(
      {
        subject: { commonName: "future" },
        publicKey: key.publicKey,
        notBefore: new Date(Date.now() + 10 * DAY),
        notAfter: new Date(Date.now() + 20 * DAY),
        allowedUses: ["digital_signature", "client_auth"],
        uris: ["spiffe://corp.example/future"],
      },
      issuerFromPem(corp.intermediates[0]!, await corp.intermediateKey()),
    );
    const result = await mtlsHandshake({
      trustAnchors: corp.anchors,
      intermediates: corp.intermediates,
      client: { certificatePem, privateKeyPem: privateKeyPem(key) },
    });
    expect(result).toMatchObject({ accepted: false, reason: "CERT_NOT_YET_VALID" });
  });

  it("rejects its serverAuth-only leaf presented as a client certificate", async () => {
    const result = await mtlsHandshake({
      trustAnchors: corp.anchors,
      intermediates: corp.intermediates,
      client: await corp.leaf("web"),
    });
    expect(result).toMatchObject({
      accepted: false,
      reason: "INVALID_PURPOSE",
      gcpReason: "client_cert_chain_invalid_eku",
    });
  });

  it("rejects a connection without a client certificate", async () => {
    const result = await mtlsHandshake({ trustAnchors: corp.anchors, intermediates: corp.intermediates });
    expect(result).toMatchObject({
      accepted: false,
      verified: false,
      reason: "NO_CERTIFICATE",
      gcpReason: "client_cert_not_provided",
    });
  });
});

describe("permissive mode (ALLOW_INVALID_OR_MISSING_CLIENT_CERT / AllowInsecureFallback)", () => {
  it("admits a connection without a certificate, marked unverified", async () => {
    const result = await mtlsHandshake({
      trustAnchors: corp.anchors,
      intermediates: corp.intermediates,
      mode: "permissive",
    });
    expect(result).toMatchObject({ accepted: true, verified: false, reason: "NO_CERTIFICATE" });
  });

  it("admits a foreign client unverified, its claimed identity visible but not proven", async () => {
    const result = await mtlsHandshake({
      trustAnchors: corp.anchors,
      intermediates: corp.intermediates,
      client: await foreign.leaf("payments"),
      mode: "permissive",
    });
    expect(result).toMatchObject({ accepted: true, verified: false });
    expect(result.identity?.uriSans).toEqual(["spiffe://corp.example/ns/prod/sa/payments"]);
  });
});

describe("the chain's server leaf, as a client (or a gateway) verifies it", () => {
  it("is accepted for its host name against the root and rejected for another", async () => {
    const server = await corp.leaf("web");
    const ok = await serverVerification({ caPems: corp.anchors, server, hostname: "api.corp.example" });
    expect(ok).toMatchObject({ accepted: true });
    const wrong = await serverVerification({ caPems: corp.anchors, server, hostname: "other.corp.example" });
    expect(wrong).toMatchObject({ accepted: false, reason: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });
});

describe("Google Cloud's certificate rules", () => {
  it("find nothing to refuse in the chain's CAs or its client leaf", async () => {
    for (const pem of corp.anchors) expect(checkCertificate(pem, "anchor")).toEqual([]);
    for (const pem of corp.intermediates) expect(checkCertificate(pem, "intermediate")).toEqual([]);
    const leaf = await corp.leaf("payments");
    expect(
      checkClientChain({
        leafPem: leaf.certificatePem,
        intermediatesPems: leaf.chainPems,
        trustAnchors: corp.anchors,
        trustConfigIntermediates: corp.intermediates,
      }),
    ).toEqual([]);
  });
});
