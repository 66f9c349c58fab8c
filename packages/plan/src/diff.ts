import { createHash } from "node:crypto";
import { forcesReplacement, replaceOnChangesCovers, replacementRule, type RuleId } from "@gcp-mtls/rules";
import type { MockEnvironment, RecordedResource } from "@gcp-mtls/testing";

/**
 * A plan as `plan --diff` compares it: every resource's inputs with provider-generated values (ids, auto-names, PEMs,
 * keys) replaced by symbols of their producer, `{{<urn>#<output path>}}`, so two offline runs of the same program
 * compare equal although the emulator generates fresh keys and names each time. Secret inputs keep their symbols;
 * literal secret values become a short hash.
 */
export interface PlanSnapshot {
  readonly version: 2;
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly SnapshotResource[];
}

export interface SnapshotResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly custom: boolean;
  /** Symbolic inputs (see {@link PlanSnapshot}). */
  readonly inputs: Record<string, unknown>;
  readonly replaceOnChanges: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly dependencies: readonly string[];
  /** The output paths of values this resource generates that keep their value when it is replaced (fixed names). */
  readonly stableOutputs: readonly string[];
  /** For tls certificates: when the provider will consider them ready for renewal. */
  readonly renewal?: { readonly validityEndTime: string; readonly earlyRenewalHours: number };
}

const SYMBOL = /\{\{([^#}]+)#([^}|]+)(?:\|base64)?\}\}/g;
const MIN_GENERATED = 8;

function walk(value: unknown, path: string, visit: (path: string, v: string) => void): void {
  if (typeof value === "string") visit(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) walk(v, path === "" ? k : `${path}.${k}`, visit);
}

function at(value: unknown, path: string): unknown {
  let current: any = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== "object") return undefined;
    current = current[part];
  }
  return current;
}

/**
 * Whether an output the inputs did not give is the provider's own making (a key, a certificate, an auto-name, a
 * serial, a uid, a project number) rather than a plain value it echoes or derives (a region, a host name from a
 * certificate's SANs): only those become symbols, so a replaced producer never appears to change a literal.
 */
function looksGenerated(r: RecordedResource, v: string): boolean {
  return v.includes("-----BEGIN") || v.includes(r.name) || /[0-9a-f]{7,}/.test(v) || /\d{9,}/.test(v);
}

/** The name a resource's inputs fix (`name`, or `metadata.name` for Kubernetes), if any. */
function fixedName(r: RecordedResource): string | undefined {
  const n = r.type.startsWith("kubernetes:") ? r.inputs.metadata?.name : r.inputs.name;
  return typeof n === "string" && n !== "" ? n : undefined;
}

/** The symbolic plan of an environment the mocks recorded. */
export function snapshotEnvironment(env: MockEnvironment, project: string, stack: string): PlanSnapshot {
  // Generated values: outputs the inputs did not give (plus the id), long enough not to match by accident.
  const generated = new Map<string, string>();
  const stable = new Map<string, string[]>();
  for (const r of env.resources) {
    if (!r.custom) continue;
    const name = fixedName(r);
    const add = (path: string, v: string) => {
      if (v.length < MIN_GENERATED || generated.has(v)) return;
      const symbol = `{{${r.urn}#${path}}}`;
      generated.set(v, symbol);
      generated.set(Buffer.from(v).toString("base64"), `{{${r.urn}#${path}|base64}}`);
      // A value built from a fixed name (an id, a self link) is the same after a replacement.
      if (name !== undefined && v.includes(name)) stable.set(r.urn, [...(stable.get(r.urn) ?? []), path]);
    };
    if (r.id) add("id", r.id);
    walk(r.outputs, "", (path, v) => {
      if (at(r.inputs, path) !== v && looksGenerated(r, v)) add(path, v);
    });
  }
  const values = [...generated.keys()].sort((a, b) => b.length - a.length);
  const symbolize = (s: string): string => {
    let out = s;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(generated.get(v)!);
    return out;
  };
  // In a secret, symbols stay (they say where the value comes from and reveal nothing) and any literal text between
  // them becomes a short hash: a change still shows, the value does not.
  const hide = (literal: string) =>
    literal.trim() === ""
      ? literal
      : `[secret sha256:${createHash("sha256").update(literal).digest("hex").slice(0, 12)}]`;
  const deep = (value: unknown, secret: boolean): unknown => {
    if (typeof value === "string") {
      const s = symbolize(value);
      if (!secret) return s;
      let out = "";
      let last = 0;
      for (const m of s.matchAll(SYMBOL)) {
        out += hide(s.slice(last, m.index)) + m[0];
        last = m.index! + m[0].length;
      }
      return out + hide(s.slice(last));
    }
    if (Array.isArray(value)) return value.map((v) => deep(v, secret));
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, secret)]));
    return value;
  };
  return {
    version: 2,
    project,
    stack,
    resources: env.resources.map((r) => {
      const renewal =
        r.type === "tls:index/locallySignedCert:LocallySignedCert" ||
        r.type === "tls:index/selfSignedCert:SelfSignedCert"
          ? typeof r.outputs.validityEndTime === "string"
            ? { validityEndTime: r.outputs.validityEndTime, earlyRenewalHours: Number(r.inputs.earlyRenewalHours ?? 0) }
            : undefined
          : undefined;
      return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        custom: r.custom,
        inputs: Object.fromEntries(
          Object.entries(r.inputs).map(([k, v]) => [k, deep(v, r.secretInputs.includes(k))]),
        ) as Record<string, unknown>,
        replaceOnChanges: r.replaceOnChanges,
        deleteBeforeReplace: r.deleteBeforeReplace,
        dependencies: r.dependencies,
        stableOutputs: stable.get(r.urn) ?? [],
        ...(renewal ? { renewal } : {}),
      };
    }),
  };
}

/** What `pulumi up` would do to one resource, going from one plan to the next. */
export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly action: "create" | "update" | "replace" | "delete" | "same";
  /** The changed input paths (for update and replace), the ones forcing the replacement first. */
  readonly fields: readonly string[];
  /** For a replacement: the old resource is deleted before the new one exists (a gap in service). */
  readonly deleteBeforeReplace?: boolean;
  /** Why: `ready for renewal`, `--replace`, or the inputs that force the replacement. */
  readonly reason?: string;
  /** The catalogue rules behind the verdict. */
  readonly rules: readonly RuleId[];
}

export interface DiffOptions {
  /** The time of the update (tls early renewal). @default now */
  readonly now?: Date;
  /** URNs to replace whatever changed, as `pulumi up --replace`. */
  readonly replace?: readonly string[];
}

function changedPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a === b) return;
  const isObj = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => changedPaths(v, b[i], `${path}[${i}]`, out));
    return;
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of [...keys].sort()) changedPaths((a as any)[k], (b as any)[k], path === "" ? k : `${path}.${k}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
}

/** Input paths whose (unchanged) symbolic value refers to a producer whose generated value changes. */
function refreshedPaths(inputs: unknown, changedSymbol: (urn: string, path: string) => boolean): string[] {
  const out: string[] = [];
  walk(inputs, "", (path, v) => {
    for (const m of v.matchAll(SYMBOL)) {
      if (changedSymbol(m[1]!, m[2]!)) {
        out.push(path);
        return;
      }
    }
  });
  return out;
}

/**
 * The change from `previous` to `current`, resource by resource, in `current`'s registration order (deleted ones
 * last): each resource's changed inputs, judged by its provider's replacement rule (upstream immutability), plus the
 * inputs that refer to values a replaced or created producer generates anew.
 */
export function diffSnapshots(
  previous: PlanSnapshot,
  current: PlanSnapshot,
  options: DiffOptions = {},
): ResourceChange[] {
  const now = options.now ?? new Date();
  const before = new Map(previous.resources.map((r) => [r.urn, r]));
  const after = new Set(current.resources.map((r) => r.urn));
  const renewed = new Set<string>(); // replaced or created: their generated values are new
  const stableOf = new Map(current.resources.map((r) => [r.urn, new Set(r.stableOutputs)]));
  const changedSymbol = (urn: string, path: string) => renewed.has(urn) && !stableOf.get(urn)?.has(path);
  const changes: ResourceChange[] = [];
  for (const r of current.resources) {
    const old = before.get(r.urn);
    const base = { urn: r.urn, type: r.type, name: r.name, custom: r.custom };
    if (!old) {
      renewed.add(r.urn);
      changes.push({ ...base, action: "create", fields: [], rules: [] });
      continue;
    }
    if (!r.custom) {
      changes.push({ ...base, action: "same", fields: [], rules: [] });
      continue;
    }
    const literal: string[] = [];
    changedPaths(old.inputs, r.inputs, "", literal);
    const fields = [...new Set([...literal, ...refreshedPaths(r.inputs, changedSymbol)])].sort();
    const rule = replacementRule(r.type, r.inputs);
    let replaceBecause: string | undefined;
    const rules: RuleId[] = rule ? [rule.rule] : [];
    const forcing = fields.filter(
      (f) => (rule && forcesReplacement(rule, f)) || r.replaceOnChanges.some((o) => replaceOnChangesCovers(o, f)),
    );
    if (options.replace?.includes(r.urn)) replaceBecause = "--replace";
    else if (r.renewal && old.renewal) {
      const end = Date.parse(old.renewal.validityEndTime);
      if (now.getTime() >= end - old.renewal.earlyRenewalHours * 3_600_000) {
        replaceBecause = `ready for renewal (valid until ${old.renewal.validityEndTime}, early renewal ${old.renewal.earlyRenewalHours} h)`;
      }
    }
    if (replaceBecause === undefined && forcing.length > 0) replaceBecause = forcing.join(", ");
    if (replaceBecause !== undefined) {
      renewed.add(r.urn);
      changes.push({
        ...base,
        action: "replace",
        fields: [...forcing, ...fields.filter((f) => !forcing.includes(f))],
        deleteBeforeReplace: deletesFirst(r, old),
        reason: replaceBecause,
        rules,
      });
    } else if (fields.length > 0) {
      changes.push({ ...base, action: "update", fields, rules });
    } else {
      changes.push({ ...base, action: "same", fields: [], rules: [] });
    }
  }
  for (const old of previous.resources) {
    if (!after.has(old.urn))
      changes.push({
        urn: old.urn,
        type: old.type,
        name: old.name,
        custom: old.custom,
        action: "delete",
        fields: [],
        rules: [],
      });
  }
  return changes;
}

/**
 * Whether a replacement deletes first: the `deleteBeforeReplace` option; a Kubernetes object whose fixed name and
 * namespace stay (pulumi-kubernetes Diff); a Google Cloud resource whose explicitly set name stays (the bridge's
 * nameRequiresDeleteBeforeReplace).
 */
function deletesFirst(r: SnapshotResource, old: SnapshotResource): boolean {
  if (r.deleteBeforeReplace) return true;
  const inputs = r.inputs as Record<string, any>;
  const was = old.inputs as Record<string, any>;
  if (r.type.startsWith("kubernetes:")) {
    const name = inputs.metadata?.name;
    return (
      typeof name === "string" &&
      name === was.metadata?.name &&
      (inputs.metadata?.namespace ?? "default") === (was.metadata?.namespace ?? "default")
    );
  }
  if (r.type.startsWith("gcp:")) return typeof inputs.name === "string" && inputs.name === was.name;
  return false;
}

const SIGN = { create: "+", update: "~", replace: "+-", delete: "-", same: " " } as const;

/** The diff as `pulumi preview` would summarise it: one line per changed resource, then the counts. */
export function formatDiff(changes: readonly ResourceChange[]): string {
  const shown = changes.filter((c) => c.action !== "same" && (c.custom || c.action !== "update"));
  const lines = shown.map((c) => {
    const what = `${SIGN[c.action].padEnd(2)} ${c.action.padEnd(7)} ${c.type} ${c.name}`;
    if (c.action === "replace")
      return `${what}  [${c.reason}]${c.deleteBeforeReplace ? " (delete before replace)" : ""}`;
    if (c.action === "update")
      return `${what}  (${c.fields.slice(0, 4).join(", ")}${c.fields.length > 4 ? ", …" : ""})`;
    return what;
  });
  const count = (a: ResourceChange["action"]) => changes.filter((c) => c.custom && c.action === a).length;
  lines.push(
    "",
    `Resources: ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace ` +
      `(${changes.filter((c) => c.action === "replace" && c.deleteBeforeReplace).length} deleting first), ` +
      `${count("delete")} to delete, ${count("same")} unchanged`,
  );
  return lines.join("\n");
}
