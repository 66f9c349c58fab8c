import * as pulumi from "@pulumi/pulumi";
import { awaitOutput, makeClient, makeIntermediate, makeRoot, setupMocks } from "@gcp-mtls/testing";
import { CertificateChain } from "./index";

// An existing issuer known only at deployment time is checked inside the apply that reads it: the deployment fails
// with the argument path (a deferred error of the mock environment). In a file of its own: with @pulumi/pulumi
// 3.142 (the lowest peer) the failed registrations stay pending, and a later `settled()` in the same runtime would
// wait for them forever.
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const existingRoot = makeRoot("Existing Root", { notAfter: new Date(Date.now() + 365 * 24 * 3_600_000) });

describe("CertificateChain: an existing issuer known only at deployment time", () => {
  /** A chain whose existing issuer is known only at deployment time, in a fresh mock environment. */
  async function lateIssuer(issuer: { pem: string; keyPem: string }) {
    const own = await setupMocks();
    const chain = new CertificateChain("byo-late", {
      existingIssuer: { certificatePem: pulumi.output(issuer.pem), privateKeyPem: pulumi.secret(issuer.keyPem) },
      leaves: { svc: { dnsNames: ["svc.corp.example"] } },
    });
    return { own, chain };
  }
  // @pulumi/pulumi >= 3.246.0 prefixes the runtime's `error serializing property "<k>": `; older runtimes do not.
  const deferred = (message: string) =>
    new RegExp(`^(error serializing property "(outputs|caCertPem)": )*${escape(message)}$`);

  it("checks an issuer PEM that is only known at deployment time inside the apply, failing the deployment", async () => {
    const { own, chain } = await lateIssuer(makeClient(existingRoot, "not a ca"));
    const message =
      "`existingIssuer.certificatePem` (CN=not a ca) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead";
    await expect(awaitOutput(chain.rootCertificatePem, 5_000)).rejects.toThrow(message);
    // The leaf certificate is never requested from the provider: its registration fails with the message.
    await expect(own.settled()).rejects.toThrow(message);
    expect(own.deferredErrors.map((e) => e.message)).toEqual([expect.stringMatching(deferred(message))]);
    expect(own.resources.filter((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert")).toEqual([]);
  });

  it("refuses an issuer Output that resolves to an intermediate without its root, with the eager message", async () => {
    const { own } = await lateIssuer(makeIntermediate(existingRoot, "late int"));
    const message =
      "`existingIssuer.certificatePem` is an intermediate (issued by `CN=Existing Root`) but `existingIssuer.rootCertificatePem` is not set; pass the root so trust stores get the right anchor";
    await expect(own.settled()).rejects.toThrow(message);
    expect(own.deferredErrors.map((e) => e.message)).toEqual([expect.stringMatching(deferred(message))]);
  });
});
