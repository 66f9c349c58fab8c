import type * as pulumi from "@pulumi/pulumi";
import type { LeafUsage } from "../certificate-chain/types";

// The shared vocabulary of the components: the shapes in which one component's result is another's argument. Each
// is an interface of plain values and Inputs, so the Pulumi schema describes it for every language; in TypeScript a
// component instance that has these properties is passed as it is (`chain: pki`, `frontends: [edge]`).

/** A leaf certificate with its key, as a server certificate or as an identity. A `CertificateChain` leaf is one. */
export interface IssuedLeafRef {
  /** The leaf certificate (PEM). */
  readonly certificatePem: pulumi.Input<string>;
  /** Its private key (PEM); treated as a secret. */
  readonly privateKeyPem: pulumi.Input<string>;
  /** The leaf followed by its intermediates (PEM): what a server presents. */
  readonly chainPem: pulumi.Input<string>;
  /** What it is for; a server certificate needs `server`. @default ["client"] */
  readonly usages?: LeafUsage[];
  /** Its DNS SANs (the hostnames a server certificate serves). @default [] */
  readonly dnsNames?: string[];
  /** Its URI SANs (a workload identity). @default [] */
  readonly uris?: string[];
  /** Its subject common name. @default - none */
  readonly commonName?: string;
}

/**
 * A PKI to trust and to take certificates from: its root, its intermediates and its leaves. A `CertificateChain` is
 * one (pass it as it is); from another PKI, give the PEMs.
 */
export interface CertificateChainRef {
  /** The root CA certificate (PEM): the trust anchor. */
  readonly rootCertificatePem: pulumi.Input<string>;
  /** The intermediate CA certificates below the root, top-down (PEM, one per entry). @default [] */
  readonly intermediateCertificatePems?: pulumi.Input<pulumi.Input<string>[]>;
  /** Leaves by key: server certificates are named by key (`leaf`), identities are checked against them. @default {} */
  readonly leaves?: Record<string, IssuedLeafRef>;
}

/**
 * How a component treats client certificates, spelled as Google Cloud's API spells it
 * (`ServerTlsPolicy.mtlsPolicy.clientValidationMode`); a Gateway maps it to the Gateway API's
 * `frontendValidation.mode` (`AllowValidOnly` / `AllowInsecureFallback`) or to GKE's
 * `networking.gke.io/allow-invalid-or-missing-client-cert` annotation.
 */
export const ClientValidationMode = {
  /** Only clients presenting a certificate that chains to the trusted CAs get through. */
  REJECT_INVALID: "REJECT_INVALID",
  /** Every connection gets through, verified or not: for onboarding only (it warns). */
  ALLOW_INVALID_OR_MISSING_CLIENT_CERT: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
  /** No client validation at all (Secure Web Proxy only: no TrustConfig, no ServerTlsPolicy, no identity rules). */
  DISABLED: "DISABLED",
} as const;
export type ClientValidationMode = (typeof ClientValidationMode)[keyof typeof ClientValidationMode];

/**
 * The CAs a component trusts to verify certificates, in one shape for every component: a PKI (`chain`), the PEMs of
 * other CAs, or both (during a CA rotation: the current chain and the next root). Where the trust lives in a
 * Certificate Manager TrustConfig, every anchor and intermediate goes into its trust store; where it lives in
 * Kubernetes ConfigMaps (`ca.crt`, Gateway API `caCertificateRefs`), each anchor is one ConfigMap, named by its key
 * (`root` for the chain's root), and intermediates are refused (clients and backends send theirs).
 */
export interface TrustSource {
  /** A PKI to trust: its root as anchor, its intermediates as intermediate CAs. @default - none */
  readonly chain?: CertificateChainRef;
  /**
   * Root CAs to trust besides (or instead of) the chain's, one PEM each, by stable key (1-30 lowercase letters,
   * digits and `-`; `root` is the chain's): another PKI's root, or the next root during a CA rotation. @default {}
   */
  readonly trustAnchorPems?: Record<string, pulumi.Input<string>>;
  /** Intermediate CAs to trust, one PEM each, by stable key (TrustConfig trust only). @default {} */
  readonly intermediateCaPems?: Record<string, pulumi.Input<string>>;
}

/** A Service that a Gateway's route sends traffic to. */
export interface RoutedService {
  readonly name: string;
  readonly namespace: string;
}

/**
 * A Gateway modelled by a `GatewayFrontendMtls` (pass the component as it is): its class, location, name and the
 * Services its routes send traffic to.
 */
export interface FrontendRef {
  /** `spec.gatewayClassName`. */
  readonly gatewayClassName: string;
  /** The region of a regional class. @default - none (global) */
  readonly region?: string;
  /** `metadata.name` of the Gateway. */
  readonly gatewayNameValue: string;
  /** `metadata.namespace` of the Gateway. */
  readonly gatewayNamespaceValue: string;
  /** Services its routes send traffic to. @default [] */
  readonly routedServices?: RoutedService[];
  /** The project of the Gateway's Google Cloud resources, when given as a plain string. @default - the provider's */
  readonly projectValue?: string;
}

/**
 * A proxy-only subnet to create for a regional Envoy-based load balancer (`REGIONAL_MANAGED_PROXY`, `ACTIVE`): the
 * regional GKE Gateway classes and Secure Web Proxy need one in their region, created before the load balancer. Only
 * one may be active per VPC network and region: create it in one component and leave it out of the others.
 */
export interface ProxyOnlySubnetArgs {
  /** The VPC network (`projects/p/global/networks/n`). */
  readonly network: pulumi.Input<string>;
  /** An IPv4 range of at least 64 addresses (a /26 or shorter prefix), e.g. `10.129.0.0/23`. */
  readonly ipCidrRange: string;
}

/**
 * A logs-based metric of client certificates that failed validation at the edge, by reason, and an alert when it
 * rises. With `REJECT_INVALID` it counts the connections refused; with `ALLOW_INVALID_OR_MISSING_CLIENT_CERT` it
 * counts the requests admitted without a verified certificate (nothing is refused then).
 */
export interface RejectedCertificateAlertArgs {
  /** Entries per 5 minutes (all reasons together) above which the alert fires. @default 5 */
  readonly threshold?: number;
  /** Monitoring notification channel ids. @default [] */
  readonly notificationChannels?: pulumi.Input<string>[];
  /**
   * Log field holding the reason (`client_cert_validation_failed`, …) of a refused connection. Secure Web Proxy:
   * `jsonPayload.mtls.clientCertError`; load balancers (GKE Gateways) log refused connections with it in
   * `jsonPayload.statusDetails`. Permissive mode always reads `jsonPayload.mtls.clientCertError`.
   * @default - "jsonPayload.mtls.clientCertError" for Secure Web Proxy, "jsonPayload.statusDetails" for a Gateway
   */
  readonly reasonField?: string;
}
