export * from "./certificate-chain";
export { ArgumentError } from "./internal/format";
