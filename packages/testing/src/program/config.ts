import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** Stack configuration as the Pulumi CLI would hand it to a program: `namespace:key` → string value. */
export interface StackConfig {
  readonly config: Record<string, string>;
  /** Keys whose value is `secure:` in the stack file (not decryptable offline: a placeholder is used). */
  readonly secretKeys: string[];
  /**
   * Keys of the project's namespace set in the stack file but not declared in `Pulumi.yaml` (typos, usually). The
   * Pulumi CLI passes them on silently; the plan warns. Empty when `Pulumi.yaml` declares no `config:`.
   */
  readonly unknownKeys: string[];
}

/** A stack configuration problem the Pulumi CLI would stop on before running the program. */
export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** A declared project config key (Pulumi.yaml `config:`), as the CLI validates it. */
interface Declaration {
  readonly type?: "string" | "integer" | "boolean" | "array" | "object";
  readonly default?: unknown;
}

export const SECRET_PLACEHOLDER = "[secret: not decryptable offline]";

/**
 * Reads `Pulumi.yaml` (declared keys, their types and defaults) and `Pulumi.<stack>.yaml` (values), the way the
 * Pulumi CLI merges them (pulumi/pulumi `pkg/workspace/config.go`, `ValidateStackConfigAndApplyProjectConfig`): keys
 * without a namespace belong to the project; declared keys must have values of their declared type; a declared key
 * of the project's namespace with neither a default nor a stack value stops the run ("Stack 'dev' is missing
 * configuration value 'x'"). Structured values are passed as JSON, as the CLI does. Throws a
 * {@link StackConfigError}.
 */
export function loadStackConfig(programDir: string, project: string, stack: string): StackConfig {
  const projectFile = parse(fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8")) ?? {};
  const declared: Record<string, Declaration> = {};
  for (const [key, decl] of Object.entries<any>(projectFile.config ?? {})) {
    declared[qualify(key, project)] =
      decl !== null && typeof decl === "object" && !Array.isArray(decl) ? decl : { default: decl };
  }
  const stackPath = path.join(programDir, `Pulumi.${stack}.yaml`);
  const stackFile = fs.existsSync(stackPath) ? (parse(fs.readFileSync(stackPath, "utf8")) ?? {}) : {};
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, decl] of Object.entries(declared)) {
    if (decl.default !== undefined) config[key] = encode(decl.default);
  }
  for (const [rawKey, value] of Object.entries<any>(stackFile.config ?? {})) {
    const key = qualify(rawKey, project);
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      config[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
      continue;
    }
    const type = declared[key]?.type;
    if (type && !hasType(value, type)) {
      throw new StackConfigError(
        `${path.basename(stackPath)}: config \`${rawKey}\` must be of type ${type} (declared in Pulumi.yaml), got ${JSON.stringify(value)}`,
      );
    }
    config[key] = encode(value);
  }
  const missing = Object.keys(projectFile.config ?? {})
    .filter((raw) => {
      const key = qualify(raw, project);
      return key.startsWith(`${project}:`) && declared[key]!.default === undefined && config[key] === undefined;
    })
    .sort();
  if (missing.length > 0) {
    const quoted = missing.map((k) => `'${k}'`);
    // formatMissingKeys: 'a', 'b' and 'c'.
    const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
    throw new StackConfigError(
      `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${list}`,
    );
  }
  const unknownKeys =
    projectFile.config === undefined
      ? []
      : Object.keys(stackFile.config ?? {})
          .map((raw) => qualify(raw, project))
          .filter((key) => key.startsWith(`${project}:`) && declared[key] === undefined);
  return { config, secretKeys, unknownKeys };
}

function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function hasType(value: unknown, type: NonNullable<Declaration["type"]>): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
  }
}
