import * as fs from "node:fs";
import * as path from "node:path";
import { displayType, printTree, type PlanResult } from "@gcp-mtls/testing";
import { stringify } from "yaml";
import { snapshotEnvironment, type PlanSnapshot } from "./diff";
import { isPlainName } from "./names";

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
