export * from "./certificate-chain";
export * from "./secure-web-proxy-mtls";
export * from "./gateway-frontend-mtls";
export * from "./backend-tls-policy";
export * from "./vocabulary";
export { ArgumentError } from "./internal/format";
export type {
  AllowedRoutes,
  LabelSelector,
  LabelSelectorRequirement,
  RouteGroupKind,
  RouteNamespaces,
} from "./internal/gateway-api";
