import type * as pulumi from "@pulumi/pulumi";
import { GatewayFrontendMtls } from "../gateway-frontend-mtls";
import { S, type Shape } from "../internal/shape";
import { TRUST_SOURCE_SHAPE } from "../vocabulary/shapes";
import type { FrontendRef, TrustSource } from "../vocabulary";

/** GatewayClasses on which GKE supports backend TLS (BackendTLSPolicy). */
export const BACKEND_TLS_CLASSES = [
  "gke-l7-global-external-managed",
  "gke-l7-global-external-managed-mc",
  "gke-l7-regional-external-managed",
  "gke-l7-regional-external-managed-mc",
  "gke-l7-rilb",
  "gke-l7-rilb-mc",
  "gke-l7-cross-regional-internal-managed-mc",
] as const;
export type BackendTlsGatewayClass = (typeof BACKEND_TLS_CLASSES)[number];

/** Kinds a BackendTLSPolicy can target on GKE, with their API groups. */
export const TARGET_GROUPS = {
  Service: "",
  InferencePool: "inference.networking.k8s.io",
  ServiceImport: "net.gke.io",
  GCPInferencePoolImport: "networking.gke.io",
} as const;
export const BackendTargetKind = {
  Service: "Service",
  InferencePool: "InferencePool",
  ServiceImport: "ServiceImport",
  GCPInferencePoolImport: "GCPInferencePoolImport",
} as const;
export type BackendTargetKind = (typeof BackendTargetKind)[keyof typeof BackendTargetKind];

/** The kind of a Subject Alternative Name (Gateway API `SubjectAltName.type`). */
export const SubjectAltNameType = {
  Hostname: "Hostname",
  URI: "URI",
} as const;
export type SubjectAltNameType = (typeof SubjectAltNameType)[keyof typeof SubjectAltNameType];

/** A backend the policy applies to, in the policy's namespace. */
export interface BackendTargetArgs {
  /** @default "Service" */
  readonly kind?: BackendTargetKind;
  readonly name: string;
  /** A port name of the Service: the policy then applies to that port only. @default - every port */
  readonly sectionName?: string;
  /** The target's namespace, if you want it checked: it must equal the policy's. @default - the policy's */
  readonly namespace?: string;
}

/**
 * A Gateway the backends sit behind that this program does not model with a `GatewayFrontendMtls`: its class and, for
 * regional classes, its region; and, for the deploy-time check, its name and namespace.
 */
export interface GatewayClassRef {
  readonly className: string;
  /**
   * `metadata.name` of the Gateway. The policy waits for the controller to report it on this Gateway, which happens
   * only once an HTTPRoute of that Gateway sends traffic to a target: create that route too. Required unless
   * `deployTimeVerification.enabled` is false. @default - none
   */
  readonly name?: string;
  /** The Gateway's namespace. @default - the policy's namespace */
  readonly namespace?: string;
  /** Required for regional single-cluster classes (their TrustConfig lives there). @default - none */
  readonly region?: string;
  /** The Gateway serves routes with Cloud CDN (IAP cannot be combined with it). @default false */
  readonly cloudCdn?: boolean;
}

/** One Subject Alternative Name the backend's certificate must carry (Gateway API `subjectAltNames`). */
export interface SubjectAltNameArgs {
  readonly type: SubjectAltNameType;
  /** With `type: Hostname`. */
  readonly hostname?: string;
  /** With `type: URI`, e.g. a SPIFFE ID. */
  readonly uri?: string;
}

/**
 * Keep the backend CAs in a self-managed Certificate Manager TrustConfig, one per Gateway location, that the
 * BackendTLSPolicy names in GKE's `networking.gke.io/backend-trust-config` option (advanced), instead of ConfigMaps.
 */
export interface BackendTrustConfigArgs {
  /**
   * The TrustConfig name: the same in every location (GKE looks it up by name in the Gateway's location).
   * @default - `<component name>-backend-trust`
   */
  readonly name?: string;
  /** Locations to create it in; must equal those the gateways need. @default - derived from the gateways */
  readonly locations?: string[];
}

/** A Cloud Armor security policy on the backend Services (through a GCPBackendPolicy). */
export interface CloudArmorArgs {
  /** Use an existing security policy by name. @default - one is created */
  readonly existingPolicyName?: pulumi.Input<string>;
  /** Preconfigured WAF rules the created policy denies with 403. @default ["sqli-v33-stable", "xss-v33-stable"] */
  readonly preconfiguredWafRules?: string[];
}

/**
 * Identity-Aware Proxy on the backend Services (through a GCPBackendPolicy). GKE needs an OAuth client: its ID and its
 * secret (`clientSecret`, kept in a Kubernetes Secret the component creates, or `clientSecretName`).
 */
export interface IapArgs {
  /** OAuth client ID. */
  readonly clientId?: pulumi.Input<string>;
  /** OAuth client secret: a Kubernetes Secret (key `key`) is created from it, secret. Exclusive with `clientSecretName`. */
  readonly clientSecret?: pulumi.Input<string>;
  /** An existing Kubernetes Secret (in the policy's namespace) whose `key` holds the client secret. */
  readonly clientSecretName?: pulumi.Input<string>;
}

/**
 * A GKE `HealthCheckPolicy` (networking.gke.io/v1) per Service target that probes it over HTTPS, the protocol the
 * verified backends speak. Google's probers do not validate the backend's certificate ("Google Cloud health check
 * probers don't perform certificate validation", health-check-concepts), so this keeps verified backends healthy
 * whatever GKE's default check would be.
 */
export interface BackendHealthCheckArgs {
  /** HTTP path probed; 200 means healthy. @default "/" */
  readonly requestPath?: string;
  /** Port probed (`USE_FIXED_PORT`). @default - each endpoint's serving port (`USE_SERVING_PORT`) */
  readonly port?: number;
}

/** The deploy-time wait of a BackendTLSPolicy (see `BackendTlsPolicyArgs.deployTimeVerification`). */
export interface BackendDeployTimeVerificationArgs {
  /** @default true */
  readonly enabled?: boolean;
  /** @default 600 */
  readonly timeoutSeconds?: number;
}

export interface BackendTlsPolicyArgs {
  /** Project of the GCP resources. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /** Namespace of the policy, its ConfigMaps and its targets (BackendTLSPolicy is namespace-local). */
  readonly namespace: string;
  /** `metadata.name` of the BackendTLSPolicy. @default - the component name */
  readonly policyName?: string;
  /** The backends (1-16). */
  readonly targets: BackendTargetArgs[];
  /** Gateway classes the backends serve. At least one of `gateways` and `frontends`. @default [] */
  readonly gateways?: GatewayClassRef[];
  /** `GatewayFrontendMtls` components the backends serve (their class and region are used). @default [] */
  readonly frontends?: FrontendRef[];

  /** SNI the Gateway sends to the backend, and the name its certificate must match unless `subjectAltNames` is set. */
  readonly hostname: string;
  /** Names the backend certificate must carry instead of `hostname` (at most 5; e.g. a SPIFFE ID). @default [] */
  readonly subjectAltNames?: SubjectAltNameArgs[];

  /**
   * The CAs backend certificates must chain to. By default one `ca.crt` ConfigMap per root (Gateway API
   * `caCertificateRefs`, standard); with `trustConfig`, a TrustConfig per Gateway location.
   */
  readonly trust: TrustSource;
  /** Must equal `namespace`: BackendTLSPolicy cannot reference ConfigMaps elsewhere. @default - `namespace` */
  readonly configMapNamespace?: string;
  /** Trust through TrustConfigs instead of ConfigMaps. @default - ConfigMaps */
  readonly trustConfig?: BackendTrustConfigArgs;

  /** @default - none */
  readonly cloudArmor?: CloudArmorArgs;
  /** @default - none */
  readonly iap?: IapArgs;
  /** Create an HTTPS HealthCheckPolicy per Service (or ServiceImport) target. @default - none (GKE's default check) */
  readonly healthCheck?: BackendHealthCheckArgs;

  /**
   * Wait during `pulumi up` until every Gateway reports the policy Accepted with its references resolved
   * (`status.ancestors`). GKE reports a Gateway only once one of its routes sends traffic to a target, so each
   * `frontends` entry must route to a target, and each `gateways` entry needs its `name`.
   * @default { enabled: true, timeoutSeconds: 600 }
   */
  readonly deployTimeVerification?: BackendDeployTimeVerificationArgs;
}

/** The runtime shape of {@link BackendTlsPolicyArgs} (types only: values are judged by the policy's own rules). */
export const BACKEND_TLS_POLICY_ARGS_SHAPE: Shape = S.object(
  {
    project: S.input,
    namespace: S.string,
    policyName: S.string,
    targets: S.array(
      S.object({ kind: S.string, name: S.string, sectionName: S.string, namespace: S.string }, ["name"]),
    ),
    gateways: S.array(
      S.object({ className: S.string, name: S.string, namespace: S.string, region: S.string, cloudCdn: S.boolean }, [
        "className",
      ]),
    ),
    frontends: S.array(
      S.object(
        {
          gatewayClassName: S.string,
          region: S.string,
          gatewayNameValue: S.string,
          gatewayNamespaceValue: S.string,
          routedServices: S.array(S.object({ name: S.string, namespace: S.string }, ["name", "namespace"])),
          projectValue: S.string,
        },
        ["gatewayClassName", "gatewayNameValue", "gatewayNamespaceValue"],
        (v) => v instanceof GatewayFrontendMtls,
      ),
    ),
    hostname: S.string,
    subjectAltNames: S.array(S.object({ type: S.string, hostname: S.string, uri: S.string }, ["type"])),
    trust: TRUST_SOURCE_SHAPE,
    configMapNamespace: S.string,
    trustConfig: S.object({ name: S.string, locations: S.array(S.string) }),
    healthCheck: S.object({ requestPath: S.string, port: S.integer }),
    cloudArmor: S.object({ existingPolicyName: S.input, preconfiguredWafRules: S.array(S.string) }),
    iap: S.object({ clientId: S.input, clientSecret: S.input, clientSecretName: S.input }),
    deployTimeVerification: S.object({ enabled: S.boolean, timeoutSeconds: S.integer }),
  },
  ["namespace", "targets", "hostname", "trust"],
);
