import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { makeRoot, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { BackendTlsPolicy } from "../backend-tls-policy";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls } from "../gateway-frontend-mtls";
import { SecureWebProxyMtls } from "../secure-web-proxy-mtls";
import { ArgumentError } from "./format";

// Property, for the three components that take other components' results: from a known-good argument object, one
// value anywhere replaced by junk (or the whole args) gives either a component (the junk was acceptable) or one
// ArgumentError whose every line names what is wrong; never a TypeError, never `undefined`/`NaN`/`[object Object]` in
// a message. FC_RUNS=5000 for a longer campaign.
const RUNS = Number(process.env.FC_RUNS ?? 100);

const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constant("false"),
  fc.constant(pulumi.output("late")),
  fc.constant(443),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);

/** Every path into plain data (not into component instances or Outputs), the root included. */
function paths(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [[]];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (v === null || typeof v !== "object" || pulumi.Output.isInstance(v) || pulumi.Resource.isInstance(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const next = [...p, Array.isArray(v) ? Number(k) : k];
      found.push(next);
      walk(child, next);
    }
  };
  walk(value, []);
  return found;
}

function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, replacement) : v));
  return { ...(value as object), [head!]: replaced((value as Record<string, unknown>)[head!], rest, replacement) };
}

function assertClear(error: ArgumentError, where: string) {
  for (const line of error.message.split("\n")) {
    if (/\bundefined\b|\bNaN\b|\[object Object\]/.test(line) || !/^(`.+`|\[[^\]]+\]|Exactly one of) /.test(line)) {
      throw new Error(`unclear error line ${JSON.stringify(line)} (${where})`);
    }
  }
}

let n = 0;
function check(make: (name: string, args: never) => unknown, base: unknown) {
  const all = paths(base);
  fc.assert(
    fc.property(fc.nat(), junk, (pick, value) => {
      const path = all[pick % all.length]!;
      const args = replaced(base, path, value);
      const where = `\`${path.join(".") || "args"}\` replaced by ${pulumi.Output.isInstance(value) ? "an Output" : JSON.stringify(value)}`;
      try {
        make(`prop-${n++}`, args as never);
      } catch (e) {
        if (!(e instanceof ArgumentError)) {
          throw new Error(`not an ArgumentError (${where}): ${(e as Error)?.stack}`);
        }
        assertClear(e, where);
      }
    }),
    { numRuns: RUNS },
  );
}

describe("component args with one value replaced by junk (fast-check)", () => {
  let pki: CertificateChain;
  let edge: GatewayFrontendMtls;
  let env: MockEnvironment;
  beforeAll(async () => {
    env = await setupMocks();
    pki = new CertificateChain("pki", {
      root: { subject: { commonName: "Root" } },
      intermediates: [{ key: "issuing", subject: { commonName: "Issuing" } }],
      leaves: {
        agent: { uris: ["spiffe://example.com/agent"] },
        server: { usages: ["server"], dnsNames: ["edge.example.com", "swp.example.internal"] },
      },
    });
    edge = new GatewayFrontendMtls("edge", gatewayArgs());
  });

  const gatewayArgs = () => ({
    namespace: "edge",
    gatewayClassName: "gke-l7-global-external-managed" as const,
    listeners: [{ name: "https", hostname: "edge.example.com", port: 443 }],
    certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "server" } } } },
    clientValidation: {
      trust: { chain: pki, trustAnchorPems: { partner: makeRoot("Partner").pem } },
      mode: "REJECT_INVALID" as const,
    },
    sslPolicy: { minTlsVersion: "TLS_1_2" as const },
    routes: { store: { backends: [{ service: "store", port: 8443 }] } },
    deployTimeVerification: { enabled: true, timeoutSeconds: 600 },
  });

  it("SecureWebProxyMtls", () => {
    check((name, args) => new SecureWebProxyMtls(name, args), {
      region: "us-central1",
      network: "projects/p/global/networks/n",
      subnetwork: "projects/p/regions/us-central1/subnetworks/s",
      ports: [443],
      deleteSwgAutogenRouterOnDestroy: true,
      clientValidationMode: "REJECT_INVALID",
      trust: { chain: pki },
      serverCertificate: { chain: pki, leaf: "server" },
      allow: { agent: { identity: "spiffe://example.com/agent", hosts: ["api.example.com"], methods: ["GET"] } },
      deny: { other: { identity: "spiffe://example.com/other", hosts: ["*.example.org"], paths: ["/admin/*"] } },
      rejectedCertificateAlert: { threshold: 5 },
    });
  });

  it("GatewayFrontendMtls", () => {
    check((name, args) => new GatewayFrontendMtls(name, args), { ...gatewayArgs(), gatewayName: "edge-prop" });
  });

  it("BackendTlsPolicy", () => {
    check((name, args) => new BackendTlsPolicy(name, args), {
      namespace: "edge",
      targets: [{ name: "store" }],
      frontends: [edge],
      gateways: [{ className: "gke-l7-global-external-managed", name: "other", namespace: "edge" }],
      hostname: "store.edge.svc",
      subjectAltNames: [{ type: "URI", uri: "spiffe://example.com/store" }],
      trust: { chain: pki },
      cloudArmor: { preconfiguredWafRules: ["sqli-v33-stable"] },
      deployTimeVerification: { enabled: false },
    });
  });

  // Junk Outputs are judged when they resolve: those errors must be as clear, and none may escape the test.
  it("errors raised at deploy time by the generated args are clear too", async () => {
    await env.settled().catch(() => undefined);
    // settled() rejects at the first error: wait until nothing registers any more and no new error arrives.
    let seen = -1;
    while (seen !== env.deferredErrors.length) {
      seen = env.deferredErrors.length;
      await env.idle(200);
    }
    for (const error of env.deferredErrors) {
      expect(error).toBeInstanceOf(pulumi.ResourceError);
      const message = error.message.replace(/^(error serializing property "[^"]*": )+/, "");
      expect(message).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
      expect(message).toMatch(/^`.+` /);
    }
  });
});
