// Compiles every ```ts snippet of the READMEs against the built packages, as a consumer's program would see them
// (`@gcp-mtls/*` through their package.json `types`, strict mode): a snippet that names a removed argument, a wrong
// type or a helper that is not exported fails `pnpm test`. Run: `tsx tests/readme/check-snippets.ts`.
//
// A snippet is a fragment: the names it uses without defining them (a chain built earlier in the README, the
// arguments it spreads) are declared, per README, by the context below; each snippet is its own module.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "../..");
const virtualDir = path.join(__dirname, "__snippets__");

const COMMON = `
import type * as __c from "@gcp-mtls/components";
import type * as __pulumi from "@pulumi/pulumi";
`;

/** Free names a snippet may use, with their types; declared only when the snippet does not define the name. */
const CONTEXT: Record<string, string> = {
  pki: "__c.CertificateChain",
  serving: "__c.CertificateChain",
  clients: "__c.CertificateChain",
  partners: "__c.CertificateChain",
  backendPki: "__c.CertificateChain",
  gateway: "__c.GatewayFrontendMtls",
  edge: "__c.GatewayFrontendMtls",
  oncall: "{ id: __pulumi.Output<string> }",
  clientId: "string",
  partnerRootPem: "string",
  rootPem: "string",
  certificatePem: "string",
  privateKeyPem: "string",
  leafPemOutput: "__pulumi.Output<string>",
  proxy: 'Omit<__c.SecureWebProxyMtlsArgs, "trust">',
  backend: 'Omit<__c.BackendTlsPolicyArgs, "frontends">',
};

/** Per README: what `args` is, and which package names it uses without importing them. */
const FILES: { file: string; args?: string; autoImport: Record<string, string> }[] = [
  { file: "README.md", autoImport: { "@gcp-mtls/components": "SecureWebProxyMtls, BackendTlsPolicy" } },
  {
    file: "packages/components/README.md",
    args: "__c.SecureWebProxyMtlsArgs",
    autoImport: {
      "@gcp-mtls/components":
        "ArgumentError, BackendTlsPolicy, CaServiceChain, CertificateChain, GatewayFrontendMtls, SecureWebProxyMtls",
    },
  },
  { file: "packages/plan/README.md", autoImport: {} },
  { file: "packages/policy/README.md", autoImport: {} },
  {
    file: "packages/testing/README.md",
    args: "__c.GatewayFrontendMtlsArgs",
    autoImport: {
      "@gcp-mtls/components": "GatewayFrontendMtls",
      "@gcp-mtls/testing": "setupMocks",
      "@pulumi/gcp": "* as gcp",
      "@pulumi/kubernetes": "* as k8s",
    },
  },
];

interface Snippet {
  readonly source: string;
  readonly line: number;
  readonly text: string;
}

function snippetsOf(file: string): Snippet[] {
  const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n");
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "```ts") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== "```") end++;
    found.push({ source: file, line: start + 1, text: lines.slice(start, end).join("\n") });
    i = end;
  }
  return found;
}

function defines(text: string, name: string): boolean {
  return new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from`).test(text);
}

function usesName(text: string, name: string): boolean {
  // Not a property (`x.name`), but a spread (`...name`) is a use.
  return new RegExp(`(^|[^.\\w$]|\\.\\.\\.)${name}\\b`).test(text);
}

/** The module compiled for one snippet: its context, then the snippet (line numbers are mapped back). */
function moduleFor(snippet: Snippet, spec: (typeof FILES)[number]): { code: string; offset: number } {
  const header: string[] = [COMMON.trim()];
  for (const [pkg, names] of Object.entries(spec.autoImport)) {
    const wanted = names.startsWith("* as ")
      ? usesName(snippet.text, names.slice(5)) && !defines(snippet.text, names.slice(5))
        ? names
        : undefined
      : names
          .split(",")
          .map((n) => n.trim())
          .filter((n) => usesName(snippet.text, n) && !defines(snippet.text, n))
          .join(", ");
    if (wanted)
      header.push(
        wanted.startsWith("* as ") ? `import ${wanted} from "${pkg}";` : `import { ${wanted} } from "${pkg}";`,
      );
  }
  const context = { ...CONTEXT, ...(spec.args ? { args: spec.args } : {}) };
  for (const [name, type] of Object.entries(context)) {
    if (usesName(snippet.text, name) && !defines(snippet.text, name)) header.push(`declare const ${name}: ${type};`);
  }
  const prelude = header.join("\n") + "\n";
  return { code: `${prelude}${snippet.text}\nexport {};\n`, offset: prelude.split("\n").length - 1 };
}

function main(): void {
  const virtual = new Map<string, { snippet: Snippet; offset: number; code: string }>();
  for (const spec of FILES) {
    snippetsOf(spec.file).forEach((snippet, i) => {
      const { code, offset } = moduleFor(snippet, spec);
      const name = path.join(virtualDir, spec.file.replace(/[/.]/g, "_"), `snippet-${i + 1}.ts`);
      virtual.set(name, { snippet, offset, code });
    });
  }
  // The user's own program, imported by the testing example (`await import("./index")`).
  const programDir = path.join(virtualDir, "README_md");
  virtual.set(path.join(programDir, "index.ts"), {
    snippet: { source: "(program)", line: 1, text: "" },
    offset: 0,
    code: 'export * from "../../../../examples/certificate-chain/index";\n',
  });

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node", "jest"],
    typeRoots: [path.join(root, "node_modules/@types")],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  const virtualDirs = new Set([...virtual.keys()].flatMap((f) => [path.dirname(f), virtualDir]));
  host.directoryExists = (d) => virtualDirs.has(path.resolve(d)) || (directoryExists?.call(host, d) ?? true);
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(path.resolve(f))?.code ?? readFile.call(host, f);
  host.getSourceFile = (f, languageVersion, onError, shouldCreate) => {
    const v = virtual.get(path.resolve(f));
    if (v) return ts.createSourceFile(f, v.code, languageVersion, true);
    return getSourceFile.call(host, f, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  let failures = 0;
  for (const d of diagnostics) {
    const v = d.file ? virtual.get(path.resolve(d.file.fileName)) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!v || !d.file || d.start === undefined) {
      if (d.category === ts.DiagnosticCategory.Error) {
        failures++;
        console.error(`error: ${message}`);
      }
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    failures++;
    console.error(`${v.snippet.source}:${v.snippet.line + line - v.offset}: ${message}`);
  }
  const count = [...virtual.values()].filter((v) => v.snippet.source !== "(program)").length;
  if (failures > 0) {
    console.error(`README snippets: ${failures} error(s) in ${count} snippets`);
    process.exit(1);
  }
  console.log(`README snippets: ${count} compile against the built packages`);
}

main();
