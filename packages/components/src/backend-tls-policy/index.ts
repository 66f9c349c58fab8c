export * from "./backend-tls-policy";
export * from "./app-protocol";
export * from "./types";
export { validateBackendTlsPolicyArgs, trustConfigLocation, type ResolvedBackendPolicy } from "./validation";
