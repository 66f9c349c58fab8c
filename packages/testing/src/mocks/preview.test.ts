import * as tls from "@pulumi/tls";
import { awaitOutput } from "../helpers";
import { setupMocks, type MockEnvironment } from "./recording";
import { isUnknownValue } from "./values";

let env: MockEnvironment;
beforeAll(async () => {
  env = await setupMocks({ preview: true });
});

describe("preview mode", () => {
  it("registers a whole key → CSR → certificate chain without computing (or crashing on) unknown values", async () => {
    const caKey = new tls.PrivateKey("ca-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const ca = new tls.SelfSignedCert("ca", {
      privateKeyPem: caKey.privateKeyPem,
      subject: { commonName: "CA" },
      isCaCertificate: true,
      allowedUses: ["cert_signing"],
      validityPeriodHours: 1,
    });
    const key = new tls.PrivateKey("leaf-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const csr = new tls.CertRequest("leaf-csr", { privateKeyPem: key.privateKeyPem, subject: { commonName: "leaf" } });
    const leaf = new tls.LocallySignedCert("leaf", {
      certRequestPem: csr.certRequestPem,
      caCertPem: ca.certPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      allowedUses: ["client_auth"],
      validityPeriodHours: 1,
    });
    // A computed value is unknown in a preview: awaiting it fails fast instead of hanging.
    await expect(awaitOutput(leaf.certPem)).rejects.toThrow("output is unknown (preview)");
    await env.settled();
    expect(env.names().sort()).toEqual(["ca", "ca-key", "leaf", "leaf-csr", "leaf-key"]);
    expect(isUnknownValue(env.byName("leaf").inputs.caCertPem)).toBe(true);
    expect(env.byName("leaf").inputs.allowedUses).toEqual(["client_auth"]);
  });
});
