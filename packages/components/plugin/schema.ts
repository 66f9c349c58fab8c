// What the component analyzer reads to infer the schema (package.json `exports`): the components the plugin serves,
// from their TypeScript source. Never run.
export { BackendTlsPolicy, CertificateChain, GatewayFrontendMtls, SecureWebProxyMtls } from "../src";
