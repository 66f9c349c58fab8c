#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Plan from "../index";
import type * as Testing from "@gcp-mtls/testing";
import { isPlainName } from "../names";

const USAGE =
  "usage: gcp-mtls-plan [program-dir] [--stack NAME] [--json FILE] [--out DIR] [--no-proof] [--diff PREVIOUS.json [--now TIME] [--replace NAME|URN]...]";

/**
 * Exit codes. 1 is what `pulumi up` would also stop on (the program throws, or a resource would fail); the others
 * say whose move it is: a wrong command line, a wrong stack configuration, or a proof that does not hold.
 */
const EXIT = { ok: 0, deployment: 1, usage: 2, config: 3, proof: 4 } as const;

/**
 * Error classes that mean "the stack configuration is wrong": @pulumi/pulumi's `config.ts` (`ConfigMissingError`,
 * `ConfigTypeError`, `ConfigEnumError`, `ConfigRangeError`, `ConfigPatternError`) and the name `ConfigError`, which
 * the plan's own loader and the root program use.
 */
const CONFIG_ERRORS = new Set([
  "ConfigError",
  "ConfigMissingError",
  "ConfigTypeError",
  "ConfigEnumError",
  "ConfigRangeError",
  "ConfigPatternError",
]);

function isConfigError(err: unknown): boolean {
  return err instanceof Error && (CONFIG_ERRORS.has(err.name) || CONFIG_ERRORS.has(err.constructor.name));
}

/** A wrong command line; `syntax` errors are followed by the usage line. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly syntax = false,
  ) {
    super(message);
  }
}

const FLAGS_WITH_VALUES = ["--stack", "--json", "--out", "--diff", "--now", "--replace"];

async function main(argv: string[]): Promise<number> {
  let programDir: string | undefined;
  let stack = "dev";
  let jsonFile: string | undefined;
  let outDir: string | undefined;
  let proof = true;
  let diffFile: string | undefined;
  let now: Date | undefined;
  const replace: string[] = [];
  const value = (i: number): string => {
    const v = argv[i + 1];
    // A flag followed by nothing, or by another flag, has no value (never take `--json` as the stack name).
    if (v === undefined || v === "" || FLAGS_WITH_VALUES.includes(v) || v === "--no-proof" || v === "--help") {
      throw new UsageError(`${argv[i]} needs a value`, true);
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--stack") stack = value(i++);
    else if (arg === "--json") jsonFile = value(i++);
    else if (arg === "--out") outDir = value(i++);
    else if (arg === "--no-proof") proof = false;
    else if (arg === "--diff") diffFile = value(i++);
    else if (arg === "--replace") replace.push(value(i++));
    else if (arg === "--now") {
      const text = value(i++);
      now = new Date(text);
      if (Number.isNaN(now.getTime())) {
        throw new UsageError(`--now ${text} is not a time; use an ISO 8601 time such as 2027-01-01T00:00:00Z`);
      }
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return EXIT.ok;
    } else if (!arg.startsWith("-") && !programDir) programDir = arg;
    else throw new UsageError(`unknown argument ${arg}`, true);
  }
  if ((now !== undefined || replace.length > 0) && diffFile === undefined) {
    throw new UsageError("--now and --replace apply to --diff; give --diff PREVIOUS.json");
  }
  if (!isPlainName(stack)) {
    // pulumi/pulumi sdk/go/common/tokens/stack_name.go; `.` and `..` would name no folder of their own under --out.
    throw new UsageError(
      `--stack \`${stack}\` is not a stack name: use letters, digits, \`-\`, \`_\` and \`.\` (at most 100, not \`.\` or \`..\`), without an organization or project`,
    );
  }
  programDir ??= ".";
  if (!fs.existsSync(path.join(programDir, "Pulumi.yaml"))) {
    console.error(`${programDir} is not a Pulumi program (no Pulumi.yaml)`);
    return EXIT.usage;
  }
  if (
    !fs.existsSync(path.join(programDir, `Pulumi.${stack}.yaml`)) &&
    fs.readdirSync(programDir).some((f) => /^Pulumi\..+\.yaml$/.test(f))
  ) {
    const stacks = fs.readdirSync(programDir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
    console.error(`stack \`${stack}\` has no Pulumi.${stack}.yaml in ${programDir}; stacks: ${stacks.join(", ")}`);
    return EXIT.usage;
  }
  // The planner (the Pulumi SDK, the mocks, the provider emulation) loads only once the command line is known good:
  // a usage error answers at once.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const planner = require("../index") as typeof Plan;
  const { planProgram } = require("@gcp-mtls/testing") as typeof Testing;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { diffSnapshots, formatDiff, formatPlan, formatProof, planJson, proveEnvironment, writePlanFiles } = planner;
  let previous: Plan.PlanSnapshot | undefined;
  if (diffFile !== undefined) {
    try {
      previous = JSON.parse(fs.readFileSync(diffFile, "utf8")) as Plan.PlanSnapshot;
    } catch (err) {
      throw new UsageError(`--diff ${diffFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (previous?.version !== 2 || !Array.isArray(previous.resources)) {
      throw new UsageError(`--diff ${diffFile} is not a plan written by \`gcp-mtls-plan --json\` (version 2)`);
    }
  }
  let result: Awaited<ReturnType<typeof Testing.planProgram>>;
  try {
    // Resources of the previous plan exist: this plan updates them (creation-only rules do not apply to them).
    result = await planProgram(programDir, { stack, deployed: previous?.resources.map((r) => r.urn) ?? [] });
  } catch (err) {
    console.error(`plan failed: ${err instanceof Error ? err.message : String(err)}`);
    return isConfigError(err) ? EXIT.config : EXIT.deployment;
  }
  for (const key of result.unknownConfigKeys) {
    console.error(
      `warning: Pulumi.${stack}.yaml sets \`${key}\`, which Pulumi.yaml does not declare (a typo?); the program reads it only by that exact name`,
    );
  }
  console.log(formatPlan(result));
  if (previous) {
    const current = planJson(result);
    const urns = replace.map((r) => current.resources.find((x) => x.urn === r || x.name === r)?.urn ?? r);
    const unknown = urns.filter((u) => !current.resources.some((x) => x.urn === u));
    if (unknown.length > 0) throw new UsageError(`--replace ${unknown.join(", ")}: no such resource in the plan`);
    console.log(`\nChanges from ${diffFile}:\n${formatDiff(diffSnapshots(previous, current, { now, replace: urns }))}`);
  }
  if (jsonFile) {
    fs.writeFileSync(jsonFile, JSON.stringify(planJson(result), null, 2) + "\n");
    console.log(`\nWrote ${jsonFile}`);
  }
  if (outDir) {
    const files = writePlanFiles(result, outDir);
    console.log(`\nWrote ${files.length} files under ${path.join(outDir, stack)}`);
  }
  if (result.failures.length > 0) {
    console.error(
      `\nplan failed: a real \`pulumi up\` would fail on ${result.failures.length} resource(s) (listed above)`,
    );
    return EXIT.deployment;
  }
  if (proof) {
    const rows = await proveEnvironment(result.env);
    console.log(`\n${formatProof(rows)}`);
    if (rows.some((r) => !r.ok)) {
      console.error("\nplan failed: the offline proof does not hold (rows marked FAIL)");
      return EXIT.proof;
    }
  }
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(err.syntax ? `${err.message}\n${USAGE}` : err.message);
      process.exit(EXIT.usage);
    }
    console.error(`plan failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(isConfigError(err) ? EXIT.config : EXIT.deployment);
  },
);
