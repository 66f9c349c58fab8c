import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

// The public contract of @gcp-mtls/components, pinned: every name the package exports, with its kind. A change here is
// an API change (semver, CHANGELOG): internals (validation, renderers, planners, argument shapes, annotation keys)
// stay out of it, and a name that leaves needs a Breaking entry.
const entry = path.join(__dirname, "../../packages/components/src/index.ts");

// The entry point is explicit named re-exports only (no `export *`), so reading it is exact without a type checker:
// `export type { … }` and `type X` specifiers are types, everything else a value whose kind the module itself shows.
function publicExports(): [string, string][] {
  const source = ts.createSourceFile(entry, fs.readFileSync(entry, "utf8"), ts.ScriptTarget.ES2022, true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = require("@gcp-mtls/components") as Record<string, unknown>;
  const found: [string, string][] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) {
      const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
      if (modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        throw new Error(`index.ts declares an export of its own: ${statement.getText().slice(0, 80)}`);
      }
      continue;
    }
    const clause = statement.exportClause;
    if (clause === undefined || !ts.isNamedExports(clause)) {
      throw new Error(`index.ts re-exports a whole module (${statement.getText()}): list the names instead`);
    }
    for (const element of clause.elements) {
      const name = element.name.text;
      if (statement.isTypeOnly || element.isTypeOnly) {
        found.push([name, "type"]);
        continue;
      }
      const value = runtime[name];
      const kind =
        typeof value === "function"
          ? /^class\b/.test(Function.prototype.toString.call(value))
            ? "class"
            : "function"
          : "const";
      found.push([name, kind]);
    }
  }
  return found;
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
  ["ClientValidationMode", "const"],
  ["CertificateChainRef", "type"],
  ["FrontendRef", "type"],
  ["IssuedLeafRef", "type"],
  ["RoutedService", "type"],
  ["TrustSource", "type"],
  ["KeyAlgorithm", "const"],
  ["LeafUsage", "const"],
  ["CaConfigMapData", "type"],
  ["CaServiceChain", "class"],
  ["CA_SERVICE_CHAIN_TYPE", "const"],
  ["CaKeyAlgorithm", "const"],
  ["CaPoolTier", "const"],
  ["CaState", "const"],
  ["CaIssuancePolicyArgs", "type"],
  ["CaServiceCaArgs", "type"],
  ["CaServiceChainArgs", "type"],
  ["CaSubjectArgs", "type"],
  ["ComputeWorkloadIdentitiesArgs", "type"],
  ["CertificateManagerIssuanceArgs", "type"],
  ["CertificateRequesterArgs", "type"],
  ["CaRotationArgs", "type"],
  ["CaRotationPhase", "const"],
  ["managedWorkloadIdentity", "function"],
  ["gkeWorkloadIdentity", "function"],
  ["GkeWorkloadIdentitiesArgs", "type"],
  ["CertificateChainArgs", "type"],
  ["CertificateSubject", "type"],
  ["ExistingIssuerArgs", "type"],
  ["IntermediateCaArgs", "type"],
  ["IssuedCa", "type"],
  ["IssuedLeaf", "type"],
  ["LeafCertificateArgs", "type"],
  ["PemCertificateEntry", "type"],
  ["RootCaArgs", "type"],
  ["TrustStoreValues", "type"],
  ["AuthzAction", "const"],
  ["HttpMethod", "const"],
  ["IdentitySelector", "const"],
  ["AuthorizedPrincipal", "type"],
  ["IdentityRule", "type"],
  ["AdoptedProxyArgs", "type"],
  ["RejectedCertificateAlertArgs", "type"],
  ["SecureWebProxyMtlsArgs", "type"],
  ["ServerCertificateFromChain", "type"],
  ["PrivateServerCertificateArgs", "type"],
  ["FrontendMtlsGatewayClass", "const"],
  ["MinTlsVersion", "const"],
  ["SslPolicyProfile", "const"],
  ["CertificateManagerCertificateArgs", "type"],
  ["CertificateManagerCertificatesArgs", "type"],
  ["ClientValidationArgs", "type"],
  ["DeployTimeVerificationArgs", "type"],
  ["DnsRecord", "type"],
  ["FrontendTrustConfigArgs", "type"],
  ["GatewayFrontendMtlsArgs", "type"],
  ["GoogleManagedCertificateArgs", "type"],
  ["HttpRouteArgs", "type"],
  ["HttpsListenerArgs", "type"],
  ["KubernetesSecretCertificateArgs", "type"],
  ["PerPortValidationArgs", "type"],
  ["PreSharedCertificatesArgs", "type"],
  ["RouteBackendArgs", "type"],
  ["RoutedServicePort", "type"],
  ["ServerCertificateMaterial", "type"],
  ["SslPolicyArgs", "type"],
  ["AllowedRoutes", "type"],
  ["LabelSelector", "type"],
  ["LabelSelectorRequirement", "type"],
  ["RouteGroupKind", "type"],
  ["RouteNamespaces", "type"],
  ["BackendTargetKind", "const"],
  ["SubjectAltNameType", "const"],
  ["patchServiceHttpsAppProtocol", "function"],
  ["withHttpsAppProtocol", "function"],
  ["withAppProtocol", "function"],
  ["AppProtocol", "const"],
  ["BackendDeployTimeVerificationArgs", "type"],
  ["BackendTargetArgs", "type"],
  ["BackendTlsGatewayClass", "type"],
  ["BackendTlsPolicyArgs", "type"],
  ["BackendTrustConfigArgs", "type"],
  ["CloudArmorArgs", "type"],
  ["GatewayClassRef", "type"],
  ["HttpsAppProtocolPatchArgs", "type"],
  ["IapArgs", "type"],
  ["ServicePortInput", "type"],
  ["SubjectAltNameArgs", "type"],
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
