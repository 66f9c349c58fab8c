import type * as pulumi from "@pulumi/pulumi";
import { S, type Shape } from "../internal/shape";

/** CA Service signing key algorithms (magic-modules privateca/CertificateAuthority.yaml `keySpec.algorithm`). */
export const CaKeyAlgorithm = {
  EcP256: "EC_P256_SHA256",
  EcP384: "EC_P384_SHA384",
  RsaPkcs1_3072: "RSA_PKCS1_3072_SHA256",
  RsaPkcs1_4096: "RSA_PKCS1_4096_SHA256",
} as const;
export type CaKeyAlgorithm = (typeof CaKeyAlgorithm)[keyof typeof CaKeyAlgorithm];

/** CA Service pool tiers (privateca/CaPool.yaml `tier`). */
export const CaPoolTier = { Enterprise: "ENTERPRISE", DevOps: "DEVOPS" } as const;
export type CaPoolTier = (typeof CaPoolTier)[keyof typeof CaPoolTier];

/**
 * A CA's lifecycle state (CertificateAuthority `desiredState`, privateca/CertificateAuthority.yaml): `STAGED` is created
 * with its certificate and is left out of the pool's issuance (it serves only requests that name it), `ENABLED` issues
 * for the pool, `DISABLED` issues nothing (only after creation).
 */
export const CaState = { Staged: "STAGED", Enabled: "ENABLED", Disabled: "DISABLED" } as const;
export type CaState = (typeof CaState)[keyof typeof CaState];

/**
 * Where a CA rotation stands (the README's runbook). Each phase is one `pulumi up`, and each is an update in place:
 * - `STAGED`: the next generation's CAs exist, `STAGED` (their certificates are published; the pool does not issue
 *   from them);
 * - `TRUSTED`: every trust store built from this chain holds both roots (`rotationTrustAnchorPems`);
 * - `ISSUING`: the next issuing CA is enabled and the current one disabled, so the pool issues from the next only;
 *   leaves of both generations are trusted;
 * - `RETIRED`: the current generation is disabled and no longer trusted (do this once its longest-lived leaf has
 *   expired); the chain's outputs are the next generation's.
 */
export const CaRotationPhase = {
  Staged: "STAGED",
  Trusted: "TRUSTED",
  Issuing: "ISSUING",
  Retired: "RETIRED",
} as const;
export type CaRotationPhase = (typeof CaRotationPhase)[keyof typeof CaRotationPhase];

/** The next CA generation, in the same two pools (CA Service rotates CAs within a pool). */
export interface CaRotationArgs {
  /**
   * The next generation's stable key (1-20 lowercase letters, digits and `-`, e.g. `g2027`): it names its CAs
   * (`<name>-root-<generation>`) and its trust anchor. After `RETIRED`, make it the chain's `generation` (and its CAs
   * the chain's `root` and `issuing`) to end the rotation: the names match, so nothing is replaced.
   */
  readonly generation: string;
  /** The next root CA (its tier is the pool's: leave `tier` out or give the same). */
  readonly root: CaServiceCaArgs;
  /** The next issuing CA, subordinate to the next root. */
  readonly issuing: CaServiceCaArgs;
  /** Where the rotation stands. */
  readonly phase: CaRotationPhase;
}

/** The subject of a CA certificate. */
export interface CaSubjectArgs {
  /** The CA's common name, e.g. `Bank Workload Root CA`. */
  readonly commonName: string;
  /** @default - none */
  readonly organization?: string;
  /** Two-letter country code. @default - none */
  readonly countryCode?: string;
}

/** One CA of the hierarchy and its pool. */
export interface CaServiceCaArgs {
  readonly subject: CaSubjectArgs;
  /**
   * Lifetime, in seconds with an `s` suffix (the API's duration format).
   * @default "315360000s" (10 years) for the root, "94608000s" (3 years) for the issuing CA
   */
  readonly lifetime?: string;
  /** The signing key, held by CA Service (Cloud HSM-backed, never exported). @default "EC_P256_SHA256" */
  readonly keyAlgorithm?: CaKeyAlgorithm;
  /**
   * The pool's tier. `ENTERPRISE` keeps every issued certificate (listable, revocable) and is required to issue with
   * the `certificateauthority.Certificate` resource; `DEVOPS` stores none. @default "ENTERPRISE"
   */
  readonly tier?: CaPoolTier;
}

/** What the issuing pool may issue: the SANs are pinned to the trust domain (a CEL identity constraint). */
export interface CaIssuancePolicyArgs {
  /** URI SAN prefixes a certificate may carry, e.g. `spiffe://bank.example/`. @default [] */
  readonly uriPrefixes?: string[];
  /** DNS SAN suffixes a certificate may carry, e.g. `.bank.internal`. @default [] */
  readonly dnsSuffixes?: string[];
  /** Longest lifetime of an issued certificate. @default "2592000s" (30 days) */
  readonly maximumLifetime?: string;
}

/**
 * Managed workload identities for Compute Engine: a workload identity pool in trust-domain mode whose certificates the
 * issuing pool issues, and the IAM that lets it request them. Google provisions and rotates each VM's certificate; its
 * identity is `spiffe://<poolId>.global.<projectNumber>.workload.id.goog/ns/<namespace>/sa/<managedIdentity>`.
 */
export interface ComputeWorkloadIdentitiesArgs {
  /** The workload identity pool's id (4-32 lowercase letters, digits and `-`). */
  readonly poolId: string;
  /**
   * The project's number, when known: the identities are then plain strings, usable in identity rules
   * (`SecureWebProxyMtls.allow`). @default - looked up (the identities are then Outputs)
   */
  readonly projectNumber?: string;
  /** Lifetime of a workload certificate, `86400s` (1 day) to `2592000s` (30 days). @default "86400s" */
  readonly lifetime?: string;
  /** How far through its lifetime a certificate is renewed, 50-80 (%). @default 50 */
  readonly rotationWindowPercentage?: number;
}

/**
 * Certificate Manager issuance configs on the issuing pool: Google-managed private certificates for load balancers,
 * Gateways and Secure Web Proxy, whose keys Google holds and rotates (rules
 * gcp.certificatemanager.certificate-issuance-config, gcp.certificatemanager.private-issuance).
 */
export interface CertificateManagerIssuanceArgs {
  /**
   * Where the configs live: `global` (global load balancers and Gateways, through a certificate map) and/or the
   * chain's `location` (regional load balancers and Gateways, Secure Web Proxy). @default ["global"]
   */
  readonly locations?: string[];
  /** Lifetime of an issued certificate, `1814400s` (21 days) to `2592000s` (30 days). @default "2592000s" */
  readonly lifetime?: string;
  /**
   * How far through its lifetime a certificate is renewed, 1-99 (%), leaving at least 7 days on each side.
   * @default 66
   */
  readonly rotationWindowPercentage?: number;
  /** The certificates' key: `ECDSA_P256` or `RSA_2048`. @default "ECDSA_P256" */
  readonly keyAlgorithm?: string;
}

/**
 * Managed workload identities for GKE (Preview): the fleet's Google-managed pool `<projectId>.svc.id.goog` issues
 * each Pod's SPIFFE certificate (`spiffe://<projectId>.svc.id.goog/ns/<namespace>/sa/<service account>`) from the
 * issuing pool, which Google rotates. The chain grants the pool's identities what they need on the issuing pool; the
 * pool's issuance config is bound with gcloud (the pool belongs to the fleet: see the README).
 */
export interface GkeWorkloadIdentitiesArgs {
  /** The fleet host project's id: the trust domain is `<projectId>.svc.id.goog`. */
  readonly projectId: string;
  /** The project's number, when known. @default - looked up */
  readonly projectNumber?: string;
}

/**
 * A principal that requests certificates for its own identities. It gets a certificate template
 * (`<name>-template-<key>`) whose identity constraint admits exactly those SANs, `roles/privateca.templateUser` on it,
 * and `roles/privateca.certificateRequester` on the issuing pool under an IAM condition that the request names that
 * template: without it the grant does not apply, so the principal cannot ask for another identity.
 */
export interface CertificateRequesterArgs {
  /** The IAM principal, e.g. `serviceAccount:…` or a Workload Identity Federation `principal://…`. */
  readonly member: pulumi.Input<string>;
  /**
   * Its SANs: URIs (`spiffe://bank.example/ns/payments/sa/processor`) and DNS names (`api.bank.internal`), each
   * within the issuance policy. At least one.
   */
  readonly identities: string[];
}

export interface CaServiceChainArgs {
  /** Project of every resource. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /** Region of both pools and CAs (CA Service is regional), e.g. `us-central1`. */
  readonly location: string;
  /** The self-signed root CA, in its own pool. */
  readonly root: CaServiceCaArgs;
  /** The issuing CA, subordinate to the root with path length 0 (it issues leaves only), in its own pool. */
  readonly issuing: CaServiceCaArgs;
  /** The issuing pool's policy: which SANs it may issue. At least one URI prefix or DNS suffix. */
  readonly issuancePolicy: CaIssuancePolicyArgs;
  /**
   * The current generation's stable key (see `rotation.generation`). @default - none: the CAs are `<name>-root` and
   * `<name>-issuing`
   */
  readonly generation?: string;
  /** A CA rotation under way: the next generation and its phase. @default - none */
  readonly rotation?: CaRotationArgs;
  /**
   * Refuse to destroy the CAs (`deletionProtection`): a destroy then fails until it is set `false` and applied. A
   * destroy disables an enabled CA first, then deletes it with CA Service's 30-day grace period.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * The issuing CA's state, the lever of a CA rotation: create the next generation `STAGED` (its root can be trusted,
   * it issues nothing), `ENABLED` once every trust store holds its root, `DISABLED` to retire it (a CA is created
   * `STAGED` or `ENABLED`, never `DISABLED`: rule gcp.privateca.authority.desired-state). The root stays `ENABLED`
   * (it signs the issuing CA) unless the generation is `DISABLED`. Every change is an update in place.
   * @default "ENABLED"
   */
  readonly desiredState?: CaState;
  /**
   * Issue managed workload identities to Compute Engine VMs from the issuing pool (their trust domain's URI prefix is
   * added to the issuance policy). @default - none
   */
  readonly computeWorkloadIdentities?: ComputeWorkloadIdentitiesArgs;
  /**
   * Issue GKE managed workload identities from the issuing pool (their trust domain's URI prefix is added to the
   * issuance policy). @default - none
   */
  readonly gkeWorkloadIdentities?: GkeWorkloadIdentitiesArgs;
  /**
   * Let Certificate Manager issue Google-managed certificates from the issuing pool (for the servers: the proxy's and
   * the Gateway's certificates, with no key in state): a CertificateIssuanceConfig per location, and
   * roles/privateca.certificateRequester for Certificate Manager's service agent. @default - none
   */
  readonly certificateManagerIssuance?: CertificateManagerIssuanceArgs;
  /**
   * Principals that request their own certificates from the issuing pool with a CSR (the key stays with the
   * workload), by stable key, each confined to its own identities (rule gcp.privateca.requester-confinement), e.g.
   * `{ payments: { member: "serviceAccount:processor@bank-prod.iam.gserviceaccount.com", identities:
   * ["spiffe://bank.example/ns/payments/sa/processor"] } }`. @default {}
   */
  readonly certificateRequesters?: Record<string, CertificateRequesterArgs>;
}

const caShape = S.object(
  {
    subject: S.object({ commonName: S.string, organization: S.string, countryCode: S.string }, ["commonName"]),
    lifetime: S.string,
    keyAlgorithm: S.string,
    tier: S.string,
  },
  ["subject"],
);

/** The runtime shape of {@link CaServiceChainArgs}. */
export const CA_SERVICE_CHAIN_ARGS_SHAPE: Shape = S.object(
  {
    project: S.input,
    location: S.string,
    root: caShape,
    issuing: caShape,
    issuancePolicy: S.object({
      uriPrefixes: S.array(S.string),
      dnsSuffixes: S.array(S.string),
      maximumLifetime: S.string,
    }),
    deletionProtection: S.boolean,
    desiredState: S.string,
    generation: S.string,
    rotation: S.object({ generation: S.string, root: caShape, issuing: caShape, phase: S.string }, [
      "generation",
      "root",
      "issuing",
      "phase",
    ]),
    certificateRequesters: S.record(
      S.object({ member: S.input, identities: S.array(S.string) }, ["member", "identities"]),
    ),
    gkeWorkloadIdentities: S.object({ projectId: S.string, projectNumber: S.string }, ["projectId"]),
    certificateManagerIssuance: S.object({
      locations: S.array(S.string),
      lifetime: S.string,
      rotationWindowPercentage: S.integer,
      keyAlgorithm: S.string,
    }),
    computeWorkloadIdentities: S.object(
      { poolId: S.string, projectNumber: S.string, lifetime: S.string, rotationWindowPercentage: S.integer },
      ["poolId"],
    ),
  },
  ["location", "root", "issuing", "issuancePolicy"],
);
