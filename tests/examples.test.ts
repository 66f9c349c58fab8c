import * as pulumi from "@pulumi/pulumi";
import { awaitOutput, inspectCertificate, mtlsHandshake, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { policyViolations } from "./support/policy";

// Each README example is a real Pulumi program: run it under the mocks and pin what it creates.
let env: MockEnvironment;
let program: typeof import("../examples/certificate-chain/index", { with: { "resolution-mode": "require" } });
beforeAll(async () => {
  env = await setupMocks({ project: "certificate-chain", stack: "dev" });
  // Imported after setupMocks: a program evaluated earlier would bypass the mocks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  program = require("../examples/certificate-chain/index");
  await awaitOutput(program.clientChainPem);
  await env.settled();
});

describe("examples/certificate-chain", () => {
  it("would deploy: the emulation refuses nothing", () => {
    expect(env.failures).toEqual([]);
  });

  it("passes the policy pack with zero violations (prod config)", async () => {
    expect(await policyViolations(env, "prod")).toEqual([]);
  });

  it("creates exactly the seed's chain: 3 keys, 2 CSRs, a root and 2 signed certificates in one component", () => {
    expect(env.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "gcp-mtls:index:CertificateChain seed",
      "tls:index/certRequest:CertRequest seed-intermediate-int-csr",
      "tls:index/certRequest:CertRequest seed-leaf-my-client-csr",
      "tls:index/locallySignedCert:LocallySignedCert seed-intermediate-int",
      "tls:index/locallySignedCert:LocallySignedCert seed-leaf-my-client",
      "tls:index/privateKey:PrivateKey seed-intermediate-int-key",
      "tls:index/privateKey:PrivateKey seed-leaf-my-client-key",
      "tls:index/privateKey:PrivateKey seed-root-key",
      "tls:index/selfSignedCert:SelfSignedCert seed-root",
    ]);
    env.assertNoDuplicates();
  });

  it("exports the guide's trust config values and client identity, with the key secret", async () => {
    const store = await awaitOutput(program.trustStore);
    expect(store.trustAnchors.map((a) => inspectCertificate(a.pemCertificate).subjectText)).toEqual(["CN=root"]);
    expect(store.intermediateCas.map((a) => inspectCertificate(a.pemCertificate).subjectText)).toEqual(["CN=int"]);
    expect(await awaitOutput(program.clientIdentity)).toBe("my-client.example.com");
    const leaf = inspectCertificate(await awaitOutput(program.clientCertificatePem));
    expect(leaf.subjectText).toBe("CN=my-client.example.com");
    expect(leaf.sans.dns).toEqual(["my-client.example.com"]);
    expect(leaf.extKeyUsage).toEqual(["client_auth"]);
    expect(await pulumi.isSecret(program.clientPrivateKeyPem)).toBe(true);
  });

  it("its client passes a live mTLS handshake against the exported trust store, identity intact", async () => {
    const store = await awaitOutput(program.trustStore);
    const chainPem = await awaitOutput(program.clientChainPem);
    const [leafPem, ...intermediates] = chainPem.match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
    )!;
    const result = await mtlsHandshake({
      trustAnchors: store.trustAnchors.map((a) => a.pemCertificate),
      intermediates: store.intermediateCas.map((a) => a.pemCertificate),
      client: {
        certificatePem: leafPem!,
        privateKeyPem: await awaitOutput(program.clientPrivateKeyPem),
        chainPems: intermediates,
      },
      mode: "strict",
    });
    expect(result).toMatchObject({ accepted: true, verified: true });
    expect(result.identity).toEqual({
      uriSans: [],
      dnsSans: ["my-client.example.com"],
      commonName: "my-client.example.com",
    });
  });
});
