import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ArgumentError } from "../internal/format";
import { normaliseSinglePem } from "../internal/pem";
import { shapeProblems } from "../internal/shape";
import {
  CERTIFICATE_CHAIN_ARGS_SHAPE,
  type CertificateChainArgs,
  type CertificateSubject,
  type KeyAlgorithm,
  type LeafCertificateArgs,
  type LeafUsage,
} from "./types";
import { existingPkiProblems, issuerKeyProblems, validateCertificateChainArgs, type ResolvedLeaf } from "./validation";

/** Pulumi type token; part of the public API (changing it replaces every chain). */
export const CERTIFICATE_CHAIN_TYPE = "gcp-mtls:index:CertificateChain";

/**
 * Extended key usages on every CA tier. Google Cloud rejects a client chain whose issuers carry an EKU without
 * clientAuth; OpenSSL rejects a server chain whose issuers carry an EKU without serverAuth. Both are set on every
 * tier, independent of the leaves, so adding a server leaf later never changes (and so never replaces) a CA.
 */
const CA_USES = ["cert_signing", "crl_signing", "client_auth", "server_auth"];

/** A CA certificate with its key. */
export interface IssuedCa {
  readonly certificatePem: pulumi.Output<string>;
  /** Secret. */
  readonly privateKeyPem: pulumi.Output<string>;
}

/** A leaf certificate with its key and chain. */
export interface IssuedLeaf {
  readonly certificatePem: pulumi.Output<string>;
  /** Secret. */
  readonly privateKeyPem: pulumi.Output<string>;
  /** The leaf followed by its intermediates (not the root): what a client presents in the handshake. */
  readonly chainPem: pulumi.Output<string>;
  readonly usages: LeafUsage[];
  readonly dnsNames: string[];
  readonly uris: string[];
  readonly ipAddresses: string[];
  readonly commonName?: string;
  /** Key of the tier that issued it (`root` or an intermediate key). */
  readonly issuer: string;
}

/** One `{ pemCertificate }` entry of a Certificate Manager trust store. */
export interface PemCertificateEntry {
  readonly pemCertificate: string;
}

/** Values for one trust store of a `certificatemanager.TrustConfig`. */
export interface TrustStoreValues {
  readonly trustAnchors: PemCertificateEntry[];
  readonly intermediateCas: PemCertificateEntry[];
}

/**
 * Outputs derived on first read. Kept outside the instance: every property of a component class is an output to the
 * Pulumi schema analyzer (`@pulumi/pulumi/provider/experimental`), and these are not part of the schema.
 */
interface DerivedOutputs {
  trustStore?: pulumi.Output<TrustStoreValues>;
  rootCaPem?: pulumi.Output<string>;
  rootConfigMapData?: pulumi.Output<CaConfigMapData>;
}
const DERIVED = new WeakMap<object, DerivedOutputs>();
function derived(chain: object): DerivedOutputs {
  let cache = DERIVED.get(chain);
  if (!cache) DERIVED.set(chain, (cache = {}));
  return cache;
}
const NAMES = new WeakMap<object, string>();

/** Data for a Kubernetes ConfigMap holding one CA certificate under `ca.crt`, as GKE Gateway requires. */
export type CaConfigMapData = {
  readonly "ca.crt": string;
};

const KEY_SPECS: Record<KeyAlgorithm, { algorithm: string; ecdsaCurve?: string; rsaBits?: number }> = {
  ECDSA_P256: { algorithm: "ECDSA", ecdsaCurve: "P256" },
  ECDSA_P384: { algorithm: "ECDSA", ecdsaCurve: "P384" },
  RSA_2048: { algorithm: "RSA", rsaBits: 2048 },
  RSA_3072: { algorithm: "RSA", rsaBits: 3072 },
  RSA_4096: { algorithm: "RSA", rsaBits: 4096 },
};

/**
 * A root → intermediates → leaves PKI for mutual TLS on Google Cloud, built with `@pulumi/tls`: the seed's OpenSSL
 * steps, with GCP's certificate rules enforced (key types, AKID = parent SKID, issuer EKU clientAuth, leaf CA:FALSE
 * with EKU) and outputs ready for a Certificate Manager TrustConfig and for GKE ConfigMaps.
 */
export class CertificateChain extends pulumi.ComponentResource {
  /** The trust anchor: the created root, or the existing PKI's root. */
  public readonly rootCertificatePem: pulumi.Output<string>;
  /** The created root with its key; undefined when issuing from an existing CA. */
  public readonly root?: IssuedCa;
  /** Created intermediate CAs, by tier key. */
  public readonly intermediates: Record<string, IssuedCa>;
  /** Every intermediate between the root and the leaves (existing ones included), top-down, normalised PEM. */
  public readonly intermediateCertificatePems: pulumi.Output<string[]>;
  /** Leaves by key. */
  public readonly leaves: Record<string, IssuedLeaf>;
  /** `trustStores[0]` values for a TrustConfig: the root as anchor, every intermediate as intermediate CA. */
  public get trustStore(): pulumi.Output<TrustStoreValues> {
    // Derived on first read (and then shared by every reader): most programs read one of these two, few read both.
    const cache = derived(this);
    cache.trustStore ??= pulumi.all([this.rootCaPem, this.intermediateCertificatePems]).apply(([root, ints]) => ({
      trustAnchors: [{ pemCertificate: root }],
      intermediateCas: ints.map((pemCertificate) => ({ pemCertificate })),
    }));
    return cache.trustStore;
  }
  /**
   * The root certificate normalised as Go's `encoding/pem` writes it (LF, 64 columns, one final newline): what trust
   * anchors and `ca.crt` hold, byte for byte, so a re-run shows no diff. Built on first read, then shared.
   */
  public get rootCaPem(): pulumi.Output<string> {
    const cache = derived(this);
    cache.rootCaPem ??= this.rootCertificatePem.apply((root) => normaliseSinglePem(root));
    return cache.rootCaPem;
  }
  /** ConfigMap data (`ca.crt`) for the root: GKE Gateway frontend mTLS trusts root certificates. */
  public get rootConfigMapData(): pulumi.Output<CaConfigMapData> {
    const cache = derived(this);
    cache.rootConfigMapData ??= this.rootCaPem.apply((root) => ({ "ca.crt": root }));
    return cache.rootConfigMapData;
  }

  private get chainName(): string {
    return NAMES.get(this) ?? "";
  }

  /** The leaf issued under `key`, or an error naming the keys this chain has (instead of `leaves[key]!`). */
  public leaf(key: string): IssuedLeaf {
    const leaf = Object.prototype.hasOwnProperty.call(this.leaves, key) ? this.leaves[key] : undefined;
    if (leaf === undefined) {
      const keys = Object.keys(this.leaves);
      throw new ArgumentError(
        `CertificateChain ${this.chainName} has no leaf \`${key}\`; its leaves: ${keys.length > 0 ? keys.map((k) => `\`${k}\``).join(", ") : "none"}`,
      );
    }
    return leaf;
  }

  constructor(name: string, args: CertificateChainArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CERTIFICATE_CHAIN_TYPE, name, {}, opts);
    NAMES.set(this, name);
    // Shape first (every problem at once): no later check reads a value of the wrong type.
    const shape = shapeProblems(args, CERTIFICATE_CHAIN_ARGS_SHAPE, "");
    if (shape.length > 0) throw new ArgumentError(shape);
    const resolved = validateCertificateChainArgs(args);
    const parent = { parent: this };

    // The top issuer: a created root, or the existing CA.
    let topCert: pulumi.Output<string>;
    let topKey: pulumi.Output<string>;
    // Intermediates of an existing PKI, above the existing issuer (none with a created root).
    let existingChain: pulumi.Output<string[]> | undefined;
    if (args.root) {
      const key = this.privateKey(`${name}-root-key`, args.root.keyAlgorithm);
      const cert = new tls.SelfSignedCert(
        `${name}-root`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: toTlsSubject(args.root.subject),
          isCaCertificate: true,
          // Emitted only when positive: terraform-provider-tls drops a zero path length (see README).
          maxPathLength: (args.intermediates ?? []).length,
          allowedUses: CA_USES,
          validityPeriodHours: resolved.tiers.root!.validityHours,
          earlyRenewalHours: resolved.tiers.root!.earlyRenewalHours,
        },
        parent,
      );
      topCert = cert.certPem;
      topKey = pulumi.secret(key.privateKeyPem);
      this.root = { certificatePem: cert.certPem, privateKeyPem: topKey };
      this.rootCertificatePem = cert.certPem;
    } else {
      const existing = args.existingIssuer!;
      // The existing PKI is checked once all its PEMs are known (now, or at deploy time), with the same rules.
      const pki = pulumi
        .all([
          existing.certificatePem,
          existing.rootCertificatePem,
          pulumi.all([...(existing.intermediateCertificatePems ?? [])]),
        ])
        .apply(([certificatePem, rootCertificatePem, intermediateCertificatePems]) => {
          const known = { certificatePem, rootCertificatePem, intermediateCertificatePems };
          const problems = existingPkiProblems(known, args);
          if (problems.length > 0) throw new pulumi.ResourceError(new ArgumentError(problems).message, this);
          return {
            issuer: normaliseSinglePem(certificatePem),
            root: normaliseSinglePem(rootCertificatePem ?? certificatePem),
            intermediates: intermediateCertificatePems.map((p) => normaliseSinglePem(p)),
          };
        });
      topCert = pki.apply((p) => p.issuer);
      topKey = pulumi.secret(
        pulumi.all([existing.certificatePem, existing.privateKeyPem]).apply(([certificatePem, privateKeyPem]) => {
          const problems = issuerKeyProblems(certificatePem, privateKeyPem);
          if (problems.length > 0) throw new pulumi.ResourceError(new ArgumentError(problems).message, this);
          return privateKeyPem;
        }),
      );
      this.rootCertificatePem = pki.apply((p) => p.root);
      existingChain = pki.apply((p) => p.intermediates);
    }

    // Intermediate tiers, top-down.
    const intermediates: Record<string, IssuedCa> = {};
    const tierCerts: Record<string, { cert: pulumi.Output<string>; key: pulumi.Output<string> }> = {
      root: { cert: topCert, key: topKey },
    };
    let issuerCert = topCert;
    let issuerKey = topKey;
    // A copy made here: an array from another realm (a vm context) would make `pulumi.all` see an object.
    const tiers = [...(args.intermediates ?? [])];
    tiers.forEach((tier, i) => {
      const key = this.privateKey(`${name}-intermediate-${tier.key}-key`, tier.keyAlgorithm);
      const csr = new tls.CertRequest(
        `${name}-intermediate-${tier.key}-csr`,
        { privateKeyPem: key.privateKeyPem, subject: toTlsSubject(tier.subject) },
        parent,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-intermediate-${tier.key}`,
        {
          certRequestPem: csr.certRequestPem,
          caCertPem: issuerCert,
          caPrivateKeyPem: issuerKey,
          isCaCertificate: true,
          maxPathLength: tiers.length - 1 - i,
          allowedUses: CA_USES,
          validityPeriodHours: resolved.tiers[tier.key]!.validityHours,
          earlyRenewalHours: resolved.tiers[tier.key]!.earlyRenewalHours,
        },
        parent,
      );
      const issued = { certificatePem: cert.certPem, privateKeyPem: pulumi.secret(key.privateKeyPem) };
      intermediates[tier.key] = issued;
      tierCerts[tier.key] = { cert: cert.certPem, key: issued.privateKeyPem };
      issuerCert = cert.certPem;
      issuerKey = issued.privateKeyPem;
    });
    this.intermediates = intermediates;

    // Intermediates above each tier (existing ones first), so a leaf's chain is leaf + the tiers up to its issuer.
    // One Output per issuing tier, shared by all its leaves.
    const chainsAbove = new Map<string, pulumi.Output<string[]>>();
    const chainAbove = (tierKey: string): pulumi.Output<string[]> => {
      const cached = chainsAbove.get(tierKey);
      if (cached) return cached;
      const created = tiers
        .slice(0, tiers.findIndex((t) => t.key === tierKey) + 1)
        .map((t) => intermediates[t.key]!.certificatePem);
      const existingTop = args.existingIssuer?.rootCertificatePem !== undefined ? [topCert] : [];
      const chain = existingChain
        ? pulumi
            .all([existingChain, pulumi.all([...existingTop, ...created])])
            .apply(([existing, rest]) => [...existing, ...rest])
        : pulumi.all(created);
      chainsAbove.set(tierKey, chain);
      return chain;
    };
    const lastTier = resolved.lastTier;
    this.intermediateCertificatePems = chainAbove(lastTier).apply((pems) => pems.map((p) => normaliseSinglePem(p)));

    const leaves: Record<string, IssuedLeaf> = {};
    for (const [leafKey, leaf] of Object.entries(args.leaves ?? {})) {
      const plan = resolved.leaves[leafKey]!;
      leaves[leafKey] = this.issueLeaf(name, leaf, plan, tierCerts[plan.issuer]!, chainAbove(plan.issuer));
    }
    this.leaves = leaves;

    // Only what identifies the chain: the PEMs and trust values stay on the object (they are its children's outputs).
    this.registerOutputs({
      rootCertificatePem: this.rootCertificatePem,
      intermediateCertificatePems: this.intermediateCertificatePems,
    });
  }

  private privateKey(resourceName: string, algorithm: KeyAlgorithm | undefined): tls.PrivateKey {
    const spec = KEY_SPECS[algorithm ?? "ECDSA_P256"];
    return new tls.PrivateKey(resourceName, { ...spec }, { parent: this });
  }

  private issueLeaf(
    name: string,
    leaf: LeafCertificateArgs,
    plan: ResolvedLeaf,
    issuer: { cert: pulumi.Output<string>; key: pulumi.Output<string> },
    chainAbove: pulumi.Output<string[]>,
  ): IssuedLeaf {
    const { key, usages, subject } = plan;
    const privateKey = this.privateKey(`${name}-leaf-${key}-key`, leaf.keyAlgorithm);
    const isRsa = (leaf.keyAlgorithm ?? "ECDSA_P256").startsWith("RSA");
    const csr = new tls.CertRequest(
      `${name}-leaf-${key}-csr`,
      {
        privateKeyPem: privateKey.privateKeyPem,
        subject: toTlsSubject(subject),
        dnsNames: [...(leaf.dnsNames ?? [])],
        uris: [...(leaf.uris ?? [])],
        ipAddresses: [...(leaf.ipAddresses ?? [])],
      },
      { parent: this },
    );
    const cert = new tls.LocallySignedCert(
      `${name}-leaf-${key}`,
      {
        certRequestPem: csr.certRequestPem,
        caCertPem: issuer.cert,
        caPrivateKeyPem: issuer.key,
        isCaCertificate: false,
        allowedUses: [
          "digital_signature",
          // keyEncipherment for RSA keys, as the SWP guide's client.cnf and the GKE guide's server config set it
          // (RSA key transport); ECDSA keys cannot encipher.
          ...(isRsa ? ["key_encipherment"] : []),
          ...(usages.includes("client") ? ["client_auth"] : []),
          ...(usages.includes("server") ? ["server_auth"] : []),
        ],
        validityPeriodHours: plan.validityHours,
        earlyRenewalHours: plan.earlyRenewalHours,
      },
      { parent: this },
    );
    return {
      certificatePem: cert.certPem,
      privateKeyPem: pulumi.secret(privateKey.privateKeyPem),
      chainPem: pulumi
        .all([cert.certPem, chainAbove])
        .apply(([leafPem, above]) => [leafPem, ...[...above].reverse()].map((p) => normaliseSinglePem(p)).join("")),
      usages: [...usages],
      dnsNames: [...(leaf.dnsNames ?? [])],
      uris: [...(leaf.uris ?? [])],
      ipAddresses: [...(leaf.ipAddresses ?? [])],
      commonName: subject.commonName,
      issuer: plan.issuer,
    };
  }
}

function toTlsSubject(s: CertificateSubject): tls.types.input.CertRequestSubject {
  return {
    commonName: s.commonName,
    organization: s.organization,
    organizationalUnit: s.organizationalUnit,
    country: s.country,
    province: s.province,
    locality: s.locality,
    postalCode: s.postalCode,
    streetAddresses: s.streetAddresses ? [...s.streetAddresses] : undefined,
    serialNumber: s.serialNumber,
  };
}
