import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { setupMocks, type DeploymentFailure, type MockEnvironment, type MockOptions } from "../mocks";
import { awaitOutput } from "../helpers";
import { parse } from "yaml";
import { loadStackConfig } from "./config";

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
