/**
 * The parts of the Gateway API v1 objects the components emit, in the upstream shape: kubernetes-sigs/gateway-api
 * `apis/v1/gateway_types.go` (Gateway, Listener, AllowedRoutes, GatewayTLSConfig / FrontendTLSConfig),
 * `apis/v1/httproute_types.go` (HTTPRoute), `apis/v1/backendtlspolicy_types.go` (BackendTLSPolicy),
 * `apis/v1/object_reference_types.go` (ObjectReference) and `apis/v1/shared_types.go` (ParentReference).
 * Declared here so that the published packages need no model package at install or compile time; the manifests are
 * validated against the upstream CRD schemas and CEL rules in the tests (`validateManifest`).
 */

/** `ObjectReference`: `group` and `kind` have no defaults, both are required. */
export interface ObjectReference {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** `RouteNamespaces`: `from` is `All`, `Selector` or `Same`. */
export interface RouteNamespaces {
  /** `All`, `Selector` or `Same`. @default "Same" */
  from?: string;
  /** Namespaces whose labels match, when `from` is `Selector`. @default - none */
  selector?: LabelSelector;
}

/** A Kubernetes label selector (`metav1.LabelSelector`). */
export interface LabelSelector {
  /** @default {} */
  matchLabels?: Record<string, string>;
  /** @default [] */
  matchExpressions?: LabelSelectorRequirement[];
}

/** One `matchExpressions` entry. */
export interface LabelSelectorRequirement {
  key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  operator: string;
  /** @default [] */
  values?: string[];
}

/** `RouteGroupKind`. */
export interface RouteGroupKind {
  /** @default "gateway.networking.k8s.io" */
  group?: string;
  kind: string;
}

/** `AllowedRoutes` of a listener. */
export interface AllowedRoutes {
  /** @default { from: "Same" } */
  namespaces?: RouteNamespaces;
  /** @default - the kinds the listener's protocol supports */
  kinds?: RouteGroupKind[];
}

interface Metadata {
  name: string;
  namespace: string;
  annotations?: Record<string, string>;
}

interface FrontendValidation {
  caCertificateRefs: ObjectReference[];
  mode: string;
}

/** `Gateway` (v1), with the v1.5 frontend TLS configuration. */
export interface GatewayManifest {
  apiVersion: "gateway.networking.k8s.io/v1";
  kind: "Gateway";
  metadata: Metadata;
  spec: {
    gatewayClassName: string;
    listeners: {
      name: string;
      protocol: string;
      port: number;
      hostname?: string;
      tls?: { mode: "Terminate"; certificateRefs?: ObjectReference[]; options?: Record<string, string> };
      allowedRoutes: AllowedRoutes;
    }[];
    tls?: {
      frontend: {
        default: { validation: FrontendValidation };
        perPort?: { port: number; tls: { validation: FrontendValidation } }[];
      };
    };
  };
}

/** `ParentReference`. */
export interface ParentReference {
  group: string;
  kind: string;
  name: string;
  sectionName?: string;
}

/** `HTTPRoute` (v1): the fields the components set. */
export interface HttpRouteManifest {
  apiVersion: "gateway.networking.k8s.io/v1";
  kind: "HTTPRoute";
  metadata: Metadata;
  spec: {
    parentRefs: ParentReference[];
    hostnames?: string[];
    rules: {
      matches: { path: { type: "PathPrefix"; value: string } }[];
      backendRefs: { group: string; kind: string; name: string; port: number; weight?: number }[];
    }[];
  };
}

/** `BackendTLSPolicyValidation`: exactly one of `caCertificateRefs` and `wellKnownCACertificates` (CEL). */
export interface BackendTlsValidation {
  caCertificateRefs?: ObjectReference[];
  /** Only `System`. */
  wellKnownCACertificates?: "System";
  hostname: string;
  subjectAltNames?: ({ type: "Hostname"; hostname: string } | { type: "URI"; uri: string })[];
}

/** `BackendTLSPolicy` (v1). */
export interface BackendTlsPolicyManifest {
  apiVersion: "gateway.networking.k8s.io/v1";
  kind: "BackendTLSPolicy";
  metadata: Metadata;
  spec: {
    targetRefs: { group: string; kind: string; name: string; sectionName?: string }[];
    validation: BackendTlsValidation;
    options?: Record<string, string>;
  };
}
