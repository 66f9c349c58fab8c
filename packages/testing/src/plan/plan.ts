import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { setupMocks, type DeploymentFailure, type MockEnvironment, type MockOptions } from "../mocks";
import { awaitOutput, displayType, printTree } from "../helpers";
import { parse, stringify } from "yaml";
import { loadStackConfig } from "./config";
import { snapshotEnvironment, type PlanSnapshot } from "./diff";

export interface PlanOptions extends Omit<MockOptions, "project" | "stack"> {
  /** Stack name. @default "dev" */
  readonly stack?: string;
}

export interface StackOutput {
  readonly value: unknown;
  readonly secret: boolean;
}

export interface PlanResult {
  readonly project: string;
  readonly stack: string;
  readonly env: MockEnvironment;
  readonly outputs: Record<string, StackOutput>;
  /** What a real `pulumi up` of this program would fail on (empty when it would succeed). */
  readonly failures: readonly DeploymentFailure[];
}

/** The project name from a Pulumi.yaml (the `name:` key). */
export function projectName(programDir: string): string {
  const file = path.join(programDir, "Pulumi.yaml");
  const project = parse(fs.readFileSync(file, "utf8")) ?? {};
  if (typeof project.name !== "string") throw new Error(`${file} has no \`name:\``);
  return project.name;
}

/** The program's entry file: `index.ts` in the Pulumi.yaml `main:` folder (default: the project folder). */
export function programEntry(programDir: string): string {
  const project = parse(fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8")) ?? {};
  const main = typeof project.main === "string" ? path.resolve(programDir, project.main) : programDir;
  return main.endsWith(".ts") ? main : path.join(main, "index.ts");
}

/**
 * Runs a Pulumi TypeScript program in-process under the recording mocks and collects what it registers and exports.
 * The program's module is loaded after the mocks are installed (a module evaluated earlier would bypass them).
 */
export async function planProgram(programDir: string, options: PlanOptions = {}): Promise<PlanResult> {
  const dir = path.resolve(programDir);
  const project = projectName(dir);
  const stack = options.stack ?? "dev";
  const stackConfig = loadStackConfig(dir, project, stack);
  const env = await setupMocks({
    ...options,
    project,
    stack,
    config: { ...stackConfig.config, ...(options.config ?? {}) },
    secretConfigKeys: stackConfig.secretKeys,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { register } = require("tsx/cjs/api");
  const unregister = register();
  let exported: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(programEntry(dir));
  } finally {
    unregister();
  }
  const outputs: Record<string, StackOutput> = {};
  for (const [key, value] of Object.entries(exported)) {
    if (key === "__esModule" || typeof value === "function") continue;
    const out = pulumi.output(value as pulumi.Input<unknown>);
    outputs[key] = { value: await awaitOutput(out), secret: await pulumi.isSecret(out) };
  }
  await env.settled();
  env.assertNoDuplicates();
  return { project, stack, env, outputs, failures: env.failures };
}

/** A human-readable plan: the resource tree, a summary line and the stack outputs (secrets shown as `[secret]`). */
export function formatPlan(result: PlanResult): string {
  const { env } = result;
  const byProvider: Record<string, number> = {};
  for (const r of env.resources.filter((r) => r.custom)) {
    const provider = r.type.split(":")[0]!;
    byProvider[provider] = (byProvider[provider] ?? 0) + 1;
  }
  const components = env.resources.filter((r) => !r.custom).length;
  const custom = env.resources.length - components;
  const lines = [
    `Plan for ${result.project} (stack ${result.stack}), offline with @gcp-mtls/testing:`,
    "",
    printTree(env),
    "",
    `Resources: ${custom} to create (${Object.entries(byProvider)
      .map(([p, n]) => `${p}: ${n}`)
      .join(", ")}) in ${components} component${components === 1 ? "" : "s"}`,
    "",
    "Outputs:",
    ...Object.entries(result.outputs).map(([k, o]) => `    ${k}: ${o.secret ? "[secret]" : summarizeOutput(o.value)}`),
    ...(result.failures.length > 0
      ? [
          "",
          `A real \`pulumi up\` would fail (${result.failures.length}):`,
          ...result.failures.map((f) => `    ${displayType(f.type)} ${f.name} (${f.phase}): ${f.message}`),
        ]
      : []),
  ];
  return lines.join("\n");
}

function summarizeOutput(v: unknown): string {
  const json = JSON.stringify(v);
  if (json === undefined) return "undefined";
  return json.length > 100 ? `${json.slice(0, 97)}...` : json;
}

/**
 * The machine-readable plan (`--json`), the input of a later `plan --diff`: every resource with its symbolic inputs
 * (generated keys, certificates, ids and auto-names as `{{<urn>#<output>}}`, literal secrets hashed; see
 * {@link snapshotEnvironment}), its replacement options and dependencies, and the stack outputs (secrets masked).
 */
export function planJson(result: PlanResult): PlanSnapshot & { outputs: Record<string, unknown> } {
  const snapshot = snapshotEnvironment(result.env, result.project, result.stack);
  return {
    ...snapshot,
    resources: snapshot.resources.map((r) => ({ ...r, displayType: displayType(r.type) })),
    outputs: Object.fromEntries(Object.entries(result.outputs).map(([k, o]) => [k, o.secret ? "[secret]" : o.value])),
  };
}

function redact(inputs: Record<string, unknown>, secretKeys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, secretKeys.includes(k) ? "[secret]" : v]));
}

/**
 * Writes every Kubernetes manifest as YAML and every GCP resource's inputs as JSON under `dir/<stack>/`
 * (secrets redacted), for review or GitOps diffing. Returns the files written.
 */
export function writePlanFiles(result: PlanResult, dir: string): string[] {
  const root = path.join(dir, result.stack);
  fs.rmSync(root, { recursive: true, force: true });
  const written: string[] = [];
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written.push(file);
  };
  for (const r of result.env.resources.filter((x) => x.custom)) {
    const inputs = redact(r.inputs, r.secretInputs);
    if (r.type.startsWith("kubernetes:")) {
      const { apiVersion, kind, metadata, ...rest } = inputs as Record<string, any>;
      const name = metadata?.name ?? r.outputs.metadata?.name ?? r.name;
      const manifest = { apiVersion, kind, metadata: { ...metadata, name }, ...rest };
      write(path.join(root, "kubernetes", `${String(kind).toLowerCase()}-${name}.yaml`), stringify(manifest));
    } else if (r.type.startsWith("gcp:")) {
      write(
        path.join(root, "gcp", `${r.type.split(":").pop()!.toLowerCase()}-${r.name}.json`),
        JSON.stringify(inputs, null, 2) + "\n",
      );
    }
  }
  return written;
}
