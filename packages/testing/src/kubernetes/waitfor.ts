/**
 * Offline evaluation of the Kubernetes provider's `pulumi.com/waitFor` annotation against an object (typically a
 * sample `status`), with the provider's semantics: `condition=Type[=Value]` (Value defaults to True, compared
 * case-insensitively); `jsonpath={expr}[=value]` — like pulumi-kubernetes, only the FIRST match is compared (a `[*]`
 * over several ancestors checks the first one only), a non-primitive first match compared with a value is an error,
 * and without a value the path must merely exist; or a JSON array of such expressions that must all hold.
 * JSONPath support: `.field`, `['field']`, `[n]`, `[*]`, `[?(@.a.b=="x")]`, `[?(@.a=="x" && @.b=="y")]`.
 */
export interface WaitForResult {
  readonly satisfied: boolean;
  readonly checks: { readonly expression: string; readonly satisfied: boolean; readonly found: unknown[] }[];
}

export function evaluateWaitFor(annotation: string, object: unknown): WaitForResult {
  const expressions = annotation.trim().startsWith("[") ? (JSON.parse(annotation) as string[]) : [annotation];
  const checks = expressions.map((expression) => evaluateOne(expression, object));
  return { satisfied: checks.every((c) => c.satisfied), checks };
}

function evaluateOne(expression: string, object: unknown): WaitForResult["checks"][number] {
  if (expression.startsWith("condition=")) {
    const [type, wanted = "True"] = expression.slice("condition=".length).split("=");
    const conditions = queryJsonPath(object, ".status.conditions[*]") as { type?: string; status?: string }[];
    const found = conditions.filter((c) => c?.type === type).map((c) => c.status);
    const satisfied = found.some((s) => String(s).toLowerCase() === wanted!.toLowerCase());
    return { expression, satisfied, found };
  }
  if (expression.startsWith("jsonpath=")) {
    const m = /^jsonpath=\{(.*)\}(?:=(.*))?$/.exec(expression);
    if (!m) throw new Error(`unparseable waitFor expression ${expression}`);
    const found = queryJsonPath(object, m[1]!);
    const wanted = m[2];
    if (found.length === 0) return { expression, satisfied: false, found };
    const first = found[0];
    if (wanted !== undefined && first !== null && typeof first === "object") {
      throw new Error(`${m[1]} has a non-primitive value (${JSON.stringify(first)})`);
    }
    return { expression, satisfied: wanted === undefined || String(first) === wanted, found };
  }
  throw new Error(`waitFor expression must start with condition= or jsonpath=, got ${expression}`);
}

type Step =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "all" }
  | { kind: "filter"; tests: { path: string[]; value: string }[] };

/** Evaluates a JSONPath (kubectl subset) and returns every match, in document order. */
export function queryJsonPath(object: unknown, path: string): unknown[] {
  let current: unknown[] = [object];
  for (const step of parse(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || value === undefined) continue;
      switch (step.kind) {
        case "field":
          if (typeof value === "object" && step.name in (value as object))
            next.push((value as Record<string, unknown>)[step.name]);
          break;
        case "index":
          if (Array.isArray(value) && value[step.index] !== undefined) next.push(value[step.index]);
          break;
        case "all":
          if (Array.isArray(value)) next.push(...value);
          else if (typeof value === "object") next.push(...Object.values(value as object));
          break;
        case "filter":
          if (Array.isArray(value))
            next.push(
              ...value.filter((item) =>
                step.tests.every((t) => String(at(item, t.path)) === t.value && at(item, t.path) !== undefined),
              ),
            );
          break;
      }
    }
    current = next;
  }
  return current;
}

function at(item: unknown, path: string[]): unknown {
  let v = item;
  for (const p of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

const TEST = /@\.([A-Za-z0-9_.-]+)\s*==\s*["']([^"']*)["']/g;

function parse(path: string): Step[] {
  const steps: Step[] = [];
  let rest = path.trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z0-9_-]+)/.exec(rest))) steps.push({ kind: "field", name: m[1]! });
    else if ((m = /^\[['"]([^'"]+)['"]\]/.exec(rest))) steps.push({ kind: "field", name: m[1]! });
    else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ kind: "index", index: Number(m[1]) });
    else if ((m = /^\[\*\]/.exec(rest))) steps.push({ kind: "all" });
    else if (
      (m =
        /^\[\?\((@\.[A-Za-z0-9_.-]+\s*==\s*["'][^"']*["'](?:\s*&&\s*@\.[A-Za-z0-9_.-]+\s*==\s*["'][^"']*["'])*)\)\]/.exec(
          rest,
        ))
    ) {
      steps.push({
        kind: "filter",
        tests: [...m[1]!.matchAll(TEST)].map((t) => ({ path: t[1]!.split("."), value: t[2]! })),
      });
    } else throw new Error(`unsupported JSONPath at ${JSON.stringify(rest)} in ${JSON.stringify(path)}`);
    rest = rest.slice(m[0].length);
  }
  return steps;
}
