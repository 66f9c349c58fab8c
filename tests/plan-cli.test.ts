import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The main job, as a user runs it: the built CLI on an example program (`pnpm test` builds before jest runs).
const root = path.join(__dirname, "..");
const cli = path.join(root, "packages/testing/dist/cli/plan.js");

function plan(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });
}

describe("gcp-mtls-plan", () => {
  beforeAll(() => {
    if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: build first (corepack pnpm build)`);
  });

  it("prints the tree, a summary by provider and the outputs with secrets masked, and writes a JSON plan", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const jsonFile = path.join(dir, "plan.json");
    const run = plan("examples/certificate-chain", "--stack", "prod", "--json", jsonFile);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Plan for certificate-chain (stack prod), offline with @gcp-mtls/testing:");
    expect(run.stdout).toContain(
      "+ gcp-mtls:index:CertificateChain seed\n    + tls:index:LocallySignedCert seed-intermediate-int",
    );
    expect(run.stdout).toContain("Resources: 8 to create (tls: 8) in 1 component");
    expect(run.stdout).toContain("    clientPrivateKeyPem: [secret]");
    expect(run.stdout).not.toMatch(/PRIVATE KEY-----/);

    const json = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
    expect(json.stack).toBe("prod");
    expect(json.resources).toHaveLength(9);
    const leaf = json.resources.find((r: any) => r.name === "seed-leaf-my-client");
    expect(leaf.parent).toBe("urn:pulumi:prod::certificate-chain::gcp-mtls:index:CertificateChain::seed");
    expect(leaf.inputs.caPrivateKeyPem).toBe("[secret]");
    expect(leaf.dependencies).toHaveLength(3);
    expect(fs.readFileSync(jsonFile, "utf8")).not.toMatch(/PRIVATE KEY-----/);
  });

  it("exits 2 with usage on a folder that is not a Pulumi program", () => {
    const run = plan("packages");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("packages is not a Pulumi program (no Pulumi.yaml)\n");
  });
});
