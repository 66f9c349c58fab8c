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
   * Refuse to destroy the CAs (`deletionProtection`): a destroy then fails until it is set `false` and applied. A
   * destroy disables an enabled CA first, then deletes it with CA Service's 30-day grace period.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Issue managed workload identities to Compute Engine VMs from the issuing pool (their trust domain's URI prefix is
   * added to the issuance policy). @default - none
   */
  readonly computeWorkloadIdentities?: ComputeWorkloadIdentitiesArgs;
  /**
   * Principals that request their own certificates from the issuing pool with a CSR (the key stays with the
   * workload), by stable key: each gets `roles/privateca.certificateRequester` on the issuing pool, e.g.
   * `{ payments: "serviceAccount:processor@bank-prod.iam.gserviceaccount.com" }`. @default {}
   */
  readonly certificateRequesters?: Record<string, pulumi.Input<string>>;
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
    certificateRequesters: S.record(S.input),
    computeWorkloadIdentities: S.object(
      { poolId: S.string, projectNumber: S.string, lifetime: S.string, rotationWindowPercentage: S.integer },
      ["poolId"],
    ),
  },
  ["location", "root", "issuing", "issuancePolicy"],
);
