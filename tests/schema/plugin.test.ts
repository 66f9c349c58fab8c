import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { awaitOutput, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { componentProviderOptions, PLUGIN_DIR, PLUGIN_NAME } from "../../packages/components/src/plugin";
import {
  BACKEND_TLS_POLICY_TYPE,
  CA_SERVICE_CHAIN_TYPE,
  CERTIFICATE_CHAIN_TYPE,
  GATEWAY_FRONTEND_MTLS_TYPE,
  SECURE_WEB_PROXY_MTLS_TYPE,
} from "@gcp-mtls/components";

// The plugin that `pulumi package add` runs for Python, Go, .NET, Java and YAML programs, exercised as the engine
// drives it: the Node SDK's ComponentProvider (what plugin/index.js hosts) infers the schema, and `construct` builds
// each component from inputs shaped as the engine delivers them — serialised by the caller's SDK with output values
// kept (rpc.serializeProperties), then deserialised by the provider server (provider/server.ts deserializeInputs):
// an input with dependencies arrives as a plain value holding Outputs, a secret as an Output.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const experimental = path.join(pulumiDir, "provider/experimental/provider.js");
const hasPlugins = fs.existsSync(experimental); // not in 3.142, the lowest peer

// The schema the plugin serves is pinned, so that an API change shows in review; regenerate it with
// `UPDATE_SCHEMA=1 corepack pnpm jest tests/schema` and review the diff.
const SNAPSHOT = path.join(PLUGIN_DIR, "../schema/schema.json");

interface PackageSchema {
  name: string;
  version: string;
  dependencies: unknown[];
  resources: Record<string, { isComponent?: boolean; properties?: Record<string, unknown> }>;
  types: Record<string, { properties?: Record<string, unknown>; enum?: { value: string }[] }>;
}

interface Provider {
  getSchema(): Promise<string>;
  construct(
    name: string,
    type: string,
    inputs: Record<string, unknown>,
    options: pulumi.ComponentResourceOptions,
  ): Promise<{ urn: pulumi.Output<string>; state: Record<string, any> }>;
}

/** Inputs as a component provider receives them from another language's program. */
async function engineInputs(props: Record<string, unknown>): Promise<Record<string, unknown>> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const rpc = require(path.join(pulumiDir, "runtime/rpc.js"));
  const { deserializeInputs } = require(path.join(pulumiDir, "provider/server.js"));
  const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));
  const { getStore } = require(path.join(pulumiDir, "runtime/state.js"));
  /* eslint-enable @typescript-eslint/no-require-imports */
  // The engine's monitor supports output values (runtime/settings.ts asks it for `outputValues`), so the caller's SDK
  // keeps them; the mocks turn the feature off (runtime/mocks.ts), so it is on for the caller's side only.
  const store = getStore();
  const supported = store.supportsOutputValues;
  store.supportsOutputValues = true;
  let serialized: Record<string, unknown>;
  let deps: Map<string, Set<pulumi.Resource>>;
  try {
    [serialized, deps] = await rpc.serializePropertiesReturnDeps("caller", props, { keepOutputValues: true });
  } finally {
    store.supportsOutputValues = supported;
  }
  const urns = new Map<string, { getUrnsList(): string[] }>();
  for (const [key, resources] of deps) {
    const list = await Promise.all([...resources].map((r) => awaitOutput(r.urn)));
    urns.set(key, { getUrnsList: () => list });
  }
  return deserializeInputs(Struct.fromJavaScript(serialized), urns);
}

(hasPlugins ? describe : describe.skip)("the Pulumi plugin (pulumi package add from every language)", () => {
  let env: MockEnvironment;
  let provider: Provider;
  let schema: PackageSchema;

  beforeAll(async () => {
    env = await setupMocks();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ComponentProvider } = require(experimental) as { ComponentProvider: new (o: unknown) => Provider };
    provider = new ComponentProvider(componentProviderOptions());
    schema = JSON.parse(await provider.getSchema());
  }, 60_000);

  it("is declared by PulumiPlugin.yaml (nodejs, plain JavaScript) and entered through package.json main", () => {
    const manifest = fs.readFileSync(path.join(PLUGIN_DIR, "PulumiPlugin.yaml"), "utf8");
    expect(manifest).toMatch(/^runtime:\n {2}name: nodejs\n {2}options:\n {4}typescript: false\n/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8"));
    expect(pkg.main).toBe("index.js");
    const entry = fs.readFileSync(path.join(PLUGIN_DIR, pkg.main), "utf8");
    expect(entry).toContain('require("@pulumi/pulumi/provider/experimental")');
    expect(entry).toContain("componentProviderHost(componentProviderOptions())");
    // It ships with the package.
    const components = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "../package.json"), "utf8"));
    expect(components.files).toContain("plugin");
  });

  it("serves the five components under the package of their type tokens, at the package's version", () => {
    expect(schema.name).toBe(PLUGIN_NAME);
    expect(schema.version).toBe(JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "../package.json"), "utf8")).version);
    const tokens = [
      CERTIFICATE_CHAIN_TYPE,
      SECURE_WEB_PROXY_MTLS_TYPE,
      GATEWAY_FRONTEND_MTLS_TYPE,
      BACKEND_TLS_POLICY_TYPE,
      CA_SERVICE_CHAIN_TYPE,
    ];
    expect(Object.keys(schema.resources).sort()).toEqual([...tokens].sort());
    for (const token of tokens) {
      expect(token.startsWith(`${PLUGIN_NAME}:index:`)).toBe(true);
      expect(schema.resources[token]!.isComponent).toBe(true);
    }
    // The analyzer infers every component with zero errors (it throws on the first); the only resource references
    // are @pulumi/gcp's.
    expect(schema.dependencies).toEqual([{ name: "gcp", version: expect.stringMatching(/^9\./) }]);
  });

  it("describes the shared vocabulary once: a trust source, a chain reference, a leaf, a frontend reference", () => {
    const props = (name: string) => Object.keys(schema.types[`${PLUGIN_NAME}:index:${name}`]!.properties ?? {});
    expect(props("TrustSource")).toEqual(["chain", "trustAnchorPems", "intermediateCaPems"]);
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
      "projectValue",
    ]);
  });

  it("reads the string enums as enums, with TypeScript callers still passing plain strings", () => {
    const values = (name: string) => schema.types[`${PLUGIN_NAME}:index:${name}`]!.enum!.map((e) => e.value);
    expect(values("KeyAlgorithm")).toEqual(["ECDSA_P256", "ECDSA_P384", "RSA_2048", "RSA_3072", "RSA_4096"]);
    expect(values("LeafUsage")).toEqual(["client", "server"]);
    expect(values("ClientValidationMode")).toEqual([
      "REJECT_INVALID",
      "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
      "DISABLED",
    ]);
  });

  it("exports public outputs only (no internal state, no generic Kubernetes objects)", () => {
    const outputs = (token: string) => Object.keys(schema.resources[token]!.properties ?? {});
    expect(outputs(CERTIFICATE_CHAIN_TYPE).sort()).toEqual([
      "intermediateCertificatePems",
      "intermediates",
      "leaves",
      "root",
      "rootCertificatePem",
    ]);
    for (const token of Object.keys(schema.resources)) {
      expect(outputs(token).filter((o) => /Cache$|Parts$|Outputs$/.test(o))).toEqual([]);
    }
    // The Kubernetes objects are generic CustomResources (no schema token): TypeScript getters, not outputs.
    expect(outputs(GATEWAY_FRONTEND_MTLS_TYPE)).not.toContain("gateway");
    expect(outputs(GATEWAY_FRONTEND_MTLS_TYPE)).not.toContain("routes");
    expect(outputs(BACKEND_TLS_POLICY_TYPE)).not.toContain("policy");
    // A Secure Web Proxy's gateway is a @pulumi/gcp resource: a typed reference in every language.
    expect(schema.resources[SECURE_WEB_PROXY_MTLS_TYPE]!.properties!.gateway).toEqual({
      $ref: "/gcp/v9.37.0/schema.json#/resources/gcp:networkservices%2Fgateway:Gateway",
    });
  });

  it("matches the pinned schema (packages/components/schema/schema.json)", () => {
    const text = JSON.stringify(schema, null, 2) + "\n";
    if (process.env.UPDATE_SCHEMA === "1") {
      fs.mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
      fs.writeFileSync(SNAPSHOT, text);
    }
    expect(text).toBe(fs.readFileSync(SNAPSHOT, "utf8"));
  });

  describe("construct, with inputs as another language sends them", () => {
    let chain: Record<string, any>;
    let rootPem: string;

    beforeAll(async () => {
      const built = await provider.construct(
        "pki",
        CERTIFICATE_CHAIN_TYPE,
        await engineInputs({
          root: { subject: { commonName: "Plugin Root CA" } },
          intermediates: [{ key: "issuing", subject: { commonName: "Plugin Issuing CA" } }],
          leaves: {
            agent: { uris: ["spiffe://plugin.example/agent"] },
            proxy: { usages: ["server"], dnsNames: ["swp.plugin.example"] },
            edge: { usages: ["server"], dnsNames: ["edge.plugin.example"] },
          },
        }),
        {},
      );
      chain = built.state;
      rootPem = await awaitOutput(chain.rootCertificatePem as pulumi.Output<string>);
    });

    // What a Python program passes where TypeScript passes the chain: its outputs, one by one.
    const chainRef = () => ({
      rootCertificatePem: chain.rootCertificatePem,
      intermediateCertificatePems: chain.intermediateCertificatePems,
    });
    const leafRef = (key: string, dnsNames: string[]) => ({
      certificatePem: chain.leaves[key].certificatePem,
      privateKeyPem: chain.leaves[key].privateKeyPem,
      chainPem: chain.leaves[key].chainPem,
      usages: ["server"],
      dnsNames,
    });

    it("CertificateChain: a real root, the state of every schema output", async () => {
      expect(rootPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(Object.keys(chain).sort()).toEqual([
        "intermediateCertificatePems",
        "intermediates",
        "leaves",
        "root",
        "rootCertificatePem",
      ]);
      expect(env.byName("pki-root").type).toBe("tls:index/selfSignedCert:SelfSignedCert");
    });

    it("SecureWebProxyMtls: trusts the chain given as PEM Outputs and presents the proxy leaf", async () => {
      const { state } = await provider.construct(
        "egress",
        SECURE_WEB_PROXY_MTLS_TYPE,
        await engineInputs({
          region: "us-central1",
          network: "projects/p/global/networks/n",
          subnetwork: "projects/p/regions/us-central1/subnetworks/s",
          trust: { chain: chainRef() },
          serverCertificate: {
            chain: { ...chainRef(), leaves: { proxy: leafRef("proxy", ["swp.plugin.example"]) } },
            leaf: "proxy",
          },
          allow: { agent: { identity: "spiffe://plugin.example/agent", hosts: ["api.example.com"] } },
        }),
        {},
      );
      await env.settled();
      const store = env.byName("egress-trust-config").inputs.trustStores[0];
      expect(store.trustAnchors).toEqual([{ pemCertificate: rootPem }]);
      expect(store.intermediateCas).toHaveLength(1);
      const cert = env.byName("egress-server-cert");
      expect(cert.inputs.selfManaged.pemCertificate).toBe(await awaitOutput(chain.leaves.proxy.chainPem));
      expect(cert.secretInputs).toContain("selfManaged");
      expect(env.byName("egress-allow-agent").inputs.httpRules[0].from.sources[0].principals[0].principal).toEqual({
        exact: "spiffe://plugin.example/agent",
      });
      expect(await awaitOutput(state.gatewayId as pulumi.Output<string>)).toMatch(/\/gateways\//);
    });

    it("GatewayFrontendMtls: a ConfigMap with the root given as an Output, the server leaf as PEMs", async () => {
      await provider.construct(
        "edge",
        GATEWAY_FRONTEND_MTLS_TYPE,
        await engineInputs({
          namespace: "edge",
          gatewayClassName: "gke-l7-global-external-managed",
          listeners: [{ name: "https", hostname: "edge.plugin.example" }],
          certificateManager: {
            certificates: {
              edge: {
                material: {
                  certificatePem: chain.leaves.edge.chainPem,
                  privateKeyPem: chain.leaves.edge.privateKeyPem,
                },
                hostnames: ["edge.plugin.example"],
              },
            },
          },
          clientValidation: { trust: { chain: chainRef() } },
          routes: { api: { backends: [{ service: "api", port: 8443 }] } },
        }),
        {},
      );
      await env.settled();
      expect(env.byName("edge-ca-root").inputs.data).toEqual({ "ca.crt": rootPem });
      const gateway = env.byName("edge-gateway").inputs;
      expect(gateway.spec.tls.frontend.default.validation).toEqual({
        caCertificateRefs: [{ group: "", kind: "ConfigMap", name: env.byName("edge-ca-root").outputs.metadata.name }],
        mode: "AllowValidOnly",
      });
      expect(env.byName("edge-cert-edge").secretInputs).toContain("selfManaged");
    });

    it("BackendTlsPolicy: the frontend as its values (what TypeScript reads from the component)", async () => {
      await provider.construct(
        "api",
        BACKEND_TLS_POLICY_TYPE,
        await engineInputs({
          namespace: "edge",
          targets: [{ name: "api" }],
          frontends: [
            {
              gatewayClassName: "gke-l7-global-external-managed",
              gatewayNameValue: "edge",
              gatewayNamespaceValue: "edge",
              routedServices: [{ name: "api", namespace: "edge" }],
            },
          ],
          hostname: "api.edge.svc",
          trust: { chain: chainRef() },
        }),
        {},
      );
      await env.settled();
      expect(env.byName("api-ca-root").inputs.data).toEqual({ "ca.crt": rootPem });
      expect(env.byName("api-policy").inputs.spec.targetRefs).toEqual([{ group: "", kind: "Service", name: "api" }]);
    });

    it("refuses an Output where a plain value decides what is created, naming the argument", async () => {
      const { output } = await import("@pulumi/pulumi");
      await expect(
        provider.construct(
          "late",
          SECURE_WEB_PROXY_MTLS_TYPE,
          await engineInputs({
            region: output("us-central1"),
            network: "projects/p/global/networks/n",
            subnetwork: "projects/p/regions/us-central1/subnetworks/s",
            trust: { chain: chainRef() },
            serverCertificateIds: ["projects/p/locations/us-central1/certificates/c"],
            allow: { agent: { identity: "spiffe://plugin.example/agent", hosts: ["api.example.com"] } },
          }),
          {},
        ),
      ).rejects.toThrow(
        "`region` must be known when the program runs (a plain value, not an Output), got an Output; it decides what the component creates: pass the value itself",
      );
    });
  });
});
