import type { RuleId } from "../catalogue";
import type { Problem } from "../problems";

/** One input field of a provider resource, as its upstream definition declares it. */
export interface FieldSpec {
  /** Input path: `name`, `mtlsPolicy.clientValidationMode`, `trustStores[].trustAnchors[].pemCertificate`. */
  readonly path: string;
  /** The API (or provider) refuses the request without it. */
  readonly required?: boolean;
  /** A change forces a replacement (Terraform ForceNew; Pulumi `replace`). */
  readonly immutable?: boolean;
  /** The values the provider accepts. */
  readonly enum?: readonly string[];
  /** What the provider or API stores when the input is absent (`default_value`, or a documented `default_from_api`). */
  readonly default?: unknown;
  /**
   * magic-modules `default_from_api`: an absent input keeps whatever the API holds (Terraform Optional+Computed), so
   * leaving it out of a program is no change.
   */
  readonly fromApi?: boolean;
}

/** A cross-field rule of the API, with the catalogue entry that holds its source. */
export interface ResourceCheck {
  readonly rule: RuleId;
  readonly check: (inputs: Record<string, any>) => Omit<Problem, "rule">[];
}

/** What the upstream definition of a provider resource says about its inputs. */
export interface ResourceSchema {
  /** The Pulumi type token. */
  readonly type: string;
  /** The catalogue entry for the definition itself (its source: the magic-modules YAML or the handwritten resource). */
  readonly rule: RuleId;
  /** Every field forces replacement (a resource-level `immutable: true`). */
  readonly immutable?: boolean;
  readonly fields: readonly FieldSpec[];
  readonly checks?: readonly ResourceCheck[];
}

/** Every value at `path` (arrays expanded at `[]`), with its concrete path (`httpRules[0].action`). */
export function valuesAt(inputs: unknown, path: string): { path: string; value: unknown }[] {
  let current: { path: string; value: unknown }[] = [{ path: "", value: inputs }];
  for (const raw of path.split(".")) {
    const many = raw.endsWith("[]");
    const key = many ? raw.slice(0, -2) : raw;
    const next: { path: string; value: unknown }[] = [];
    for (const c of current) {
      if (c.value === null || typeof c.value !== "object") continue;
      const v = (c.value as Record<string, unknown>)[key];
      const p = c.path === "" ? key : `${c.path}.${key}`;
      if (many) {
        if (Array.isArray(v)) v.forEach((item, i) => next.push({ path: `${p}[${i}]`, value: item }));
      } else next.push({ path: p, value: v });
    }
    current = next;
  }
  return current;
}

const absent = (v: unknown) => v === undefined || v === null || v === "";

/**
 * The problems the provider or API reports for these inputs: required fields missing (only where their parent
 * object is present), values outside an enum, and the resource's cross-field rules. Paths are input paths.
 */
export function schemaProblems(
  schema: ResourceSchema,
  inputs: Record<string, any>,
  opts: { readonly required?: boolean } = {},
): Problem[] {
  const out: Problem[] = [];
  const checkRequired = opts.required ?? true;
  for (const field of schema.fields) {
    const parentPath = field.path.includes(".") ? field.path.slice(0, field.path.lastIndexOf(".")) : "";
    const leaf = field.path.slice(field.path.lastIndexOf(".") + 1);
    const parents = parentPath === "" ? [{ path: "", value: inputs }] : valuesAt(inputs, parentPath);
    for (const parent of parents) {
      if (parent.value === null || typeof parent.value !== "object") continue;
      const many = leaf.endsWith("[]");
      const key = many ? leaf.slice(0, -2) : leaf;
      const value = (parent.value as Record<string, unknown>)[key];
      const path = parent.path === "" ? key : `${parent.path}.${key}`;
      if (checkRequired && field.required && absent(value)) {
        out.push({ path, message: "is required", rule: schema.rule });
        continue;
      }
      if (field.enum && !absent(value)) {
        const values = many && Array.isArray(value) ? value : [value];
        values.forEach((v, i) => {
          if (typeof v !== "string" || !field.enum!.includes(v)) {
            out.push({
              path: many ? `${path}[${i}]` : path,
              message: `must be one of ${field.enum!.join(", ")}, got \`${String(v)}\``,
              rule: schema.rule,
            });
          }
        });
      }
    }
  }
  for (const { rule, check } of schema.checks ?? []) {
    for (const p of check(inputs)) out.push({ ...p, rule });
  }
  return out;
}

/** Input paths whose change replaces the resource. */
export function replacementPaths(schema: ResourceSchema): string[] {
  return schema.fields.filter((f) => f.immutable).map((f) => f.path);
}

/** The state the provider stores for absent inputs with a default. */
export function applyDefaults(schema: ResourceSchema, state: Record<string, any>): void {
  for (const field of schema.fields) {
    if (field.default === undefined || field.path.includes("[]")) continue;
    const parts = field.path.split(".");
    let obj: Record<string, any> = state;
    let ok = true;
    for (const part of parts.slice(0, -1)) {
      if (obj[part] === undefined || obj[part] === null) {
        ok = false; // a default inside an absent block is not materialised
        break;
      }
      obj = obj[part];
    }
    const key = parts[parts.length - 1]!;
    if (ok && absent(obj[key])) obj[key] = copy(field.default);
  }
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  }
  return value;
}
