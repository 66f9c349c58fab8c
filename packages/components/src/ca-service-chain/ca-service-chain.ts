import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../internal/format";
import { shapeProblems } from "../internal/shape";
import type { IssuedLeafRef } from "../vocabulary";
import {
  CA_SERVICE_CHAIN_ARGS_SHAPE,
  type CaServiceCaArgs,
  type CaServiceChainArgs,
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
  /** The root CA certificate (PEM): the trust anchor. */
  public readonly rootCertificatePem: pulumi.Output<string>;
  /** The issuing CA certificate (PEM), below the root. */
  public readonly intermediateCertificatePems: pulumi.Output<string[]>;
  /** None: CA Service never hands out a private key. Workload certificates come from the issuing pool. */
  public readonly leaves: Record<string, IssuedLeafRef>;
  public readonly rootPool: gcp.certificateauthority.CaPool;
  public readonly rootAuthority: gcp.certificateauthority.Authority;
  public readonly issuingPool: gcp.certificateauthority.CaPool;
  public readonly issuingAuthority: gcp.certificateauthority.Authority;
  /** The issuing pool's id (`projects/…/locations/…/caPools/…`): where workloads request certificates. */
  public readonly issuingPoolId: pulumi.Output<string>;
  /** The issuing pool's CEL identity constraint. */
  public readonly issuanceCelExpression: pulumi.Output<string>;
  /** With `computeWorkloadIdentities`: the workload identity pool in trust-domain mode. */
  public readonly workloadIdentityPool?: gcp.iam.WorkloadIdentityPool;
  /** With `computeWorkloadIdentities`: the trust domain, `<poolId>.global.<projectNumber>.workload.id.goog`. */
  public readonly workloadTrustDomain?: pulumi.Output<string>;
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
    this.rootAuthority = new gcp.certificateauthority.Authority(
      `${name}-root`,
      {
        project,
        location,
        pool: this.rootPool.name,
        certificateAuthorityId: authorityId("root", name, location, resolved.root),
        type: "SELF_SIGNED",
        lifetime: resolved.root.lifetime,
        keySpec: { algorithm: resolved.root.keyAlgorithm },
        config: {
          subjectConfig: { subject: subjectOf(resolved.root) },
          x509Config: {
            caOptions: { isCa: true },
            keyUsage: { baseKeyUsage: { certSign: true, crlSign: true }, extendedKeyUsage: {} },
          },
        },
        deletionProtection,
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
    this.issuanceCelExpression = this.workloadTrustDomain
      ? this.workloadTrustDomain.apply((td) =>
          issuanceCel([...resolved.uriPrefixes, `spiffe://${td}/`], resolved.dnsSuffixes),
        )
      : pulumi.output(resolved.celExpression);
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
    this.issuingAuthority = new gcp.certificateauthority.Authority(
      `${name}-issuing`,
      {
        project,
        location,
        pool: this.issuingPool.name,
        certificateAuthorityId: authorityId("issuing", name, location, resolved.issuing),
        // Signed by the root in CA Service and activated by the provider (first-party issuer).
        type: "SUBORDINATE",
        subordinateConfig: { certificateAuthority: this.rootAuthority.name },
        lifetime: resolved.issuing.lifetime,
        keySpec: { algorithm: resolved.issuing.keyAlgorithm },
        config: {
          subjectConfig: { subject: subjectOf(resolved.issuing) },
          x509Config: {
            // pathlen:0, which @pulumi/tls cannot express: this CA issues leaves, never another CA.
            caOptions: { isCa: true, maxIssuerPathLength: 0, zeroMaxIssuerPathLength: true },
            keyUsage: {
              baseKeyUsage: { certSign: true, crlSign: true },
              extendedKeyUsage: { clientAuth: true, serverAuth: true },
            },
          },
        },
        deletionProtection,
      },
      parent,
    );
    this.rootCertificatePem = this.rootAuthority.pemCaCertificates.apply((pems) => pems?.[0] ?? "");
    this.intermediateCertificatePems = this.issuingAuthority.pemCaCertificates.apply((pems) =>
      pems && pems.length > 0 ? [pems[0]!] : [],
    );
    this.leaves = {};
    this.issuingPoolId = this.issuingPool.id;
    if (wi !== undefined) this.workloadIdentityPool = createWorkloadIdentities(this, name, args, wi);
    // Request your own: a workload's identity may create certificates from a CSR (its key never leaves it).
    for (const [key, member] of Object.entries(args.certificateRequesters ?? {})) {
      new gcp.certificateauthority.CaPoolIamMember(
        `${name}-requester-${key}`,
        { caPool: this.issuingPool.id, role: "roles/privateca.certificateRequester", member },
        parent,
      );
    }
    this.registerOutputs({
      workloadTrustDomain: this.workloadTrustDomain,
      rootCertificatePem: this.rootCertificatePem,
      intermediateCertificatePems: this.intermediateCertificatePems,
      issuingPoolId: this.issuingPoolId,
    });
  }
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
  const member = pulumi.interpolate`principalSet://iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/${wi.poolId}/*`;
  for (const [role, suffix] of [
    ["roles/privateca.workloadCertificateRequester", "requester"],
    ["roles/privateca.poolReader", "reader"],
  ] as const) {
    new gcp.certificateauthority.CaPoolIamMember(
      `${name}-workload-identities-${suffix}`,
      { caPool: chain.issuingPool.id, role, member },
      { parent: chain, dependsOn: [pool] },
    );
  }
  return pool;
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
function authorityId(role: string, name: string, location: string, ca: CaServiceCaArgs): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([name, location, ca.subject, ca.lifetime, ca.keyAlgorithm, ca.tier]))
    .digest("hex")
    .slice(0, 8);
  return `${name}-${role}-${hash}`.slice(-64);
}
