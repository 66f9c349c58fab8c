import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
// The components' own renderers and planners, from their source: they are internals, not the package's contract.
import {
  BACKEND_TLS_POLICY_TYPE,
  backendTlsWaitFor,
  renderBackendTlsPolicy,
  withHttpsAppProtocol,
} from "../../packages/components/src/backend-tls-policy";
import { CERTIFICATE_CHAIN_TYPE } from "../../packages/components/src/certificate-chain";
import {
  GATEWAY_FRONTEND_MTLS_TYPE,
  renderGateway,
  renderRoute,
} from "../../packages/components/src/gateway-frontend-mtls";
import { SECURE_WEB_PROXY_MTLS_TYPE, planAuthzPolicies } from "../../packages/components/src/secure-web-proxy-mtls";
import type { EnvironmentConfig } from "../../packages/environment/src/config";
import { hostKey } from "../../packages/environment/src/environment";

/** An empty component registration: a type token, a name, children, `registerOutputs({})`. */
class Shell extends pulumi.ComponentResource {
  constructor(type: string, name: string) {
    super(type, name, {});
  }
  done(): void {
    this.registerOutputs({});
  }
}

export interface HandWiredOptions {
  /**
   * Parent the resources under empty component registrations with the components' type tokens and names (no
   * validation, no Outputs of their own, `registerOutputs({})`): measures what registering the four components costs
   * by itself, apart from the components' own code. @default false
   */
  readonly componentShells?: boolean;
}

/**
 * The same environment as `deployEnvironment`, written by hand: raw @pulumi/tls, @pulumi/gcp and @pulumi/kubernetes
 * resources with the same names and inputs, no component. It reuses only pure functions (the AuthzPolicy split and
 * the manifest renderers) — what a careful user would have to write themselves to get identical resources.
 */
export function deployHandWired(config: EnvironmentConfig, prefix = "", options: HandWiredOptions = {}): void {
  const shells = options.componentShells
    ? {
        pki: new Shell(CERTIFICATE_CHAIN_TYPE, `${prefix}pki`),
        egress: new Shell(SECURE_WEB_PROXY_MTLS_TYPE, `${prefix}egress`),
        edge: new Shell(GATEWAY_FRONTEND_MTLS_TYPE, `${prefix}edge`),
        backend: new Shell(BACKEND_TLS_POLICY_TYPE, `${prefix}backend`),
      }
    : undefined;
  const under = (section: "pki" | "egress" | "edge" | "backend"): pulumi.CustomResourceOptions =>
    shells ? { parent: shells[section] } : {};
  const spiffe = (path: string) => `spiffe://${config.trustDomain}/${path}`;
  const backendIdentity = spiffe(`ns/${config.namespace}/sa/${config.backend.service}`);
  const backendHost = `${config.backend.service}.${config.namespace}.svc`;
  const project = config.project;
  const location = config.region;
  const caUses = ["cert_signing", "crl_signing", "client_auth", "server_auth"];
  const edgeKey = (host: string) => `edge-${hostKey(host)}`;
  const subject = (s: { commonName?: string; organization?: string }) => ({
    commonName: s.commonName,
    organization: s.organization,
    organizationalUnit: undefined,
    country: undefined,
    province: undefined,
    locality: undefined,
    postalCode: undefined,
    streetAddresses: undefined,
    serialNumber: undefined,
  });

  // --- PKI ---------------------------------------------------------------------------------------------------
  const p = `${prefix}pki`;
  const rootKey = new tls.PrivateKey(`${p}-root-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, under("pki"));
  const root = new tls.SelfSignedCert(
    `${p}-root`,
    {
      privateKeyPem: rootKey.privateKeyPem,
      subject: subject({ commonName: `${config.trustDomain} root CA`, organization: config.project }),
      isCaCertificate: true,
      maxPathLength: 1,
      allowedUses: caUses,
      validityPeriodHours: 87600,
      earlyRenewalHours: 0,
    },
    under("pki"),
  );
  const intKey = new tls.PrivateKey(
    `${p}-intermediate-issuing-key`,
    { algorithm: "ECDSA", ecdsaCurve: "P256" },
    under("pki"),
  );
  const intCsr = new tls.CertRequest(
    `${p}-intermediate-issuing-csr`,
    {
      privateKeyPem: intKey.privateKeyPem,
      subject: subject({ commonName: `${config.trustDomain} issuing CA`, organization: config.project }),
    },
    under("pki"),
  );
  const int = new tls.LocallySignedCert(
    `${p}-intermediate-issuing`,
    {
      certRequestPem: intCsr.certRequestPem,
      caCertPem: root.certPem,
      caPrivateKeyPem: pulumi.secret(rootKey.privateKeyPem),
      isCaCertificate: true,
      maxPathLength: 0,
      allowedUses: caUses,
      validityPeriodHours: 43800,
      earlyRenewalHours: 0,
    },
    under("pki"),
  );
  const leaf = (key: string, usages: string[], cn: string, dnsNames: string[], uris: string[]) => {
    const k = new tls.PrivateKey(`${p}-leaf-${key}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, under("pki"));
    const csr = new tls.CertRequest(
      `${p}-leaf-${key}-csr`,
      {
        privateKeyPem: k.privateKeyPem,
        subject: subject({ commonName: cn }),
        dnsNames,
        uris,
        ipAddresses: [],
      },
      under("pki"),
    );
    const cert = new tls.LocallySignedCert(
      `${p}-leaf-${key}`,
      {
        certRequestPem: csr.certRequestPem,
        caCertPem: int.certPem,
        caPrivateKeyPem: pulumi.secret(intKey.privateKeyPem),
        isCaCertificate: false,
        allowedUses: [
          "digital_signature",
          ...(usages.includes("client") ? ["client_auth"] : []),
          ...(usages.includes("server") ? ["server_auth"] : []),
        ],
        validityPeriodHours: config.leafValidityHours,
        earlyRenewalHours: Math.floor(config.leafValidityHours / 3),
      },
      under("pki"),
    );
    return {
      chainPem: pulumi.all([cert.certPem, int.certPem]).apply(([a, b]) => a + b),
      privateKeyPem: pulumi.secret(k.privateKeyPem),
    };
  };
  for (const [name, w] of Object.entries(config.workloads)) leaf(name, ["client"], name, [], [spiffe(w.path)]);
  const proxyLeaf = leaf("proxy", ["server"], "proxy", [`swp.${config.region}.${config.trustDomain}`], []);
  const edgeLeaves = Object.fromEntries(
    config.edgeHostnames.map((h) => [h, leaf(edgeKey(h), ["server"], edgeKey(h), [h], [])]),
  );
  leaf(config.backend.service, ["server"], config.backend.service, [backendHost], [backendIdentity]);
  const trustStore = pulumi
    .all([root.certPem, int.certPem])
    .apply(([r, i]) => ({ trustAnchors: [{ pemCertificate: r }], intermediateCas: [{ pemCertificate: i }] }));

  // --- Secure Web Proxy ----------------------------------------------------------------------------------------
  const e = `${prefix}egress`;
  const trustConfig = new gcp.certificatemanager.TrustConfig(
    `${e}-trust-config`,
    {
      project,
      location,
      description: `Client certificate trust for Secure Web Proxy ${e}`,
      trustStores: [trustStore],
    },
    under("egress"),
  );
  const projectNumber = gcp.organizations.getProjectOutput({ projectId: project }, under("egress")).number;
  const serverTlsPolicy = new gcp.networksecurity.ServerTlsPolicy(
    `${e}-server-tls-policy`,
    {
      project,
      location,
      description: `Frontend mTLS (${config.swpValidationMode}) for Secure Web Proxy ${e}`,
      mtlsPolicy: {
        clientValidationMode: config.swpValidationMode,
        clientValidationTrustConfig: pulumi.interpolate`projects/${projectNumber}/locations/${location}/trustConfigs/${trustConfig.name}`,
      },
    },
    { ...under("egress"), replaceOnChanges: ["location"] },
  );
  const serverCert = new gcp.certificatemanager.Certificate(
    `${e}-server-cert`,
    {
      project,
      location,
      scope: "DEFAULT",
      description: `Server certificate of Secure Web Proxy ${e}`,
      selfManaged: { pemCertificate: proxyLeaf.chainPem, pemPrivateKey: proxyLeaf.privateKeyPem },
    },
    under("egress"),
  );
  const pool = new gcp.certificateauthority.CaPool(
    `${e}-tls-ca-pool`,
    {
      project,
      location,
      tier: "DEVOPS",
      publishingOptions: { publishCaCert: false, publishCrl: false },
    },
    under("egress"),
  );
  const authority = new gcp.certificateauthority.Authority(
    `${e}-tls-ca`,
    {
      project,
      location,
      pool: pool.name,
      certificateAuthorityId: `tls-inspection-${createHash("sha256")
        .update(JSON.stringify([e, location, `${10 * 365 * 24 * 3600}s`, "EC_P256_SHA256"]))
        .digest("hex")
        .slice(0, 8)}`,
      type: "SELF_SIGNED",
      lifetime: `${10 * 365 * 24 * 3600}s`,
      keySpec: { algorithm: "EC_P256_SHA256" },
      config: {
        subjectConfig: { subject: { commonName: `${e} TLS inspection CA`, organization: "gcp-mtls" } },
        x509Config: {
          caOptions: { isCa: true },
          keyUsage: { baseKeyUsage: { certSign: true, crlSign: true }, extendedKeyUsage: {} },
        },
      },
      deletionProtection: false,
      skipGracePeriod: true,
      ignoreActiveCertificatesOnDeletion: true,
    },
    under("egress"),
  );
  const agent = new gcp.projects.ServiceIdentity(
    `${e}-network-security-agent`,
    {
      project,
      service: "networksecurity.googleapis.com",
    },
    under("egress"),
  );
  const grant = new gcp.certificateauthority.CaPoolIamMember(
    `${e}-tls-ca-pool-agent`,
    {
      caPool: pool.id,
      role: "roles/privateca.certificateManager",
      member: agent.member,
    },
    under("egress"),
  );
  const inspection = new gcp.networksecurity.TlsInspectionPolicy(
    `${e}-tls-inspection`,
    {
      project,
      location,
      caPool: pulumi.all([grant.caPool, authority.id]).apply(([poolId]) => poolId),
      excludePublicCaSet: false,
      description: `TLS inspection for ${e}`,
    },
    { ...under("egress"), replaceOnChanges: ["location"] },
  );
  const securityPolicy = new gcp.networksecurity.GatewaySecurityPolicy(
    `${e}-policy`,
    {
      project,
      location,
      description: `Secure Web Proxy ${e}: identity rules are AuthzPolicies`,
      tlsInspectionPolicy: inspection.id,
    },
    under("egress"),
  );
  const proxy = new gcp.networkservices.Gateway(
    `${e}-gateway`,
    {
      project,
      location,
      type: "SECURE_WEB_GATEWAY",
      routingMode: "EXPLICIT_ROUTING_MODE",
      network: config.network,
      subnetwork: config.subnetwork,
      ports: [443],
      certificateUrls: [serverCert.id],
      gatewaySecurityPolicy: securityPolicy.id,
      serverTlsPolicy: serverTlsPolicy.id,
      deleteSwgAutogenRouterOnDestroy: true,
    },
    { ...under("egress"), deleteBeforeReplace: false },
  );
  const rules = Object.fromEntries(
    Object.entries(config.workloads).map(([name, w]) => [name, { identity: spiffe(w.path), hosts: w.hosts }]),
  );
  for (const planned of planAuthzPolicies("ALLOW", rules)) {
    new gcp.networksecurity.AuthzPolicy(
      `${e}-${planned.role}`,
      {
        project,
        location,
        description: `${planned.action} ${planned.identity} (${planned.principalSelector})`,
        action: planned.action,
        policyProfile: "REQUEST_AUTHZ",
        target: { loadBalancingScheme: "INTERNAL_MANAGED", resources: [proxy.id] },
        httpRules: planned.httpRules,
      },
      { ...under("egress"), replaceOnChanges: ["location"] },
    );
  }
  const field = "jsonPayload.mtls.clientCertError";
  const metric = new gcp.logging.Metric(
    `${e}-rejected-client-certs`,
    {
      project,
      description: `Client certificates rejected by Secure Web Proxy ${e}, by reason`,
      filter: pulumi.interpolate`resource.type="networkservices.googleapis.com/Gateway" AND resource.labels.gateway_name="${proxy.name}" AND resource.labels.location="${location}" AND ${field}=~"^client_cert_" AND ${field}!="client_cert_validation_not_performed"`,
      metricDescriptor: {
        metricKind: "DELTA",
        valueType: "INT64",
        unit: "1",
        displayName: `${e}: rejected client certificates`,
        labels: [{ key: "reason", valueType: "STRING", description: "client_cert_* reason from the proxy log" }],
      },
      labelExtractors: { reason: `EXTRACT(${field})` },
    },
    under("egress"),
  );
  new gcp.monitoring.AlertPolicy(
    `${e}-rejected-client-certs-alert`,
    {
      project,
      displayName: `${e}: rejected client certificates`,
      combiner: "OR",
      severity: "WARNING",
      notificationChannels: [],
      conditions: [
        {
          displayName: `More than ${config.alertThreshold} rejected client certificates in 5 minutes`,
          conditionThreshold: {
            filter: pulumi.interpolate`resource.type="networkservices.googleapis.com/Gateway" AND metric.type="logging.googleapis.com/user/${metric.name}"`,
            comparison: "COMPARISON_GT",
            thresholdValue: config.alertThreshold,
            duration: "0s",
            aggregations: [
              { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" },
            ],
            trigger: { count: 1 },
          },
        },
      ],
      documentation: {
        mimeType: "text/markdown",
        content:
          `Secure Web Proxy \`${e}\` (${location}) is rejecting client certificates. The \`reason\` label says why: ` +
          "`client_cert_not_provided` (a workload without its certificate), `client_cert_validation_failed` (expired, " +
          "or from a CA the trust config does not hold — a rotation gone wrong, or an impostor), " +
          "`client_cert_chain_invalid_eku` (a certificate without clientAuth).",
      },
    },
    under("egress"),
  );

  // --- GKE edge ----------------------------------------------------------------------------------------------
  const g = `${prefix}edge`;
  const certs = Object.fromEntries(
    config.edgeHostnames.map((h) => [
      h,
      new gcp.certificatemanager.Certificate(
        `${g}-cert-${hostKey(h)}`,
        {
          project,
          location: "global",
          scope: "DEFAULT",
          selfManaged: { pemCertificate: edgeLeaves[h]!.chainPem, pemPrivateKey: edgeLeaves[h]!.privateKeyPem },
        },
        under("edge"),
      ),
    ]),
  );
  const map = new gcp.certificatemanager.CertificateMap(
    `${g}-cert-map`,
    {
      project,
      description: "Certificates of Gateway edge",
    },
    under("edge"),
  );
  for (const h of [...config.edgeHostnames].sort()) {
    new gcp.certificatemanager.CertificateMapEntry(
      `${g}-cert-map-entry-${h.replace(/\./g, "-")}`,
      {
        project,
        map: map.name,
        hostname: h,
        certificates: [certs[h]!.id],
      },
      under("edge"),
    );
  }
  const caMap = new k8s.core.v1.ConfigMap(
    `${g}-ca-root`,
    {
      metadata: { namespace: config.namespace },
      data: { "ca.crt": root.certPem },
    },
    under("edge"),
  );
  const ssl = new gcp.compute.SSLPolicy(
    `${g}-ssl-policy`,
    {
      project,
      minTlsVersion: config.minTlsVersion,
      profile: config.minTlsVersion === "TLS_1_3" ? "RESTRICTED" : "MODERN",
      description: "Client TLS for Gateway edge",
    },
    under("edge"),
  );
  new k8s.apiextensions.CustomResource(
    `${g}-gateway-policy`,
    {
      apiVersion: "networking.gke.io/v1",
      kind: "GCPGatewayPolicy",
      metadata: { namespace: config.namespace },
      spec: {
        default: { sslPolicy: ssl.name },
        targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge" },
      },
    },
    under("edge"),
  );
  const rendered = pulumi.all([map.name, caMap.metadata.name]).apply(([mapName, cmName]) =>
    renderGateway({
      name: "edge",
      namespace: config.namespace,
      className: config.gatewayClass,
      annotations: {
        "networking.gke.io/certmap": mapName,
        "pulumi.com/waitFor": JSON.stringify([
          "condition=Programmed",
          ...config.edgeHostnames.map(
            (h) =>
              `jsonpath={.status.listeners[?(@.name=="${edgeKey(h)}")].conditions[?(@.type=="ResolvedRefs")].status}=True`,
          ),
        ]),
        "pulumi.com/timeoutSeconds": "1200",
      },
      listeners: config.edgeHostnames.map((h) => ({
        name: edgeKey(h),
        port: 443,
        hostname: h,
        allowedRoutes: undefined,
        tls: undefined,
      })),
      frontend: {
        defaultRefs: [{ name: cmName }],
        perPort: [],
        mode:
          config.gatewayValidationMode === "ALLOW_INVALID_OR_MISSING_CLIENT_CERT"
            ? "AllowInsecureFallback"
            : "AllowValidOnly",
      },
    }),
  );
  const gw = new k8s.apiextensions.CustomResource(
    `${g}-gateway`,
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: rendered.apply((r) => r.metadata!),
      spec: rendered.apply((r) => r.spec),
      status: undefined,
    },
    under("edge"),
  );
  // The component's read-back of the client validation and its address: the same Outputs, by hand.
  const live = gw as unknown as { spec: pulumi.Output<any>; status: pulumi.Output<any> };
  live.status.apply((status) => status?.addresses?.[0]?.value);
  live.spec.apply((spec) => spec?.tls?.frontend?.default?.validation !== undefined);
  const route = renderRoute(
    {
      key: "backend",
      name: "edge-backend",
      hostnames: [...config.edgeHostnames],
      pathPrefix: "/",
      backends: [{ service: config.backend.service, port: config.backend.port }],
    },
    { gatewayName: "edge", namespace: config.namespace },
    "1200",
  );
  new k8s.apiextensions.CustomResource(
    `${g}-route-backend`,
    { apiVersion: route.apiVersion, kind: route.kind, metadata: route.metadata, spec: route.spec },
    under("edge"),
  );

  // --- Backend ----------------------------------------------------------------------------------------------
  new k8s.core.v1.Service(`${prefix}${config.backend.service}`, {
    metadata: { name: config.backend.service, namespace: config.namespace },
    spec: {
      selector: { app: config.backend.service },
      ports: withHttpsAppProtocol([{ name: "https", port: config.backend.port, targetPort: config.backend.port }]),
    },
  });
  const b = `${prefix}backend`;
  const backendCa = new k8s.core.v1.ConfigMap(
    `${b}-ca-root`,
    {
      metadata: { namespace: config.namespace },
      data: { "ca.crt": root.certPem },
    },
    under("backend"),
  );
  const policy = backendCa.metadata.name.apply((cm) =>
    renderBackendTlsPolicy(
      {
        policyName: `${config.backend.service}-tls`,
        targets: [{ kind: "Service", group: "", name: config.backend.service }],
        gateways: [{ className: config.gatewayClass }],
        trustConfigLocations: [],
        waitOn: [{ name: "edge", namespace: config.namespace }],
      },
      { hostname: backendHost, subjectAltNames: [{ type: "URI", uri: backendIdentity }] },
      config.namespace,
      {
        "pulumi.com/waitFor": backendTlsWaitFor([{ name: "edge", namespace: config.namespace }], config.namespace),
        "pulumi.com/timeoutSeconds": "600",
      },
      { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: cm }] },
      undefined,
    ),
  );
  new k8s.apiextensions.CustomResource(
    `${b}-policy`,
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "BackendTLSPolicy",
      metadata: policy.apply((r) => r.metadata!),
      spec: policy.apply((r) => r.spec),
    },
    under("backend"),
  );
  if (shells) for (const shell of Object.values(shells)) shell.done();
}
