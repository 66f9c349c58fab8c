// Applies a Gateway with client validation to an emulated cluster whose Gateway API CRDs predate spec.tls.frontend
// (v1.4.1, standard channel) and prints what the deployment failed with: the API server prunes the field, and the
// component's read-back must fail the deploy instead of leaving a Gateway that verifies no client.
import { awaitOutput, setupMocks } from "../../../../testing/src";
import { CertificateChain } from "../../certificate-chain";
import { GatewayFrontendMtls } from "../index";

// Internal to @pulumi/pulumi (runtime/debuggable.js, untyped: its .d.ts exports nothing), present in 3.142 and 3.248.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { leakedPromises } = require("@pulumi/pulumi/runtime/debuggable") as {
  leakedPromises(): [Set<unknown>, string];
};

async function main() {
  const deploymentErrors: string[] = [];
  process.on("unhandledRejection", (e) => deploymentErrors.push((e as Error).message));
  const version = process.argv[2] ?? "v1.4.1";
  const env = await setupMocks({ gatewayApi: { version, channel: "standard" } });
  const pki = new CertificateChain("pki", {
    root: { subject: { commonName: "Root" } },
    leaves: { edge: { usages: ["server"], dnsNames: ["edge.example.com"] } },
  });
  const gw = new GatewayFrontendMtls("edge", {
    namespace: "edge",
    gatewayClassName: "gke-l7-global-external-managed",
    listeners: [{ name: "https", hostname: "edge.example.com" }],
    certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "edge" } } } },
    clientValidation: { trust: { chain: pki } },
  });
  let applied: unknown;
  await awaitOutput(gw.clientValidationApplied).then(
    (v) => (applied = v),
    (e: Error) => (applied = e.message),
  );
  // The read-back derives from the Gateway's live outputs, so the Gateway is recorded by now. No env.settled(): with
  // @pulumi/pulumi 3.142 (the lowest peer) the outputs registration holding the failed read-back never completes.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  const live = env.byName("edge-gateway").outputs;
  // That pending registration is also a "leaked promise" to 3.142's exit hook, which would turn exit 0 into 1 after
  // the verdict is printed. Drain the runtime's leak candidates (the hook reads the same set); the count is reported,
  // not asserted, since it depends on the @pulumi/pulumi version.
  const [leaked] = leakedPromises();
  const json = JSON.stringify({
    pendingAtExit: leaked.size,
    applied,
    liveTls: live.spec?.tls ?? null,
    deploymentErrors: [...new Set(deploymentErrors)],
  });
  // Exit once the output is flushed (a pipe may still hold it when process.exit runs).
  await new Promise<void>((resolve) => process.stdout.write(json, () => resolve()));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
