// Runs a chain whose existing issuer is only known at deployment time and turns out not to be a CA; prints what the
// component's output and the runtime's registrations failed with.
import * as pulumi from "@pulumi/pulumi";
import { awaitOutput, makeClient, makeIntermediate, makeRoot, setupMocks } from "../../../../testing/src";
// A class module may be loaded before setupMocks; only resources must be constructed after it.
import { CertificateChain } from "../index";

async function main() {
  const deploymentErrors: string[] = [];
  process.on("unhandledRejection", (e) =>
    deploymentErrors.push((e as Error).message.replace(/^error serializing property "outputs": /, "")),
  );
  await setupMocks();
  // argv[2]: "leaf" (a leaf given as the issuer) or "intermediate" (an intermediate without its root).
  const root = makeRoot("ca");
  const issuer = process.argv[2] === "intermediate" ? makeIntermediate(root, "late int") : makeClient(root, "not a ca");
  const chain = new CertificateChain("byo-late", {
    existingIssuer: { certificatePem: pulumi.output(issuer.pem), privateKeyPem: pulumi.secret(issuer.keyPem) },
    leaves: { svc: { dnsNames: ["svc.corp.example"] } },
  });
  let rootCertificatePem = "resolved";
  await awaitOutput(chain.rootCertificatePem).catch((e: Error) => (rootCertificatePem = e.message));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  process.stdout.write(JSON.stringify({ rootCertificatePem, deploymentErrors: [...new Set(deploymentErrors)] }));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
