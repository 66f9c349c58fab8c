import type * as pulumi from "@pulumi/pulumi";
import { S, type Shape } from "../internal/shape";

/**
 * Key algorithms Google Cloud accepts in an mTLS chain. P-224, P-521 and Ed25519 are refused by GCP's load balancers
 * and Secure Web Proxy, and RSA below 2048 bits is too.
 */
export const KeyAlgorithm = {
  /** ECDSA on NIST P-256 (the default). */
  ECDSA_P256: "ECDSA_P256",
  /** ECDSA on NIST P-384. */
  ECDSA_P384: "ECDSA_P384",
  RSA_2048: "RSA_2048",
  RSA_3072: "RSA_3072",
  RSA_4096: "RSA_4096",
} as const;
// An `as const` object and its value union: what the Pulumi schema analyzer reads as an enum, and what TypeScript
// callers pass as plain strings.
export type KeyAlgorithm = (typeof KeyAlgorithm)[keyof typeof KeyAlgorithm];

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = Object.values(KeyAlgorithm);

/** An X.509 subject. Values are plain because they decide validation (a subject must differ from its issuer's). */
export interface CertificateSubject {
  /** @default - none */
  readonly commonName?: string;
  /** @default - none */
  readonly organization?: string;
  /** @default - none */
  readonly organizationalUnit?: string;
  /** Two-letter country code. @default - none */
  readonly country?: string;
  /** @default - none */
  readonly province?: string;
  /** @default - none */
  readonly locality?: string;
  /** @default - none */
  readonly postalCode?: string;
  /** @default - none */
  readonly streetAddresses?: string[];
  /** The subject's serialNumber attribute (not the certificate serial). @default - none */
  readonly serialNumber?: string;
}

/** A self-signed root CA created by the component. */
export interface RootCaArgs {
  /** The root's subject. Must not be empty (RFC 5280 §4.1.2.6 for CAs). */
  readonly subject: CertificateSubject;
  /** @default "ECDSA_P256" */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Lifetime in hours. @default 87600 (10 years) */
  readonly validityHours?: number;
  /**
   * Replace the root this many hours before it expires (on the next `pulumi up` after that point). A replaced root
   * invalidates every certificate of the old chain at once, so the default never does it: rotate roots deliberately,
   * keeping the old anchor in trust stores until its leaves have expired.
   * @default 0
   */
  readonly earlyRenewalHours?: number;
}

/** Issue from a CA that exists outside this component (bring your own issuer). */
export interface ExistingIssuerArgs {
  /** PEM of the issuing CA certificate (a root or an intermediate). */
  readonly certificatePem: pulumi.Input<string>;
  /** PEM of its private key. Treated as a secret. */
  readonly privateKeyPem: pulumi.Input<string>;
  /**
   * The root of the existing PKI, when `certificatePem` is an intermediate: it becomes the trust anchor of the
   * trust-config values, and `certificatePem` an intermediate CA.
   * @default - `certificatePem` is itself the root
   */
  readonly rootCertificatePem?: pulumi.Input<string>;
  /**
   * Intermediates between the root and `certificatePem` (top-down), for full chains and trust-config values.
   * @default []
   */
  readonly intermediateCertificatePems?: pulumi.Input<string>[];
}

/** One intermediate CA tier. Tiers are issued top-down: the first by the root, each next by the previous. */
export interface IntermediateCaArgs {
  /** Stable key, used in child resource names (`<name>-intermediate-<key>`): lowercase letters, digits, `-`. */
  readonly key: string;
  /** The intermediate's subject; must differ from its issuer's. */
  readonly subject: CertificateSubject;
  /** @default "ECDSA_P256" */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Lifetime in hours; at most the issuer's. @default 43800 (5 years) */
  readonly validityHours?: number;
  /** Hours before expiry at which `pulumi up` replaces it. @default 0 (rotate CAs deliberately) */
  readonly earlyRenewalHours?: number;
}

/** What a leaf is for: `client` adds EKU clientAuth, `server` adds serverAuth. */
export const LeafUsage = {
  /** EKU clientAuth: a workload identity presented to a proxy or Gateway. */
  Client: "client",
  /** EKU serverAuth: a proxy's, Gateway's or backend's own certificate. */
  Server: "server",
} as const;
export type LeafUsage = (typeof LeafUsage)[keyof typeof LeafUsage];

/** A leaf (end-entity) certificate. */
export interface LeafCertificateArgs {
  /** @default ["client"] */
  readonly usages?: LeafUsage[];
  /** The leaf's subject; must differ from its issuer's. @default { commonName: <leaf key> } */
  readonly subject?: CertificateSubject;
  /** DNS SANs (lowercase RFC 1123 names; a leading `*.` wildcard only on server leaves). @default [] */
  readonly dnsNames?: string[];
  /** URI SANs, e.g. one SPIFFE ID `spiffe://trust-domain/path`. @default [] */
  readonly uris?: string[];
  /** IP address SANs. @default [] */
  readonly ipAddresses?: string[];
  /** @default "ECDSA_P256" */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Lifetime in hours; at most the issuer's. @default 2160 (90 days) */
  readonly validityHours?: number;
  /** Hours before expiry at which `pulumi up` issues a new certificate and key. @default ⅓ of `validityHours` */
  readonly earlyRenewalHours?: number;
  /** Key of the intermediate tier that signs this leaf, or `"root"`. @default - the last intermediate tier, else the root */
  readonly issuer?: string;
}

export interface CertificateChainArgs {
  /** Create a root CA. Exactly one of `root` and `existingIssuer`. @default - none */
  readonly root?: RootCaArgs;
  /** Issue from an existing CA instead of creating a root. Exactly one of `root` and `existingIssuer`. @default - none */
  readonly existingIssuer?: ExistingIssuerArgs;
  /** Intermediate CA tiers, top-down. At most 8 (Google Cloud's chain depth limit is 10 with root and leaf). @default [] */
  readonly intermediates?: IntermediateCaArgs[];
  /** Leaves by stable key (used in child names `<name>-leaf-<key>`). @default {} */
  readonly leaves?: Record<string, LeafCertificateArgs>;
}

const subjectShape = S.object({
  commonName: S.string,
  organization: S.string,
  organizationalUnit: S.string,
  country: S.string,
  province: S.string,
  locality: S.string,
  postalCode: S.string,
  streetAddresses: S.array(S.string),
  serialNumber: S.string,
});
// Values (which algorithm, which usage) are judged by the chain's own rules, with their reasons; the shape checks types.
const lifetime = { keyAlgorithm: S.string, validityHours: S.integer, earlyRenewalHours: S.integer };

/** The runtime shape of {@link CertificateChainArgs} (checked before any other rule). */
export const CERTIFICATE_CHAIN_ARGS_SHAPE: Shape = S.object({
  root: S.object({ subject: subjectShape, ...lifetime }, ["subject"]),
  existingIssuer: S.object(
    {
      certificatePem: S.input,
      privateKeyPem: S.input,
      rootCertificatePem: S.input,
      intermediateCertificatePems: S.array(S.input),
    },
    ["certificatePem", "privateKeyPem"],
  ),
  intermediates: S.array(S.object({ key: S.string, subject: subjectShape, ...lifetime }, ["key", "subject"])),
  leaves: S.record(
    S.object({
      usages: S.array(S.string),
      subject: subjectShape,
      dnsNames: S.array(S.string),
      uris: S.array(S.string),
      ipAddresses: S.array(S.string),
      ...lifetime,
      issuer: S.string,
    }),
  ),
});
