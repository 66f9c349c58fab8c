import * as pulumi from "@pulumi/pulumi";
import { show, type Problem } from "@gcp-mtls/rules";
import { closest } from "./format";

/**
 * The runtime shape of an argument, checked before anything else so that a JavaScript caller (or a TypeScript caller
 * with `as any`) gets a problem naming the argument path instead of a TypeError, and so that no value is ever read by
 * truthiness (`"false"` is not a boolean).
 */
export type Shape =
  | { readonly kind: "string" }
  | { readonly kind: "integer" }
  | { readonly kind: "boolean" }
  /** A string, or an Output / promise of one (checked when it resolves). */
  | { readonly kind: "input" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly of: Shape }
  | { readonly kind: "record"; readonly of: Shape }
  /** A list of strings / Outputs, or an Output of the whole list (`Input<Input<string>[]>`). */
  | { readonly kind: "inputList" }
  | {
      readonly kind: "object";
      readonly fields: Readonly<Record<string, Shape>>;
      readonly required?: readonly string[];
      /** Values taken as they are (a component instance that satisfies the interface). */
      readonly accepts?: (value: unknown) => boolean;
    };

export const S = {
  string: { kind: "string" } as Shape,
  integer: { kind: "integer" } as Shape,
  boolean: { kind: "boolean" } as Shape,
  input: { kind: "input" } as Shape,
  inputList: { kind: "inputList" } as Shape,
  enumOf: (values: readonly string[]): Shape => ({ kind: "enum", values }),
  array: (of: Shape): Shape => ({ kind: "array", of }),
  record: (of: Shape): Shape => ({ kind: "record", of }),
  object: (
    fields: Record<string, Shape>,
    required: readonly string[] = [],
    accepts?: (value: unknown) => boolean,
  ): Shape => ({
    kind: "object",
    fields,
    required,
    ...(accepts ? { accepts } : {}),
  }),
};

const isDeferred = (v: unknown) => pulumi.Output.isInstance(v) || v instanceof Promise;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `the list ${show(v)}`;
  if (pulumi.Output.isInstance(v)) return "an Output";
  if (pulumi.Resource.isInstance(v)) {
    const r = v as unknown as { __pulumiType?: string; __name?: string };
    return `the resource ${r.__pulumiType ?? "?"} \`${r.__name ?? "?"}\``;
  }
  if (v instanceof Promise) return "a promise";
  if (typeof v === "object") return `the object ${show(v)}`;
  if (typeof v === "function") return "a function";
  return show(v);
}

/** `a.b`; a key that is no plain name (empty, dotted, spaced) in brackets: `a["x.y"]`, `args[""]`. */
const join = (path: string, key: string) =>
  /^[A-Za-z0-9_-]+$/.test(key)
    ? path === ""
      ? key
      : `${path}.${key}`
    : `${path === "" ? "args" : path}[${JSON.stringify(key)}]`;

/** Every problem of `value` against `shape` under `path` (an empty list when it fits). */
export function shapeProblems(value: unknown, shape: Shape, path: string): Problem[] {
  const problems: Problem[] = [];
  const visit = (v: unknown, s: Shape, p: string) => {
    // The args object itself is `args` in messages.
    const fail = (expected: string, fix?: string) =>
      problems.push({
        path: p === "" ? "args" : p,
        message: `must be ${expected}, got ${describe(v)}${fix ? `; ${fix}` : ""}`,
      });
    const plainOnly = () =>
      fail(
        "known when the program runs (a plain value, not an Output)",
        "it decides what the component creates: pass the value itself",
      );
    if (isDeferred(v) && s.kind !== "input" && s.kind !== "inputList") return plainOnly();
    switch (s.kind) {
      case "string":
        if (typeof v !== "string") fail("a string");
        return;
      case "integer":
        if (typeof v !== "number" || !Number.isInteger(v)) fail("a whole number");
        return;
      case "boolean":
        if (typeof v !== "boolean") fail("`true` or `false`", typeof v === "string" ? "not a string" : undefined);
        return;
      case "input":
        if (typeof v !== "string" && !isDeferred(v)) fail("a string or an Output of one");
        return;
      case "inputList":
        if (isDeferred(v)) return;
        if (!Array.isArray(v)) return fail("a list", typeof v === "string" ? `write [${show(v)}]` : undefined);
        v.forEach((item, i) => visit(item, S.input, `${p}[${i}]`));
        return;
      case "enum":
        if (typeof v !== "string" || !s.values.includes(v)) {
          const hint = typeof v === "string" ? closest(v, s.values) : undefined;
          fail(`one of ${s.values.map((x) => `\`${x}\``).join(", ")}`, hint ? `did you mean \`${hint}\`?` : undefined);
        }
        return;
      case "array":
        if (!Array.isArray(v)) return fail(`a list`, typeof v === "string" ? `write [${show(v)}]` : undefined);
        v.forEach((item, i) => visit(item, s.of, `${p}[${i}]`));
        return;
      case "record":
        if (v === null || typeof v !== "object" || Array.isArray(v)) return fail("an object of entries by key");
        for (const [k, item] of Object.entries(v)) visit(item, s.of, join(p, k));
        return;
      case "object": {
        if (s.accepts?.(v)) return;
        if (v === null || typeof v !== "object" || Array.isArray(v)) return fail("an object");
        const record = v as Record<string, unknown>;
        for (const key of Object.keys(record)) {
          if (!(key in s.fields)) {
            const hint = closest(key, Object.keys(s.fields));
            problems.push({
              path: join(p, key),
              message: `is not an argument here${hint ? `; did you mean \`${hint}\`?` : ""} (arguments: ${Object.keys(s.fields).join(", ")})`,
            });
          }
        }
        for (const [key, field] of Object.entries(s.fields)) {
          const item = record[key];
          if (item === undefined) {
            if (s.required?.includes(key)) problems.push({ path: join(p, key), message: "is required" });
            continue;
          }
          visit(item, field, join(p, key));
        }
        return;
      }
    }
  };
  visit(value, shape, path);
  return problems;
}
