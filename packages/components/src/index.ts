export * from "./certificate-chain";
export * from "./secure-web-proxy-mtls";
export { ArgumentError } from "./internal/format";
