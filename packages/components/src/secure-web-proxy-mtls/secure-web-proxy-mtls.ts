import { createHash } from "node:crypto";
import { checkLocation } from "../internal/gcp";
import { checkNetworkPath, checkSubnetworkPath } from "./validation";
import { ArgumentError } from "../internal/format";
import { shapeProblems } from "../internal/shape";
import { SECURE_WEB_PROXY_MTLS_ARGS_SHAPE } from "./types";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { TrustStoreValues } from "../certificate-chain";
import { leavesOf } from "../internal/chain-ref";
import { trustStoreOfSource } from "../internal/trust-source";
import { createProxyOnlySubnet } from "../internal/proxy-only-subnet";
import { createClientCertificateAlert } from "../internal/client-cert-alert";
import { checkOn, checkedTrustPem } from "../internal/trust";
import type { PlannedPolicy } from "./authz";
import type { SecureWebProxyMtlsArgs } from "./types";
import { adoptedGateway, validateSecureWebProxyMtlsArgs } from "./validation";

/** Pulumi type token; part of the public API (changing it replaces every proxy). */
export const SECURE_WEB_PROXY_MTLS_TYPE = "gcp-mtls:index:SecureWebProxyMtls";

const TLS_CA_LIFETIME = `${10 * 365 * 24 * 3600}s`;
const TLS_CA_KEY = "EC_P256_SHA256";

/** The role the Network Security service agent needs on the CA pool to mint TLS inspection certificates. */
export const TLS_INSPECTION_CA_ROLE = "roles/privateca.certificateManager";

const PERMISSIVE_WARNING =
  "clientValidationMode ALLOW_INVALID_OR_MISSING_CLIENT_CERT lets every connection through the proxy, including " +
  "clients with no certificate, an expired one, or one from an untrusted CA; only the authorization policies (which " +
  "match verified identities only) stand between them and their destinations. Switch to REJECT_INVALID once every " +
  "workload presents its certificate.";

const ALLOWLIST_WARNING =
  "allowlistedCertificatePems: these certificates are accepted as long as they parse and the client proves key " +
  "possession, even when expired or not chained to a trust anchor. Remove them once the clients have chained certificates.";

/** An identity the proxy authorizes, as it appears in the AuthzPolicy principals. */
/** Whether an authorization policy allows or denies its requests (`AuthzPolicy.action`). */
export const AuthzAction = { ALLOW: "ALLOW", DENY: "DENY" } as const;
export type AuthzAction = (typeof AuthzAction)[keyof typeof AuthzAction];

export interface AuthorizedPrincipal {
  readonly action: AuthzAction;
  readonly principalSelector: string;
  readonly identity: string;
}

/**
 * Secure Web Proxy in explicit proxy mode with frontend mTLS: workloads (VMs, AI agents) prove their identity with a
 * client certificate, and identity-based authorization policies decide which destinations each may reach.
 *
 * Creates, in one region: a Certificate Manager TrustConfig, a ServerTlsPolicy (`REJECT_INVALID` by default), the
 * proxy's server certificate (or uses existing ones), a gateway security policy with the TLS inspection policy that
 * SWP authorization policies require (and, unless given, the CA Service pool, CA and IAM behind it), the
 * `SECURE_WEB_GATEWAY`, AuthzPolicies per identity rule, and optionally a rejected-certificate metric and alert.
 */
export class SecureWebProxyMtls extends pulumi.ComponentResource {
  public readonly gateway: gcp.networkservices.Gateway;
  /** `projects/p/locations/r/gateways/n`. */
  public readonly gatewayId: pulumi.Output<string>;
  /** The proxy-only subnet the component created (`proxyOnlySubnet`). */
  public readonly proxyOnlySubnetId?: pulumi.Output<string>;
  /** Addresses the proxy listens on: configure clients with `https_proxy=https://<address>:<port>`. */
  public readonly addresses: pulumi.Output<string[]>;
  public readonly trustConfig?: gcp.certificatemanager.TrustConfig;
  /** What the trust config holds (anchors include any rotation anchors). */
  public readonly trustStore?: pulumi.Output<TrustStoreValues>;
  public readonly serverTlsPolicy?: gcp.networksecurity.ServerTlsPolicy;
  public readonly serverCertificate?: gcp.certificatemanager.Certificate;
  public readonly gatewaySecurityPolicyId: pulumi.Output<string>;
  public readonly tlsInspectionPolicyId?: pulumi.Output<string>;
  /**
   * The TLS inspection CA the component created (PEM). When TLS inspection intercepts a destination, the proxy
   * presents certificates it issues from this CA, so every workload that reaches such a destination must trust it (add
   * it to the client's CA bundle). Undefined with an existing CA pool or inspection policy: export that CA yourself.
   */
  public readonly tlsInspectionCaCertificatePem?: pulumi.Output<string>;
  public readonly caPool?: gcp.certificateauthority.CaPool;
  /** AuthzPolicies by role (`allow-<key>`, `allow-<key>-2`, `deny-<key>`). */
  public readonly authzPolicies: Record<string, gcp.networksecurity.AuthzPolicy>;
  /** The principal each AuthzPolicy matches, by the same roles. */
  public readonly principals: Record<string, AuthorizedPrincipal>;
  public readonly rejectedCertificatesMetric?: gcp.logging.Metric;
  public readonly rejectedCertificatesAlert?: gcp.monitoring.AlertPolicy;

  constructor(name: string, args: SecureWebProxyMtlsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SECURE_WEB_PROXY_MTLS_TYPE, name, {}, opts);
    // Shape first (every problem at once): no later check reads a value of the wrong type.
    const shape = shapeProblems(args, SECURE_WEB_PROXY_MTLS_ARGS_SHAPE, "");
    if (shape.length > 0) throw new ArgumentError(shape);
    const resolved = validateSecureWebProxyMtlsArgs(name, args);
    const parent = { parent: this };
    const location = args.region;
    // Adoption (rule gcp.swp.adopt): the live gateway is imported under its own name (immutable) and updated in place;
    // what the component creates goes to its project. Validation has checked the id, so its parts are known here.
    const adopted = args.adopt !== undefined ? adoptedGateway(args.adopt.gatewayId)! : undefined;
    const project = args.project ?? adopted?.project;

    // 1. Trust: TrustConfig + ServerTlsPolicy (immutable mode/trust config: auto-named, so a change creates the new
    // policy before deleting the old one, and the gateway's reference moves over in place).
    let serverTlsPolicyId: pulumi.Output<string> | undefined;
    if (resolved.mode !== "DISABLED") {
      if (resolved.mode === "ALLOW_INVALID_OR_MISSING_CLIENT_CERT") pulumi.log.warn(PERMISSIVE_WARNING, this);
      if ((args.allowlistedCertificatePems ?? []).length > 0) pulumi.log.warn(ALLOWLIST_WARNING, this);
      this.trustStore = trustStoreOfSource(this, "trust", args.trust!);
      const allowlist = args.allowlistedCertificatePems ?? [];
      this.trustConfig = new gcp.certificatemanager.TrustConfig(
        `${name}-trust-config`,
        {
          project,
          location,
          description: `Client certificate trust for Secure Web Proxy ${name}`,
          trustStores: [this.trustStore],
          allowlistedCertificates:
            allowlist.length > 0
              ? allowlist.map((pem, i) => ({
                  pemCertificate: checkedTrustPem(
                    this,
                    `allowlistedCertificatePems[${i}]`,
                    pem,
                    "allowlisted certificate",
                  ),
                }))
              : undefined,
        },
        parent,
      );
      // The trust config by project number, as every upstream sample passes it: the field is immutable with no
      // project-number diff suppression (magic-modules networksecurity/ServerTlsPolicy.yaml), so a form the API
      // normalises would show a replacement on every run.
      const projectNumber = gcp.organizations.getProjectOutput(
        project !== undefined ? { projectId: project } : {},
        parent,
      ).number;
      const trustConfigByNumber = pulumi.interpolate`projects/${projectNumber}/locations/${location}/trustConfigs/${this.trustConfig.name}`;
      this.serverTlsPolicy = new gcp.networksecurity.ServerTlsPolicy(
        `${name}-server-tls-policy`,
        {
          project,
          location,
          description: `Frontend mTLS (${resolved.mode}) for Secure Web Proxy ${name}`,
          mtlsPolicy: { clientValidationMode: resolved.mode, clientValidationTrustConfig: trustConfigByNumber },
        },
        // `location` is not immutable upstream: a change would be sent as an update to the new location's URL.
        { parent: this, replaceOnChanges: ["location"] },
      );
      serverTlsPolicyId = this.serverTlsPolicy.id;
    }

    // 2. The proxy's own certificate.
    let certificateUrls: pulumi.Input<pulumi.Input<string>[]>;
    if (args.serverCertificate || args.privateServerCertificate) {
      const chainLeaf = args.serverCertificate
        ? leavesOf(args.serverCertificate.chain)[args.serverCertificate.leaf]!
        : undefined;
      this.serverCertificate = new gcp.certificatemanager.Certificate(
        `${name}-server-cert`,
        {
          project,
          location,
          scope: "DEFAULT",
          description: `Server certificate of Secure Web Proxy ${name}`,
          ...(chainLeaf
            ? // Secret whatever the source: a chain given as PEMs may hand over a plain string.
              {
                selfManaged: {
                  pemCertificate: chainLeaf.chainPem,
                  pemPrivateKey: pulumi.secret(chainLeaf.privateKeyPem),
                },
              }
            : // Google-managed, issued by the issuance config's CA pool: Google holds the key (Certificate.yaml `managed`).
              {
                managed: {
                  domains: args.privateServerCertificate!.domains,
                  issuanceConfig: args.privateServerCertificate!.issuanceConfig,
                },
              }),
        },
        parent,
      );
      certificateUrls = [this.serverCertificate.id];
    } else {
      certificateUrls = args.serverCertificateIds!;
    }

    // 3. Gateway security policy with TLS inspection (required by SWP authorization policies).
    if (args.gatewaySecurityPolicyId !== undefined) {
      this.gatewaySecurityPolicyId = pulumi.output(args.gatewaySecurityPolicyId);
    } else {
      let tlsInspectionPolicyId: pulumi.Output<string>;
      if (args.tlsInspectionPolicyId !== undefined) {
        tlsInspectionPolicyId = pulumi.output(args.tlsInspectionPolicyId);
      } else {
        let caPoolId: pulumi.Output<string>;
        let authorityId: pulumi.Output<string> | undefined;
        if (args.tlsInspectionCaPoolId !== undefined) {
          caPoolId = pulumi.output(args.tlsInspectionCaPoolId);
        } else {
          this.caPool = new gcp.certificateauthority.CaPool(
            `${name}-tls-ca-pool`,
            {
              project,
              location,
              // DevOps tier: TLS inspection mints short-lived certificates nobody needs to track or revoke.
              tier: "DEVOPS",
              publishingOptions: { publishCaCert: false, publishCrl: false },
            },
            parent,
          );
          const authority = new gcp.certificateauthority.Authority(
            `${name}-tls-ca`,
            {
              project,
              location,
              pool: this.caPool.name,
              // Derived from the CA's fixed settings: a change replaces the CA, and CA Service does not reuse the id
              // of a deleted CA, so the replacement needs a new one.
              certificateAuthorityId: `tls-inspection-${createHash("sha256")
                .update(JSON.stringify([name, location, TLS_CA_LIFETIME, TLS_CA_KEY]))
                .digest("hex")
                .slice(0, 8)}`,
              type: "SELF_SIGNED",
              lifetime: TLS_CA_LIFETIME,
              keySpec: { algorithm: TLS_CA_KEY },
              config: {
                subjectConfig: { subject: { commonName: `${name} TLS inspection CA`, organization: "gcp-mtls" } },
                x509Config: {
                  caOptions: { isCa: true },
                  keyUsage: { baseKeyUsage: { certSign: true, crlSign: true }, extendedKeyUsage: {} },
                },
              },
              // Owned by this component: a destroy must be able to remove it (and so the pool).
              deletionProtection: false,
              skipGracePeriod: true,
              ignoreActiveCertificatesOnDeletion: true,
            },
            parent,
          );
          authorityId = authority.id;
          caPoolId = this.caPool.id;
          // What intercepted workloads must trust: the proxy re-signs their destinations' certificates with it.
          this.tlsInspectionCaCertificatePem = authority.pemCaCertificates.apply((pems) => pems?.[0] ?? "");
        }
        const agent = new gcp.projects.ServiceIdentity(
          `${name}-network-security-agent`,
          { project, service: "networksecurity.googleapis.com" },
          parent,
        );
        const grant = new gcp.certificateauthority.CaPoolIamMember(
          `${name}-tls-ca-pool-agent`,
          { caPool: caPoolId, role: TLS_INSPECTION_CA_ROLE, member: agent.member },
          parent,
        );
        // The policy needs the pool once it has an enabled CA and the agent holds its role there: it takes the pool id
        // from the grant (and joins the CA's id), so the data flow itself orders it after both, with no dependsOn.
        const readyPoolId = pulumi.all([grant.caPool, authorityId]).apply(([pool]) => pool);
        const tlsInspection = new gcp.networksecurity.TlsInspectionPolicy(
          `${name}-tls-inspection`,
          {
            project,
            location,
            caPool: readyPoolId,
            excludePublicCaSet: false,
            description: `TLS inspection for ${name}`,
          },
          // `location` is not immutable upstream (networksecurity/TlsInspectionPolicy.yaml).
          { parent: this, replaceOnChanges: ["location"] },
        );
        tlsInspectionPolicyId = tlsInspection.id;
      }
      this.tlsInspectionPolicyId = tlsInspectionPolicyId;
      // Authorization policies need a TLS inspection policy on the gateway security policy, and its rules are not
      // used with frontend mTLS (rule gcp.swp.authz-needs-tls-inspection): the policy has none.
      const policy = new gcp.networksecurity.GatewaySecurityPolicy(
        `${name}-policy`,
        {
          project,
          location,
          description: `Secure Web Proxy ${name}: identity rules are AuthzPolicies`,
          tlsInspectionPolicy: tlsInspectionPolicyId,
        },
        parent,
      );
      this.gatewaySecurityPolicyId = policy.id;
    }

    // 4. The proxy (after the region's proxy-only subnet, when the component creates it).
    const proxyOnlySubnet = args.proxyOnlySubnet
      ? createProxyOnlySubnet(this, name, project, location, args.proxyOnlySubnet)
      : undefined;
    this.proxyOnlySubnetId = proxyOnlySubnet?.id;
    this.gateway = new gcp.networkservices.Gateway(
      `${name}-gateway`,
      {
        ...(adopted ? { name: adopted.name } : {}),
        project,
        location,
        type: "SECURE_WEB_GATEWAY",
        routingMode: "EXPLICIT_ROUTING_MODE",
        // An Output is judged when it resolves, as a string is now: full paths, the subnetwork in the proxy's region.
        network:
          typeof args.network === "string"
            ? args.network
            : pulumi.output(args.network).apply((n) => checkOn(this, () => (checkNetworkPath(n), n))),
        subnetwork:
          typeof args.subnetwork === "string"
            ? args.subnetwork
            : pulumi.output(args.subnetwork).apply((sub) =>
                checkOn(this, () => {
                  checkSubnetworkPath(sub);
                  checkLocation("subnetwork", sub, args.region, "Subnetwork");
                  return sub;
                }),
              ),
        addresses: args.addresses,
        ports: resolved.ports,
        scope: args.scope,
        certificateUrls,
        gatewaySecurityPolicy: this.gatewaySecurityPolicyId,
        serverTlsPolicy: serverTlsPolicyId,
        deleteSwgAutogenRouterOnDestroy: args.deleteSwgAutogenRouterOnDestroy ?? true,
      },
      {
        parent: this,
        // A replacement cannot take over a fixed address while the old proxy holds it.
        deleteBeforeReplace: args.addresses !== undefined || adopted !== undefined,
        ...(proxyOnlySubnet ? { dependsOn: [proxyOnlySubnet] } : {}),
        // Read the live proxy, then update it to the goal in the same deployment (rule pulumi-gcp.import); protected, a
        // replacement fails rather than deleting the proxy the workloads use.
        ...(adopted ? { import: args.adopt!.gatewayId, protect: args.adopt!.protect ?? true } : {}),
      },
    );
    this.gatewayId = this.gateway.id;
    this.addresses = this.gateway.addresses;

    // 5. Identity-based authorization.
    const authzPolicies: Record<string, gcp.networksecurity.AuthzPolicy> = {};
    const principals: Record<string, AuthorizedPrincipal> = {};
    for (const planned of resolved.policies) {
      authzPolicies[planned.role] = this.authzPolicy(name, planned, project, location);
      principals[planned.role] = {
        action: planned.action,
        principalSelector: planned.principalSelector,
        identity: planned.identity,
      };
    }
    this.authzPolicies = authzPolicies;
    this.principals = principals;

    // 6. Observability: client certificates refused (or, permissive, admitted unverified) by reason.
    if (args.rejectedCertificateAlert !== undefined && resolved.mode !== "DISABLED") {
      const created = createClientCertificateAlert(this, name, {
        alert: args.rejectedCertificateAlert,
        mode: resolved.mode,
        project,
        // Secure Web Proxy request logs (rule gcp.logging.mtls-request-logs): resource networkservices Gateway,
        // labelled with the gateway's name and location.
        resourceType: "networkservices.googleapis.com/Gateway",
        resourceFilter: pulumi.interpolate`resource.type="networkservices.googleapis.com/Gateway" AND resource.labels.gateway_name="${this.gateway.name}" AND resource.labels.location="${location}"`,
        defaultReasonField: "jsonPayload.mtls.clientCertError",
        what: `Secure Web Proxy ${name} (${location})`,
      });
      this.rejectedCertificatesMetric = created.metric;
      this.rejectedCertificatesAlert = created.alert;
    }

    this.registerOutputs({
      gatewayId: this.gatewayId,
      tlsInspectionCaCertificatePem: this.tlsInspectionCaCertificatePem,
      proxyOnlySubnetId: this.proxyOnlySubnetId,
      addresses: this.addresses,
      trustConfigId: this.trustConfig?.id,
      serverTlsPolicyId: serverTlsPolicyId,
      gatewaySecurityPolicyId: this.gatewaySecurityPolicyId,
      tlsInspectionPolicyId: this.tlsInspectionPolicyId,
      authzPolicyIds: Object.fromEntries(Object.entries(authzPolicies).map(([k, p]) => [k, p.id])),
      rejectedCertificatesMetric: this.rejectedCertificatesMetric?.name,
    });
  }

  private authzPolicy(
    name: string,
    planned: PlannedPolicy,
    project: pulumi.Input<string> | undefined,
    location: string,
  ): gcp.networksecurity.AuthzPolicy {
    return new gcp.networksecurity.AuthzPolicy(
      `${name}-${planned.role}`,
      {
        project,
        location,
        description: `${planned.action} ${planned.identity} (${planned.principalSelector})`,
        action: planned.action,
        policyProfile: "REQUEST_AUTHZ",
        // Required for Secure Web Proxy targets (rule gcp.networksecurity.authz-policy.swp-target); the gateway's name.
        target: { loadBalancingScheme: "INTERNAL_MANAGED", resources: [this.gateway.id] },
        httpRules: planned.httpRules,
      },
      // `location` is not immutable upstream (networksecurity/AuthzPolicy.yaml).
      { parent: this, replaceOnChanges: ["location"] },
    );
  }
}
