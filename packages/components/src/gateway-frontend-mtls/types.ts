import type * as pulumi from "@pulumi/pulumi";
import type { AllowedRoutes } from "../internal/gateway-api";
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

/**
 * The single-cluster GKE GatewayClasses the component deploys to. Every one serves HTTPS with server TLS; GKE supports
 * frontend mTLS on the first three only (the classic `gke-l7-gxlb` takes `clientValidation.mode: "DISABLED"`).
 * The multi-cluster `-mc` classes need a fleet config cluster and MultiClusterServices, which this component does not
 * create.
 */
export const FrontendMtlsGatewayClass = {
  /** Global external Application Load Balancer. */
  GlobalExternalManaged: "gke-l7-global-external-managed",
  /** Regional external Application Load Balancer. */
  RegionalExternalManaged: "gke-l7-regional-external-managed",
  /** Regional internal Application Load Balancer. */
  RegionalInternal: "gke-l7-rilb",
  /** Classic Application Load Balancer (global): server TLS only, no frontend mTLS. */
  ClassicGlobalExternal: "gke-l7-gxlb",
} as const;
export type FrontendMtlsGatewayClass = (typeof FrontendMtlsGatewayClass)[keyof typeof FrontendMtlsGatewayClass];
/** The classes with frontend mTLS (rule gke.frontend-mtls.classes: the GKE guide). */
export const FRONTEND_MTLS_CLASSES: readonly FrontendMtlsGatewayClass[] = [
  FrontendMtlsGatewayClass.GlobalExternalManaged,
  FrontendMtlsGatewayClass.RegionalExternalManaged,
  FrontendMtlsGatewayClass.RegionalInternal,
];
/** The classes serving server TLS (rule gke.gateway.classes). */
export const SERVER_TLS_CLASSES: readonly FrontendMtlsGatewayClass[] = Object.values(FrontendMtlsGatewayClass);

/** A listener: HTTPS terminating TLS (client certificates are validated there), or HTTP beside it for redirects. */
export interface HttpsListenerArgs {
  /** Listener name, unique in the Gateway (lowercase DNS subdomain); HTTPRoutes use it as `sectionName`. */
  readonly name: string;
  /** @default 443 (80 for HTTP) */
  readonly port?: number;
  /** Host the listener serves (a leading `*.` wildcard allowed). @default - every host */
  readonly hostname?: string;
  /** Which routes may attach. @default - the Gateway's namespace only (`{ namespaces: { from: "Same" } }`) */
  readonly allowedRoutes?: AllowedRoutes;
  /**
   * `HTTPS` (with frontend mTLS), or `HTTP` for a redirect listener beside them: no TLS, no client validation, and the
   * component's routes never attach to it (attach your redirect HTTPRoute by `sectionName`). @default "HTTPS"
   */
  readonly protocol?: string;
  /** Only `Terminate` supports frontend mTLS; anything else is refused (HTTP listeners have none). @default "Terminate" */
  readonly tlsMode?: string;
  /** Extra GKE listener TLS options (`tls.options`), e.g. for features this component does not model. @default {} */
  readonly tlsOptions?: Record<string, string>;
}

/**
 * A server certificate and its key: a server leaf of a `CertificateChain` (`chain` + `leaf`), or PEMs
 * (`certificatePem` — the leaf followed by its intermediates — and `privateKeyPem`). Exactly one of the two forms.
 */
export interface ServerCertificateMaterial {
  /** A `CertificateChain` (pass it as it is), or another PKI's PEMs with its leaves. @default - none */
  readonly chain?: CertificateChainRef;
  readonly leaf?: string;
  readonly certificatePem?: pulumi.Input<string>;
  /** Treated as a secret. */
  readonly privateKeyPem?: pulumi.Input<string>;
}

/** Server certificate from a Kubernetes TLS Secret, referenced by the listeners' `tls.certificateRefs`. */
export interface KubernetesSecretCertificateArgs {
  /** Create the Secret (type `kubernetes.io/tls`) from this material. Exactly one of `material` and `existingSecretName`. */
  readonly material?: ServerCertificateMaterial;
  /** Use an existing TLS Secret in the Gateway's namespace. */
  readonly existingSecretName?: pulumi.Input<string>;
}

/** Pre-shared Compute Engine SSL certificates (`networking.gke.io/pre-shared-certs` listener option). */
export interface PreSharedCertificatesArgs {
  /** Create one from this material: global `compute.SSLCertificate` or regional `compute.RegionSslCertificate`. */
  readonly material?: ServerCertificateMaterial;
  /**
   * Existing self-managed certificates by name: global ones for the global class, regional ones (in `region`) for
   * regional classes. @default []
   */
  readonly existingNames?: pulumi.Input<string>[];
  /**
   * Existing Compute Engine Google-managed certificates by name (created outside GKE, as the guide says). They are
   * global resources (`projects/<p>/global/sslCertificates`, no regional variant), so they serve the global class only:
   * on a regional class use Certificate Manager (`certificateManager`) for Google-managed certificates. @default []
   */
  readonly googleManagedNames?: pulumi.Input<string>[];
}

/** A self-managed Certificate Manager certificate and the hostnames it serves. */
export interface CertificateManagerCertificateArgs {
  /** A certificate you issue (self-managed). Exactly one of `material` and `googleManaged`. @default - none */
  readonly material?: ServerCertificateMaterial;
  /** A Google-managed certificate, authorized through DNS. Exactly one of `material` and `googleManaged`. @default - none */
  readonly googleManaged?: GoogleManagedCertificateArgs;
  /**
   * Hostnames it serves (certificate map entries).
   * @default - the chain leaf's DNS SANs, or the Google-managed domains (required for PEMs)
   */
  readonly hostnames?: string[];
}

/** A DNS record users create for the Gateway (see `GatewayFrontendMtls.dnsRecords`). */
export interface DnsRecord {
  /** Fully qualified name, e.g. `_acme-challenge.store.example.com.` or `store.example.com`. */
  readonly name: string;
  /** `CNAME`, `A` or `AAAA`. */
  readonly type: string;
  /** The record's value. */
  readonly data: string;
}

/**
 * A Certificate Manager Google-managed certificate (`managed.domains` + `managed.dnsAuthorizations`): one
 * DnsAuthorization per domain, in the Gateway's location (global or its region: both support DNS authorization). The
 * component's `dnsRecords` output lists the CNAME records to create for the authorizations (and the A record of each
 * domain once the Gateway has its address); the certificate is issued after they resolve.
 */
export interface GoogleManagedCertificateArgs {
  /** Domains the certificate covers (`*.example.com` wildcards allowed: DNS authorization covers them). */
  readonly domains: string[];
  /**
   * Issue it privately from a CA Service pool instead: the id of a Certificate Manager CertificateIssuanceConfig in
   * the Gateway's location (global, or its region), e.g. `CaServiceChain.issuanceConfigIds.global`. Google holds the
   * key and renews the certificate; no DNS authorization and no DNS record is needed (rule
   * gcp.certificatemanager.private-issuance). @default - a public certificate, authorized through DNS
   */
  readonly issuanceConfig?: pulumi.Input<string>;
}

/**
 * Certificate Manager. Global class: Certificates + a CertificateMap with an entry per hostname, attached with the
 * `networking.gke.io/certmap` annotation. Regional classes: regional Certificates listed in the
 * `networking.gke.io/cert-manager-certs` listener option.
 */
export interface CertificateManagerCertificatesArgs {
  /** Certificates to create, by stable key. @default {} */
  readonly certificates?: Record<string, CertificateManagerCertificateArgs>;
  /** Existing certificate names (regional classes only). @default [] */
  readonly existingCertificateNames?: pulumi.Input<string>[];
  /** An existing certificate map (global class only); no certificate or map is created then. */
  readonly existingCertificateMapName?: pulumi.Input<string>;
}

/** Lowest TLS version clients may negotiate (`compute.SSLPolicy.minTlsVersion`). */
export const MinTlsVersion = {
  TLS_1_2: "TLS_1_2",
  TLS_1_3: "TLS_1_3",
} as const;
export type MinTlsVersion = (typeof MinTlsVersion)[keyof typeof MinTlsVersion];

/** The SSL policy's cipher profile (`COMPATIBLE` is refused: it allows weak ciphers). */
export const SslPolicyProfile = {
  MODERN: "MODERN",
  RESTRICTED: "RESTRICTED",
} as const;
export type SslPolicyProfile = (typeof SslPolicyProfile)[keyof typeof SslPolicyProfile];

/** Per-port override of the frontend validation (ConfigMap trust only). */
export interface PerPortValidationArgs {
  /** A port that an HTTPS listener uses. */
  readonly port: number;
  /** The CAs clients on this port must chain to. */
  readonly trust: TrustSource;
  /** @default "REJECT_INVALID" */
  readonly mode?: ClientValidationMode;
}

/**
 * Keep the trust in a Certificate Manager TrustConfig that the Gateway names in GKE's
 * `networking.gke.io/frontend-trust-config` annotation, instead of `ca.crt` ConfigMaps (advanced: no per-port
 * overrides; intermediates can be trusted).
 */
export interface FrontendTrustConfigArgs {
  /** Must be `global` for the global class, the region for regional classes. @default - the Gateway's location */
  readonly location?: string;
}

/**
 * Frontend mTLS: which CAs client certificates must chain to, and what happens to the others. By default the trust
 * is Gateway API `spec.tls.frontend` validation with one `ca.crt` ConfigMap per trusted root (recommended).
 */
export interface ClientValidationArgs {
  /** The CAs client certificates must chain to; required unless `mode` is `DISABLED`. @default - none */
  readonly trust?: TrustSource;
  /**
   * `ALLOW_INVALID_OR_MISSING_CLIENT_CERT` admits invalid or missing client certificates (it warns). `DISABLED` is a
   * Gateway with server TLS only: no client certificate is requested or validated, and no trust is given (the guide's
   * Secret, pre-shared and Certificate Manager Gateways), on every class including `gke-l7-gxlb`.
   * @default "REJECT_INVALID"
   */
  readonly mode?: ClientValidationMode;
  /** Namespace for the ConfigMaps; another namespace than the Gateway's gets a ReferenceGrant. @default - the Gateway's */
  readonly configMapNamespace?: string;
  /** Per-port overrides. @default [] */
  readonly perPort?: PerPortValidationArgs[];
  /** Trust through a TrustConfig annotation instead of ConfigMaps. @default - ConfigMaps */
  readonly trustConfig?: FrontendTrustConfigArgs;
}

/** An SSL policy for client connections (`compute.SSLPolicy`, regional for regional classes). */
export interface SslPolicyArgs {
  /** @default "TLS_1_2" */
  readonly minTlsVersion?: MinTlsVersion;
  /**
   * `COMPATIBLE` is refused: it allows weak ciphers. With TLS 1.3 the Compute API accepts only `RESTRICTED`.
   * @default "MODERN", or "RESTRICTED" when `minTlsVersion` is `TLS_1_3`
   */
  readonly profile?: SslPolicyProfile;
  /** Use an existing SSL policy by name instead of creating one. */
  readonly existingName?: pulumi.Input<string>;
}

/** A backend of a route: a port of a Service in the Gateway's namespace. */
export interface RouteBackendArgs {
  /** The Service's name. */
  readonly service: string;
  /** The Service port. */
  readonly port: number;
  /** Share of the requests, relative to the other backends. @default 1 */
  readonly weight?: number;
}

/**
 * An HTTPRoute (`gateway.networking.k8s.io/v1`, in the Gateway's namespace) from listeners of this Gateway to Services:
 * the guide's `store-external` / `foo` routes. A BackendTLSPolicy is reported on a Gateway only once a route of that
 * Gateway sends traffic to its Service.
 */
export interface HttpRouteArgs {
  /** `metadata.name`. @default - `<gatewayName>-<key>` */
  readonly name?: string;
  /** Listener names the route attaches to (`parentRefs[].sectionName`). @default - every listener */
  readonly listeners?: string[];
  /** Hostnames the route matches; each must fall under an attached listener's hostname. @default - the listeners' */
  readonly hostnames?: string[];
  /** Path prefix matched. @default "/" */
  readonly pathPrefix?: string;
  /** Where matching requests go (at least one). */
  readonly backends: RouteBackendArgs[];
}

/**
 * Deploy-time checks during `pulumi up`: the Gateway waits until it is `Programmed` and every listener's references
 * (server certificates, client CAs) resolve; each route waits until the Gateway accepts it.
 */
export interface DeployTimeVerificationArgs {
  /** @default true */
  readonly enabled?: boolean;
  /** A Gateway takes minutes to provision a load balancer. @default 1200 */
  readonly timeoutSeconds?: number;
}

export interface GatewayFrontendMtlsArgs {
  /** GCP project of the Certificate Manager / Compute resources. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /** Region of the Gateway; required for regional classes. @default - none (global) */
  readonly region?: string;
  /** Namespace of the Gateway. @default "default" */
  readonly namespace?: string;
  /**
   * Create the namespace (a `Namespace` child every object in it waits for). Otherwise it must exist: the Kubernetes
   * API refuses objects in a namespace that does not. @default false
   */
  readonly createNamespace?: boolean;
  /** `metadata.name` of the Gateway (what HTTPRoutes' `parentRefs` name). @default - the component name */
  readonly gatewayName?: string;
  readonly gatewayClassName: FrontendMtlsGatewayClass;
  readonly listeners: HttpsListenerArgs[];
  /** Extra Gateway annotations. @default {} */
  readonly annotations?: Record<string, string>;

  /** Server certificates: exactly one of `tlsSecret`, `preSharedCertificates`, `certificateManager`. */
  readonly tlsSecret?: KubernetesSecretCertificateArgs;
  readonly preSharedCertificates?: PreSharedCertificatesArgs;
  readonly certificateManager?: CertificateManagerCertificatesArgs;

  /**
   * Frontend mTLS: the CAs client certificates must chain to, and the mode; `{ mode: "DISABLED" }` for a Gateway with
   * server TLS only (an explicit choice: there is no default).
   */
  readonly clientValidation: ClientValidationArgs;

  /**
   * Create the region's proxy-only subnet, which regional classes need before the Gateway is programmed (rule
   * gcp.compute.proxy-only-subnet). Regional classes only. @default - none: the subnet exists already
   */
  readonly proxyOnlySubnet?: ProxyOnlySubnetArgs;
  /** @default - no SSL policy (Google's default policy applies) */
  readonly sslPolicy?: SslPolicyArgs;
  /** HTTPRoutes from this Gateway's listeners to Services, by stable key (`<name>-route-<key>`). @default {} */
  readonly routes?: Record<string, HttpRouteArgs>;
  /** @default { enabled: true, timeoutSeconds: 1200 } */
  readonly deployTimeVerification?: DeployTimeVerificationArgs;
  /**
   * Count the client certificates the load balancer refused (`REJECT_INVALID`: `statusDetails` `client_cert_*`), or
   * the requests it admitted without a verified one (`ALLOW_INVALID_OR_MISSING_CLIENT_CERT`), by reason, from this
   * Gateway's request logs, and alert when they rise. GKE backends log nothing by default: enable logging in a
   * `GCPBackendPolicy` (`logging.enabled`). @default - no metric or alert
   */
  readonly rejectedCertificateAlert?: RejectedCertificateAlertArgs;
}

const materialShape = S.object({
  chain: CERTIFICATE_CHAIN_REF_SHAPE,
  leaf: S.string,
  certificatePem: S.input,
  privateKeyPem: S.input,
});
const allowedRoutesShape = S.object({
  namespaces: S.object({
    from: S.string,
    selector: S.object({
      matchLabels: S.record(S.string),
      matchExpressions: S.array(
        S.object({ key: S.string, operator: S.string, values: S.array(S.string) }, ["key", "operator"]),
      ),
    }),
  }),
  kinds: S.array(S.object({ group: S.string, kind: S.string }, ["kind"])),
});

/** The runtime shape of {@link GatewayFrontendMtlsArgs} (types only: values are judged by the Gateway's own rules). */
export const GATEWAY_FRONTEND_MTLS_ARGS_SHAPE: Shape = S.object(
  {
    project: S.input,
    region: S.string,
    namespace: S.string,
    gatewayName: S.string,
    gatewayClassName: S.string,
    listeners: S.array(
      S.object(
        {
          name: S.string,
          port: S.integer,
          hostname: S.string,
          allowedRoutes: allowedRoutesShape,
          protocol: S.string,
          tlsMode: S.string,
          tlsOptions: S.record(S.string),
        },
        ["name"],
      ),
    ),
    annotations: S.record(S.string),
    tlsSecret: S.object({ material: materialShape, existingSecretName: S.input }),
    preSharedCertificates: S.object({
      material: materialShape,
      existingNames: S.array(S.input),
      googleManagedNames: S.array(S.input),
    }),
    certificateManager: S.object({
      certificates: S.record(
        S.object({
          material: materialShape,
          googleManaged: S.object({ domains: S.array(S.string), issuanceConfig: S.input }, ["domains"]),
          hostnames: S.array(S.string),
        }),
      ),
      existingCertificateNames: S.array(S.input),
      existingCertificateMapName: S.input,
    }),
    clientValidation: S.object(
      {
        trust: TRUST_SOURCE_SHAPE,
        mode: S.string,
        configMapNamespace: S.string,
        perPort: S.array(S.object({ port: S.integer, trust: TRUST_SOURCE_SHAPE, mode: S.string }, ["port", "trust"])),
        trustConfig: S.object({ location: S.string }),
      },
      [],
    ),
    sslPolicy: S.object({ minTlsVersion: S.string, profile: S.string, existingName: S.input }),
    proxyOnlySubnet: PROXY_ONLY_SUBNET_SHAPE,
    createNamespace: S.boolean,
    routes: S.record(
      S.object(
        {
          name: S.string,
          listeners: S.array(S.string),
          hostnames: S.array(S.string),
          pathPrefix: S.string,
          backends: S.array(S.object({ service: S.string, port: S.integer, weight: S.integer }, ["service", "port"])),
        },
        ["backends"],
      ),
    ),
    deployTimeVerification: S.object({ enabled: S.boolean, timeoutSeconds: S.integer }),
    rejectedCertificateAlert: REJECTED_CERTIFICATE_ALERT_SHAPE,
  },
  ["gatewayClassName", "listeners", "clientValidation"],
);
