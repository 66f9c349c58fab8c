#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { formatPlan, planJson, planProgram } from "../plan";

const USAGE = "usage: gcp-mtls-plan <program-dir> [--stack NAME] [--json FILE]";

async function main(argv: string[]): Promise<number> {
  let programDir: string | undefined;
  let stack = "dev";
  let jsonFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--stack") stack = argv[++i] ?? "";
    else if (arg === "--json") jsonFile = argv[++i];
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else if (!arg.startsWith("-") && !programDir) programDir = arg;
    else {
      console.error(`unknown argument ${arg}\n${USAGE}`);
      return 2;
    }
  }
  if (!programDir || !stack) {
    console.error(USAGE);
    return 2;
  }
  if (!fs.existsSync(path.join(programDir, "Pulumi.yaml"))) {
    console.error(`${programDir} is not a Pulumi program (no Pulumi.yaml)`);
    return 2;
  }
  const result = await planProgram(programDir, { stack });
  console.log(formatPlan(result));
  if (jsonFile) {
    fs.writeFileSync(jsonFile, JSON.stringify(planJson(result), null, 2) + "\n");
    console.log(`\nWrote ${jsonFile}`);
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
