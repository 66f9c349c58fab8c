import * as fs from "node:fs";
import * as path from "node:path";
import { checkGatewayApiCelRules } from "./cel-rules";

/** A problem with a rendered Kubernetes manifest. */
export interface ManifestProblem {
  /** JSON path into the manifest, e.g. `.spec.tls.frontendValidation`. */
  readonly path: string;
  readonly message: string;
}

interface ModelLocation {
  readonly pkg: string;
  /** Module path inside the package, without extension (`gateway.networking.k8s.io/v1/Gateway`). */
  readonly sub: string;
}

/** Where the typed model of an apiVersion/kind lives (Gateway API v1.5.1, GKE CRDs, core Kubernetes). */
export function modelLocation(apiVersion: string, kind: string): ModelLocation {
  if (apiVersion.startsWith("gateway.networking.k8s.io/"))
    return { pkg: "@kubernetes-models/gateway-api", sub: `${apiVersion}/${kind}` };
  if (apiVersion.startsWith("networking.gke.io/"))
    return { pkg: "@kubernetes-models/gke", sub: `${apiVersion}/${kind}` };
  if (!apiVersion.includes("/")) return { pkg: "kubernetes-models", sub: `${apiVersion}/${kind}` };
  return { pkg: "kubernetes-models", sub: `${apiVersion}/${kind}` };
}

/**
 * Validates a manifest with its typed model's `validate()` (types, enums, required fields, limits — what the CRD's
 * OpenAPI schema says, without CEL rules) and adds what that validator does not check: fields the schema does not
 * know (read from the model's type declarations), which the API server would prune or refuse, and the upstream CRDs'
 * CEL rules for Gateway and BackendTLSPolicy.
 */
export async function validateManifest(
  manifest: { apiVersion: string; kind: string } & Record<string, unknown>,
): Promise<ManifestProblem[]> {
  const location = modelLocation(manifest.apiVersion, manifest.kind);
  const problems: ManifestProblem[] = [];
  let mod: Record<string, unknown>;
  try {
    mod = await import(`${location.pkg}/${location.sub}`);
  } catch (e) {
    // jest without vm modules: "You need to run with a version of node that supports ES Modules in the VM API."
    if (
      /ES Modules in the VM API|ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING/.test(
        `${(e as Error).message} ${(e as { code?: string }).code}`,
      )
    ) {
      throw new Error(
        `validateManifest imports the ESM validator ${location.pkg}/${location.sub}, which jest allows only with vm modules: run jest as \`node --experimental-vm-modules node_modules/jest/bin/jest.js\``,
      );
    }
    if (
      (e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" ||
      (e as { code?: string }).code === "MODULE_NOT_FOUND"
    ) {
      throw new Error(
        `validateManifest of a ${manifest.kind} needs ${location.pkg}, an optional peer dependency of @gcp-mtls/testing: install it (\`npm install --save-dev ${location.pkg}\`; @kubernetes-models/gateway-api 2 and kubernetes-models 5 need Node 22)`,
      );
    }
    throw e;
  }
  const Model = mod[manifest.kind] as (new (m: unknown) => { validate(): void }) | undefined;
  if (typeof Model !== "function") throw new Error(`${location.pkg}/${location.sub} has no model ${manifest.kind}`);
  try {
    new Model(manifest).validate();
  } catch (e) {
    // ajv's text: "data/spec/x must be …, data/spec/y must be …"
    for (const line of String((e as Error).message)
      .split(/\n|, (?=data[/ ])/)
      .filter((l) => l.trim() !== "")) {
      const m = /^data(\S*) (.*)$/.exec(line.trim());
      problems.push(
        m ? { path: m[1]!.replace(/\//g, ".") || ".", message: m[2]! } : { path: ".", message: line.trim() },
      );
    }
  }
  const file = path.join(packageDir(location.pkg), `${location.sub}.d.ts`);
  const shape = shapes.resolve(file, `I${manifest.kind}`);
  collectUnknownFields(manifest, shape, "", problems);
  problems.push(...checkGatewayApiCelRules(manifest));
  return problems;
}

/** Throws with every problem listed when a manifest is not valid. */
export async function assertValidManifest(
  manifest: { apiVersion: string; kind: string } & Record<string, unknown>,
): Promise<void> {
  const problems = await validateManifest(manifest);
  if (problems.length > 0) {
    const name = (manifest.metadata as { name?: string } | undefined)?.name ?? "(unnamed)";
    throw new Error(
      `${manifest.kind} ${name} is invalid:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
    );
  }
}

// --- the schema's field names, from the model's .d.ts files -----------------------------------------------------

type Shape =
  | { kind: "object"; fields: Map<string, () => Shape> }
  | { kind: "map"; value: () => Shape }
  | { kind: "array"; item: () => Shape }
  | { kind: "leaf" };

const LEAF: Shape = { kind: "leaf" };

function collectUnknownFields(value: unknown, shape: Shape, at: string, problems: ManifestProblem[]): void {
  if (value === null || value === undefined) return;
  switch (shape.kind) {
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) return;
      for (const [key, v] of Object.entries(value)) {
        const field = shape.fields.get(key);
        if (!field) problems.push({ path: `${at}.${key}`, message: "unknown field (not in the resource's schema)" });
        else collectUnknownFields(v, field(), `${at}.${key}`, problems);
      }
      return;
    case "map":
      if (typeof value === "object" && !Array.isArray(value)) {
        for (const [key, v] of Object.entries(value)) collectUnknownFields(v, shape.value(), `${at}.${key}`, problems);
      }
      return;
    case "array":
      if (Array.isArray(value)) value.forEach((v, i) => collectUnknownFields(v, shape.item(), `${at}[${i}]`, problems));
      return;
    case "leaf":
      return;
  }
}

function packageDir(pkg: string): string {
  const roots = [...(module.paths ?? []), path.join(process.cwd(), "node_modules")];
  for (const root of roots) {
    const dir = path.join(root, pkg);
    if (fs.existsSync(path.join(dir, "package.json"))) return fs.realpathSync(dir);
  }
  throw new Error(`cannot find package ${pkg} from ${__dirname}`);
}

class ShapeReader {
  private readonly cache = new Map<string, Shape>();
  private readonly sources = new Map<string, string>();

  resolve(file: string, typeName: string): Shape {
    const key = `${file}#${typeName}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    // A declaration this reader cannot follow (re-exported elsewhere) accepts anything below it.
    if (!fs.existsSync(file)) return LEAF;
    const source = this.source(file);
    // `export type { IGatewaySpec as IIoK8s…GatewaySpec }` maps the long name to the declared one.
    const alias = new RegExp(`(\\w+) as ${typeName}\\b`).exec(source);
    const local = alias && alias[1] !== typeName ? alias[1]! : typeName;
    const header = new RegExp(`export interface ${local}\\b([^{]*)\\{`);
    const iface = this.block(source, header);
    let shape: Shape;
    if (iface !== undefined) {
      const fields = new Map<string, () => Shape>();
      shape = { kind: "object", fields };
      this.cache.set(key, shape); // before parsing fields: types may refer to themselves
      // Inherited members: `interface A extends B, C { … }`.
      const extendsClause = /extends\s+([\s\S]*)$/.exec(header.exec(source)![1]!)?.[1] ?? "";
      for (const parent of extendsClause
        .split(",")
        .map((p) => p.replace(/<[\s\S]*>/, "").trim())
        .filter(Boolean)) {
        const parentShape = this.typeShape(file, source, parent);
        if (parentShape.kind === "object") for (const [k, v] of parentShape.fields) fields.set(k, v);
      }
      for (const [name, type] of properties(iface))
        fields.set(
          name,
          lazy(() => this.typeShape(file, source, type)),
        );
      return shape;
    }
    const typeAlias = new RegExp(`export type ${local}\\s*=\\s*([^;]+);`).exec(source);
    shape = typeAlias ? this.typeShape(file, source, typeAlias[1]!) : LEAF;
    this.cache.set(key, shape);
    return shape;
  }

  private typeShape(file: string, source: string, type: string): Shape {
    const t = type.trim();
    const array = /^Array<([\s\S]*)>$/.exec(t);
    if (array) return { kind: "array", item: lazy(() => this.typeShape(file, source, array[1]!)) };
    if (t.endsWith("[]")) return { kind: "array", item: lazy(() => this.typeShape(file, source, t.slice(0, -2))) };
    if (t.startsWith("{")) {
      const body = t.slice(1, t.lastIndexOf("}"));
      const index = /^\s*\[key: string\]:\s*([\s\S]*?);?\s*$/.exec(body);
      if (index) return { kind: "map", value: lazy(() => this.typeShape(file, source, index[1]!)) };
      const fields = new Map<string, () => Shape>();
      for (const [name, ft] of properties(body))
        fields.set(
          name,
          lazy(() => this.typeShape(file, source, ft)),
        );
      return { kind: "object", fields };
    }
    if (/^[A-Za-z_]\w*$/.test(t) && !["string", "number", "boolean", "any", "unknown", "object", "null"].includes(t)) {
      const imported = new RegExp(`import \\{[^}]*\\b${t}\\b[^}]*\\} from "([^"]+)"`).exec(source);
      if (imported) return this.resolve(this.importPath(file, imported[1]!), t);
      return this.resolve(file, t);
    }
    return LEAF;
  }

  private importPath(from: string, spec: string): string {
    if (spec.startsWith(".")) return path.resolve(path.dirname(from), spec.replace(/\.js$/, "") + ".d.ts");
    const parts = spec.split("/");
    const pkg = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
    const sub = parts.slice(spec.startsWith("@") ? 2 : 1).join("/");
    // Resolve the dependency from the importing package's location (pnpm keeps it next to it).
    const dir = this.dependencyDir(from, pkg);
    return path.join(dir, `${sub === "" ? "index" : sub.replace(/\.js$/, "")}.d.ts`);
  }

  private dependencyDir(from: string, pkg: string): string {
    let dir = path.dirname(from);
    while (dir !== path.dirname(dir)) {
      const candidate = path.join(dir, "node_modules", pkg);
      if (fs.existsSync(candidate)) return fs.realpathSync(candidate);
      if (path.basename(dir) === "node_modules") {
        const sibling = path.join(dir, pkg);
        if (fs.existsSync(sibling)) return fs.realpathSync(sibling);
      }
      dir = path.dirname(dir);
    }
    return packageDir(pkg);
  }

  private source(file: string): string {
    let s = this.sources.get(file);
    if (s === undefined) {
      s = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      this.sources.set(file, s);
    }
    return s;
  }

  /** The text between the braces of the first declaration matching `start`. */
  private block(source: string, start: RegExp): string | undefined {
    const m = start.exec(source);
    if (!m) return undefined;
    let depth = 1;
    let i = m.index + m[0].length;
    const begin = i;
    for (; i < source.length && depth > 0; i++) {
      if (source[i] === "{") depth++;
      else if (source[i] === "}") depth--;
    }
    return source.slice(begin, i - 1);
  }
}

/** Top-level `"name"?: Type;` members of an interface or inline object body. */
function properties(body: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < body.length) {
    const m = /^\s*"([^"]+)"\??:\s*/.exec(body.slice(i));
    if (!m) {
      const next = body.indexOf("\n", i);
      if (next < 0) break;
      i = next + 1;
      continue;
    }
    i += m[0].length;
    let depth = 0;
    const start = i;
    for (; i < body.length; i++) {
      const c = body[i];
      if (c === "{" || c === "<" || c === "(") depth++;
      else if (c === "}" || c === ">" || c === ")") depth--;
      else if (c === ";" && depth === 0) break;
    }
    out.push([m[1]!, body.slice(start, i)]);
    i++;
  }
  return out;
}

function lazy<T>(f: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value as T;
  };
}

const shapes = new ShapeReader();
