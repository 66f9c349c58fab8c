import * as fs from "node:fs";
import * as path from "node:path";

// The Node SDK's component analyzer (`@pulumi/pulumi/provider/experimental`, what `pulumi package add` runs for a
// TypeScript component package) infers the schema every other Pulumi language sees. Its result is pinned in
// packages/components/schema/analyzer.json, so a change to the public API shows in review; regenerate it with
// `UPDATE_SCHEMA=1 corepack pnpm jest tests/schema` and review the diff.
const components = path.join(__dirname, "../../packages/components");
const snapshotFile = path.join(components, "schema/analyzer.json");

// The analyzer ships with newer SDKs only (not with 3.142, the lowest peer): on those the schema is not checked.
let analyzerModule: string | undefined;
try {
  analyzerModule = require.resolve("@pulumi/pulumi/provider/experimental/analyzer", { paths: [components] });
} catch {
  analyzerModule = undefined;
}

interface AnalyzeResult {
  components: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;
  typeDefinitions: Record<string, { type: string; enum?: { name: string; value: string }[] }>;
  dependencies: unknown[];
}

function analyze(names: string[]): AnalyzeResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Analyzer } = require(analyzerModule!) as {
    Analyzer: new (dir: string, name: string, pkg: unknown, names: Set<string>) => { analyze(): AnalyzeResult };
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(components, "package.json"), "utf8"));
  return new Analyzer(components, "gcp-mtls", pkg, new Set(names)).analyze();
}

const COMPONENTS = ["CertificateChain", "SecureWebProxyMtls", "GatewayFrontendMtls", "BackendTlsPolicy"];

(analyzerModule ? describe : describe.skip)("the Pulumi schema of the components (Node SDK analyzer)", () => {
  let result: AnalyzeResult;
  beforeAll(() => {
    result = analyze(COMPONENTS);
  }, 60_000);

  it("infers all four components with zero errors; the only resource references are @pulumi/gcp's", () => {
    expect(Object.keys(result.components).sort()).toEqual([...COMPONENTS].sort());
    expect(result.dependencies).toEqual([{ name: "gcp", version: expect.stringMatching(/^9\./) }]);
  });

  it("describes the shared vocabulary once: a chain reference, a leaf, a frontend reference", () => {
    const props = (name: string) =>
      Object.keys((result.typeDefinitions[name] as { properties?: object }).properties ?? {});
    expect(props("CertificateChainRef")).toEqual(["rootCertificatePem", "intermediateCertificatePems", "leaves"]);
    expect(props("IssuedLeafRef")).toEqual([
      "certificatePem",
      "privateKeyPem",
      "chainPem",
      "usages",
      "dnsNames",
      "uris",
      "commonName",
    ]);
    expect(props("FrontendRef")).toEqual([
      "gatewayClassName",
      "region",
      "gatewayNameValue",
      "gatewayNamespaceValue",
      "routedServices",
    ]);
  });

  it("reads the string enums as enums, with TypeScript callers still passing plain strings", () => {
    expect(result.typeDefinitions.KeyAlgorithm!.enum!.map((e) => e.value)).toEqual([
      "ECDSA_P256",
      "ECDSA_P384",
      "RSA_2048",
      "RSA_3072",
      "RSA_4096",
    ]);
    expect(result.typeDefinitions.LeafUsage!.enum!.map((e) => e.value)).toEqual(["client", "server"]);
  });

  it("exports public outputs only (no internal state, no generic Kubernetes objects)", () => {
    expect(Object.keys(result.components.CertificateChain!.outputs).sort()).toEqual([
      "intermediateCertificatePems",
      "intermediates",
      "leaves",
      "root",
      "rootCertificatePem",
    ]);
    for (const component of COMPONENTS) {
      const outputs = Object.keys(result.components[component]!.outputs);
      expect(outputs.filter((o) => /Cache$|Parts$|Outputs$/.test(o))).toEqual([]);
    }
    // The Kubernetes objects are generic CustomResources (no schema token): TypeScript getters, not outputs.
    expect(Object.keys(result.components.GatewayFrontendMtls!.outputs)).not.toContain("gateway");
    expect(Object.keys(result.components.GatewayFrontendMtls!.outputs)).not.toContain("routes");
    expect(Object.keys(result.components.BackendTlsPolicy!.outputs)).not.toContain("policy");
    // A Secure Web Proxy's gateway is a @pulumi/gcp resource: a typed reference in every language.
    expect(result.components.SecureWebProxyMtls!.outputs.gateway).toMatchObject({
      $ref: "/gcp/v9.37.0/schema.json#/resources/gcp:networkservices%2Fgateway:Gateway",
    });
  });

  it("matches the pinned schema (packages/components/schema/analyzer.json)", () => {
    const text = JSON.stringify(result, null, 2) + "\n";
    if (process.env.UPDATE_SCHEMA === "1") {
      fs.mkdirSync(path.dirname(snapshotFile), { recursive: true });
      fs.writeFileSync(snapshotFile, text);
    }
    expect(text).toBe(fs.readFileSync(snapshotFile, "utf8"));
  });
});
