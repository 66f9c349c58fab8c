export * from "./gateway-frontend-mtls";
export * from "./types";
export {
  renderGateway,
  renderRoute,
  type CaConfigMapRef,
  type RenderGatewayInput,
  type RenderedListener,
} from "./render";
export { validateGatewayFrontendMtlsArgs, isGlobalClass, type ResolvedGateway } from "./validation";
