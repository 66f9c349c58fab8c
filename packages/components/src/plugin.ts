import * as path from "node:path";
import { BackendTlsPolicy } from "./backend-tls-policy";
import { CaServiceChain } from "./ca-service-chain";
import { CertificateChain } from "./certificate-chain";
import { GatewayFrontendMtls } from "./gateway-frontend-mtls";
import { SecureWebProxyMtls } from "./secure-web-proxy-mtls";

// The Pulumi plugin of the package, for `pulumi package add` from Python, Go, .NET, Java or YAML: what
// `plugin/index.js` (named by `plugin/PulumiPlugin.yaml`) hands to the Node SDK's component provider host. Internal:
// not exported from the package's entry point.
//
// The host is called explicitly because the name it would derive from package.json (`@gcp-mtls/components` →
// `components`, pulumi/pulumi sdk/nodejs/cmd/run-plugin/run.ts) is not the package of the type tokens: construct
// refuses a type whose package is not the provider's name (sdk/nodejs/provider/experimental/provider.ts,
// validateResourceType).

/** The Pulumi package name: the first part of every type token (`gcp-mtls:index:<Name>`). */
export const PLUGIN_NAME = "gcp-mtls";

/** The plugin directory: `PulumiPlugin.yaml`, the entry the language host runs, the analyzer's tsconfig. */
export const PLUGIN_DIR = path.resolve(__dirname, "..", "plugin");

/** The components the plugin serves. */
export const PLUGIN_COMPONENTS = [
  CertificateChain,
  SecureWebProxyMtls,
  GatewayFrontendMtls,
  BackendTlsPolicy,
  CaServiceChain,
];

/** Options of `componentProviderHost` / `ComponentProvider` (`@pulumi/pulumi/provider/experimental`). */
export function componentProviderOptions(): {
  name: string;
  version: string;
  dirname: string;
  components: typeof PLUGIN_COMPONENTS;
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require(path.resolve(__dirname, "..", "package.json")) as { version: string };
  return { name: PLUGIN_NAME, version, dirname: PLUGIN_DIR, components: PLUGIN_COMPONENTS };
}
