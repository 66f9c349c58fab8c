import * as pulumi from "@pulumi/pulumi";
import { makeClient, makeIntermediate, makeRoot, setupMocks } from "@gcp-mtls/testing";
import { BackendTlsPolicy } from "../backend-tls-policy";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "../gateway-frontend-mtls";
import { SecureWebProxyMtls } from "../secure-web-proxy-mtls";

// PEMs known only at deploy time are checked inside the apply that already uses them; a failure must name the
// argument path and block only the resource that reads it. Each component gets one CA PEM that is an Output and
// turns out to be a leaf, next to PEMs known at construction; the failed registrations are the environment's
// deferred errors (the jest environment routes them there).
describe("trust PEMs known only at deploy time", () => {
  let result: { deploymentErrors: string[]; registered: string[]; knownPemNormalised: boolean };
  beforeAll(async () => {
    const env = await setupMocks();
    const root = makeRoot("corp root");
    const int = makeIntermediate(root, "corp issuing");
    const leaf = pulumi.output(makeClient(int, "not a ca").pem);
    // CRLF and no trailing newline: known PEMs are normalised, not re-parsed.
    const crlfRoot = root.pem.replace(/\n/g, "\r\n").trimEnd();
    const server = new CertificateChain("server", {
      root: { subject: { commonName: "server root" } },
      leaves: {
        proxy: { usages: ["server"], dnsNames: ["swp.corp.example"] },
        edge: { usages: ["server"], dnsNames: ["edge.example", "tc.example"] },
      },
    });
    new SecureWebProxyMtls("swp", {
      region: "us-central1",
      network: "projects/p/global/networks/n",
      subnetwork: "projects/p/regions/us-central1/subnetworks/s",
      trust: { trustAnchorPems: { corp: crlfRoot }, intermediateCaPems: { late: leaf } },
      serverCertificate: { chain: server, leaf: "proxy" },
      allow: { a: { identity: "spiffe://corp.example/a", hosts: ["a.example"] } },
    });
    new GatewayFrontendMtls("edge", {
      namespace: "edge",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "edge.example" }],
      certificateManager: { certificates: { edge: { material: { chain: server, leaf: "edge" } } } },
      clientValidation: { trust: { trustAnchorPems: { corp: crlfRoot, late: leaf } } },
    });
    new GatewayFrontendMtls("edge-tc", {
      namespace: "edge",
      gatewayName: "edge-tc",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "tc.example" }],
      certificateManager: { certificates: { edge: { material: { chain: server, leaf: "edge" } } } },
      clientValidation: {
        trust: { trustAnchorPems: { corp: crlfRoot }, intermediateCaPems: { late: leaf } },
        trustConfig: {},
      },
    });
    new BackendTlsPolicy("backend", {
      namespace: "store",
      policyName: "store-tls",
      targets: [{ name: "store" }],
      gateways: [{ className: "gke-l7-global-external-managed" }],
      hostname: "store.internal",
      trust: { trustAnchorPems: { corp: crlfRoot, late: leaf } },
      trustConfig: {},
      // A Gateway known only by class: no deploy-time wait (it would need the Gateway's name and a route).
      deployTimeVerification: { enabled: false },
    });
    await expect(env.settled()).rejects.toThrow("is not a CA certificate");
    // settled() stops at the first failure: let every other registration finish.
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    const configMap = env.resources.find((r) => r.name === "edge-ca-corp");
    result = {
      deploymentErrors: [...new Set(env.deferredErrors.map((e) => e.message))].sort(),
      registered: env.resources.filter((r) => r.custom).map((r) => r.name),
      knownPemNormalised: configMap?.inputs.data["ca.crt"] === root.pem,
    };
  });
  // The same message whatever the role: a leaf is no CA (rule cert.ca.basic-constraints).
  const leaf = (where: string, _role: string) =>
    `\`${where}\` (CN=not a ca) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead`;

  it("fails each resource that reads a late leaf given as a CA, naming the argument path", () => {
    // [property, message]. @pulumi/pulumi >= 3.246.0 prefixes the runtime's `error serializing property "<k>": `;
    // older runtimes do not. Either way the message is ours, exactly.
    const expected: [string, string][] = [
      ["data", leaf("clientValidation.trust.trustAnchorPems.late", "a trust anchor")],
      ["trustStores", leaf("trust.intermediateCaPems.late", "an intermediate CA")],
      ["trustStores", leaf("trust.trustAnchorPems.late", "a trust anchor")],
      ["trustStores", leaf("clientValidation.trust.intermediateCaPems.late", "an intermediate CA")],
    ];
    const unprefixed = (m: string) => m.replace(/^error serializing property "[^"]*": /, "");
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const byMessage = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    expect([...result.deploymentErrors].sort((a, b) => byMessage(unprefixed(a), unprefixed(b)))).toEqual(
      expected
        .sort(([, a], [, b]) => byMessage(a, b))
        .map(([k, m]) => expect.stringMatching(new RegExp(`^(error serializing property "${k}": )?${escape(m)}$`))),
    );
  });

  it("registers everything that does not read the bad PEM", () => {
    const failed = ["swp-trust-config", "edge-ca-late", "edge-tc-trust-config", "backend-trust-config-global"];
    for (const name of failed) expect(result.registered).not.toContain(name);
    // The ConfigMap of the known CA, the proxy's own certificate and the Gateways' certificate maps go ahead.
    for (const name of ["edge-ca-corp", "swp-server-cert", "edge-cert-map", "edge-tc-cert-map"])
      expect(result.registered).toContain(name);
  });

  it("normalises a PEM known at construction (CRLF, no final newline) without re-checking it", () => {
    expect(result.knownPemNormalised).toBe(true);
  });
});
