import type { RuleDefinition } from "./types";

const MM = "https://github.com/GoogleCloudPlatform/magic-modules/blob/main/mmv1";
const mm = (path: string) => `${MM}/products/${path}`;
const BOTH = ["components", "emulator"] as const;

// A resource definition: the emulator applies it on create, the policy pack's gcp-api-constraints to raw resources.
const schema = (summary: string, sources: string[], caveat?: string): RuleDefinition => ({
  kind: "api",
  summary,
  sources,
  enforcedBy: ["emulator", "policy"],
  ...(caveat ? { caveat } : {}),
});

/**
 * Google Cloud resource definitions (required, immutable and enumerated fields, defaults, id formats) and the
 * cross-field rules the APIs enforce, from magic-modules (the source of the Terraform provider that `@pulumi/gcp`
 * bridges) and Google's documentation.
 */
export const GCP_RULES = {
  // --- resource definitions: the emulator validates every registration against them, the diff reads immutability ---
  "gcp.certificatemanager.trust-config": schema(
    "TrustConfig: `name` and `location` are required and immutable; trust stores and allowlisted certificates update in place.",
    [mm("certificatemanager/TrustConfig.yaml")],
  ),
  "gcp.certificatemanager.certificate": schema(
    "Certificate: `name` (1-64 characters) required, `location` (default global) and `scope` (default DEFAULT) immutable; self-managed PEMs update in place.",
    [mm("certificatemanager/Certificate.yaml")],
    "selfManaged became updatable in place in magic-modules #18257 (July 2026); older providers replace the certificate instead.",
  ),
  "gcp.certificatemanager.certificate-issuance-config": schema(
    "CertificateIssuanceConfig: immutable as a whole (every change replaces it); `caPool`, `keyAlgorithm` (RSA_2048 | ECDSA_P256), `lifetime` (1814400s-2592000s) and `rotationWindowPercentage` (1-99) required; a regional config issues from a CA pool of its own region. The pool's last enabled CA cannot be disabled (nor the pool deleted) while a config references it, so a rotation enables the next CA before it disables the current one.",
    [
      mm("certificatemanager/CertificateIssuanceConfig.yaml"),
      "https://cloud.google.com/certificate-manager/docs/issuance-configs",
      "https://cloud.google.com/certificate-manager/docs/deploy-google-managed-cas-regional",
    ],
  ),
  "gcp.certificatemanager.private-issuance": {
    kind: "api",
    summary:
      "A Google-managed certificate with `managed.issuanceConfig` is issued by the CA pool of that config (no DNS authorization; set one or the other): Certificate Manager's service agent needs roles/privateca.certificateRequester on the pool, the pool an enabled CA, and the pool's issuance policy must allow the domains. Global certificates serve global load balancers through a certificate map; regional ones serve regional load balancers.",
    sources: [
      mm("certificatemanager/Certificate.yaml"),
      "https://cloud.google.com/certificate-manager/docs/deploy-google-managed-cas",
      "https://cloud.google.com/certificate-manager/docs/deploy-google-managed-cas-regional",
    ],
    enforcedBy: ["emulator"],
    caveat:
      "Secure Web Proxy takes regional Certificate Manager certificates (certificate-manager/docs/overview); that a CA Service-issued one serves it is inferred from the regional pattern, not shown in a Secure Web Proxy guide.",
  },
  "gcp.certificatemanager.certificate.shape": {
    kind: "api",
    summary:
      "A Certificate is exactly one of selfManaged and managed, and its name matches [a-zA-Z][a-zA-Z0-9_-]{0,63}.",
    sources: [mm("certificatemanager/Certificate.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.certificatemanager.certificate-map": schema("CertificateMap: global only; `name` required and immutable.", [
    mm("certificatemanager/CertificateMap.yaml"),
  ]),
  "gcp.certificatemanager.certificate-map-entry": schema(
    "CertificateMapEntry: `name`, `map` required and immutable; `certificates` required and updatable; `hostname`/`matcher` immutable.",
    [mm("certificatemanager/CertificateMapEntry.yaml")],
  ),
  "gcp.certificatemanager.certificate-map-entry.shape": {
    kind: "api",
    summary: "A certificate map entry has exactly one of hostname and matcher, and up to fifteen certificates.",
    sources: [mm("certificatemanager/CertificateMapEntry.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.certificatemanager.dns-authorization": schema(
    "DnsAuthorization: `name`, `domain` required and immutable; type FIXED_RECORD (global) or PER_PROJECT_RECORD.",
    [mm("certificatemanager/DnsAuthorization.yaml")],
  ),
  "gcp.networksecurity.server-tls-policy": schema(
    "ServerTlsPolicy: `name` immutable; `mtlsPolicy.clientValidationMode` and `clientValidationTrustConfig` immutable (a change replaces the policy); `location` is not immutable.",
    [mm("networksecurity/ServerTlsPolicy.yaml")],
  ),
  "gcp.networksecurity.gateway-security-policy": schema(
    "GatewaySecurityPolicy: `name` and `location` immutable; `tlsInspectionPolicy` updatable and never read back.",
    [mm("networksecurity/GatewaySecurityPolicy.yaml")],
  ),
  "gcp.networksecurity.tls-inspection-policy": schema(
    "TlsInspectionPolicy: `caPool` required; `location` has no default; customTlsFeatures only with PROFILE_CUSTOM; Secure Web Proxy ignores minTlsVersion and the profile.",
    [mm("networksecurity/TlsInspectionPolicy.yaml")],
  ),
  "gcp.networksecurity.authz-policy": schema(
    "AuthzPolicy: `name`, `location`, `target` and `action` required; `policyProfile` immutable (default REQUEST_AUTHZ); `location` is not immutable.",
    [mm("networksecurity/AuthzPolicy.yaml")],
  ),
  "gcp.networksecurity.authz-policy.http-rules": {
    kind: "api",
    summary:
      "An ALLOW or DENY AuthzPolicy has 1 to 5 httpRules, each with at most 1 source of at most 5 principals and 1 operation of at most 10 hosts and 10 paths; methods are GET, PUT, POST, HEAD, PATCH, DELETE, OPTIONS.",
    sources: [mm("networksecurity/AuthzPolicy.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.networksecurity.authz-policy.exact-principals": {
    kind: "api",
    summary:
      "Principals with a CLIENT_CERT_URI_SAN, CLIENT_CERT_DNS_NAME_SAN or CLIENT_CERT_COMMON_NAME selector match exactly.",
    sources: [mm("networksecurity/AuthzPolicy.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.networksecurity.authz-policy.swp-target": {
    kind: "api",
    summary: "An AuthzPolicy that targets a Secure Web Proxy gateway sets target.loadBalancingScheme.",
    sources: [mm("networksecurity/AuthzPolicy.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.networksecurity.authz-policy.deny-only": {
    kind: "security",
    summary:
      "With no ALLOW policy on a resource, every request that no DENY policy matches is allowed: deny rules alone allow everything else.",
    sources: [mm("networksecurity/AuthzPolicy.yaml")],
    enforcedBy: ["components", "policy"],
  },
  "gcp.networksecurity.authz-policy.paths-include-query": {
    kind: "api",
    summary: "An AuthzPolicy path match includes the query string: an exact `/v1/pay` does not match `/v1/pay?x=1`.",
    sources: [mm("networksecurity/AuthzPolicy.yaml")],
    enforcedBy: ["emulator"],
  },
  "gcp.networkservices.gateway": schema(
    "Gateway: `name`, `location`, `type`, `addresses`, `scope`, `network`, `subnetwork`, `allPorts` immutable; ports, certificates, policies and routing mode update in place.",
    [mm("networkservices/Gateway.yaml")],
  ),
  "gcp.networkservices.gateway.secure-web-gateway": {
    kind: "api",
    summary:
      "A SECURE_WEB_GATEWAY needs a routingMode; it takes zero or one address; its scope starts with a letter and has at most 64 letters, digits and hyphens.",
    sources: [mm("networkservices/Gateway.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.networkservices.gateway.network-format": {
    kind: "provider",
    summary:
      "deleteSwgAutogenRouterOnDestroy builds the Compute URL from `network` verbatim and compares it by string: pass `projects/<p>/global/networks/<n>`.",
    sources: [`${MM}/templates/terraform/constants/network_services_gateway.go.tmpl`],
    enforcedBy: ["components"],
  },
  "gcp.privateca.ca-pool": schema(
    "CaPool: `name`, `location`, `tier` (ENTERPRISE or DEVOPS) required and immutable; publishingOptions.publishCaCert and publishCrl required.",
    [mm("privateca/CaPool.yaml")],
  ),
  "gcp.privateca.authority": schema(
    "CertificateAuthority: id, pool, location, type, config, lifetime and keySpec immutable; deletionProtection defaults to true.",
    [mm("privateca/CertificateAuthority.yaml")],
  ),
  "gcp.iam.workload-identity-pool": {
    kind: "api",
    summary:
      "A workload identity pool in TRUST_DOMAIN mode issues managed workload identities (spiffe://<pool>.global.<project number>.workload.id.goog/ns/<namespace>/sa/<identity>) from the CA pool its inlineCertificateIssuanceConfig names for the workload's region (the key must be the pool's region); certificate lifetime 86400s-2592000s, rotation window 50-80 %; mode is immutable. The identities need roles/privateca.workloadCertificateRequester and roles/privateca.poolReader on the CA pool, granted with IAM's /name/ form: principalSet://iam.googleapis.com/projects/<number>/name/locations/global/workloadIdentityPools/<pool>/* (GKE: principal://iam.googleapis.com/projects/<number>/name/locations/global/workloadIdentityPools/<project id>.svc.id.goog, the fleet's pool, whose trust domain is <project id>.svc.id.goog); they request with REFLECTED_SPIFFE (the SAN is the caller's identity).",
    sources: [
      mm("iambeta/WorkloadIdentityPool.yaml"),
      "https://cloud.google.com/iam/docs/create-managed-workload-identities",
      "https://cloud.google.com/iam/docs/managed-workload-identity",
      "https://cloud.google.com/kubernetes-engine/docs/how-to/managed-workload-identity",
      "https://cloud.google.com/certificate-authority-service/docs/using-identity-reflection",
    ],
    enforcedBy: ["components", "emulator", "policy"],
  },
  "gcp.privateca.issuance-policy": {
    kind: "api",
    summary:
      "A CA pool's issuancePolicy.identityConstraints.celExpression is evaluated on each request's resolved subject and subject_alt_names (each with a type DNS, URI, EMAIL or IP and a value) before signing, and a request it rejects is refused; baselineValues overwrite the request's conflicting X.509 values; maximumLifetime caps issued certificates.",
    sources: [
      mm("privateca/CaPool.yaml"),
      "https://cloud.google.com/certificate-authority-service/docs/cel-guide",
      "https://cloud.google.com/certificate-authority-service/docs/policy-controls",
    ],
    enforcedBy: ["components", "emulator"],
  },
  "gcp.privateca.certificate-tier": {
    kind: "api",
    summary:
      "The certificateauthority.Certificate resource needs an ENTERPRISE-tier CA; a DevOps pool stores no certificates, so they cannot be listed or revoked.",
    sources: [mm("privateca/Certificate.yaml"), "https://cloud.google.com/certificate-authority-service/docs/tiers"],
    enforcedBy: ["components", "emulator"],
  },
  "gcp.privateca.authority.lifecycle": {
    kind: "provider",
    summary:
      "A SUBORDINATE CA with subordinateConfig is signed by its first-party issuer and activated by the provider after create, then enabled unless desiredState says otherwise; a destroy fails while deletionProtection is true, and an ENABLED CA is disabled before it is deleted (with a 30-day grace period unless skipGracePeriod).",
    sources: [
      `${MM}/templates/terraform/post_create/privateca_certificate_authority.go.tmpl`,
      `${MM}/templates/terraform/pre_delete/privateca_authority_disable.go.tmpl`,
      mm("privateca/CertificateAuthority.yaml"),
    ],
    enforcedBy: ["emulator"],
  },
  "gcp.privateca.authority.desired-state": {
    kind: "api",
    summary: "A CertificateAuthority is created STAGED or ENABLED (DISABLED only afterwards); STAGED only at creation.",
    sources: [`${MM}/templates/terraform/constants/privateca_certificate_authority.go.tmpl`],
    enforcedBy: [...BOTH, "policy"],
    caveat:
      "Judged when the emulator creates the CA; on an update (setupMocks `deployed`, plan --diff) DISABLED is accepted, and a return to STAGED is not judged.",
  },
  "gcp.privateca.ca-pool-iam-member": schema("CaPoolIamMember: every input forces a new binding.", [
    mm("privateca/CaPool.yaml"),
  ]),
  "gcp.privateca.certificate-template": schema(
    "CertificateTemplate: `name` and `location` required and immutable; `identityConstraints` needs both passthrough flags; the rest updates in place (PATCH with update_mask). Using a template needs roles/privateca.templateUser on it.",
    [mm("privateca/CertificateTemplate.yaml")],
  ),
  "gcp.privateca.certificate-template-iam-member": schema(
    "CertificateTemplateIamMember: every input forces a new binding.",
    [mm("privateca/CertificateTemplate.yaml")],
  ),
  "gcp.privateca.requester-confinement": {
    kind: "api",
    summary:
      "roles/privateca.certificateRequester lets a principal request any identity the pool's issuance policy allows. A requester is confined to its own SANs by a certificate template whose identity constraint admits only them, roles/privateca.templateUser on that template, and an IAM condition on the pool grant that the request names it: api.getAttribute('privateca.googleapis.com/template', '') == '<project id>/-/<template id>' (the request must name the template with the same project form).",
    sources: [
      "https://cloud.google.com/certificate-authority-service/docs/tutorials/manage-policy-controls",
      "https://cloud.google.com/certificate-authority-service/docs/using-cel",
      "https://cloud.google.com/certificate-authority-service/docs/access-control",
    ],
    enforcedBy: ["components", "emulator", "policy"],
    caveat:
      "The emulator judges conditions of this template form only; any other condition fails closed (the binding is not applied). The pack exempts Google service agents (service-<number>@gcp-sa-…).",
  },
  "gcp.projects.service-identity": schema("ServiceIdentity: `service` and `project` force a new identity.", [
    `${MM}/third_party/terraform/services/resourcemanager/resource_project_service_identity.go.tmpl`,
  ]),
  "gcp.compute.ssl-policy": schema(
    "SslPolicy: `name` and `description` immutable; profile defaults to COMPATIBLE and minTlsVersion to TLS_1_0.",
    [mm("compute/SslPolicy.yaml")],
  ),
  "gcp.compute.region-ssl-policy": schema(
    "RegionSslPolicy: `name`, `region` and `description` immutable; the same profile and version rules as SslPolicy.",
    [mm("compute/RegionSslPolicy.yaml")],
  ),
  "gcp.compute.ssl-policy.tls13-restricted": {
    kind: "api",
    summary: "An SSL policy with minTlsVersion TLS_1_3 has profile RESTRICTED.",
    sources: [mm("compute/SslPolicy.yaml"), mm("compute/RegionSslPolicy.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.compute.ssl-policy.custom-features": {
    kind: "api",
    summary: "customFeatures is set exactly when the SSL policy's profile is CUSTOM.",
    sources: [mm("compute/SslPolicy.yaml"), `${MM}/templates/terraform/constants/ssl_policy.tmpl`],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.compute.ssl-policy.fips-tls12": {
    kind: "api",
    summary: "An SSL policy with profile FIPS_202205 has minTlsVersion TLS_1_2.",
    sources: [mm("compute/SslPolicy.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.compute.ssl-certificate": schema(
    "SslCertificate: immutable as a whole; `certificate` and `privateKey` required.",
    [mm("compute/SslCertificate.yaml")],
  ),
  "gcp.compute.subnetwork": schema(
    "Subnetwork: `name`, `network` required; `network` and `region` immutable; `purpose` one of PRIVATE, REGIONAL_MANAGED_PROXY, GLOBAL_MANAGED_PROXY, PRIVATE_SERVICE_CONNECT, PEER_MIGRATION, PRIVATE_NAT; `role` ACTIVE or BACKUP (REGIONAL_MANAGED_PROXY only).",
    [mm("compute/Subnetwork.yaml")],
  ),
  "gcp.compute.proxy-only-subnet": {
    kind: "api",
    summary:
      "Regional and cross-region Envoy-based load balancers (the regional and internal GKE Gateway classes) and Secure Web Proxy need a proxy-only subnet in their region: purpose REGIONAL_MANAGED_PROXY (GLOBAL_MANAGED_PROXY for cross-region), role ACTIVE, at least 64 addresses (a /26 or shorter prefix), one active per VPC network and region, created before the load balancer.",
    sources: [
      "https://cloud.google.com/load-balancing/docs/proxy-only-subnets",
      mm("compute/Subnetwork.yaml"),
      "https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway",
    ],
    enforcedBy: ["components"],
  },
  "gcp.compute.region-ssl-certificate": schema(
    "RegionSslCertificate: immutable as a whole; `certificate` and `privateKey` required.",
    [mm("compute/RegionSslCertificate.yaml")],
  ),
  "gcp.compute.ssl-certificate.chain-length": {
    kind: "api",
    summary: "A Compute SSL certificate's chain is at most 5 certificates.",
    sources: [mm("compute/SslCertificate.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.compute.target-proxy-certificates": {
    kind: "api",
    summary: "A load balancer's target proxy references 1 to 15 Compute Engine SSL certificates.",
    sources: ["https://cloud.google.com/load-balancing/docs/ssl-certificates"],
    enforcedBy: ["components"],
  },
  "gcp.compute.managed-ssl-certificate": schema(
    "ManagedSslCertificate: global only (no regional resource); immutable; managed.domains required.",
    [mm("compute/ManagedSslCertificate.yaml"), "https://cloud.google.com/load-balancing/docs/ssl-certificates"],
  ),
  "gcp.compute.security-policy": schema(
    "SecurityPolicy (global): `name` and `type` force replacement; a default rule at priority 2147483647 always exists.",
    [`${MM}/third_party/terraform/services/compute/resource_compute_security_policy.go.tmpl`],
  ),
  "gcp.compute.region-security-policy": schema(
    "RegionSecurityPolicy: `name`, `region`, `type` immutable; rules default from the API.",
    [mm("compute/RegionSecurityPolicy.yaml")],
  ),
  "gcp.compute.security-policy.rules": {
    kind: "api",
    summary:
      "Security policy rules have unique priorities 0-2147483647, descriptions of at most 64 characters, and actions allow, deny(403|404|502), rate_based_ban, redirect or throttle.",
    sources: [mm("compute/RegionSecurityPolicy.yaml"), "https://cloud.google.com/armor/docs/best-practices"],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.armor.supported-load-balancers": {
    kind: "api",
    summary:
      "Cloud Armor backend security policies attach to external Application Load Balancers and the regional internal Application Load Balancer, not to the cross-region internal one.",
    sources: ["https://cloud.google.com/armor/docs/security-policy-overview"],
    enforcedBy: ["components"],
  },
  "gcp.logging.metric": schema(
    "Logging Metric: `name` and `filter` required; metricDescriptor.metricKind and valueType required; label keys immutable.",
    [mm("logging/Metric.yaml")],
  ),
  "gcp.logging.metric.label-extractors": {
    kind: "api",
    summary: "Each label key of a logs-based metric has an extractor expression in labelExtractors.",
    sources: [mm("logging/Metric.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.monitoring.alert-policy": schema(
    "AlertPolicy: displayName, combiner and conditions required; a threshold condition needs a duration and a comparison.",
    [mm("monitoring/AlertPolicy.yaml")],
  ),
  "gcp.logging.mtls-request-logs": {
    kind: "api",
    summary:
      "Application Load Balancer request logs (LoadBalancerLogEntry, which Secure Web Proxy writes too) record a connection closed by mTLS validation with statusDetails client_cert_* (client_cert_not_provided, client_cert_validation_failed, client_cert_chain_invalid_eku and 8 more, status 0), and requests with jsonPayload.mtls.* (clientCertPresent, clientCertChainVerified, clientCertError, …); global external and classic load balancers log as http_load_balancer, regional external as http_external_regional_lb_rule, regional internal as internal_http_lb_rule, each labelled url_map_name; Secure Web Proxy as networkservices.googleapis.com/Gateway, labelled gateway_name and location. GKE Gateway backends log nothing unless a GCPBackendPolicy enables logging (default false).",
    sources: [
      "https://cloud.google.com/load-balancing/docs/https/https-logging-monitoring#log-fields",
      "https://cloud.google.com/load-balancing/docs/https/https-reg-logging-monitoring",
      "https://cloud.google.com/load-balancing/docs/l7-internal/monitoring",
      "https://cloud.google.com/monitoring/api/resources",
      "https://cloud.google.com/secure-web-proxy/docs/monitor-logs",
      "https://cloud.google.com/chronicle/docs/ingestion/default-parsers/gcp-swp",
      "https://github.com/open-telemetry/opentelemetry-collector-contrib/blob/main/extension/encoding/googlecloudlogentryencodingextension/internal/apploadbalancerlog/parser.go",
      "https://github.com/GoogleCloudPlatform/gke-gateway-api/blob/main/apis/networking/v1/gcpbackendpolicy_types.go",
    ],
    enforcedBy: ["components"],
    caveat:
      "The mtls.* field names come from the OpenTelemetry parser of these logs (which follows Google's log-fields tables) and from users' Secure Web Proxy logs, not from a Google page we could read in full. That a permissive edge logs admitted requests with clientCertChainVerified false, and that Secure Web Proxy puts a refusal's reason in mtls.clientCertError rather than statusDetails, rest on those logs. Whether a connection refused before routing is logged while backend logging is off is not stated.",
  },
  "gcp.monitoring.alert-policy.filter-resource-type": {
    kind: "api",
    summary:
      "A threshold condition's filter on a metric type also restricts resource.type, or the Monitoring API refuses it.",
    sources: [
      mm("monitoring/AlertPolicy.yaml"),
      "https://github.com/hashicorp/terraform-provider-google/issues/4165",
      "https://github.com/googleapis/nodejs-monitoring/issues/46",
    ],
    enforcedBy: [...BOTH, "policy"],
    caveat:
      "magic-modules calls the resource.type restriction optional; the API refuses its absence for a metric written against several monitored resource types, as a user-defined logs-based metric is (the error text is known from issue reports). Which monitored resource a logs-based metric on Secure Web Proxy logs is written against is not confirmed by a Google page (networkservices.googleapis.com/Gateway is the log's resource type).",
  },
  "gcp.monitoring.alert-policy.durations": {
    kind: "api",
    summary:
      "A threshold condition's duration is a multiple of a minute, alignment periods are at least 60 s, and a cross-series reducer needs a per-series aligner.",
    sources: [mm("monitoring/AlertPolicy.yaml")],
    enforcedBy: [...BOTH, "policy"],
  },
  "gcp.swp.location-alignment": {
    kind: "api",
    summary:
      "Secure Web Proxy's TrustConfig, ServerTlsPolicy, gateway security policy, TLS inspection policy, CA pool, certificate and subnetwork are in the proxy's region.",
    sources: [
      "https://cloud.google.com/secure-web-proxy/docs/use-frontend-mtls-with-swp",
      "https://cloud.google.com/secure-web-proxy/docs/enable-tls-inspection",
      mm("networksecurity/TlsInspectionPolicy.yaml"),
    ],
    enforcedBy: ["components", "policy"],
  },
  "gcp.swp.explicit-routing": {
    kind: "api",
    summary: "Secure Web Proxy supports frontend mTLS only in explicit proxy routing mode.",
    sources: ["https://cloud.google.com/secure-web-proxy/docs/use-frontend-mtls-with-swp"],
    enforcedBy: ["components", "policy"],
  },
  "gcp.swp.frontend-mtls": {
    kind: "security",
    summary:
      "A Secure Web Proxy meant to decide on workload identities has a ServerTlsPolicy with an mtlsPolicy: without one it terminates TLS without asking for client certificates, and no authorization policy can match a CLIENT_CERT_* principal.",
    sources: [
      "https://cloud.google.com/secure-web-proxy/docs/use-frontend-mtls-with-swp",
      mm("networkservices/Gateway.yaml"),
    ],
    enforcedBy: ["components", "policy"],
  },
  "gcp.compute.ssl-policy.min-tls": {
    kind: "security",
    summary:
      "A load balancer SSL policy's minTlsVersion is TLS_1_2 or TLS_1_3: the Compute API's default is TLS_1_0, and TLS 1.0 and 1.1 are deprecated.",
    sources: [
      "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts",
      mm("compute/SslPolicy.yaml"),
      "https://datatracker.ietf.org/doc/html/rfc8996",
    ],
    enforcedBy: ["components", "policy"],
  },
  "gcp.mtls.permissive-mode": {
    kind: "security",
    summary:
      "ALLOW_INVALID_OR_MISSING_CLIENT_CERT (Secure Web Proxy, load balancers, the GKE allow-invalid-or-missing-client-cert annotation, Gateway API AllowInsecureFallback) admits connections whose client certificate is missing or invalid; only REJECT_INVALID / AllowValidOnly enforce identities. This library warns on it and the policy pack refuses it unless a stack allows it.",
    sources: [
      "https://cloud.google.com/secure-web-proxy/docs/use-frontend-mtls-with-swp",
      "https://cloud.google.com/load-balancing/docs/mtls",
      "https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/gateway_types.go",
    ],
    enforcedBy: ["components", "policy"],
  },
  "gcp.swp.adopt": {
    kind: "api",
    summary:
      "An existing Secure Web Proxy gains frontend mTLS by an update of its gateway (serverTlsPolicy, certificateUrls and gatewaySecurityPolicy are updatable, PATCH with an update mask); it is imported by `projects/{project}/locations/{location}/gateways/{name}`, and its name, network, subnetwork, addresses, scope, type and allowGlobalAccess are immutable, so a program that states them otherwise replaces the proxy.",
    sources: [
      mm("networkservices/Gateway.yaml"),
      "https://cloud.google.com/secure-web-proxy/docs/use-frontend-mtls-with-swp",
    ],
    enforcedBy: BOTH,
  },
  "gcp.swp.authz-needs-tls-inspection": {
    kind: "api",
    summary:
      "Secure Web Proxy authorization policies need a TLS inspection policy on the gateway security policy; gateway security policy rules are not used with frontend mTLS.",
    sources: [
      "https://cloud.google.com/secure-web-proxy/docs/setup-authz-policies",
      "https://cloud.google.com/secure-web-proxy/docs/policies-and-rules-overview",
    ],
    enforcedBy: ["components"],
    caveat:
      "A documentation requirement: magic-modules' SWP AuthzPolicy sample (networkRules) runs without TLS inspection.",
  },
} as const satisfies Record<string, RuleDefinition>;
