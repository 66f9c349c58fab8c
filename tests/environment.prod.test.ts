import { describeEnvironment } from "./support/environment";

describeEnvironment("prod", {
  project: "mtls-prod",
  region: "europe-west4",
  workloads: ["payment-processor", "research-agent", "fraud-model"],
  swpMode: "REJECT_INVALID",
  gatewayMode: "AllowValidOnly",
  curve: "P384",
  permissive: false,
  pki: "ca-service",
  counts: {
    "gcp-mtls:index:BackendTlsPolicy": 1,
    "gcp-mtls:index:CaServiceChain": 1,
    "gcp-mtls:index:GatewayFrontendMtls": 1,
    "gcp-mtls:index:SecureWebProxyMtls": 1,
    // the PKI's root and issuing CAs, and the proxy's TLS inspection CA
    "gcp:certificateauthority/authority:Authority": 3,
    "gcp:certificateauthority/caPool:CaPool": 3,
    // 3 workloads + the backend request their own certificates (each with its template); Certificate Manager's agent;
    // the proxy's agent
    "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember": 6,
    "gcp:certificateauthority/certificateTemplate:CertificateTemplate": 4,
    "gcp:certificateauthority/certificateTemplateIamMember:CertificateTemplateIamMember": 4,
    // the proxy's + one per edge hostname (2), all issued by the issuing pool
    "gcp:certificatemanager/certificate:Certificate": 3,
    // global (the edge's certificate map) and regional (the proxy)
    "gcp:certificatemanager/certificateIssuanceConfig:CertificateIssuanceConfig": 2,
    "gcp:certificatemanager/certificateMap:CertificateMap": 1,
    "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": 2,
    "gcp:certificatemanager/trustConfig:TrustConfig": 1,
    "gcp:compute/sSLPolicy:SSLPolicy": 1,
    "gcp:logging/metric:Metric": 1,
    "gcp:monitoring/alertPolicy:AlertPolicy": 1,
    "gcp:networksecurity/authzPolicy:AuthzPolicy": 3,
    "gcp:networksecurity/gatewaySecurityPolicy:GatewaySecurityPolicy": 1,
    "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy": 1,
    "gcp:networksecurity/tlsInspectionPolicy:TlsInspectionPolicy": 1,
    "gcp:networkservices/gateway:Gateway": 1,
    "gcp:projects/serviceIdentity:ServiceIdentity": 2,
    // the Gateway's and the BackendTLSPolicy's ca.crt (the root)
    "kubernetes:core/v1:ConfigMap": 2,
    "kubernetes:core/v1:Service": 1,
    "kubernetes:gateway.networking.k8s.io/v1:BackendTLSPolicy": 1,
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": 1,
    // the edge's route to the backend (GKE reports the BackendTLSPolicy on the Gateway only through it)
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": 1,
    "kubernetes:networking.gke.io/v1:GCPGatewayPolicy": 1,
  },
});
