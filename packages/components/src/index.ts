// The public contract of @gcp-mtls/components: the five components, their arguments and output types, the shared
// vocabulary, the enums their arguments take, the type tokens, the error type and the documented helpers. Nothing
// else is exported; tests/schema/exports.test.ts pins this list, so a change to it shows in review (semver, CHANGELOG).

// Components.
export { CertificateChain } from "./certificate-chain";
export { SecureWebProxyMtls } from "./secure-web-proxy-mtls";
export { GatewayFrontendMtls } from "./gateway-frontend-mtls";
export { BackendTlsPolicy } from "./backend-tls-policy";
export { CaServiceChain } from "./ca-service-chain";

// Type tokens (`gcp-mtls:index:<Name>`): public API, as are child names (see the aliases policy in the README).
export { CERTIFICATE_CHAIN_TYPE } from "./certificate-chain";
export { CA_SERVICE_CHAIN_TYPE } from "./ca-service-chain";
export { SECURE_WEB_PROXY_MTLS_TYPE } from "./secure-web-proxy-mtls";
export { GATEWAY_FRONTEND_MTLS_TYPE } from "./gateway-frontend-mtls";
export { BACKEND_TLS_POLICY_TYPE } from "./backend-tls-policy";

// The shared vocabulary: what one component takes from another, or from any PKI.
export {
  ClientValidationMode,
  type CertificateChainRef,
  type FrontendRef,
  type IssuedLeafRef,
  type RejectedCertificateAlertArgs,
  type RoutedService,
  type TrustSource,
} from "./vocabulary";

// CaServiceChain: arguments and enums.
export {
  CaKeyAlgorithm,
  CaPoolTier,
  CaState,
  gkeWorkloadIdentity,
  managedWorkloadIdentity,
  type CaIssuancePolicyArgs,
  type CaServiceCaArgs,
  type CaServiceChainArgs,
  type CaSubjectArgs,
  type ComputeWorkloadIdentitiesArgs,
  type GkeWorkloadIdentitiesArgs,
  type CertificateManagerIssuanceArgs,
  type CertificateRequesterArgs,
  type CaRotationArgs,
  CaRotationPhase,
} from "./ca-service-chain";

// CertificateChain: arguments and outputs.
export {
  KeyAlgorithm,
  LeafUsage,
  type CaConfigMapData,
  type CertificateChainArgs,
  type CertificateSubject,
  type ExistingIssuerArgs,
  type IntermediateCaArgs,
  type IssuedCa,
  type IssuedLeaf,
  type LeafCertificateArgs,
  type PemCertificateEntry,
  type RootCaArgs,
  type TrustStoreValues,
} from "./certificate-chain";

// SecureWebProxyMtls: arguments and outputs.
export {
  AuthzAction,
  HttpMethod,
  IdentitySelector,
  type AuthorizedPrincipal,
  type IdentityRule,
  type AdoptedProxyArgs,
  type SecureWebProxyMtlsArgs,
  type ServerCertificateFromChain,
  type PrivateServerCertificateArgs,
} from "./secure-web-proxy-mtls";

// GatewayFrontendMtls: arguments and outputs.
export {
  FrontendMtlsGatewayClass,
  MinTlsVersion,
  SslPolicyProfile,
  type CertificateManagerCertificateArgs,
  type CertificateManagerCertificatesArgs,
  type ClientValidationArgs,
  type DeployTimeVerificationArgs,
  type DnsRecord,
  type FrontendTrustConfigArgs,
  type GatewayFrontendMtlsArgs,
  type GoogleManagedCertificateArgs,
  type HttpRouteArgs,
  type HttpsListenerArgs,
  type KubernetesSecretCertificateArgs,
  type PerPortValidationArgs,
  type PreSharedCertificatesArgs,
  type RouteBackendArgs,
  type RoutedServicePort,
  type ServerCertificateMaterial,
  type SslPolicyArgs,
} from "./gateway-frontend-mtls";
export type {
  AllowedRoutes,
  LabelSelector,
  LabelSelectorRequirement,
  RouteGroupKind,
  RouteNamespaces,
} from "./internal/gateway-api";

// BackendTlsPolicy: arguments, outputs and the appProtocol helpers.
export {
  AppProtocol,
  BackendTargetKind,
  SubjectAltNameType,
  patchServiceHttpsAppProtocol,
  withAppProtocol,
  withHttpsAppProtocol,
  type BackendDeployTimeVerificationArgs,
  type BackendTargetArgs,
  type BackendTlsGatewayClass,
  type BackendTlsPolicyArgs,
  type BackendTrustConfigArgs,
  type CloudArmorArgs,
  type GatewayClassRef,
  type HttpsAppProtocolPatchArgs,
  type IapArgs,
  type ServicePortInput,
  type SubjectAltNameArgs,
} from "./backend-tls-policy";

// Errors: every invalid argument, with its path (an InputPropertiesError of the Pulumi SDK).
export { ArgumentError } from "./internal/format";
