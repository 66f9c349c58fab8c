export * from "./secure-web-proxy-mtls";
export * from "./types";
export { AUTHZ_LIMITS, planAuthzPolicies, type HttpRule, type PlannedPolicy, type StringMatch } from "./authz";
export { validateSecureWebProxyMtlsArgs, type ResolvedProxy } from "./validation";
