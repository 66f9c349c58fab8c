import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** Stack configuration as the Pulumi CLI would hand it to a program: `namespace:key` → string value. */
export interface StackConfig {
  readonly config: Record<string, string>;
  /** Keys whose value is `secure:` in the stack file (not decryptable offline: a placeholder is used). */
  readonly secretKeys: string[];
}

/** A declared project config key (Pulumi.yaml `config:`), as the CLI validates it. */
interface Declaration {
  readonly type?: "string" | "integer" | "boolean" | "array" | "object";
  readonly default?: unknown;
}

export const SECRET_PLACEHOLDER = "[secret: not decryptable offline]";

/**
 * Reads `Pulumi.yaml` (declared keys, their types and defaults) and `Pulumi.<stack>.yaml` (values), the way the
 * Pulumi CLI merges them: keys without a namespace belong to the project; declared keys must have values of their
 * declared type. Structured values are passed as JSON, as the CLI does.
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
      throw new Error(
        `${path.basename(stackPath)}: config \`${rawKey}\` must be of type ${type} (declared in Pulumi.yaml), got ${JSON.stringify(value)}`,
      );
    }
    config[key] = encode(value);
  }
  return { config, secretKeys };
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
