export * from "./certificate-chain";
export * from "./types";
export { validateCertificateChainArgs } from "./validation";
