import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isPlainName } from "./names";
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
  /** Stack config keys of the project's namespace that `Pulumi.yaml` does not declare (see {@link StackConfig}). */
  readonly unknownConfigKeys: readonly string[];
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
  let register: () => () => void;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ register } = require("tsx/cjs/api"));
  } catch {
    throw new Error(
      "planProgram loads the program's TypeScript with tsx, an optional peer dependency of @gcp-mtls/testing: install it (`npm install --save-dev tsx`)",
    );
  }
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
    if (key === "__esModule") continue;
    if (value === undefined) {
      // What the SDK does with a top-level undefined export (sdk/nodejs/runtime/stack.ts, `massage`).
      pulumi.log.warn(`Undefined value (${key}) will not show as a stack output.`);
      continue;
    }
    const top = pulumi.Output.isInstance(value) ? await pulumi.isSecret(value) : false;
    outputs[key] = { value: await stackOutputValue(value, [], top), secret: top };
  }
  await env.settled();
  env.assertNoDuplicates();
  return { project, stack, env, outputs, failures: env.failures, unknownConfigKeys: stackConfig.unknownKeys };
}

/**
 * A stack output as the Node SDK serialises it (pulumi/pulumi `sdk/nodejs/runtime/stack.ts`, `massage` and
 * `massageComplex`): Outputs and promises are awaited; a resource (custom or component) becomes a plain object of its
 * own properties except those starting with `__` (so `urn`, `id` and its outputs); arrays and objects recurse; a
 * cycle ends at the resource's URN (or `undefined` for a plain object). A secret Output inside the value is shown as
 * `[secret]`, as the CLI displays it; a secret top-level value keeps its value and is flagged in {@link StackOutput}
 * (`withinSecret`).
 */
async function stackOutputValue(value: unknown, stack: unknown[], withinSecret: boolean): Promise<unknown> {
  if (value === undefined || value === null || ["boolean", "number", "string"].includes(typeof value)) return value;
  if (value instanceof Promise) return stackOutputValue(await value, stack, withinSecret);
  if (pulumi.Output.isInstance(value)) {
    const secret = await pulumi.isSecret(value);
    const resolved = await stackOutputValue(await awaitOutput(value), stack, withinSecret || secret);
    return secret && !withinSecret ? "[secret]" : resolved;
  }
  if (stack.includes(value)) {
    return pulumi.Resource.isInstance(value) ? stackOutputValue(value.urn, stack, withinSecret) : undefined;
  }
  stack.push(value);
  try {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value) items.push(await stackOutputValue(item, stack, withinSecret));
      return items;
    }
    const isResource = pulumi.Resource.isInstance(value);
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value as object)) {
      if (isResource && key.startsWith("__")) continue;
      result[key] = await stackOutputValue((value as Record<string, unknown>)[key], stack, withinSecret);
    }
    return result;
  } finally {
    stack.pop();
  }
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
  const out = path.resolve(dir);
  const root = path.resolve(out, result.stack);
  // Only ever inside `dir`: the stack folder is removed and rewritten, so it must be a child of `dir`, never `dir`
  // itself or a path outside it (a stack name such as `..` or `../x`).
  if (path.dirname(root) !== out || !isPlainName(result.stack)) {
    throw new Error(`stack \`${result.stack}\` is not a plain name: the plan files would not be inside ${dir}`);
  }
  fs.rmSync(root, { recursive: true, force: true });
  const written: string[] = [];
  const write = (file: string, text: string) => {
    if (path.dirname(path.dirname(path.resolve(file))) !== root) {
      throw new Error(`refusing to write ${file}: outside ${root}`);
    }
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
      write(
        path.join(root, "kubernetes", fileName(`${String(kind).toLowerCase()}-${name}`, "yaml")),
        stringify(manifest),
      );
    } else if (r.type.startsWith("gcp:")) {
      write(
        path.join(root, "gcp", fileName(`${r.type.split(":").pop()!.toLowerCase()}-${r.name}`, "json")),
        JSON.stringify(inputs, null, 2) + "\n",
      );
    }
  }
  return written;
}

/** A file name from resource names: path separators and other characters outside [A-Za-z0-9._-] become `_`. */
function fileName(base: string, ext: string): string {
  const safe = base.replace(/[^A-Za-z0-9._-]/g, "_");
  return `${safe === "." || safe === ".." ? "_" : safe}.${ext}`;
}
export { isPlainName } from "./names";
