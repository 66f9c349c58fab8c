// Runs each component with one CA PEM that is only known at deployment time (an Output) and turns out to be a leaf,
// next to PEMs known at construction. Prints what the registrations failed with, and what the good ones received.
import * as pulumi from "@pulumi/pulumi";
import { makeClient, makeIntermediate, makeRoot, setupMocks } from "../../../../testing/src";
// Class modules may be loaded before setupMocks; only resources must be constructed after it.
import { BackendTlsPolicy } from "../../backend-tls-policy";
import { CertificateChain } from "../../certificate-chain";
import { GatewayFrontendMtls } from "../../gateway-frontend-mtls";
import { SecureWebProxyMtls } from "../../secure-web-proxy-mtls";

async function main() {
  const deploymentErrors: string[] = [];
  process.on("unhandledRejection", (e) => deploymentErrors.push((e as Error).message));
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
  // Not env.settled(): a registration whose input failed never completes. Let every other one finish.
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  const configMap = env.resources.find((r) => r.name === "edge-ca-corp");
  process.stdout.write(
    JSON.stringify({
      deploymentErrors: [...new Set(deploymentErrors)].sort(),
      registered: env.resources.filter((r) => r.custom).map((r) => r.name),
      knownPemNormalised: configMap?.inputs.data["ca.crt"] === root.pem,
    }),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
