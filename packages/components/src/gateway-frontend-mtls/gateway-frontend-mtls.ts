import * as gcp from "@pulumi/gcp";
import { ArgumentError } from "../internal/format";
import { shapeProblems } from "../internal/shape";
import { GATEWAY_FRONTEND_MTLS_ARGS_SHAPE } from "./types";
import { leavesOf } from "../internal/chain-ref";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { caConfigMapsOfSource, trustStoreOfSource } from "../internal/trust-source";
import { createProxyOnlySubnet } from "../internal/proxy-only-subnet";
import { declareGateway, gatewayConflicts } from "../internal/program";
import type { ClientValidationMode, TrustSource } from "../vocabulary";
import { createClientCertificateAlert } from "../internal/client-cert-alert";
import { gatewayApiMode, renderGateway, renderRoute, type CaConfigMapRef, type RenderedListener } from "./render";
import type { DnsRecord, GatewayFrontendMtlsArgs, ServerCertificateMaterial } from "./types";
import { authorizedDomains, slug, validateGatewayFrontendMtlsArgs, type ResolvedGateway } from "./validation";

/** Pulumi type token; part of the public API (changing it replaces every Gateway). */
export const GATEWAY_FRONTEND_MTLS_TYPE = "gcp-mtls:index:GatewayFrontendMtls";

export const GKE_ANNOTATIONS = {
  certmap: "networking.gke.io/certmap",
  frontendTrustConfig: "networking.gke.io/frontend-trust-config",
  allowInvalidClientCert: "networking.gke.io/allow-invalid-or-missing-client-cert",
  preSharedCerts: "networking.gke.io/pre-shared-certs",
  certManagerCerts: "networking.gke.io/cert-manager-certs",
} as const;

/**
 * Where the GKE controller names a Gateway's URL map (rule gke.gateway.lb-annotations): `/projects/<number>/global/
 * urlMaps/<name>` or `/projects/<number>/regions/<region>/urlMaps/<name>`.
 */
const URL_MAPS_ANNOTATION = "networking.gke.io/url-maps";

/**
 * The monitored resource of each mTLS class's load balancer request logs (rule gcp.logging.mtls-request-logs): global
 * external Application Load Balancers log as `http_load_balancer`, regional external ones as
 * `http_external_regional_lb_rule`, regional internal ones as `internal_http_lb_rule`; each carries `url_map_name`.
 */
const LB_LOG_RESOURCE: Readonly<Record<string, string>> = {
  "gke-l7-global-external-managed": "http_load_balancer",
  "gke-l7-regional-external-managed": "http_external_regional_lb_rule",
  "gke-l7-rilb": "internal_http_lb_rule",
};

const FALLBACK_WARNING =
  "frontend mTLS fallback: the Gateway admits clients with an invalid or missing certificate (the request reaches the " +
  "backend without a verified client identity). Use it while onboarding clients only; switch back to strict validation.";

interface Material {
  readonly certificatePem: pulumi.Output<string>;
  readonly privateKeyPem: pulumi.Output<string>;
}

/** A Service port a route sends traffic to. */
export interface RoutedServicePort {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

/**
 * State that is not an output. Kept outside the instance: every property of a component class is an output to the
 * Pulumi schema analyzer (`@pulumi/pulumi/provider/experimental`).
 */
interface Internals {
  gateway?: k8s.apiextensions.CustomResource;
  routes: Record<string, k8s.apiextensions.CustomResource>;
  configMapNameOutputs: pulumi.Output<string>[];
  // Rendered only when read: most programs never do, and each part holds PEMs and names.
  manifestParts: (() => pulumi.Output<object>)[];
  manifests?: pulumi.Output<object[]>;
}
const INTERNALS = new WeakMap<object, Internals>();
function internals(component: object): Internals {
  let state = INTERNALS.get(component);
  if (!state) INTERNALS.set(component, (state = { routes: {}, configMapNameOutputs: [], manifestParts: [] }));
  return state;
}

/**
 * A GKE Gateway (Gateway API, `gateway.networking.k8s.io/v1`) terminating HTTPS with a server certificate and
 * verifying client certificates (frontend mTLS), plus the GCP resources it references. Server certificate from a
 * Kubernetes Secret, pre-shared Compute SSL certificates, or Certificate Manager; client validation through the
 * Gateway API (`spec.tls.frontend`, ConfigMaps with `ca.crt`) or a Certificate Manager TrustConfig annotation.
 */
export class GatewayFrontendMtls extends pulumi.ComponentResource {
  /** The Gateway object (not in the Pulumi schema: a generic Kubernetes CustomResource has no type token there). */
  public get gateway(): k8s.apiextensions.CustomResource {
    return internals(this).gateway!;
  }
  /** For HTTPRoute `parentRefs`. */
  public get gatewayName(): pulumi.Output<string> {
    return pulumi.output(this.gatewayNameValue);
  }
  public get gatewayNamespace(): pulumi.Output<string> {
    return pulumi.output(this.gatewayNamespaceValue);
  }
  public readonly listenerNames: string[];
  /** The GatewayClass (plain: other components check their rules against it). */
  public readonly gatewayClassName: string;
  /** The region of a regional Gateway. */
  public readonly region?: string;
  /** `project` when given as a plain string (another component's checks compare it before deployment). */
  public readonly projectValue?: string;
  /** `metadata.name` and namespace of the Gateway, as plain values (for other components' checks and waits). */
  public readonly gatewayNameValue: string;
  public readonly gatewayNamespaceValue: string;
  /** ConfigMaps holding the trusted CA certificates (Gateway API validation). */
  public get configMapNames(): pulumi.Output<string[]> {
    return pulumi.all(internals(this).configMapNameOutputs);
  }
  public readonly trustConfigId?: pulumi.Output<string>;
  /** The Gateway's address once programmed (`status.addresses[0].value`): point the listeners' DNS names at it. */
  public readonly address: pulumi.Output<string | undefined>;
  /**
   * DNS records to create for Google-managed Certificate Manager certificates: each DnsAuthorization's CNAME
   * (`_acme-challenge.<domain>.`), and each domain's A/AAAA record pointing at {@link address} once it is known.
   * Empty without Google-managed certificates.
   */
  public readonly dnsRecords: pulumi.Output<DnsRecord[]>;
  /**
   * True once the live Gateway holds the client validation it was given (Gateway API validation), false with a
   * TrustConfig annotation; the deploy fails when the cluster's CRDs dropped it.
   */
  public readonly clientValidationApplied: pulumi.Output<boolean>;
  /** The HTTPRoutes, by key (not in the Pulumi schema, as `gateway`). */
  public get routes(): Record<string, k8s.apiextensions.CustomResource> {
    return internals(this).routes;
  }
  /** The Service ports the routes send traffic to (namespace, name, port): what a BackendTlsPolicy checks. */
  public readonly routedServices: RoutedServicePort[];
  public readonly certificateMapId?: pulumi.Output<string>;
  /** The proxy-only subnet the component created (`proxyOnlySubnet`). */
  public readonly proxyOnlySubnetId?: pulumi.Output<string>;
  public readonly sslPolicyName?: pulumi.Output<string>;
  /** With `rejectedCertificateAlert`: the logs-based metric of client-certificate verdicts, by reason. */
  public readonly rejectedCertificatesMetric?: gcp.logging.Metric;
  /** With `rejectedCertificateAlert`: the alert on that metric. */
  public readonly rejectedCertificatesAlert?: gcp.monitoring.AlertPolicy;
  /** The rendered Kubernetes manifests (Gateway, ConfigMaps, ReferenceGrant, GCPGatewayPolicy; never Secrets). Built on first access. */
  public get manifests(): pulumi.Output<object[]> {
    const state = internals(this);
    state.manifests ??= pulumi.all(state.manifestParts.map((part) => part())) as pulumi.Output<object[]>;
    return state.manifests;
  }

  constructor(name: string, args: GatewayFrontendMtlsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GATEWAY_FRONTEND_MTLS_TYPE, name, {}, opts);
    // Shape first (every problem at once): no later check reads a value of the wrong type.
    const shape = shapeProblems(args, GATEWAY_FRONTEND_MTLS_ARGS_SHAPE, "");
    if (shape.length > 0) throw new ArgumentError(shape);
    const resolved = validateGatewayFrontendMtlsArgs(name, args);
    // Rules that span the program's components (internal/program.ts): checked against those declared before.
    const declared = {
      component: `GatewayFrontendMtls ${name}`,
      namespace: resolved.namespace,
      createsNamespace: args.createNamespace === true,
      name: resolved.gatewayName,
      scope: resolved.scope,
      location: resolved.location,
      services: [
        ...new Set(resolved.routes.flatMap((r) => r.backends.map((b) => `${resolved.namespace}/${b.service}`))),
      ],
    };
    const conflicts = gatewayConflicts(declared);
    if (conflicts.length > 0) throw new ArgumentError(conflicts);
    declareGateway(declared);
    const project = args.project;
    this.listenerNames = resolved.listeners.map((l) => l.name);
    this.gatewayClassName = args.gatewayClassName;
    this.region = args.region;
    this.projectValue = typeof args.project === "string" ? args.project : undefined;
    this.gatewayNameValue = resolved.gatewayName;
    this.gatewayNamespaceValue = resolved.namespace;

    // 0. The Gateway's namespace, when the component creates it: every object in it waits for it.
    const namespaceObject = args.createNamespace
      ? new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: resolved.namespace } }, { parent: this })
      : undefined;
    const namespaceDeps: pulumi.Resource[] = namespaceObject ? [namespaceObject] : [];
    const inNamespace: pulumi.CustomResourceOptions = { parent: this, dependsOn: namespaceDeps };

    // 1. Server certificates → what each listener's tls block (or the Gateway annotation) says.
    const dnsRecords: pulumi.Output<DnsRecord>[] = [];
    const managedDomains: string[] = [];
    const annotations: Record<string, pulumi.Input<string>> = { ...(args.annotations ?? {}) };
    let certificateRefs: pulumi.Output<string> | undefined;
    let listenerOption: { key: string; value: pulumi.Output<string> } | undefined;
    if (resolved.serverCertificates === "tlsSecret") {
      const s = args.tlsSecret!;
      if (s.material) {
        const m = this.material(s.material);
        const secret = new k8s.core.v1.Secret(
          `${name}-tls`,
          {
            metadata: { namespace: resolved.namespace },
            type: "kubernetes.io/tls",
            stringData: { "tls.crt": m.certificatePem, "tls.key": m.privateKeyPem },
          },
          { ...inNamespace, additionalSecretOutputs: ["stringData", "data"] },
        );
        certificateRefs = secret.metadata.name;
      } else {
        certificateRefs = pulumi.output(s.existingSecretName!);
      }
    } else if (resolved.serverCertificates === "preSharedCertificates") {
      const p = args.preSharedCertificates!;
      const names: pulumi.Output<string>[] = [...(p.existingNames ?? []), ...(p.googleManagedNames ?? [])].map((n) =>
        pulumi.output(n),
      );
      if (p.material) {
        const m = this.material(p.material);
        const cert =
          resolved.scope === "global"
            ? new gcp.compute.SSLCertificate(
                `${name}-ssl-cert`,
                { project, certificate: m.certificatePem, privateKey: m.privateKeyPem },
                { parent: this },
              )
            : new gcp.compute.RegionSslCertificate(
                `${name}-ssl-cert`,
                { project, region: resolved.location, certificate: m.certificatePem, privateKey: m.privateKeyPem },
                { parent: this },
              );
        names.unshift(cert.name);
      }
      listenerOption = { key: GKE_ANNOTATIONS.preSharedCerts, value: pulumi.all(names).apply((n) => n.join(",")) };
    } else {
      const c = args.certificateManager!;
      const certs: Record<string, gcp.certificatemanager.Certificate> = {};
      for (const [key, cert] of Object.entries(c.certificates ?? {})) {
        if (cert.googleManaged?.issuanceConfig !== undefined) {
          // Google-managed by a CA Service pool: the issuance config, no DNS authorization (Certificate.yaml `managed`:
          // one of dnsAuthorizations and issuanceConfig; rule gcp.certificatemanager.private-issuance).
          certs[key] = new gcp.certificatemanager.Certificate(
            `${name}-cert-${key}`,
            {
              project,
              location: resolved.location,
              scope: "DEFAULT",
              managed: { domains: cert.googleManaged.domains, issuanceConfig: cert.googleManaged.issuanceConfig },
            },
            { parent: this },
          );
          continue;
        }
        if (cert.googleManaged) {
          // Google-managed: one DnsAuthorization per domain (a wildcard through its parent), in the Gateway's
          // location (magic-modules certificatemanager/DnsAuthorization.yaml, Certificate.yaml `managed`).
          const authorizations = authorizedDomains(cert.googleManaged.domains).map(
            (domain) =>
              new gcp.certificatemanager.DnsAuthorization(
                `${name}-dns-auth-${key}-${slug(domain)}`,
                {
                  project,
                  location: resolved.location,
                  domain,
                  description: `DNS authorization of ${domain} for Gateway ${resolved.gatewayName}`,
                },
                { parent: this },
              ),
          );
          for (const auth of authorizations) {
            dnsRecords.push(
              auth.dnsResourceRecords.apply((records) => {
                const r = records?.[0];
                return { name: r?.name ?? "", type: r?.type ?? "CNAME", data: r?.data ?? "" };
              }),
            );
          }
          certs[key] = new gcp.certificatemanager.Certificate(
            `${name}-cert-${key}`,
            {
              project,
              location: resolved.location,
              scope: "DEFAULT",
              managed: { domains: cert.googleManaged.domains, dnsAuthorizations: authorizations.map((a) => a.id) },
            },
            { parent: this },
          );
          managedDomains.push(...cert.googleManaged.domains);
          continue;
        }
        const m = this.material(cert.material!);
        certs[key] = new gcp.certificatemanager.Certificate(
          `${name}-cert-${key}`,
          {
            project,
            location: resolved.location,
            scope: "DEFAULT",
            selfManaged: { pemCertificate: m.certificatePem, pemPrivateKey: m.privateKeyPem },
          },
          { parent: this },
        );
      }
      if (resolved.scope === "global") {
        if (c.existingCertificateMapName !== undefined) {
          annotations[GKE_ANNOTATIONS.certmap] = c.existingCertificateMapName;
        } else {
          const map = new gcp.certificatemanager.CertificateMap(
            `${name}-cert-map`,
            { project, description: `Certificates of Gateway ${resolved.gatewayName}` },
            { parent: this },
          );
          for (const entry of resolved.mapEntries) {
            new gcp.certificatemanager.CertificateMapEntry(
              `${name}-${entry.role}`,
              {
                project,
                map: map.name,
                ...(entry.hostname !== undefined ? { hostname: entry.hostname } : { matcher: "PRIMARY" }),
                certificates: entry.certificateKeys.map((k) => certs[k]!.id),
              },
              { parent: this },
            );
          }
          annotations[GKE_ANNOTATIONS.certmap] = map.name;
          this.certificateMapId = map.id;
        }
      } else {
        const names = [
          ...Object.values(certs).map((cert) => cert.name),
          ...(c.existingCertificateNames ?? []).map((n) => pulumi.output(n)),
        ];
        listenerOption = { key: GKE_ANNOTATIONS.certManagerCerts, value: pulumi.all(names).apply((n) => n.join(",")) };
      }
    }

    // 2. Frontend mTLS. The ConfigMap names flow into the Gateway's render as they are: one join, no Output per ref.
    let frontend:
      | {
          defaultNames: pulumi.Output<string>[];
          perPort: { port: number; names: pulumi.Output<string>[]; mode: "AllowValidOnly" | "AllowInsecureFallback" }[];
          refNamespace?: string;
        }
      | undefined;
    const configMapNames = internals(this).configMapNameOutputs;
    const v = args.clientValidation;
    const permissive = "ALLOW_INVALID_OR_MISSING_CLIENT_CERT";
    if (v.mode === permissive || (v.perPort ?? []).some((p) => p.mode === permissive)) {
      pulumi.log.warn(FALLBACK_WARNING, this);
    }
    if (resolved.mtls === "none") {
      // clientValidation.mode DISABLED: server TLS only, no trust to deliver.
    } else if (v.trustConfig === undefined) {
      const cmNamespace = v.configMapNamespace ?? resolved.namespace;
      const refNamespace = cmNamespace === resolved.namespace ? undefined : cmNamespace;
      // `prefix` names the ConfigMaps, `path` the argument (for errors on PEMs known only at deploy time).
      const configMaps = (prefix: string, path: string, trust: TrustSource): pulumi.Output<string>[] =>
        caConfigMapsOfSource(this, path, trust).map(({ key, data }) => {
          const cm = new k8s.core.v1.ConfigMap(
            `${name}-${prefix}-${key}`,
            { metadata: { namespace: cmNamespace }, data },
            cmNamespace === resolved.namespace ? inNamespace : { parent: this },
          );
          configMapNames.push(cm.metadata.name);
          internals(this).manifestParts.push(() =>
            pulumi.output({
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: cm.metadata.name, namespace: cmNamespace },
              data,
            }),
          );
          return cm.metadata.name;
        });
      frontend = {
        defaultNames: configMaps("ca", "clientValidation.trust", v.trust!),
        perPort: (v.perPort ?? []).map((p, i) => ({
          port: p.port,
          names: configMaps(`ca-${p.port}`, `clientValidation.perPort[${i}].trust`, p.trust),
          mode: gatewayApiMode(p.mode),
        })),
        ...(refNamespace ? { refNamespace } : {}),
      };
      if (refNamespace) {
        // A Gateway may reference ConfigMaps in another namespace only when that namespace grants it.
        const grant = new k8s.apiextensions.CustomResource(
          `${name}-ca-grant`,
          {
            apiVersion: "gateway.networking.k8s.io/v1beta1",
            kind: "ReferenceGrant",
            metadata: { namespace: cmNamespace },
            spec: {
              from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: resolved.namespace }],
              to: pulumi
                .all(configMapNames)
                .apply((names) => names.map((n) => ({ group: "", kind: "ConfigMap", name: n }))),
            },
          },
          { parent: this },
        );
        internals(this).manifestParts.push(() =>
          pulumi.all([grant.metadata.name, pulumi.all(configMapNames)]).apply(([grantName, names]) => ({
            apiVersion: "gateway.networking.k8s.io/v1beta1",
            kind: "ReferenceGrant",
            metadata: { name: grantName, namespace: cmNamespace },
            spec: {
              from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: resolved.namespace }],
              to: names.map((n) => ({ group: "", kind: "ConfigMap", name: n })),
            },
          })),
        );
      }
    } else {
      if (v.mode === permissive) annotations[GKE_ANNOTATIONS.allowInvalidClientCert] = "true";
      const trustConfig = new gcp.certificatemanager.TrustConfig(
        `${name}-trust-config`,
        {
          project,
          location: resolved.location,
          description: `Client certificate trust for Gateway ${resolved.gatewayName}`,
          trustStores: [trustStoreOfSource(this, "clientValidation.trust", v.trust!)],
        },
        { parent: this },
      );
      annotations[GKE_ANNOTATIONS.frontendTrustConfig] = trustConfig.name;
      this.trustConfigId = trustConfig.id;
    }

    // 3. SSL policy through a GCPGatewayPolicy.
    if (args.sslPolicy) {
      const p = args.sslPolicy;
      let policyName: pulumi.Output<string>;
      if (p.existingName !== undefined) {
        policyName = pulumi.output(p.existingName);
      } else {
        const policyArgs = {
          project,
          minTlsVersion: resolved.sslPolicy!.minTlsVersion,
          profile: resolved.sslPolicy!.profile,
          description: `Client TLS for Gateway ${resolved.gatewayName}`,
        };
        policyName =
          resolved.scope === "global"
            ? new gcp.compute.SSLPolicy(`${name}-ssl-policy`, policyArgs, { parent: this }).name
            : new gcp.compute.RegionSslPolicy(
                `${name}-ssl-policy`,
                { ...policyArgs, region: resolved.location },
                { parent: this },
              ).name;
      }
      this.sslPolicyName = policyName;
      const policySpec = {
        default: { sslPolicy: policyName },
        targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: resolved.gatewayName },
      };
      const policy = new k8s.apiextensions.CustomResource(
        `${name}-gateway-policy`,
        {
          apiVersion: "networking.gke.io/v1",
          kind: "GCPGatewayPolicy",
          metadata: { namespace: resolved.namespace },
          spec: policySpec,
        },
        inNamespace,
      );
      internals(this).manifestParts.push(() =>
        pulumi.all([policy.metadata.name, policyName]).apply(([policyResourceName, ssl]) => ({
          apiVersion: "networking.gke.io/v1",
          kind: "GCPGatewayPolicy",
          metadata: { name: policyResourceName, namespace: resolved.namespace },
          spec: { ...policySpec, default: { sslPolicy: ssl } },
        })),
      );
    }

    // 4. The Gateway. It waits (unless turned off) for Programmed and for each listener's references to resolve: the
    // controller can program a Gateway whose listener CA references are invalid (k8s.gateway-api.listener-resolved-refs).
    const alerting = args.rejectedCertificateAlert !== undefined && args.clientValidation.mode !== "DISABLED";
    const verification = args.deployTimeVerification ?? {};
    const verify = verification.enabled ?? true;
    const timeoutSeconds = String(verification.timeoutSeconds ?? 1200);
    if (verify) {
      annotations["pulumi.com/waitFor"] = JSON.stringify([
        "condition=Programmed",
        ...resolved.listeners.map(
          (l) =>
            `jsonpath={.status.listeners[?(@.name=="${l.name}")].conditions[?(@.type=="ResolvedRefs")].status}=True`,
        ),
        // The alert's metric filters on the URL map the controller names on the Gateway (gke.gateway.lb-annotations).
        ...(alerting ? [`jsonpath={.metadata.annotations['${URL_MAPS_ANNOTATION}']}`] : []),
      ]);
      annotations["pulumi.com/timeoutSeconds"] = timeoutSeconds;
    }
    const rendered = pulumi
      .all([annotations, certificateRefs, listenerOption?.value, frontend])
      .apply(([ann, secretName, optionValue, fe]) =>
        renderGateway({
          name: resolved.gatewayName,
          namespace: resolved.namespace,
          className: args.gatewayClassName,
          annotations: ann,
          listeners: args.listeners.map((l, i): RenderedListener =>
            listenerTls(
              resolved.listeners[i]!,
              l.allowedRoutes,
              l.tlsOptions ?? {},
              secretName,
              listenerOption ? { [listenerOption.key]: optionValue! } : {},
            ),
          ),
          frontend: fe
            ? {
                defaultRefs: fe.defaultNames.map((n) => caRef(n, fe.refNamespace)),
                perPort: fe.perPort.map((p) => ({
                  port: p.port,
                  refs: p.names.map((n) => caRef(n, fe.refNamespace)),
                  mode: p.mode,
                })),
                mode: gatewayApiMode(args.clientValidation.mode),
              }
            : undefined,
        }),
      );
    // The region's proxy-only subnet, when the component creates it: the load balancer needs it first.
    const proxyOnlySubnet = args.proxyOnlySubnet
      ? createProxyOnlySubnet(this, name, project, resolved.location, args.proxyOnlySubnet)
      : undefined;
    this.proxyOnlySubnetId = proxyOnlySubnet?.id;
    internals(this).gateway = new k8s.apiextensions.CustomResource(
      `${name}-gateway`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: rendered.apply((g) => g.metadata!),
        spec: rendered.apply((g) => g.spec),
        // Not sent (undefined); declared so the live status (addresses, conditions) is an output.
        status: undefined,
      },
      { ...inNamespace, ...(proxyOnlySubnet ? { dependsOn: [...namespaceDeps, proxyOnlySubnet] } : {}) },
    );
    internals(this).manifestParts.unshift(() => rendered);
    const live = this.gateway as unknown as { spec: pulumi.Output<any>; status: pulumi.Output<any> };
    this.address = live.status.apply((status) => status?.addresses?.[0]?.value as string | undefined);
    // The guide's DNS step for Google-managed certificates: the authorizations' CNAMEs, then each domain's A record
    // (or AAAA for an IPv6 address) once the Gateway has its address.
    this.dnsRecords = pulumi.all([pulumi.all(dnsRecords), this.address]).apply(([challenges, address]) => [
      ...challenges,
      ...(address === undefined
        ? []
        : managedDomains.map((domain) => ({
            name: domain,
            type: address.includes(":") ? "AAAA" : "A",
            data: address,
          }))),
    ]);
    // The outputs are the live object: a client validation the cluster's CRDs do not declare was pruned, and the
    // Gateway would serve without verifying clients (k8s.gateway-api.frontend-validation-version). Fail the deploy.
    this.clientValidationApplied = frontend
      ? live.spec.apply((spec) => {
          if (spec?.tls?.frontend?.default?.validation?.caCertificateRefs === undefined) {
            throw new pulumi.ResourceError(
              `Gateway ${resolved.namespace}/${resolved.gatewayName} was applied without its client certificate validation: the ` +
                "cluster's Gateway CRD does not declare `spec.tls.frontend` and the API server dropped it, so the load " +
                "balancer verifies no client certificate. Install Gateway API v1.5.0 or later (standard channel; v1.4.0 " +
                "experimental) and run `pulumi up` again, or set `clientValidation.trustConfig`",
              this,
            );
          }
          return true;
        })
      : pulumi.output(false);

    // 5. Observability: client certificates the load balancer refused (or, permissive, admitted unverified), from
    // this Gateway's request logs (rule gcp.logging.mtls-request-logs), keyed by the URL map the controller named.
    if (alerting) {
      const mode = args.clientValidation.mode as Exclude<ClientValidationMode, "DISABLED">;
      const logResource = LB_LOG_RESOURCE[args.gatewayClassName]!;
      const where = `Gateway ${resolved.namespace}/${resolved.gatewayName}`;
      const urlMap = (live as unknown as { metadata: pulumi.Output<any> }).metadata.apply((m) => {
        const path = m?.annotations?.[URL_MAPS_ANNOTATION];
        if (typeof path !== "string" || path.split("/").pop() === "") {
          throw new pulumi.ResourceError(
            `${where} carries no \`${URL_MAPS_ANNOTATION}\` annotation, so its load balancer's request logs cannot be ` +
              "told apart: the GKE controller writes it once the Gateway is programmed (rule gke.gateway.lb-annotations)",
            this,
          );
        }
        return path.split("/").pop()!;
      });
      const created = createClientCertificateAlert(this, name, {
        alert: args.rejectedCertificateAlert!,
        mode,
        project,
        resourceType: logResource,
        resourceFilter: pulumi.interpolate`resource.type="${logResource}" AND resource.labels.url_map_name="${urlMap}"${
          resolved.scope === "regional" ? ` AND resource.labels.region="${resolved.location}"` : ""
        }`,
        defaultReasonField: "jsonPayload.statusDetails",
        what: `${where} (${args.gatewayClassName})`,
      });
      this.rejectedCertificatesMetric = created.metric;
      this.rejectedCertificatesAlert = created.alert;
    }

    // 6. Routes from the listeners to Services (the guide's HTTPRoutes), each waiting until the Gateway accepts it.
    const routes: Record<string, k8s.apiextensions.CustomResource> = {};
    for (const route of resolved.routes) {
      const manifest = renderRoute(route, resolved, verify ? timeoutSeconds : undefined);
      routes[route.key] = new k8s.apiextensions.CustomResource(
        `${name}-route-${route.key}`,
        { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: manifest.metadata, spec: manifest.spec },
        // Created alongside the Gateway: its wait holds until the Gateway exists and accepts it.
        inNamespace,
      );
      internals(this).manifestParts.push(() => pulumi.output(manifest));
    }
    internals(this).routes = routes;
    this.routedServices = resolved.routes.flatMap((r) =>
      r.backends.map((b) => ({ namespace: resolved.namespace, name: b.service, port: b.port })),
    );

    this.registerOutputs({
      gatewayName: resolved.gatewayName,
      gatewayNamespace: resolved.namespace,
      listenerNames: this.listenerNames,
      configMapNames,
      trustConfigId: this.trustConfigId,
      certificateMapId: this.certificateMapId,
      proxyOnlySubnetId: this.proxyOnlySubnetId,
      address: this.address,
      clientValidationApplied: this.clientValidationApplied,
      dnsRecords: this.dnsRecords,
      rejectedCertificatesMetric: this.rejectedCertificatesMetric?.name,
    });
  }

  /** Certificate (leaf + intermediates) and key of a server certificate material, the key secret. */
  private material(m: ServerCertificateMaterial): Material {
    if (m.chain) {
      // Secret whatever the source: a chain given as PEMs may hand over a plain string.
      const leaf = leavesOf(m.chain)[m.leaf!]!;
      return { certificatePem: pulumi.output(leaf.chainPem), privateKeyPem: pulumi.secret(leaf.privateKeyPem) };
    }
    return { certificatePem: pulumi.output(m.certificatePem!), privateKeyPem: pulumi.secret(m.privateKeyPem!) };
  }
}

/** A ConfigMap by name, with its namespace when it is not the Gateway's. */
function caRef(name: string, namespace: string | undefined): CaConfigMapRef {
  return { name, ...(namespace ? { namespace } : {}) };
}

function listenerTls(
  listener: ResolvedGateway["listeners"][number],
  allowedRoutes: RenderedListener["allowedRoutes"],
  extraOptions: Readonly<Record<string, string>>,
  secretName: string | undefined,
  certificateOption: Record<string, string>,
): RenderedListener {
  if (listener.protocol === "HTTP") {
    return { name: listener.name, port: listener.port, hostname: listener.hostname, allowedRoutes, protocol: "HTTP" };
  }
  const options = { ...extraOptions, ...certificateOption };
  // With the certmap annotation and no options, the listener has no tls block: upstream CEL requires
  // certificateRefs or options whenever `tls.mode` is Terminate.
  const tls =
    secretName !== undefined || Object.keys(options).length > 0
      ? { ...(secretName !== undefined ? { certificateRefs: [{ name: secretName }] } : {}), options }
      : undefined;
  return { name: listener.name, port: listener.port, hostname: listener.hostname, allowedRoutes, tls };
}
