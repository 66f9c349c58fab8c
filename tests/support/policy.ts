import * as fs from "node:fs";
import * as path from "node:path";
import type { MockEnvironment } from "@gcp-mtls/testing";
import { runPolicyPack, type PolicyPackConfig, type PolicyViolation } from "@gcp-mtls/policy/testing";

/** The pack's config for a stack (`packages/policy/config/<stack>.json`, what `--policy-pack-config` passes). */
export function policyConfig(stack: string): PolicyPackConfig {
  const file = path.join(__dirname, "..", "..", "packages", "policy", "config", `${stack}.json`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
}

/** The pack's violations over what a program registered, under the stack's config: `[]` for a clean program. */
export async function policyViolations(env: MockEnvironment, stack: string): Promise<string[]> {
  await env.settled();
  const found: PolicyViolation[] = await runPolicyPack(env.resources, { config: policyConfig(stack) });
  return found.map((v) => `${v.policy} (${v.enforcementLevel}) ${v.urn.split("::").pop()}: ${v.detail}`);
}
