import * as path from "node:path";
import * as ts from "typescript";

// The public contract of @gcp-mtls/components, pinned: every name the package exports, with its kind. A change here is
// an API change (semver, CHANGELOG): internals (validation, renderers, planners, argument shapes, annotation keys)
// stay out of it, and a name that leaves needs a Breaking entry.
const entry = path.join(__dirname, "../../packages/components/src/index.ts");

function kindOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const kinds: string[] = [];
  if (target.flags & ts.SymbolFlags.Class) kinds.push("class");
  else if (target.flags & ts.SymbolFlags.Function) kinds.push("function");
  else if (target.flags & ts.SymbolFlags.Variable) kinds.push("const");
  if (target.flags & ts.SymbolFlags.Interface) kinds.push("interface");
  if (target.flags & ts.SymbolFlags.TypeAlias) kinds.push("type");
  return kinds.join("+");
}

function publicExports(): [string, string][] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(module).map((s): [string, string] => [s.name, kindOf(checker, s)]);
}

const EXPECTED: [string, string][] = [
  ["CertificateChain", "class"],
  ["SecureWebProxyMtls", "class"],
  ["GatewayFrontendMtls", "class"],
  ["BackendTlsPolicy", "class"],
  ["CERTIFICATE_CHAIN_TYPE", "const"],
  ["SECURE_WEB_PROXY_MTLS_TYPE", "const"],
  ["GATEWAY_FRONTEND_MTLS_TYPE", "const"],
  ["BACKEND_TLS_POLICY_TYPE", "const"],
  ["ClientValidationMode", "const+type"],
  ["CertificateChainRef", "interface"],
  ["FrontendRef", "interface"],
  ["IssuedLeafRef", "interface"],
  ["RoutedService", "interface"],
  ["TrustSource", "interface"],
  ["KeyAlgorithm", "const+type"],
  ["LeafUsage", "const+type"],
  ["CaConfigMapData", "type"],
  ["CertificateChainArgs", "interface"],
  ["CertificateSubject", "interface"],
  ["ExistingIssuerArgs", "interface"],
  ["IntermediateCaArgs", "interface"],
  ["IssuedCa", "interface"],
  ["IssuedLeaf", "interface"],
  ["LeafCertificateArgs", "interface"],
  ["PemCertificateEntry", "interface"],
  ["RootCaArgs", "interface"],
  ["TrustStoreValues", "interface"],
  ["AuthzAction", "const+type"],
  ["HttpMethod", "const+type"],
  ["IdentitySelector", "const+type"],
  ["AuthorizedPrincipal", "interface"],
  ["IdentityRule", "interface"],
  ["RejectedCertificateAlertArgs", "interface"],
  ["SecureWebProxyMtlsArgs", "interface"],
  ["ServerCertificateFromChain", "interface"],
  ["FrontendMtlsGatewayClass", "const+type"],
  ["MinTlsVersion", "const+type"],
  ["SslPolicyProfile", "const+type"],
  ["CertificateManagerCertificateArgs", "interface"],
  ["CertificateManagerCertificatesArgs", "interface"],
  ["ClientValidationArgs", "interface"],
  ["DeployTimeVerificationArgs", "interface"],
  ["FrontendTrustConfigArgs", "interface"],
  ["GatewayFrontendMtlsArgs", "interface"],
  ["HttpRouteArgs", "interface"],
  ["HttpsListenerArgs", "interface"],
  ["KubernetesSecretCertificateArgs", "interface"],
  ["PerPortValidationArgs", "interface"],
  ["PreSharedCertificatesArgs", "interface"],
  ["RouteBackendArgs", "interface"],
  ["RoutedServicePort", "interface"],
  ["ServerCertificateMaterial", "interface"],
  ["SslPolicyArgs", "interface"],
  ["AllowedRoutes", "interface"],
  ["LabelSelector", "interface"],
  ["LabelSelectorRequirement", "interface"],
  ["RouteGroupKind", "interface"],
  ["RouteNamespaces", "interface"],
  ["BackendTargetKind", "const+type"],
  ["SubjectAltNameType", "const+type"],
  ["patchServiceHttpsAppProtocol", "function"],
  ["withHttpsAppProtocol", "function"],
  ["BackendDeployTimeVerificationArgs", "interface"],
  ["BackendTargetArgs", "interface"],
  ["BackendTlsGatewayClass", "type"],
  ["BackendTlsPolicyArgs", "interface"],
  ["BackendTrustConfigArgs", "interface"],
  ["CloudArmorArgs", "interface"],
  ["GatewayClassRef", "interface"],
  ["HttpsAppProtocolPatchArgs", "interface"],
  ["IapArgs", "interface"],
  ["ServicePortInput", "type"],
  ["SubjectAltNameArgs", "interface"],
  ["ArgumentError", "class"],
];

describe("the public exports of @gcp-mtls/components", () => {
  const actual = publicExports();

  it("are exactly the pinned list (components, args and output types, vocabulary, enums, tokens, helpers)", () => {
    const sort = (list: [string, string][]) => [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    expect(sort(actual)).toEqual(sort(EXPECTED));
  });

  it("at run time, are the pinned values and nothing else", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = Object.keys(require("@gcp-mtls/components") as object).sort();
    const values = EXPECTED.filter(([, kind]) => /^(class|function|const)/.test(kind)).map(([name]) => name);
    expect(runtime).toEqual(values.sort());
  });

  it("keep internals out", () => {
    const names = new Set(actual.map(([name]) => name));
    for (const internal of [
      "validateSecureWebProxyMtlsArgs",
      "validateGatewayFrontendMtlsArgs",
      "validateBackendTlsPolicyArgs",
      "validateCertificateChainArgs",
      "renderGateway",
      "renderRoute",
      "renderBackendTlsPolicy",
      "planAuthzPolicies",
      "backendTlsWaitFor",
      "GKE_ANNOTATIONS",
      "GATEWAY_FRONTEND_MTLS_ARGS_SHAPE",
    ])
      expect(names.has(internal)).toBe(false);
  });
});
