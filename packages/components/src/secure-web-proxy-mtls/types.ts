import type * as pulumi from "@pulumi/pulumi";
import { S, type Shape } from "../internal/shape";
import type {
  CertificateChainRef,
  ClientValidationMode,
  ProxyOnlySubnetArgs,
  RejectedCertificateAlertArgs,
  TrustSource,
} from "../vocabulary";
import {
  CERTIFICATE_CHAIN_REF_SHAPE,
  PROXY_ONLY_SUBNET_SHAPE,
  REJECTED_CERTIFICATE_ALERT_SHAPE,
  TRUST_SOURCE_SHAPE,
} from "../vocabulary/shapes";

/** Which part of the verified client certificate is the identity (`principalSelector`). */
export const IdentitySelector = {
  /** `CLIENT_CERT_URI_SAN`, e.g. a SPIFFE ID. */
  UriSan: "uriSan",
  /** `CLIENT_CERT_DNS_NAME_SAN`. */
  DnsSan: "dnsSan",
  /** `CLIENT_CERT_COMMON_NAME`. */
  CommonName: "commonName",
} as const;
export type IdentitySelector = (typeof IdentitySelector)[keyof typeof IdentitySelector];

export const PRINCIPAL_SELECTORS: Record<IdentitySelector, string> = {
  uriSan: "CLIENT_CERT_URI_SAN",
  dnsSan: "CLIENT_CERT_DNS_NAME_SAN",
  commonName: "CLIENT_CERT_COMMON_NAME",
};

/** Methods an authorization policy can match. */
export const HttpMethod = {
  GET: "GET",
  HEAD: "HEAD",
  POST: "POST",
  PUT: "PUT",
  PATCH: "PATCH",
  DELETE: "DELETE",
  OPTIONS: "OPTIONS",
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];
export const HTTP_METHODS: readonly HttpMethod[] = Object.values(HttpMethod);

/**
 * Which destinations one workload identity may (or, in `deny`, may not) reach through the proxy.
 * Principals match exactly (the only match Google allows for certificate selectors).
 */
export interface IdentityRule {
  /** The identity as the proxy reads it from the verified certificate, e.g. `spiffe://bank.example/ns/pay/sa/processor`. */
  readonly identity: string;
  /** @default "uriSan" */
  readonly selector?: IdentitySelector;
  /** Destination hosts: exact names, or `*.example.com` (matched as the suffix `.example.com`). At least one. */
  readonly hosts: string[];
  /**
   * Request paths: exact (`/v1/pay`) or a prefix ending in `*` (`/v1/*`). Matching paths of HTTPS requests needs the
   * TLS inspection policy the component wires. @default - any path
   */
  readonly paths?: string[];
  /** HTTP methods. @default - any method */
  readonly methods?: HttpMethod[];
}

/** The proxy's own server certificate, created in Certificate Manager from a server leaf of a chain. */
export interface ServerCertificateFromChain {
  /** A `CertificateChain` (pass it as it is), or the PEMs of another PKI with its leaves. */
  readonly chain: CertificateChainRef;
  /** Key of a leaf of `chain` with usage `server`. */
  readonly leaf: string;
}

/**
 * The proxy's server certificate as a Google-managed private certificate: Certificate Manager issues it from a CA
 * Service pool through a regional issuance config and renews it; Google holds its key, so none is in Pulumi state
 * (rule gcp.certificatemanager.private-issuance).
 */
export interface PrivateServerCertificateArgs {
  /** The names it covers, e.g. `swp.us-central1.bank.internal` (each within the pool's issuance policy). */
  readonly domains: string[];
  /**
   * A CertificateIssuanceConfig id in the proxy's region, e.g. `CaServiceChain.issuanceConfigIds["us-central1"]`.
   */
  readonly issuanceConfig: pulumi.Input<string>;
}

/**
 * An existing Secure Web Proxy to take over instead of creating one (the guide's "add mTLS to an existing proxy"):
 * its gateway is imported into the component (the `import` resource option) and updated in place to use the
 * component's ServerTlsPolicy, certificates and authorization policies.
 */
export interface AdoptedProxyArgs {
  /**
   * The gateway's id, `projects/<project>/locations/<region>/gateways/<name>` (the import format of
   * magic-modules networkservices/Gateway.yaml), in `region`.
   */
  readonly gatewayId: string;
  /**
   * Protect the adopted gateway: a change that would replace it (an immutable field such as `network`,
   * `subnetwork`, `addresses` or `scope` that differs from the live proxy) or a destroy fails instead of deleting the
   * proxy the workloads use. Remove with `pulumi state unprotect` when the stack should own its whole lifecycle.
   * @default true
   */
  readonly protect?: boolean;
}

export interface SecureWebProxyMtlsArgs {
  /** Project of every resource. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /** Region of the proxy; every resource is created there (TrustConfig, policies, gateway). */
  readonly region: string;
  /** Only `EXPLICIT_ROUTING_MODE` supports frontend mTLS. @default "EXPLICIT_ROUTING_MODE" */
  readonly routingMode?: string;
  /** VPC network (`projects/p/global/networks/n`). */
  readonly network: pulumi.Input<string>;
  /** Subnetwork the proxy takes its address from (`projects/p/regions/r/subnetworks/s`), in `region`. */
  readonly subnetwork: pulumi.Input<string>;
  /** IP address(es) of the proxy. A fixed address makes a replacement delete the old proxy first. @default - assigned */
  readonly addresses?: pulumi.Input<string>[];
  /** Ports the proxy listens on (updated in place; networkservices/Gateway.yaml). @default [443] */
  readonly ports?: number[];
  /** Scope shared by proxies that use one configuration. @default - none */
  readonly scope?: pulumi.Input<string>;
  /**
   * Delete the `swg-autogen-router-*` Cloud Router that Google creates, when the last proxy on the network goes;
   * otherwise it blocks deleting the proxy-only subnet. @default true
   */
  readonly deleteSwgAutogenRouterOnDestroy?: boolean;
  /**
   * Create the region's proxy-only subnet, which Secure Web Proxy needs before the proxy (rule
   * gcp.compute.proxy-only-subnet). @default - none: the subnet exists already
   */
  readonly proxyOnlySubnet?: ProxyOnlySubnetArgs;

  /**
   * How the proxy treats client certificates (`ServerTlsPolicy.mtlsPolicy.clientValidationMode`); `DISABLED` creates
   * no TrustConfig and no ServerTlsPolicy and refuses identity rules. @default "REJECT_INVALID"
   */
  readonly clientValidationMode?: ClientValidationMode;
  /**
   * The CAs that client certificates must chain to (the proxy's TrustConfig); rule identities are checked against
   * the chain's leaves. Required unless `clientValidationMode` is `DISABLED`. During a CA rotation, give the current
   * `chain` and the next root in `trustAnchorPems`. @default - none
   */
  readonly trust?: TrustSource;
  /**
   * Certificates accepted as they are, even expired or unchained. Explicit opt-in only: it warns.
   * @default []
   */
  readonly allowlistedCertificatePems?: pulumi.Input<string>[];

  /**
   * Existing Certificate Manager certificate ids for the proxy (`certificateUrls`), in `region`. Exactly one of this,
   * `serverCertificate` and `privateServerCertificate`. @default - none
   */
  readonly serverCertificateIds?: pulumi.Input<string>[];
  /** Create the proxy's certificate from a server leaf of a chain (its key is in state, as a secret). @default - none */
  readonly serverCertificate?: ServerCertificateFromChain;
  /** Create the proxy's certificate as a Google-managed one issued by a CA Service pool (no key in state). @default - none */
  readonly privateServerCertificate?: PrivateServerCertificateArgs;

  /**
   * Use an existing gateway security policy (it must reference a TLS inspection policy). Excludes
   * `tlsInspectionPolicyId` and `tlsInspectionCaPoolId`. It should carry no GatewaySecurityPolicyRules meant to decide on
   * client identities: the guide's Limitations say frontend-mTLS rules must be authorization policies ("Gateway
   * security policy rules aren't supported"); its rules are not visible to the component, so this is not checked.
   * @default - one is created
   */
  readonly gatewaySecurityPolicyId?: pulumi.Input<string>;
  /** Existing TLS inspection policy for the created gateway security policy. @default - one is created */
  readonly tlsInspectionPolicyId?: pulumi.Input<string>;
  /**
   * Existing CA Service pool for the created TLS inspection policy (the Network Security service agent is granted
   * `roles/privateca.certificateManager` on it). @default - a DevOps-tier pool with a self-signed CA is created
   */
  readonly tlsInspectionCaPoolId?: pulumi.Input<string>;

  /** Identities and the destinations each may reach, by stable key (used in policy names). @default {} */
  readonly allow?: Record<string, IdentityRule>;
  /** Explicit denials, evaluated before any allow, by stable key. @default {} */
  readonly deny?: Record<string, IdentityRule>;

  /** Count rejected client certificates and alert when they rise. @default - no metric or alert */
  readonly rejectedCertificateAlert?: RejectedCertificateAlertArgs;

  /**
   * Take over an existing proxy instead of creating one. The arguments must then describe the live proxy's
   * immutable settings (`network`, `subnetwork`, `addresses`, `scope`) and name its gateway security policy in
   * `gatewaySecurityPolicyId`. Needs Pulumi CLI 3.174 or later, which imports and then updates in one deployment.
   * @default - a new proxy is created
   */
  readonly adopt?: AdoptedProxyArgs;
}

const identityRuleShape = S.object(
  {
    identity: S.string,
    selector: S.string,
    hosts: S.array(S.string),
    paths: S.array(S.string),
    methods: S.array(S.string),
  },
  ["identity", "hosts"],
);

/** The runtime shape of {@link SecureWebProxyMtlsArgs} (types only: values are judged by the proxy's own rules). */
export const SECURE_WEB_PROXY_MTLS_ARGS_SHAPE: Shape = S.object(
  {
    project: S.input,
    region: S.string,
    routingMode: S.string,
    network: S.input,
    subnetwork: S.input,
    addresses: S.array(S.input),
    ports: S.array(S.integer),
    scope: S.input,
    deleteSwgAutogenRouterOnDestroy: S.boolean,
    proxyOnlySubnet: PROXY_ONLY_SUBNET_SHAPE,
    clientValidationMode: S.string,
    trust: TRUST_SOURCE_SHAPE,
    allowlistedCertificatePems: S.array(S.input),
    serverCertificateIds: S.array(S.input),
    serverCertificate: S.object({ chain: CERTIFICATE_CHAIN_REF_SHAPE, leaf: S.string }, ["chain", "leaf"]),
    privateServerCertificate: S.object({ domains: S.array(S.string), issuanceConfig: S.input }, [
      "domains",
      "issuanceConfig",
    ]),
    gatewaySecurityPolicyId: S.input,
    tlsInspectionPolicyId: S.input,
    tlsInspectionCaPoolId: S.input,
    allow: S.record(identityRuleShape),
    deny: S.record(identityRuleShape),
    rejectedCertificateAlert: REJECTED_CERTIFICATE_ALERT_SHAPE,
    adopt: S.object({ gatewayId: S.string, protect: S.boolean }, ["gatewayId"]),
  },
  ["region", "network", "subnetwork"],
);
