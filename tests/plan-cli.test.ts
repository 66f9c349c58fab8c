import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The main job, as a user runs it: the built CLI on an example program (`pnpm test` builds before jest runs).
const root = path.join(__dirname, "..");
const cli = path.join(root, "packages/plan/dist/cli/plan.js");

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
    // Generated values are symbols of their producer: the CA key, never its PEM.
    expect(leaf.inputs.caPrivateKeyPem).toBe(
      "{{urn:pulumi:prod::certificate-chain::gcp-mtls:index:CertificateChain$tls:index/privateKey:PrivateKey::seed-intermediate-int-key#privateKeyPem}}",
    );
    expect(leaf.dependencies).toHaveLength(3);
    expect(fs.readFileSync(jsonFile, "utf8")).not.toMatch(/PRIVATE KEY-----/);
  });

  it("--diff shows what a later run changes, with upstream replacement rules", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
    const jsonFile = path.join(dir, "plan.json");
    expect(plan("examples/certificate-chain", "--stack", "prod", "--json", jsonFile, "--no-proof").status).toBe(0);
    const again = plan("examples/certificate-chain", "--stack", "prod", "--diff", jsonFile, "--no-proof");
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`Changes from ${jsonFile}:\n\nResources: 0 to create, 0 to update, 0 to replace`);
    // Past the leaf's early-renewal point the tls provider replaces it (ready_for_renewal); its CA stays.
    const later = plan(
      "examples/certificate-chain",
      "--stack",
      "prod",
      "--diff",
      jsonFile,
      "--no-proof",
      "--now",
      "2099-01-01T00:00:00Z",
    );
    expect(later.status).toBe(0);
    expect(later.stdout).toMatch(
      /\+- replace tls:index\/locallySignedCert:LocallySignedCert seed-leaf-my-client +\[ready for renewal/,
    );
    const targeted = plan(
      "examples/certificate-chain",
      "--stack",
      "prod",
      "--diff",
      jsonFile,
      "--no-proof",
      "--replace",
      "seed-leaf-my-client",
    );
    expect(targeted.stdout).toMatch(
      /\+- replace tls:index\/locallySignedCert:LocallySignedCert seed-leaf-my-client +\[--replace\]/,
    );
    expect(targeted.stdout).toContain(
      "Resources: 0 to create, 0 to update, 1 to replace (0 deleting first), 0 to delete, 7 unchanged",
    );
    const bad = plan("examples/certificate-chain", "--stack", "prod", "--diff", jsonFile, "--replace", "nope");
    expect([bad.status, bad.stderr]).toEqual([2, "--replace nope: no such resource in the plan\n"]);
  });

  it("exits 2 with usage on a folder that is not a Pulumi program", () => {
    const run = plan("packages");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("packages is not a Pulumi program (no Pulumi.yaml)\n");
  });
});

describe("gcp-mtls-plan on the root program (the main job)", () => {
  const plans: Record<string, { stdout: string; json: any; out: string }> = {};
  beforeAll(() => {
    for (const stack of ["dev", "prod"]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `root-${stack}-`));
      const run = plan(".", "--stack", stack, "--json", path.join(dir, "plan.json"), "--out", path.join(dir, "out"));
      expect(run.status).toBe(0);
      // dev is permissive on purpose: both components say what that lets through; prod is silent.
      const warnings = run.stderr.split("\n").filter(Boolean);
      expect(warnings.map((w) => w.slice(0, 60))).toEqual(
        stack === "dev"
          ? [
              "warning: [runtime] clientValidationMode ALLOW_INVALID_OR_MIS",
              "warning: [runtime] frontend mTLS fallback: the Gateway admit",
            ]
          : [],
      );
      plans[stack] = {
        stdout: run.stdout,
        json: JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")),
        out: path.join(dir, "out"),
      };
    }
  }, 120_000);

  it("prints the tree, the summary by provider and a proof table whose every row holds", () => {
    expect(plans.prod!.stdout).toContain("Plan for gcp-mtls (stack prod), offline with @gcp-mtls/testing:");
    // prod is on CA Service: no @pulumi/tls resource, so no private key in state.
    expect(plans.prod!.stdout).toContain("Resources: 48 to create (gcp: 41, kubernetes: 7) in 4 components");
    expect(plans.dev!.stdout).toContain("Resources: 45 to create (tls: 20, gcp: 18, kubernetes: 7) in 4 components");
    for (const stack of ["dev", "prod"]) {
      const proof = plans[stack]!.stdout.split("Offline proof (live loopback mTLS handshakes):")[1]!;
      const rows = proof.trim().split("\n").slice(1);
      // Each HTTPS listener's server certificate (the guide's curl --resolve), then the client identities.
      expect(rows.length).toBe(stack === "prod" ? 10 : 7);
      expect(rows.filter((r) => r.includes("server verified (Certificate edge-cert-"))).toHaveLength(
        stack === "prod" ? 2 : 1,
      );
      for (const row of rows) expect(row.startsWith("ok  ")).toBe(true);
    }
    expect(plans.prod!.stdout).toMatch(
      /impostor claiming spiffe:\/\/bank\.example\/\S*\s+rejected UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    );
    expect(plans.dev!.stdout).toMatch(
      /impostor claiming spiffe:\/\/dev\.bank\.example\/\S*\s+admitted unverified \(permissive\)\s+\S+\s+denied/,
    );
  });

  it("writes the machine-readable plan: stack, resources with urn, type, name, parent, inputs, dependencies", () => {
    const json = plans.prod!.json;
    expect(json.stack).toBe("prod");
    expect(json.resources).toHaveLength(52);
    for (const r of json.resources)
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining(["urn", "type", "name", "parent", "inputs", "dependencies"]),
      );
    const tlsPolicy = json.resources.find((r: any) => r.name === "egress-server-tls-policy");
    expect(tlsPolicy.parent).toBe("urn:pulumi:prod::gcp-mtls::gcp-mtls:index:SecureWebProxyMtls::egress");
    expect(tlsPolicy.dependencies).toEqual([json.resources.find((r: any) => r.name === "egress-trust-config").urn]);
  });

  it("writes Kubernetes manifests as YAML and GCP inputs as JSON per stack", () => {
    const files = (dir: string) => fs.readdirSync(dir).sort();
    expect(files(path.join(plans.prod!.out, "prod", "kubernetes"))).toEqual(
      expect.arrayContaining([
        "backendtlspolicy-payments-api-tls.yaml",
        "gateway-edge.yaml",
        "service-payments-api.yaml",
      ]),
    );
    expect(files(path.join(plans.prod!.out, "prod", "gcp"))).toHaveLength(41);
    const gateway = fs.readFileSync(path.join(plans.prod!.out, "prod", "kubernetes", "gateway-edge.yaml"), "utf8");
    expect(gateway).toContain("kind: Gateway");
    expect(gateway).toContain("caCertificateRefs:");
  });

  it("never writes a plaintext private key: not to stdout, the JSON plan or the files", () => {
    const everything = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory() ? everything(path.join(dir, e.name)) : [fs.readFileSync(path.join(dir, e.name), "utf8")],
        );
    for (const stack of ["dev", "prod"]) {
      const texts = [plans[stack]!.stdout, JSON.stringify(plans[stack]!.json), ...everything(plans[stack]!.out)];
      for (const text of texts) expect(text).not.toMatch(/PRIVATE KEY-----|"privateKeyPem":\s*"-----/);
    }
    expect(plans.prod!.json.outputs.workloadPrivateKeys).toBe("[secret]");
  });
});

describe("gcp-mtls-plan on invalid stack config: a clear error and a non-zero exit", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-config-"));
  const rootYaml = fs
    .readFileSync(path.join(root, "Pulumi.yaml"), "utf8")
    .replace(/^main: .*$/m, `main: ${path.join(root, "packages/environment")}/`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), rootYaml);
  const dev = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
  const stacks: Record<string, string> = {
    missing: dev.replace(/ {2}gcp-mtls:workloads:[\s\S]*?(?= {2}gcp-mtls:backend:)/, ""),
    region: dev.replace("gcp:region: us-central1", "gcp:region: us-central"),
    mode: dev.replace(
      "gcp-mtls:swpValidationMode: ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
      "gcp-mtls:swpValidationMode: REJECT_INVALD",
    ),
    typed: dev.replace("gcp-mtls:leafValidityHours: 720", "gcp-mtls:leafValidityHours: ninety"),
    subnet: dev.replace("regions/us-central1/subnetworks", "regions/us-east1/subnetworks"),
    host: dev.replace("hosts: [api.financial-gateway.example]", "hosts: [api financial-gateway.example]"),
    reserved: dev.replace("payment-processor:", "proxy:"),
  };
  for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);

  it.each([
    // Declared in Pulumi.yaml without a default: the Pulumi CLI stops before the program runs (pkg/workspace/config.go).
    ["missing", "plan failed: Stack 'missing' is missing configuration value 'workloads'"],
    [
      "region",
      "plan failed: stack config `gcp:region` must be a Google Cloud region such as `us-central1`, got `us-central`",
    ],
    [
      "mode",
      "plan failed: stack config `gcp-mtls:swpValidationMode` must be one of REJECT_INVALID, ALLOW_INVALID_OR_MISSING_CLIENT_CERT, got `REJECT_INVALD`",
    ],
    [
      "typed",
      'plan failed: Pulumi.typed.yaml: config `gcp-mtls:leafValidityHours` must be of type integer (declared in Pulumi.yaml), got "ninety"',
    ],
    [
      "subnet",
      "plan failed: stack config `gcp-mtls:subnetwork` is in `us-east1` but `gcp:region` is `us-central1`; use a subnetwork of us-central1",
    ],
    [
      "host",
      "plan failed: `allow.payment-processor.hosts[0]` `api financial-gateway.example` is not a valid hostname: it has an invalid label `api financial-gateway`; use a name such as `api.example.com` or `*.example.com`",
    ],
    [
      "reserved",
      "plan failed: stack config `gcp-mtls:workloads.proxy` is a name the environment uses for its own certificates (`proxy`, `edge-*`, the backend Service); rename the workload",
    ],
  ])("%s exits 3 (a configuration error)", (stack, message) => {
    const run = plan(dir, "--stack", stack);
    expect(run.stderr.split("\n")[0]).toBe(message);
    // The host is refused by SecureWebProxyMtls itself (an argument error, as `pulumi up` reports it): exit 1.
    expect(run.status).toBe(stack === "host" ? 1 : 3);
  });

  it("warns on a key of the project's namespace that Pulumi.yaml does not declare, and still plans", () => {
    fs.writeFileSync(
      path.join(dir, "Pulumi.typo.yaml"),
      dev.replace("gcp-mtls:alertThreshold:", "gcp-mtls:alertTreshold:") + "  gcp-mtls:alertTreshhold: 3\n",
    );
    const run = plan(dir, "--stack", "typo", "--no-proof");
    expect(run.status).toBe(0);
    expect(run.stderr.split("\n").filter((l) => l.startsWith("warning: Pulumi."))).toEqual([
      "warning: Pulumi.typo.yaml sets `gcp-mtls:alertTreshhold`, which Pulumi.yaml does not declare (a typo?); the program reads it only by that exact name",
    ]);
  }, 60_000);

  it("an unknown stack exits 2 and lists the stacks", () => {
    const run = plan(".", "--stack", "qa");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("stack `qa` has no Pulumi.qa.yaml in .; stacks: dev, prod\n");
  });
});

describe("gcp-mtls-plan proof on a Gateway whose clients are issued elsewhere", () => {
  it("reports that nothing of this plan chains to its CAs, still refuses the impostor, and passes", () => {
    const run = plan("examples/backend-tls", "--stack", "dev");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /skip {2}GatewayFrontendMtls store +- +skipped: no client leaf of this plan chains to its CAs/,
    );
    expect(run.stdout).toContain("2 row(s) skipped: nothing in this plan to prove them with (not a failure).");
    expect(run.stdout).toMatch(
      /ok {4}GatewayFrontendMtls store +impostor \(foreign root\)\s+rejected UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    );
  });
});

describe("gcp-mtls-plan proof on a Gateway with per-port client validation", () => {
  it("proves each port against its own CAs and mode, never a merged pool", () => {
    const run = plan("examples/gke-gateway-mtls", "--stack", "dev");
    expect(run.status).toBe(0);
    const rows = run.stdout
      .split("Offline proof (live loopback mTLS handshakes):")[1]!
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/ {2,}/).slice(0, 4));
    const served = (listener: string, url: string, cert: string) => [
      "ok",
      `GatewayFrontendMtls store ${listener}`,
      `curl ${url} (SNI ${new URL(url).hostname})`,
      expect.stringMatching(new RegExp(`^server verified \\(Certificate store-cert-${cert}-[0-9a-f]{7}\\)$`)),
    ];
    expect(rows).toEqual([
      // The guide's curl --resolve: each listener serves the certificate for its hostname, chained to the plan's root.
      served("store-https", "https://store.example.com:443", "store"),
      served("foo-https", "https://foo.example.com:443", "foo"),
      served("partner-https", "https://store.example.com:8443", "store"),
      ["ok", "GatewayFrontendMtls store", "spiffe://example.com/store/checkout", "verified"],
      // dev: the default validation falls back (AllowInsecureFallback), so the impostor is admitted without identity.
      ["ok", "GatewayFrontendMtls store", "impostor (foreign root)", "admitted unverified (permissive)"],
      // Port 8443 trusts the partners' root only, strictly: the partner is verified there and nowhere else.
      ["ok", "GatewayFrontendMtls store :8443", "acme.partners.example.com", "verified"],
      ["ok", "GatewayFrontendMtls store :8443", "impostor (foreign root)", "rejected UNABLE_TO_VERIFY_LEAF_SIGNATURE"],
    ]);
  });
});

describe("gcp-mtls-plan command line: a usage error exits 2 and touches nothing", () => {
  it.each([
    [["--stack"], "--stack needs a value"],
    [["--stack", "--json", "x.json"], "--stack needs a value"],
    [["--out"], "--out needs a value"],
    [["--json", "--no-proof"], "--json needs a value"],
    [["--replace", "x"], "--now and --replace apply to --diff; give --diff PREVIOUS.json"],
    [
      ["--now", "soon", "--diff", "x.json"],
      "--now soon is not a time; use an ISO 8601 time such as 2027-01-01T00:00:00Z",
    ],
    [["--frobnicate"], "unknown argument --frobnicate"],
  ])("%j", (...row) => {
    const [args, message] = row as [string[], string];
    const run = plan("examples/certificate-chain", ...args);
    expect(run.status).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(message);
  });

  // On a program without stack files any stack name is accepted, so the name alone must keep --out safe: `..`
  // would have made `--out DIR` remove DIR's parent.
  it.each(["..", "../victim", ".", "org/project/dev", "a b", "x".repeat(101)])("refuses --stack %j", (stack) => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "plan-safe-"));
    const program = path.join(base, "program");
    fs.mkdirSync(program);
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    const victim = path.join(base, "victim");
    fs.mkdirSync(victim);
    fs.writeFileSync(path.join(victim, "keep.txt"), "keep");
    const run = plan(program, "--stack", stack, "--out", path.join(base, "out"));
    expect(run.status).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      `--stack \`${stack}\` is not a stack name: use letters, digits, \`-\`, \`_\` and \`.\` (at most 100, not \`.\` or \`..\`), without an organization or project`,
    );
    expect(fs.readFileSync(path.join(victim, "keep.txt"), "utf8")).toBe("keep");
    expect(fs.readdirSync(base).sort()).toEqual(["program", "victim"]);
  });
});

describe("gcp-mtls-plan on a program that exports components and validates clients through a TrustConfig", () => {
  let run: ReturnType<typeof plan>;
  let json: any;
  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-exports-"));
    run = plan("tests/fixtures/exports-component", "--json", path.join(dir, "plan.json"));
    json = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8"));
  }, 60_000);

  it("serialises an exported component as the Node SDK does: its urn and own outputs, nested secrets masked", () => {
    expect(run.status).toBe(0);
    const chain = json.outputs.chain;
    expect(chain.urn).toBe("urn:pulumi:dev::exports-component::gcp-mtls:index:CertificateChain::pki");
    expect(chain.rootCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(chain.leaves.agent.privateKeyPem).toBe("[secret]");
    expect(Object.keys(chain).some((k) => k.startsWith("__"))).toBe(false);
    expect(JSON.stringify(json)).not.toMatch(/PRIVATE KEY-----/);
    expect(json.outputs.edge.urn).toBe("urn:pulumi:dev::exports-component::gcp-mtls:index:GatewayFrontendMtls::edge");
  });

  it("warns, as the SDK does, that an undefined export is no stack output", () => {
    expect("nothing" in json.outputs).toBe(false);
    expect(run.stderr).toContain("warning: [runtime] Undefined value (nothing) will not show as a stack output.");
  });

  it("proves the TrustConfig-validated Gateway from its TrustConfig (it is no longer skipped silently)", () => {
    const rows = run.stdout
      .split("Offline proof (live loopback mTLS handshakes):")[1]!
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/ {2,}/).slice(0, 4));
    expect(rows).toEqual([
      [
        "ok",
        "GatewayFrontendMtls edge https",
        "curl https://edge.example.com:443 (SNI edge.example.com)",
        expect.stringMatching(/^server verified \(Certificate edge-cert-edge-[0-9a-f]{7}\)$/),
      ],
      ["ok", "GatewayFrontendMtls edge (TrustConfig)", "spiffe://example.com/agent", "verified"],
      [
        "ok",
        "GatewayFrontendMtls edge (TrustConfig)",
        "impostor (foreign root)",
        "rejected UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      ],
    ]);
  });
});
