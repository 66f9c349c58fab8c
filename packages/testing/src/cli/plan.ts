#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import {
  diffSnapshots,
  formatDiff,
  formatPlan,
  formatProof,
  planJson,
  planProgram,
  proveEnvironment,
  writePlanFiles,
  type PlanSnapshot,
} from "../plan";

const USAGE =
  "usage: gcp-mtls-plan [program-dir] [--stack NAME] [--json FILE] [--out DIR] [--no-proof] [--diff PREVIOUS.json [--now TIME] [--replace NAME|URN]...]";

async function main(argv: string[]): Promise<number> {
  let programDir: string | undefined;
  let stack = "dev";
  let jsonFile: string | undefined;
  let outDir: string | undefined;
  let proof = true;
  let diffFile: string | undefined;
  let now: Date | undefined;
  const replace: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--stack") stack = argv[++i] ?? "";
    else if (arg === "--json") jsonFile = argv[++i];
    else if (arg === "--out") outDir = argv[++i];
    else if (arg === "--no-proof") proof = false;
    else if (arg === "--diff") diffFile = argv[++i] ?? "";
    else if (arg === "--replace") replace.push(argv[++i] ?? "");
    else if (arg === "--now") {
      const value = argv[++i] ?? "";
      now = new Date(value);
      if (Number.isNaN(now.getTime())) {
        console.error(`--now ${value} is not a time; use an ISO 8601 time such as 2027-01-01T00:00:00Z`);
        return 2;
      }
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else if (!arg.startsWith("-") && !programDir) programDir = arg;
    else {
      console.error(`unknown argument ${arg}\n${USAGE}`);
      return 2;
    }
  }
  programDir ??= ".";
  if (!stack || jsonFile === "" || outDir === "" || diffFile === "" || replace.includes("")) {
    console.error(USAGE);
    return 2;
  }
  if (!fs.existsSync(path.join(programDir, "Pulumi.yaml"))) {
    console.error(`${programDir} is not a Pulumi program (no Pulumi.yaml)`);
    return 2;
  }
  if (
    !fs.existsSync(path.join(programDir, `Pulumi.${stack}.yaml`)) &&
    fs.readdirSync(programDir).some((f) => /^Pulumi\..+\.yaml$/.test(f))
  ) {
    const stacks = fs.readdirSync(programDir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
    console.error(`stack \`${stack}\` has no Pulumi.${stack}.yaml in ${programDir}; stacks: ${stacks.join(", ")}`);
    return 2;
  }
  let previous: PlanSnapshot | undefined;
  if (diffFile !== undefined) {
    try {
      previous = JSON.parse(fs.readFileSync(diffFile, "utf8")) as PlanSnapshot;
    } catch (err) {
      console.error(`--diff ${diffFile}: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
    if (previous.version !== 2 || !Array.isArray(previous.resources)) {
      console.error(`--diff ${diffFile} is not a plan written by \`gcp-mtls-plan --json\` (version 2)`);
      return 2;
    }
  }
  const result = await planProgram(programDir, { stack });
  console.log(formatPlan(result));
  if (previous) {
    const current = planJson(result);
    const urns = replace.map((r) => current.resources.find((x) => x.urn === r || x.name === r)?.urn ?? r);
    const unknown = urns.filter((u) => !current.resources.some((x) => x.urn === u));
    if (unknown.length > 0) {
      console.error(`--replace ${unknown.join(", ")}: no such resource in the plan`);
      return 2;
    }
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
    return 1;
  }
  if (proof) {
    const rows = await proveEnvironment(result.env);
    console.log(`\n${formatProof(rows)}`);
    if (rows.some((r) => !r.ok)) {
      console.error("\nplan failed: the offline proof does not hold (rows marked FAIL)");
      return 1;
    }
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`plan failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
