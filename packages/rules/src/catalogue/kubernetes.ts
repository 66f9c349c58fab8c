import type { RuleDefinition } from "./types";

const GW = "https://github.com/kubernetes-sigs/gateway-api/blob";
const CRDS = (tag: string, file: string, channel = "standard") =>
  `${GW}/${tag}/config/crd/${channel}/gateway.networking.k8s.io_${file}.yaml`;
const GKE_GUIDE = "https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway";
const GKE_TYPES = "https://github.com/GoogleCloudPlatform/gke-gateway-api/blob/main/apis/networking/v1";
const PK = "https://github.com/pulumi/pulumi-kubernetes/blob/master";
const BOTH = ["components", "emulator"] as const;
const EMULATOR = ["emulator"] as const;
const COMPONENTS = ["components"] as const;

/** Kubernetes API server, Gateway API, GKE Gateway controller and pulumi-kubernetes facts. */
export const KUBERNETES_RULES = {
  // --- Gateway API CRDs (the API server) ---------------------------------------------------------------------------
  "k8s.gateway-api.cel": {
    kind: "api",
    summary:
      "The API server refuses Gateway, HTTPRoute and BackendTLSPolicy objects that break their CRDs' x-kubernetes-validations (CEL) rules, evaluated after schema defaults.",
    sources: [CRDS("v1.5.1", "gateways"), CRDS("v1.5.1", "httproutes"), CRDS("v1.5.1", "backendtlspolicies")],
    enforcedBy: EMULATOR,
  },
  "k8s.gateway-api.served-versions": {
    kind: "api",
    summary:
      "A Gateway API CRD bundle serves only some apiVersions: BackendTLSPolicy v1 from v1.4.0, ReferenceGrant v1 from v1.5.0; an object of an unserved version is refused.",
    sources: [CRDS("v1.4.0", "backendtlspolicies"), CRDS("v1.5.0", "referencegrants")],
    enforcedBy: EMULATOR,
  },
  "k8s.gateway-api.frontend-validation-version": {
    kind: "api",
    summary:
      "Gateway spec.tls.frontend (client certificate validation) exists from Gateway API v1.5.0 (standard channel) and v1.4.0 (experimental); older CRDs prune it.",
    sources: [CRDS("v1.5.0", "gateways"), CRDS("v1.4.0", "gateways", "experimental"), CRDS("v1.4.1", "gateways")],
    enforcedBy: BOTH,
    caveat:
      "Which Gateway API bundle GKE installs, and which shape its controller reads, is stated by no upstream source: the GKE guide shows spec.tls.frontendValidation, which no upstream CRD declares. The components read the field back after apply.",
  },
  "k8s.api-server.pruning": {
    kind: "api",
    summary:
      "The API server drops (prunes) fields a CRD's structural schema does not declare, and stores the object without them.",
    sources: [
      "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning",
    ],
    enforcedBy: EMULATOR,
  },
  "k8s.gateway-api.limits": {
    kind: "api",
    summary:
      "Schema limits: a Gateway has 1-64 listeners, tls.options ≤ 16, caCertificateRefs ≤ 8 (v1.5; 16 from v1.6), perPort ≤ 64; a BackendTLSPolicy has 1-16 targetRefs, ≤ 8 caCertificateRefs, ≤ 5 subjectAltNames (URI ≤ 253 characters with an authority), options ≤ 16; a ReferenceGrant has ≤ 16 from and ≤ 16 to entries.",
    sources: [CRDS("v1.5.1", "gateways"), CRDS("v1.5.1", "backendtlspolicies"), CRDS("v1.5.1", "referencegrants")],
    enforcedBy: BOTH,
  },
  "k8s.gateway-api.ca-configmap": {
    kind: "api",
    summary:
      'A CA certificate reference names a ConfigMap whose `ca.crt` key holds the PEM (group "" and kind ConfigMap are required).',
    sources: [`${GW}/v1.5.1/apis/v1/gateway_types.go`, `${GW}/v1.5.1/apis/v1/backendtlspolicy_types.go`, GKE_GUIDE],
    enforcedBy: [...BOTH, "policy"],
  },
  "k8s.gateway-api.backend-tls-local": {
    kind: "api",
    summary:
      "A BackendTLSPolicy lives in its targets' namespace and references CA ConfigMaps in that namespace only (LocalObjectReference).",
    sources: [`${GW}/v1.5.1/geps/gep-1897/index.md`, GKE_GUIDE],
    enforcedBy: BOTH,
  },
  "k8s.gateway-api.reference-grant": {
    kind: "controller",
    summary:
      "A Gateway may reference CA ConfigMaps in another namespace only when a ReferenceGrant there allows it; otherwise its listeners report ResolvedRefs False / RefNotPermitted.",
    sources: [`${GW}/v1.5.1/apis/v1/gateway_types.go`, GKE_GUIDE],
    enforcedBy: BOTH,
  },
  "k8s.gateway-api.policy-ancestors": {
    kind: "controller",
    summary:
      "A BackendTLSPolicy's status lists an ancestor only for a Gateway that has an accepted Route sending traffic to the policy's target; without such a route it has no status.",
    sources: [
      `${GW}/v1.6.1/geps/gep-713/index.md`,
      `${GW}/v1.6.1/apis/v1/policy_types.go`,
      `${GW}/v1.6.1/conformance/tests/backendtlspolicy.go`,
    ],
    enforcedBy: BOTH,
  },
  "k8s.gateway-api.ancestor-namespace": {
    kind: "api",
    summary:
      "status.ancestors[].ancestorRef.namespace is optional: a controller may leave it out for a Gateway in the policy's namespace.",
    sources: [CRDS("v1.6.1", "backendtlspolicies"), `${GW}/v1.6.1/conformance/utils/kubernetes/helpers.go`],
    enforcedBy: BOTH,
  },
  "k8s.gateway-api.listener-resolved-refs": {
    kind: "controller",
    summary:
      "Invalid CA references of a listener's client validation set that listener's ResolvedRefs to False (Accepted False when all are invalid), while the Gateway may still be Programmed.",
    sources: [`${GW}/v1.5.1/apis/v1/gateway_types.go`],
    enforcedBy: BOTH,
  },
  "k8s.gateway-api.route-attachment": {
    kind: "controller",
    summary:
      "An HTTPRoute attaches to a Gateway listener that exists, allows the route's namespace (default: Same) and kind, and whose hostname intersects the route's; its backends resolve when the Services exist.",
    sources: [`${GW}/v1.5.1/apis/v1/gateway_types.go`, `${GW}/v1.5.1/apis/v1/shared_types.go`],
    enforcedBy: BOTH,
  },
  // --- GKE --------------------------------------------------------------------------------------------------------
  "gke.gateway.lb-annotations": {
    kind: "controller",
    summary:
      "The GKE Gateway controller annotates a Gateway it programs with the Compute Engine resources behind it, among them networking.gke.io/url-maps: `/projects/<number>/global/urlMaps/<name>` (regional classes: `/projects/<number>/regions/<region>/urlMaps/<name>`), the name being `gkegw1-<4>-<namespace>-<gateway>-<12>`.",
    sources: [
      "https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways",
      "https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities",
    ],
    enforcedBy: ["components", "emulator"],
    caveat:
      "Seen in `kubectl describe gateway` output of live GKE Gateways (the docs' samples and users' logs); the annotations are not a documented contract, and the name suffixes are opaque (the emulator makes up stable ones).",
  },
  "gke.gateway.classes": {
    kind: "controller",
    summary:
      "GKE's single-cluster GatewayClasses are gke-l7-global-external-managed, gke-l7-regional-external-managed, gke-l7-rilb and gke-l7-gxlb (the classic global external load balancer); gke-l7-global-external-managed and gke-l7-gxlb are global (certificate maps, Compute global SSL certificates), the others regional. The -mc classes (and the cross-regional internal one, multi-cluster only) need a fleet config cluster.",
    sources: [
      "https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities",
      "https://cloud.google.com/certificate-manager/docs/deploy",
      GKE_GUIDE,
    ],
    enforcedBy: COMPONENTS,
  },
  "gke.frontend-mtls.classes": {
    kind: "controller",
    summary:
      "Frontend mTLS is supported on gke-l7-global-external-managed, gke-l7-regional-external-managed and gke-l7-rilb, for HTTPS listeners in Terminate mode.",
    sources: [GKE_GUIDE],
    enforcedBy: [...COMPONENTS, "policy"],
  },
  "gke.frontend-mtls.trust-config-annotation": {
    kind: "controller",
    summary:
      "Client validation through the networking.gke.io/frontend-trust-config annotation excludes Gateway API validation and per-port overrides; the TrustConfig is global for the global class and in the region for regional classes.",
    sources: [GKE_GUIDE],
    enforcedBy: [...COMPONENTS, "policy"],
  },
  "gke.backend-tls.classes": {
    kind: "controller",
    summary:
      "Backend TLS is supported on the global, regional, internal and cross-regional managed classes (and their -mc variants); global classes accept only Service and ServiceImport targets.",
    sources: [GKE_GUIDE],
    enforcedBy: [...COMPONENTS, "policy"],
  },
  "gke.backend-tls.trust-config": {
    kind: "controller",
    summary:
      "A backend TrustConfig is referenced through the networking.gke.io/backend-trust-config option with wellKnownCACertificates System; it is in the Gateway's project and location (global for global, multi-cluster and cross-regional Gateways), with the same name in each location a Service's Gateways use.",
    sources: [GKE_GUIDE],
    enforcedBy: COMPONENTS,
  },
  "gke.certificates.certmap": {
    kind: "controller",
    summary:
      "The networking.gke.io/certmap annotation (a global certificate map) cannot be combined with listener certificateRefs; certificate maps serve global Gateways only.",
    sources: [
      GKE_GUIDE,
      "https://github.com/GoogleCloudPlatform/magic-modules/blob/main/mmv1/products/compute/TargetHttpsProxy.yaml",
    ],
    enforcedBy: COMPONENTS,
  },
  "gke.certificates.cert-manager-certs": {
    kind: "controller",
    summary:
      "Regional Gateways list Certificate Manager certificates in the networking.gke.io/cert-manager-certs listener option; external global load balancers take certificate maps instead.",
    sources: [
      GKE_GUIDE,
      "https://github.com/GoogleCloudPlatform/magic-modules/blob/main/mmv1/products/compute/TargetHttpsProxy.yaml",
    ],
    enforcedBy: COMPONENTS,
  },
  "gke.backend-tls.import-targets": {
    kind: "controller",
    summary:
      "ServiceImport and GCPInferencePoolImport targets are multi-cluster backends: only the multi-cluster GatewayClasses (`-mc`) route to them; single-cluster classes route to the cluster's own Services and InferencePools.",
    sources: [
      GKE_GUIDE,
      "https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-multi-cluster-gateways",
      "https://gateway-api.sigs.k8s.io/geps/gep-1748/",
    ],
    enforcedBy: [...COMPONENTS, "policy"],
  },
  "gke.certificates.managed-certificate": {
    kind: "controller",
    summary:
      "The GKE Gateway controller supports neither the ManagedCertificate resource nor the networking.gke.io/managed-certificates annotation (they are Ingress features): use Certificate Manager or pre-shared SSL certificates.",
    sources: [GKE_GUIDE],
    enforcedBy: COMPONENTS,
  },
  "gke.backend.app-protocol": {
    kind: "controller",
    summary:
      "Service ports[].appProtocol values the GKE Gateway supports towards Pods: HTTP, HTTPS, HTTP2 and kubernetes.io/h2c; HTTPS encrypts without verifying the Pods' certificate (a BackendTLSPolicy verifies it).",
    sources: [GKE_GUIDE],
    enforcedBy: COMPONENTS,
  },
  "gke.backend.health-check-policy": {
    kind: "controller",
    summary:
      "A HealthCheckPolicy (networking.gke.io/v1) attaches to one Service (single-cluster Gateways) or ServiceImport (multi-cluster) in its namespace; config.type is TCP, HTTP, HTTPS, HTTP2 or GRPC with its matching block; requestPath is `/` then URL path characters, at most 2048; port 1-65535 with USE_FIXED_PORT. Google's health check probers do not validate backend certificates.",
    sources: [
      `${GKE_TYPES}/healthcheck_types.go`,
      "https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_health_check",
      "https://cloud.google.com/load-balancing/docs/health-check-concepts#criteria-certificates",
    ],
    enforcedBy: COMPONENTS,
  },
  "gke.protection.cloud-armor-scope": {
    kind: "controller",
    summary:
      "A Service behind both a regional and a global Gateway cannot reference a Cloud Armor backend security policy: use two Services and policies.",
    sources: [GKE_GUIDE],
    enforcedBy: [...COMPONENTS, "policy"],
  },
  "gke.protection.iap-cdn": {
    kind: "controller",
    summary: "IAP and Cloud CDN cannot both be enabled on one Gateway.",
    sources: [GKE_GUIDE],
    enforcedBy: COMPONENTS,
  },
  "gke.protection.iap-client": {
    kind: "controller",
    summary:
      "A GCPBackendPolicy with IAP enabled sets a clientID and an oauth2ClientSecret (a Secret in the policy's namespace).",
    sources: [`${GKE_TYPES}/gcpbackendpolicy_types.go`],
    enforcedBy: [...COMPONENTS, "policy"],
  },
  // --- pulumi-kubernetes ---------------------------------------------------------------------------------------------
  "pulumi-k8s.wait-for": {
    kind: "provider",
    summary:
      "pulumi.com/waitFor (from 4.18.0) holds the create until every JSONPath or condition expression holds, comparing the first JSONPath match only; filters with && and || parse from 4.24.0 (RFC 9535).",
    sources: [
      `${PK}/CHANGELOG.md`,
      `${PK}/provider/pkg/jsonpath/jsonpath.go`,
      `${PK}/provider/pkg/metadata/overrides.go`,
    ],
    enforcedBy: BOTH,
  },
  "pulumi-k8s.timeout": {
    kind: "provider",
    summary:
      "A wait that does not hold within pulumi.com/timeoutSeconds (default 10 minutes) fails the create with a partial error: the object stays, the deployment fails.",
    sources: [`${PK}/provider/pkg/metadata/overrides.go`, `${PK}/provider/pkg/await/await.go`],
    enforcedBy: EMULATOR,
  },
  "pulumi-k8s.live-outputs": {
    kind: "provider",
    summary:
      "A create's outputs are the live object read back from the API server: pruned fields are absent, schema defaults present, Secret stringData turned into data.",
    sources: [`${PK}/provider/pkg/provider/provider.go`, `${PK}/provider/pkg/await/await.go`],
    enforcedBy: BOTH,
  },
  "pulumi-k8s.replacement": {
    kind: "provider",
    summary:
      "A change of metadata.name or metadata.namespace replaces any object; ConfigMap data and Secret type or data replace unless the provider enables mutable ConfigMaps/Secrets; Service clusterIP replaces; custom resources update in place. A replaced object with a fixed, unchanged name and namespace is deleted before it is re-created; an auto-named one gets a new name first.",
    sources: [`${PK}/provider/pkg/provider/provider.go`, `${PK}/provider/pkg/provider/diff.go`],
    enforcedBy: EMULATOR,
  },
  "pulumi-k8s.autoname": {
    kind: "provider",
    summary:
      "An object without metadata.name is named <resource name>-<8 hex characters> and annotated pulumi.com/autonamed.",
    sources: [`${PK}/provider/pkg/metadata/naming.go`],
    enforcedBy: EMULATOR,
  },
  "pulumi-k8s.fixed-name-create": {
    kind: "provider",
    summary:
      "A create of an object whose name already exists fails with AlreadyExists (from 4.29.0 also under server-side apply, which took the object over before): two resources of one program cannot share a fixed name, and renaming a component needs aliases.",
    sources: [`${PK}/CHANGELOG.md`, `${PK}/provider/pkg/await/await.go`],
    enforcedBy: EMULATOR,
  },
} as const satisfies Record<string, RuleDefinition>;
