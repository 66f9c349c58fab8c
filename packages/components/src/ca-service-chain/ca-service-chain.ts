import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../internal/format";
import { shapeProblems } from "../internal/shape";
import type { IssuedLeafRef } from "../vocabulary";
import {
  CA_SERVICE_CHAIN_ARGS_SHAPE,
  type CaRotationPhase,
  type CaServiceCaArgs,
  type CaServiceChainArgs,
  type CaState,
  type CertificateRequesterArgs,
  type ComputeWorkloadIdentitiesArgs,
} from "./types";
import { issuanceCel, validateCaServiceChainArgs } from "./validation";

export const CA_SERVICE_CHAIN_TYPE = "gcp-mtls:index:CaServiceChain";

const DELETION_WARNING =
  "deletionProtection is false: a destroy (or a replacement) deletes these CAs, and every certificate they issued " +
  "stops chaining to a live CA; keep it true in production";

/**
 * A two-level PKI in Certificate Authority Service: a self-signed root CA in its own pool, and an issuing CA
 * subordinate to it (path length 0) in a pool whose issuance policy pins the SANs it may issue. No private key is in
 * Pulumi state: CA Service holds both keys. It is a trust source like `CertificateChain` (`trust: { chain }` in every
 * component) with no leaves: workloads obtain their certificates from the issuing pool themselves.
 */
export class CaServiceChain extends pulumi.ComponentResource {
  /** The root CA certificate (PEM): the trust anchor (the next generation's once a rotation is `RETIRED`). */
  public readonly rootCertificatePem: pulumi.Output<string>;
  /** The issuing CA certificates (PEM) below the root: both generations' while a rotation overlaps. */
  public readonly intermediateCertificatePems: pulumi.Output<string[]>;
  /** None: CA Service never hands out a private key. Workload certificates come from the issuing pool. */
  public readonly leaves: Record<string, IssuedLeafRef>;
  public readonly rootPool: gcp.certificateauthority.CaPool;
  public readonly rootAuthority: gcp.certificateauthority.Authority;
  public readonly issuingPool: gcp.certificateauthority.CaPool;
  public readonly issuingAuthority: gcp.certificateauthority.Authority;
  /** During a rotation: the next generation's root CA. */
  public readonly nextRootAuthority?: gcp.certificateauthority.Authority;
  /** During a rotation: the next generation's issuing CA. */
  public readonly nextIssuingAuthority?: gcp.certificateauthority.Authority;
  /**
   * The roots to trust besides `rootCertificatePem` while a rotation overlaps (`TRUSTED`, `ISSUING`), by generation:
   * pass them as `trust: { chain, trustAnchorPems: chain.rotationTrustAnchorPems }`. Empty otherwise.
   */
  public readonly rotationTrustAnchorPems: Record<string, pulumi.Output<string>>;
  /** The issuing pool's id (`projects/…/locations/…/caPools/…`): where workloads request certificates. */
  public readonly issuingPoolId: pulumi.Output<string>;
  /** The issuing pool's CEL identity constraint. */
  public readonly issuanceCelExpression: pulumi.Output<string>;
  /**
   * The certificate template each `certificateRequesters` key must name in its requests
   * (`projects/<project>/locations/<location>/certificateTemplates/<id>`), by key.
   */
  public readonly requesterTemplateIds: Record<string, pulumi.Output<string>>;
  /** With `certificateManagerIssuance`: the CertificateIssuanceConfig ids by location (`global`, the region). */
  public readonly issuanceConfigIds: Record<string, pulumi.Output<string>>;
  /** With `computeWorkloadIdentities`: the workload identity pool in trust-domain mode. */
  public readonly workloadIdentityPool?: gcp.iam.WorkloadIdentityPool;
  /** With `computeWorkloadIdentities`: the trust domain, `<poolId>.global.<projectNumber>.workload.id.goog`. */
  public readonly workloadTrustDomain?: pulumi.Output<string>;
  /** With `gkeWorkloadIdentities`: the fleet's trust domain, `<projectId>.svc.id.goog`. */
  public readonly gkeTrustDomain?: string;
  /** The trust domain as a plain string, when `computeWorkloadIdentities.projectNumber` is given. */
  public readonly workloadTrustDomainValue?: string;

  constructor(name: string, args: CaServiceChainArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CA_SERVICE_CHAIN_TYPE, name, {}, opts);
    const shape = shapeProblems(args, CA_SERVICE_CHAIN_ARGS_SHAPE, "");
    if (shape.length > 0) throw new ArgumentError(shape);
    const resolved = validateCaServiceChainArgs(name, args);
    const deletionProtection = args.deletionProtection ?? true;
    if (!deletionProtection) pulumi.log.warn(DELETION_WARNING, this);
    const parent = { parent: this };
    const { project, location } = args;

    // Pools: one per CA, so the issuance policy binds the issuing CA alone and the root issues nothing but it.
    this.rootPool = new gcp.certificateauthority.CaPool(
      `${name}-root-pool`,
      {
        project,
        location,
        tier: resolved.root.tier,
        // The root's certificate and CRL are published: relying parties fetch them from the AIA and CDP URLs.
        publishingOptions: { publishCaCert: true, publishCrl: resolved.root.tier === "ENTERPRISE" },
      },
      parent,
    );
    // Managed workload identities (Compute Engine): their SPIFFE trust domain is issued by this pool too.
    const wi = args.computeWorkloadIdentities;
    if (wi !== undefined) {
      this.workloadTrustDomainValue =
        wi.projectNumber !== undefined ? `${wi.poolId}.global.${wi.projectNumber}.workload.id.goog` : undefined;
      const number =
        wi.projectNumber ??
        gcp.organizations.getProjectOutput(project !== undefined ? { projectId: project } : {}, parent).number;
      this.workloadTrustDomain = pulumi.interpolate`${wi.poolId}.global.${number}.workload.id.goog`;
    }
    const gke = args.gkeWorkloadIdentities;
    if (gke !== undefined) this.gkeTrustDomain = `${gke.projectId}.svc.id.goog`;
    const gkePrefixes = this.gkeTrustDomain !== undefined ? [`spiffe://${this.gkeTrustDomain}/`] : [];
    this.issuanceCelExpression = this.workloadTrustDomain
      ? this.workloadTrustDomain.apply((td) =>
          issuanceCel([...resolved.uriPrefixes, ...gkePrefixes, `spiffe://${td}/`], resolved.dnsSuffixes),
        )
      : pulumi.output(issuanceCel([...resolved.uriPrefixes, ...gkePrefixes], resolved.dnsSuffixes));
    this.issuingPool = new gcp.certificateauthority.CaPool(
      `${name}-issuing-pool`,
      {
        project,
        location,
        tier: resolved.issuing.tier,
        publishingOptions: { publishCaCert: true, publishCrl: true },
        issuancePolicy: {
          maximumLifetime: resolved.maximumLifetime,
          identityConstraints: {
            allowSubjectPassthrough: true,
            allowSubjectAltNamesPassthrough: true,
            celExpression: {
              title: "SANs in the trust domain",
              description: "Every SAN of an issued certificate is under the chain's URI prefixes or DNS suffixes",
              expression: this.issuanceCelExpression,
            },
          },
          // Leaf certificates only, for mTLS: no CA bit, digitalSignature, clientAuth and serverAuth.
          baselineValues: {
            caOptions: { isCa: false },
            keyUsage: {
              baseKeyUsage: { digitalSignature: true, keyEncipherment: true },
              extendedKeyUsage: { clientAuth: true, serverAuth: true },
            },
          },
        },
      },
      parent,
    );
    // The CAs of each generation, in the two pools; their states follow the rotation phase (rule
    // gcp.privateca.authority.desired-state; every state change is an in-place :enable/:disable).
    const phase = args.rotation?.phase;
    const states = rotationStates(phase, args.desiredState ?? "ENABLED");
    // The next generation first: the current CAs wait for it (dependsOn), so in ISSUING the next issuing CA is enabled
    // before the current one is disabled. CA Service refuses to disable a pool's last enabled CA while a certificate
    // issuance config references the pool (https://cloud.google.com/certificate-manager/docs/issuance-configs).
    const next =
      args.rotation !== undefined && resolved.next !== undefined
        ? this.createGeneration(
            name,
            args,
            args.rotation.generation,
            resolved.next.root,
            resolved.next.issuing,
            states.next,
            { deletionProtection, retainOnDelete: false, dependsOn: [] },
          )
        : undefined;
    const current = this.createGeneration(
      name,
      args,
      args.generation,
      resolved.root,
      resolved.issuing,
      states.current,
      {
        deletionProtection,
        // A retired generation leaves the program when the rotation ends: Pulumi then forgets it (its CAs stay in CA
        // Service, disabled, until you delete them once their last leaf has expired).
        retainOnDelete: phase === "RETIRED",
        dependsOn: next !== undefined ? [next.root, next.issuing] : [],
      },
    );
    this.rootAuthority = current.root;
    this.issuingAuthority = current.issuing;
    this.nextRootAuthority = next?.root;
    this.nextIssuingAuthority = next?.issuing;
    const first = (pems: string[] | undefined) => pems?.[0] ?? "";
    const currentRoot = this.rootAuthority.pemCaCertificates.apply(first);
    const currentIssuing = this.issuingAuthority.pemCaCertificates.apply(first);
    const nextRoot = this.nextRootAuthority?.pemCaCertificates.apply(first);
    const nextIssuing = this.nextIssuingAuthority?.pemCaCertificates.apply(first);
    const retired = phase === "RETIRED";
    const overlap = phase === "TRUSTED" || phase === "ISSUING";
    this.rootCertificatePem = retired ? nextRoot! : currentRoot;
    this.intermediateCertificatePems = retired
      ? pulumi.all([nextIssuing!]).apply((p) => p.filter((x) => x !== ""))
      : overlap
        ? pulumi.all([currentIssuing, nextIssuing!]).apply((p) => p.filter((x) => x !== ""))
        : pulumi.all([currentIssuing]).apply((p) => p.filter((x) => x !== ""));
    this.rotationTrustAnchorPems = overlap ? { [args.rotation!.generation]: nextRoot! } : {};
    this.leaves = {};
    this.issuingPoolId = this.issuingPool.id;
    if (wi !== undefined) this.workloadIdentityPool = createWorkloadIdentities(this, name, args, wi);
    if (gke !== undefined) {
      // The fleet's pool as one principal, with the `/name/` form of managed workload identity pools
      // (https://cloud.google.com/kubernetes-engine/docs/how-to/managed-workload-identity, the CA pool grants).
      const number =
        gke.projectNumber ?? gcp.organizations.getProjectOutput({ projectId: gke.projectId }, parent).number;
      const member = pulumi.interpolate`principal://iam.googleapis.com/projects/${number}/name/locations/global/workloadIdentityPools/${gke.projectId}.svc.id.goog`;
      grantManagedIdentities(this, `${name}-gke-identities`, member, []);
    }
    // Request your own: a workload creates certificates from a CSR (its key never leaves it), for its own identities
    // only (rule gcp.privateca.requester-confinement).
    this.requesterTemplateIds = {};
    for (const [key, requester] of Object.entries(args.certificateRequesters ?? {})) {
      this.requesterTemplateIds[key] = createRequester(this, name, args, key, requester);
    }
    this.issuanceConfigIds = {};
    const cm = args.certificateManagerIssuance;
    if (cm !== undefined) {
      // Certificate Manager requests the certificates as its service agent (certificate-manager/docs/issuance-configs).
      const agent = new gcp.projects.ServiceIdentity(
        `${name}-certificate-manager-agent`,
        { project, service: "certificatemanager.googleapis.com" },
        parent,
      );
      const grant = new gcp.certificateauthority.CaPoolIamMember(
        `${name}-certificate-manager-requester`,
        { caPool: this.issuingPool.id, role: "roles/privateca.certificateRequester", member: agent.member },
        parent,
      );
      for (const location of [...new Set(cm.locations ?? ["global"])]) {
        const config = new gcp.certificatemanager.CertificateIssuanceConfig(
          `${name}-issuance-${location}`,
          {
            project,
            location,
            // Fixed: every field of an issuance config forces a replacement (and of the certificates naming it), so
            // nothing that changes with a CA generation goes in.
            description: `Certificates issued by the issuing pool of ${name}`,
            certificateAuthorityConfig: { certificateAuthorityServiceConfig: { caPool: grant.caPool } },
            keyAlgorithm: cm.keyAlgorithm ?? "ECDSA_P256",
            lifetime: cm.lifetime ?? "2592000s",
            rotationWindowPercentage: cm.rotationWindowPercentage ?? 66,
          },
          // The pool issues only with an enabled CA (the config names the pool through the grant: ordered after it).
          {
            parent: this,
            dependsOn: [this.issuingAuthority, ...(this.nextIssuingAuthority ? [this.nextIssuingAuthority] : [])],
          },
        );
        this.issuanceConfigIds[location] = config.id;
      }
    }
    this.registerOutputs({
      workloadTrustDomain: this.workloadTrustDomain,
      rootCertificatePem: this.rootCertificatePem,
      intermediateCertificatePems: this.intermediateCertificatePems,
      issuingPoolId: this.issuingPoolId,
    });
  }
  /** One generation's root (self-signed, in the root pool) and issuing CA (its subordinate, in the issuing pool). */
  private createGeneration(
    name: string,
    args: CaServiceChainArgs,
    generation: string | undefined,
    root: CaServiceCaArgs,
    issuing: CaServiceCaArgs,
    states: { root: CaState; issuing: CaState },
    options: { deletionProtection: boolean; retainOnDelete: boolean; dependsOn: pulumi.Resource[] },
  ) {
    const { project, location } = args;
    const suffix = generation !== undefined ? `-${generation}` : "";
    const opts = {
      parent: this,
      ...(options.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(options.dependsOn.length > 0 ? { dependsOn: options.dependsOn } : {}),
    };
    const rootCa = new gcp.certificateauthority.Authority(
      `${name}-root${suffix}`,
      {
        project,
        location,
        pool: this.rootPool.name,
        certificateAuthorityId: authorityId("root", name, location, root, generation),
        type: "SELF_SIGNED",
        desiredState: states.root,
        lifetime: root.lifetime,
        keySpec: { algorithm: root.keyAlgorithm },
        config: {
          subjectConfig: { subject: subjectOf(root) },
          x509Config: {
            caOptions: { isCa: true },
            keyUsage: { baseKeyUsage: { certSign: true, crlSign: true }, extendedKeyUsage: {} },
          },
        },
        deletionProtection: options.deletionProtection,
      },
      opts,
    );
    const issuingCa = new gcp.certificateauthority.Authority(
      `${name}-issuing${suffix}`,
      {
        project,
        location,
        pool: this.issuingPool.name,
        certificateAuthorityId: authorityId("issuing", name, location, issuing, generation),
        // Signed by the root in CA Service and activated by the provider (first-party issuer): a STAGED root signs
        // it too, as a request that names a CA is served by that CA whatever its state.
        type: "SUBORDINATE",
        subordinateConfig: { certificateAuthority: rootCa.name },
        desiredState: states.issuing,
        lifetime: issuing.lifetime,
        keySpec: { algorithm: issuing.keyAlgorithm },
        config: {
          subjectConfig: { subject: subjectOf(issuing) },
          x509Config: {
            // pathlen:0, which @pulumi/tls cannot express: this CA issues leaves, never another CA.
            caOptions: { isCa: true, maxIssuerPathLength: 0, zeroMaxIssuerPathLength: true },
            keyUsage: {
              baseKeyUsage: { certSign: true, crlSign: true },
              extendedKeyUsage: { clientAuth: true, serverAuth: true },
            },
          },
        },
        deletionProtection: options.deletionProtection,
      },
      opts,
    );
    return { root: rootCa, issuing: issuingCa };
  }
}

/**
 * Each generation's CA states in a rotation phase (the README's runbook; CA Service's rotation steps: create the new
 * CA staged, distribute its root, enable it, disable the old one, delete it once its certificates have expired:
 * https://cloud.google.com/certificate-authority-service/docs/managing-ca-state). A pool issues from its ENABLED CAs
 * (load-balanced when several are), so the current issuing CA is disabled when the next one is enabled.
 */
function rotationStates(
  phase: CaRotationPhase | undefined,
  desired: CaState,
): { current: { root: CaState; issuing: CaState }; next: { root: CaState; issuing: CaState } } {
  const staged = { root: "STAGED", issuing: "STAGED" } as const;
  const enabled = { root: "ENABLED", issuing: "ENABLED" } as const;
  switch (phase) {
    case "STAGED":
    case "TRUSTED":
      return { current: enabled, next: staged };
    case "ISSUING":
      return { current: { root: "ENABLED", issuing: "DISABLED" }, next: enabled };
    case "RETIRED":
      return { current: { root: "DISABLED", issuing: "DISABLED" }, next: enabled };
    default:
      // The root signs the issuing CA, so it is enabled while its generation is staged or in use.
      return {
        current: { root: desired === "DISABLED" ? "DISABLED" : "ENABLED", issuing: desired },
        next: enabled,
      };
  }
}

/**
 * One confined requester: a certificate template admitting exactly its SANs (the identity-constraint CEL of templates,
 * https://cloud.google.com/certificate-authority-service/docs/using-cel), `roles/privateca.templateUser` on it, and
 * `roles/privateca.certificateRequester` on the issuing pool under the condition that the request names the template
 * (`privateca.googleapis.com/template`, `<project id>/-/<template id>`:
 * https://cloud.google.com/certificate-authority-service/docs/tutorials/manage-policy-controls).
 */
function createRequester(
  chain: CaServiceChain,
  name: string,
  args: CaServiceChainArgs,
  key: string,
  requester: CertificateRequesterArgs,
): pulumi.Output<string> {
  const parent = { parent: chain };
  const q = (v: string) => JSON.stringify(v);
  const allowed = requester.identities.map((id) =>
    /^[a-z][a-z0-9+.-]*:\/\//.test(id)
      ? `(san.type == URI && san.value == ${q(id)})`
      : `(san.type == DNS && san.value == ${q(id)})`,
  );
  const template = new gcp.certificateauthority.CertificateTemplate(
    `${name}-template-${key}`,
    {
      project: args.project,
      location: args.location,
      description: `Certificates of ${key}: ${requester.identities.join(", ")}`,
      identityConstraints: {
        allowSubjectPassthrough: true,
        allowSubjectAltNamesPassthrough: true,
        celExpression: {
          title: `The SANs of ${key}`,
          expression: `subject_alt_names.size() > 0 && subject_alt_names.all(san, ${allowed.join(" || ")})`,
        },
      },
    },
    parent,
  );
  new gcp.certificateauthority.CertificateTemplateIamMember(
    `${name}-template-user-${key}`,
    { certificateTemplate: template.id, role: "roles/privateca.templateUser", member: requester.member },
    parent,
  );
  new gcp.certificateauthority.CaPoolIamMember(
    `${name}-requester-${key}`,
    {
      caPool: chain.issuingPool.id,
      role: "roles/privateca.certificateRequester",
      member: requester.member,
      condition: {
        title: `only with template ${key}`,
        description: `Requests must name the template that pins the SANs of ${key}`,
        expression: pulumi.interpolate`api.getAttribute('privateca.googleapis.com/template', '') == '${template.project}/-/${template.name}'`,
      },
    },
    parent,
  );
  return template.id;
}

/**
 * The pool in trust-domain mode with the issuing pool for its region, and the IAM managed workload identities need on
 * the issuing pool: roles/privateca.workloadCertificateRequester and roles/privateca.poolReader for every identity of
 * the pool (rule gcp.iam.workload-identity-pool; the managed workload identities guide for Compute Engine).
 */
function createWorkloadIdentities(
  chain: CaServiceChain,
  name: string,
  args: CaServiceChainArgs,
  wi: ComputeWorkloadIdentitiesArgs,
): gcp.iam.WorkloadIdentityPool {
  const parent = { parent: chain };
  const project = args.project;
  const pool = new gcp.iam.WorkloadIdentityPool(
    `${name}-workload-identity-pool`,
    {
      project,
      workloadIdentityPoolId: wi.poolId,
      mode: "TRUST_DOMAIN",
      inlineCertificateIssuanceConfig: {
        caPools: { [args.location]: chain.issuingPool.id },
        lifetime: wi.lifetime ?? "86400s",
        rotationWindowPercentage: wi.rotationWindowPercentage ?? 50,
        keyAlgorithm: "ECDSA_P256",
      },
    },
    parent,
  );
  const number =
    wi.projectNumber ??
    gcp.organizations.getProjectOutput(project !== undefined ? { projectId: project } : {}, parent).number;
  // The pool's identities as IAM spells them, with the `/name/` segment of managed workload identity pools
  // (https://docs.cloud.google.com/iam/docs/create-managed-workload-identities, the CA pool grants).
  const member = pulumi.interpolate`principalSet://iam.googleapis.com/projects/${number}/name/locations/global/workloadIdentityPools/${wi.poolId}/*`;
  grantManagedIdentities(chain, `${name}-workload-identities`, member, [pool]);
  return pool;
}

/**
 * What managed workload identities need on the issuing pool: roles/privateca.workloadCertificateRequester (request
 * their own, REFLECTED_SPIFFE) and roles/privateca.poolReader (read its CA chain), children `<prefix>-requester` and
 * `<prefix>-reader` (https://cloud.google.com/certificate-authority-service/docs/access-control).
 */
function grantManagedIdentities(
  chain: CaServiceChain,
  prefix: string,
  member: pulumi.Input<string>,
  dependsOn: pulumi.Resource[],
): void {
  for (const [role, suffix] of [
    ["roles/privateca.workloadCertificateRequester", "requester"],
    ["roles/privateca.poolReader", "reader"],
  ] as const) {
    new gcp.certificateauthority.CaPoolIamMember(
      `${prefix}-${suffix}`,
      { caPool: chain.issuingPool.id, role, member },
      { parent: chain, ...(dependsOn.length > 0 ? { dependsOn } : {}) },
    );
  }
}

/**
 * The SPIFFE id of a GKE managed workload identity: the Pod's Kubernetes service account in the fleet's trust domain
 * (https://cloud.google.com/iam/docs/managed-workload-identity).
 */
export function gkeWorkloadIdentity(projectId: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${projectId}.svc.id.goog/ns/${namespace}/sa/${serviceAccount}`;
}

/** The SPIFFE id of a Compute Engine managed workload identity of this chain's trust domain. */
export function managedWorkloadIdentity(trustDomain: string, namespace: string, managedIdentity: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${managedIdentity}`;
}

function subjectOf(ca: Pick<CaServiceCaArgs, "subject">) {
  return {
    commonName: ca.subject.commonName,
    ...(ca.subject.organization !== undefined ? { organization: ca.subject.organization } : {}),
    ...(ca.subject.countryCode !== undefined ? { countryCode: ca.subject.countryCode } : {}),
  };
}

/**
 * The CA's id, derived from its fixed settings: a change replaces the CA, and CA Service never reuses the id of a
 * deleted CA, so the replacement needs a new one.
 */
function authorityId(
  role: string,
  name: string,
  location: string,
  ca: CaServiceCaArgs,
  generation: string | undefined,
): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([name, location, ca.subject, ca.lifetime, ca.keyAlgorithm, ca.tier]))
    .digest("hex")
    .slice(0, 8);
  return `${name}-${role}${generation !== undefined ? `-${generation}` : ""}-${hash}`.slice(-64);
}
