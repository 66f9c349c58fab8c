import type { RuleId } from "./catalogue";

/**
 * One thing wrong with an input: where (`path`, an argument path such as `sslPolicy.profile` or a resource input
 * path such as `minTlsVersion`), what (`message`: problem, the bad value, the fix) and which catalogue rule says so.
 * Rendered as `` `path` message ``.
 */
export interface Problem {
  readonly path: string;
  readonly message: string;
  /** The catalogue entry behind the problem; absent for checks of the library's own argument shapes. */
  readonly rule?: RuleId;
}

/** `` `path` message `` (the one error format of the library). */
export function formatProblem(p: Problem): string {
  return p.path === "" ? p.message : `\`${p.path}\` ${p.message}`;
}

const MAX_SHOWN = 120;

/** Renders a value for a message: strings in backticks, everything else as JSON, long values truncated. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "bigint") text = value.toString();
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  if (text.length > MAX_SHOWN) text = `${text.slice(0, MAX_SHOWN - 1)}…`;
  return `\`${text}\``;
}

/** Collects problems so that every one is reported at once. */
export class Problems {
  private readonly list: Problem[] = [];

  add(path: string, message: string, rule?: RuleId): void {
    this.list.push(rule === undefined ? { path, message } : { path, message, rule });
  }

  /** Adds problems found under `prefix` (their paths are joined: `prefix.path`, `prefix[0]`). */
  addAll(problems: readonly Problem[], prefix = ""): void {
    for (const p of problems) this.list.push({ ...p, path: joinPath(prefix, p.path) });
  }

  get items(): readonly Problem[] {
    return this.list;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** `a` + `b` → `a.b`; `a` + `[0]` → `a[0]`; either side empty → the other. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === "") return path;
  if (path === "") return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}
