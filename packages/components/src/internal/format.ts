import * as pulumi from "@pulumi/pulumi";
import { formatProblem, type Problem, type RuleId } from "@gcp-mtls/rules";

/** Renders a value for an error message: strings in backticks, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return `\`${value}\``;
  if (value === undefined) return "nothing";
  return `\`${JSON.stringify(value)}\``;
}

/** The closest candidate by edit distance, for "did you mean" hints. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(value, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** An argument path at the start of a message: `` `allow.payments.hosts[0]` ``. */
const LEADING_PATH = /^`([A-Za-z_$][\w$-]*(?:\.[\w$@-]+|\[\d+\])*)` ([\s\S]+)$/;

/**
 * A message that starts with its argument path (`` `region` must be … ``) is the problem at that path (the format
 * renders it back unchanged), so every error carries its `propertyPath`.
 */
function problemOf(message: string, rule: RuleId | undefined): Problem {
  const match = LEADING_PATH.exec(message);
  const at = match ? { path: match[1]!, message: match[2]! } : { path: "", message };
  return rule ? { ...at, rule } : at;
}

/**
 * Thrown for invalid arguments; the message is the whole story (argument path, bad value, fix), one line per problem.
 * `problems` keeps each problem with its path and, for upstream constraints, its catalogue rule.
 */
export class ArgumentError extends pulumi.InputPropertiesError {
  readonly problems: readonly Problem[];

  /** A message alone, or with the catalogue rule it enforces; or a list of problems. */
  constructor(problems: string | readonly Problem[], rule?: RuleId) {
    const list: readonly Problem[] = typeof problems === "string" ? [problemOf(problems, rule)] : problems;
    // The SDK's error for invalid inputs: the engine prints each `{ propertyPath, reason }`.
    super({
      message: list.map(formatProblem).join("\n"),
      errors: list.map((p) => ({ propertyPath: p.path, reason: p.message })),
    });
    this.name = "ArgumentError";
    this.problems = list;
  }
}

/**
 * Runs independent checks and keeps the problems of each (every {@link ArgumentError} they throw), so that one
 * `ArgumentError` reports every problem of the arguments at once; a check whose result later checks need returns
 * `undefined` when it failed, and {@link ProblemCollector.throwIfAny} stops before anything reads an invalid value.
 */
export class ProblemCollector {
  private readonly list: Problem[] = [];

  /** Runs `check`; its ArgumentError's problems are kept (any other error is a bug and propagates). */
  run<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof ArgumentError)) throw e;
      this.list.push(...e.problems);
      return undefined;
    }
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Throws one ArgumentError with every problem kept so far. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new ArgumentError(this.list);
  }
}
