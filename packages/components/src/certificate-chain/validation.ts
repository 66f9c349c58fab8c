import { X509Certificate } from "node:crypto";
import {
  checkCertificate,
  checkIssuer,
  inspectCertificate,
  namesOutsideConstraints,
  Problems,
  signedBy,
  tlsProviderHoursProblem,
  type CertificateInfo,
  type CertificateViolation,
  type Problem,
} from "@gcp-mtls/rules";
import { ArgumentError, ProblemCollector, show } from "../internal/format";
import { splitPemCertificates } from "../internal/pem";
import { hostnameProblem, ipProblem, uriProblem } from "../internal/san";
import {
  KEY_ALGORITHMS,
  type CertificateChainArgs,
  type CertificateSubject,
  type IntermediateCaArgs,
  type LeafCertificateArgs,
  type LeafUsage,
} from "./types";

export const DEFAULT_VALIDITY_HOURS = { root: 87600, intermediate: 43800, leaf: 2160 } as const;
/** Google Cloud validates chains of at most 10 certificates, root and leaf included. */
export const MAX_INTERMEDIATE_TIERS = 8;
const KEY_PATTERN = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** A CA or leaf as validation sees it: its argument path, subject and lifetime, and who issues it. */
interface Tier {
  readonly path: string;
  readonly key: string;
  readonly subject: CertificateSubject | undefined;
  readonly validityHours: number;
}

/** Lifetimes after defaults, as the component creates them. */
export interface ResolvedTier {
  readonly key: string;
  readonly validityHours: number;
  readonly earlyRenewalHours: number;
}

export interface ResolvedLeaf extends ResolvedTier {
  readonly issuer: string;
  readonly usages: readonly LeafUsage[];
  readonly subject: CertificateSubject;
}

/** The chain with every default applied. */
export interface ResolvedChain {
  /** Created CA tiers top-down (the root first when created). */
  readonly tiers: Readonly<Record<string, ResolvedTier>>;
  readonly leaves: Readonly<Record<string, ResolvedLeaf>>;
  /** The tier that signs leaves by default. */
  readonly lastTier: string;
}

/**
 * Checks everything about a chain's arguments that can be known before any resource exists and returns the chain
 * with defaults applied (default lifetimes are capped at the issuer's, so a default never outlives its CA).
 * Throws an {@link ArgumentError} naming the argument path, the bad value and the fix.
 */
export function validateCertificateChainArgs(args: CertificateChainArgs): ResolvedChain {
  const resolvedTiers: Record<string, ResolvedTier> = {};
  const resolvedLeaves: Record<string, ResolvedLeaf> = {};
  if (!!args.root === !!args.existingIssuer) {
    throw new ArgumentError(
      `Exactly one of [root] and [existingIssuer] must be set, got ${args.root ? "both" : "neither"}; ` +
        "set [root] to create a self-signed root CA, or [existingIssuer] to issue from a CA you already have",
    );
  }
  // Every problem kept (one ArgumentError lists them all): the root's, each tier's, each leaf's. Leaves are judged
  // against valid tiers only (their lifetimes are capped by their issuer's).
  const problems = new ProblemCollector();
  const tiers: Tier[] = [];
  if (args.root) {
    const root = args.root;
    problems.run(() => checkSubject("root.subject", root.subject, true));
    problems.run(() => checkKeyAlgorithm("root.keyAlgorithm", root.keyAlgorithm));
    const validity =
      problems.run(() =>
        checkValidity("root", root.validityHours, root.earlyRenewalHours, DEFAULT_VALIDITY_HOURS.root),
      ) ?? DEFAULT_VALIDITY_HOURS.root;
    resolvedTiers.root = { key: "root", validityHours: validity, earlyRenewalHours: root.earlyRenewalHours ?? 0 };
    tiers.push({ path: "root", key: "root", subject: root.subject, validityHours: validity });
  } else {
    problems.run(() => checkExistingIssuer(args));
    const existing = args.existingIssuer!.certificatePem;
    const parsed = typeof existing === "string" ? new X509Certificate(existing) : undefined;
    // An existing issuer's remaining lifetime changes with the clock: it caps nothing here, or every run would
    // plan different lifetimes (and replace certificates).
    tiers.push({
      path: "existingIssuer",
      key: "root",
      subject: parsed ? subjectFromText(parsed.subject) : undefined,
      validityHours: Infinity,
    });
  }

  const intermediates = args.intermediates ?? [];
  // An existing issuer that is an intermediate, and its own intermediates, count towards the depth too.
  const existingTiers = args.existingIssuer
    ? (args.existingIssuer.intermediateCertificatePems?.length ?? 0) +
      (args.existingIssuer.rootCertificatePem !== undefined ? 1 : 0)
    : 0;
  if (intermediates.length + existingTiers > MAX_INTERMEDIATE_TIERS) {
    problems.throwIfAny();
    throw new ArgumentError(
      `[intermediates] has ${intermediates.length} tiers${existingTiers > 0 ? ` below ${existingTiers} existing intermediate(s)` : ""}, more than ${MAX_INTERMEDIATE_TIERS} in all; ` +
        "Google Cloud validates chains of at most 10 certificates including the root and the leaf: use fewer tiers",
    );
  }
  const seen = new Set<string>();
  let tiersValid = true;
  intermediates.forEach((tier, i) => {
    const path = `intermediates[${i}]`;
    if (!tiersValid) return;
    tiersValid = problems.run(() => checkTier(tier, path)) !== undefined;
  });
  function checkTier(tier: IntermediateCaArgs, path: string): true {
    checkKey(`${path}.key`, tier.key, "an intermediate tier");
    if (tier.key === "root" || seen.has(tier.key)) {
      throw new ArgumentError(
        `\`${path}.key\` ${show(tier.key)} is ${tier.key === "root" ? "reserved for the root" : "used by another tier"}; give every tier a unique key`,
      );
    }
    seen.add(tier.key);
    checkSubject(`${path}.subject`, tier.subject, true);
    checkKeyAlgorithm(`${path}.keyAlgorithm`, tier.keyAlgorithm);
    const parent = tiers[tiers.length - 1]!;
    const validity = checkValidity(
      path,
      tier.validityHours,
      tier.earlyRenewalHours,
      Math.min(DEFAULT_VALIDITY_HOURS.intermediate, parent.validityHours),
    );
    checkWithinIssuer(path, validity, parent);
    checkSubjectDiffers(`${path}.subject`, tier.subject, parent);
    resolvedTiers[tier.key] = {
      key: tier.key,
      validityHours: validity,
      earlyRenewalHours: tier.earlyRenewalHours ?? 0,
    };
    tiers.push({ path, key: tier.key, subject: tier.subject, validityHours: validity });
    return true;
  }

  if (tiersValid) {
    for (const [key, leaf] of Object.entries(args.leaves ?? {})) {
      const resolved = problems.run(() => validateLeaf(key, leaf, tiers));
      if (resolved !== undefined) resolvedLeaves[key] = resolved;
    }
  }
  problems.throwIfAny();
  return { tiers: resolvedTiers, leaves: resolvedLeaves, lastTier: tiers[tiers.length - 1]!.key };
}

function validateLeaf(key: string, leaf: LeafCertificateArgs, tiers: readonly Tier[]): ResolvedLeaf {
  const path = `leaves.${key}`;
  checkKey(`leaves`, key, "a leaf");
  const usages = leaf.usages ?? ["client"];
  if (
    usages.length === 0 ||
    usages.some((u) => u !== "client" && u !== "server") ||
    new Set(usages).size !== usages.length
  ) {
    throw new ArgumentError(
      `\`${path}.usages\` must be a non-empty list of distinct values from \`client\`, \`server\`, got ${show(usages)}`,
    );
  }
  const issuerKey = leaf.issuer ?? tiers[tiers.length - 1]!.key;
  const issuer = tiers.find((t) => t.key === issuerKey);
  if (!issuer) {
    throw new ArgumentError(
      `\`${path}.issuer\` ${show(leaf.issuer)} is not a tier of this chain; use \`root\` or one of ${show(tiers.slice(1).map((t) => t.key))}`,
    );
  }
  checkKeyAlgorithm(`${path}.keyAlgorithm`, leaf.keyAlgorithm);
  const validityDefault = Math.min(DEFAULT_VALIDITY_HOURS.leaf, issuer.validityHours);
  const validity = leaf.validityHours ?? validityDefault;
  const earlyRenewalHours = leaf.earlyRenewalHours ?? Math.floor(validity / 3);
  checkValidity(path, leaf.validityHours, earlyRenewalHours, validityDefault);
  checkWithinIssuer(path, validity, issuer);
  const subject = leaf.subject ?? { commonName: key };
  checkSubject(`${path}.subject`, subject, false);
  checkSubjectDiffers(`${path}.subject`, subject, issuer);

  (leaf.dnsNames ?? []).forEach((dns, i) => {
    const problem = hostnameProblem(dns, usages.includes("server"));
    if (problem)
      throw new ArgumentError(
        `\`${path}.dnsNames[${i}]\` ${show(dns)} ${problem}; use a DNS name such as \`api.example.com\``,
      );
  });
  const uris = leaf.uris ?? [];
  uris.forEach((uri, i) => {
    const problem = uriProblem(uri);
    if (problem)
      throw new ArgumentError(
        `\`${path}.uris[${i}]\` ${show(uri)} ${problem}`,
        uri.startsWith("spiffe:") ? "cert.leaf.spiffe-id" : undefined,
      );
  });
  const spiffe = uris.filter((u) => u.startsWith("spiffe:"));
  if (spiffe.length > 1) {
    throw new ArgumentError(
      `\`${path}.uris\` holds ${spiffe.length} SPIFFE IDs ${show(spiffe)}; an X.509-SVID carries exactly one: issue one leaf per identity`,
      "cert.leaf.spiffe-id",
    );
  }
  (leaf.ipAddresses ?? []).forEach((ip, i) => {
    const problem = ipProblem(ip);
    if (problem) throw new ArgumentError(`\`${path}.ipAddresses[${i}]\` ${show(ip)} ${problem}`);
  });
  if (usages.includes("server") && (leaf.dnsNames ?? []).length === 0 && (leaf.ipAddresses ?? []).length === 0) {
    throw new ArgumentError(
      `\`${path}\` is a server certificate without \`dnsNames\` or \`ipAddresses\`; TLS clients match the server name ` +
        "against SANs only (not the common name): add the host names it serves",
    );
  }
  return { key, issuer: issuerKey, usages, subject, validityHours: validity, earlyRenewalHours };
}

function checkExistingIssuer(args: CertificateChainArgs): void {
  const existing = args.existingIssuer!;
  const pems = [existing.certificatePem, existing.rootCertificatePem, ...(existing.intermediateCertificatePems ?? [])];
  // Checked now when every PEM is known, otherwise in the component's apply once they are: the same problems either way.
  if (pems.every((p) => p === undefined || typeof p === "string")) {
    const problems = existingPkiProblems(
      {
        certificatePem: existing.certificatePem as string,
        rootCertificatePem: existing.rootCertificatePem as string | undefined,
        intermediateCertificatePems: (existing.intermediateCertificatePems ?? []) as string[],
      },
      args,
    );
    if (problems.length > 0) throw new ArgumentError(problems);
  }
  if (typeof existing.certificatePem === "string" && typeof existing.privateKeyPem === "string") {
    const problems = issuerKeyProblems(existing.certificatePem, existing.privateKeyPem);
    if (problems.length > 0) throw new ArgumentError(problems);
  }
}

/** The PEMs of an existing PKI, known. */
export interface ExistingPki {
  readonly certificatePem: string;
  readonly rootCertificatePem?: string;
  readonly intermediateCertificatePems: readonly string[];
}

const EXISTING = "existingIssuer";

/**
 * Everything wrong with an existing PKI given these arguments, by argument path, with Google Cloud's certificate
 * rules (`@gcp-mtls/rules`): the issuer as an issuing CA, the root as a trust anchor, each intermediate as one; the
 * chain issuer → intermediates → root in order (each signed by the next, AKID = SKID); the path lengths the existing
 * CAs allow for the tiers this chain adds; their name constraints against the leaves' names; and a direct child
 * whose subject equals the issuer's (no AKID then). Used eagerly for known PEMs and, for Outputs, in the component's
 * apply — the same problems either way.
 */
export function existingPkiProblems(pki: ExistingPki, args: CertificateChainArgs): Problem[] {
  const problems = new Problems();
  const found = (path: string, violations: readonly CertificateViolation[]) =>
    violations.forEach((v) => problems.add(path, v.message, v.rule));
  const issuerPath = `${EXISTING}.certificatePem`;
  const rootPath = `${EXISTING}.rootCertificatePem`;
  const intPath = (i: number) => `${EXISTING}.intermediateCertificatePems[${i}]`;
  found(issuerPath, checkCertificate(pki.certificatePem, "issuer"));
  if (pki.rootCertificatePem !== undefined) found(rootPath, checkCertificate(pki.rootCertificatePem, "anchor"));
  pki.intermediateCertificatePems.forEach((pem, i) => found(intPath(i), checkCertificate(pem, "intermediate")));
  if (!problems.empty) return [...problems.items];

  const issuer = inspectCertificate(splitPemCertificates(pki.certificatePem)[0]!);
  if (!issuer.selfIssued && pki.rootCertificatePem === undefined) {
    problems.add(
      issuerPath,
      `is an intermediate (issued by ${show(issuer.issuerText)}) but \`${rootPath}\` is not set; pass the root so trust stores get the right anchor`,
      "cert.anchor.self-signed",
    );
    return [...problems.items];
  }
  // Top-down: root, intermediates, issuer. Each must be signed by the one before it.
  const chain: { path: string; info: CertificateInfo }[] = [
    ...(pki.rootCertificatePem !== undefined
      ? [{ path: rootPath, info: inspectCertificate(splitPemCertificates(pki.rootCertificatePem)[0]!) }]
      : []),
    ...pki.intermediateCertificatePems.map((pem, i) => ({
      path: intPath(i),
      info: inspectCertificate(splitPemCertificates(pem)[0]!),
    })),
    ...(pki.rootCertificatePem !== undefined ? [{ path: issuerPath, info: issuer }] : []),
  ];
  for (let i = 1; i < chain.length; i++) {
    const [parent, child] = [chain[i - 1]!, chain[i]!];
    if (!signedBy(child.info, parent.info)) {
      problems.add(
        child.path,
        `(${child.info.subjectText}) is not signed by \`${parent.path}\` (${parent.info.subjectText}); list the existing intermediates top-down, from the one the root issued to the one that issued \`${issuerPath}\``,
        "cert.chain.signature",
      );
    } else if (child.info.authorityKeyId === undefined || child.info.authorityKeyId !== parent.info.subjectKeyId) {
      problems.add(
        child.path,
        `(${child.info.subjectText}) has authorityKeyIdentifier ${show(child.info.authorityKeyId ?? "none")} but its issuer \`${parent.path}\` has subjectKeyIdentifier ${show(parent.info.subjectKeyId ?? "none")}; Google Cloud requires them to match: reissue it`,
        "cert.chain.authority-key-id",
      );
    }
  }
  // Path lengths: below each existing CA come the existing CAs after it, then the tiers this chain creates.
  const created = (args.intermediates ?? []).length;
  const cas = pki.rootCertificatePem !== undefined ? chain : [{ path: issuerPath, info: issuer }];
  cas.forEach((ca, i) => {
    const below = cas.length - 1 - i + created;
    const limit = ca.info.basicConstraints?.pathLength;
    if (limit !== undefined && below > limit) {
      problems.add(
        ca.path,
        `(${ca.info.subjectText}) allows ${limit} intermediate CA(s) below it (pathlen:${limit}) but there would be ${below} (${cas.length - 1 - i} existing, ${created} in \`intermediates\`); use fewer tiers, or an issuer whose path length allows them`,
        "cert.chain.path-length",
      );
    }
  });
  // Name constraints of the existing CAs, against the names this chain will issue.
  for (const [key, leaf] of Object.entries(args.leaves ?? {})) {
    for (const ca of cas) {
      for (const v of namesOutsideConstraints(ca.info, {
        dns: leaf.dnsNames ?? [],
        uri: leaf.uris ?? [],
        ip: leaf.ipAddresses ?? [],
        commonName: (leaf.subject ?? { commonName: key }).commonName,
      })) {
        problems.add(
          `leaves.${key}`,
          `names ${show(v.name)}, which is ${v.excluded ? "in an excluded" : "outside the permitted"} subtree ${show(v.subtree.value)} of \`${ca.path}\` (${ca.info.subjectText}); issue only names its name constraints allow`,
          "cert.chain.name-constraints",
        );
      }
    }
  }
  const issuerSubject = subjectText(subjectFromText(issuer.x509.subject));
  const tiers = args.intermediates ?? [];
  const children: [string, CertificateSubject][] = [
    ...(tiers.length > 0 ? [["intermediates[0].subject", tiers[0]!.subject] as [string, CertificateSubject]] : []),
    ...Object.entries(args.leaves ?? {})
      .filter(([, leaf]) => leaf.issuer === "root" || (leaf.issuer === undefined && tiers.length === 0))
      .map(
        ([key, leaf]) => [`leaves.${key}.subject`, leaf.subject ?? { commonName: key }] as [string, CertificateSubject],
      ),
  ];
  for (const [path, subject] of children) {
    if (subjectText(subject) === issuerSubject) {
      problems.add(
        path,
        `${show(issuerSubject)} equals the subject of its issuer \`${EXISTING}\`; @pulumi/tls then omits the Authority Key Identifier, which Google Cloud requires: give it a different subject`,
        "cert.chain.authority-key-id",
      );
    }
  }
  return [...problems.items];
}

/** An existing issuer's private key must be the key of its certificate. */
export function issuerKeyProblems(certificatePem: string, privateKeyPem: string): Problem[] {
  return checkIssuer(certificatePem, privateKeyPem)
    .filter((v) => v.rule === "cert.issuer.key-matches")
    .map((v) => ({ path: `${EXISTING}.privateKeyPem`, message: v.message, rule: v.rule }));
}

function checkKey(path: string, key: string, what: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new ArgumentError(
      `\`${path}\` key ${show(key)} of ${what} is not a valid name part; use 1-40 lowercase letters, digits and \`-\` ` +
        "(it becomes part of child resource names and must stay stable)",
    );
  }
}

function checkKeyAlgorithm(path: string, algorithm: string | undefined): void {
  if (algorithm !== undefined && !KEY_ALGORITHMS.includes(algorithm as never)) {
    throw new ArgumentError(
      `\`${path}\` must be one of ${KEY_ALGORITHMS.join(", ")}, got ${show(algorithm)}; Google Cloud rejects mTLS chains ` +
        "with P-224, P-521 or Ed25519 keys and RSA keys under 2048 bits",
    );
  }
}

function checkValidity(
  path: string,
  validityHours: number | undefined,
  earlyRenewalHours: number | undefined,
  defaultValidity: number,
): number {
  const validity = validityHours ?? defaultValidity;
  if (!Number.isInteger(validity) || validity <= 0) {
    throw new ArgumentError(
      `\`${path}.validityHours\` must be a positive whole number of hours, got ${show(validityHours)}`,
    );
  }
  // Rule pulumi-tls.validity-range (terraform-provider-tls internal/provider/common_cert.go).
  const tooLong = tlsProviderHoursProblem(validity);
  if (tooLong) throw new ArgumentError(`\`${path}.validityHours\` ${show(validity)} ${tooLong}; use fewer hours`);
  const early = earlyRenewalHours ?? 0;
  if (!Number.isInteger(early) || early < 0) {
    throw new ArgumentError(
      `\`${path}.earlyRenewalHours\` must be a whole number of hours ≥ 0, got ${show(earlyRenewalHours)}`,
    );
  }
  if (early >= validity) {
    throw new ArgumentError(
      `\`${path}.earlyRenewalHours\` (${early}) must be less than \`${path}.validityHours\` (${validity}); ` +
        "otherwise the certificate is replaced on every `pulumi up`",
    );
  }
  return validity;
}

function checkWithinIssuer(path: string, validity: number, issuer: Tier): void {
  if (validity > issuer.validityHours) {
    throw new ArgumentError(
      `\`${path}.validityHours\` (${validity}) exceeds its issuer \`${issuer.path}\` (${issuer.validityHours}); a certificate ` +
        "must not outlive the CA that signed it: shorten it or lengthen the issuer",
    );
  }
}

function checkSubject(path: string, subject: CertificateSubject | undefined, isCa: boolean): void {
  if (isCa && isEmptySubject(subject)) {
    throw new ArgumentError(`\`${path}\` must not be empty for a CA (RFC 5280 §4.1.2.6); set at least \`commonName\``);
  }
  if (subject?.country !== undefined && !/^[A-Z]{2}$/.test(subject.country)) {
    throw new ArgumentError(
      `\`${path}.country\` must be a two-letter ISO 3166 code such as \`US\`, got ${show(subject.country)}`,
    );
  }
}

/**
 * terraform-provider-tls copies the issuer's SKID into the AKID only when issuer and subject DNs differ; GCP requires
 * AKID = parent SKID on every non-root certificate, so an equal subject would silently break the chain for GCP.
 */
function checkSubjectDiffers(path: string, subject: CertificateSubject | undefined, issuer: Tier): void {
  if (issuer.subject && subject && subjectKey(subject) === subjectKey(issuer.subject)) {
    throw new ArgumentError(
      `\`${path}\` ${show(subjectText(subject))} equals the subject of its issuer \`${issuer.path}\`; @pulumi/tls then ` +
        "omits the Authority Key Identifier, which Google Cloud requires: give it a different subject",
    );
  }
}

function isEmptySubject(s: CertificateSubject | undefined): boolean {
  return !s || Object.values(s).every((v) => v === undefined || v === "" || (Array.isArray(v) && v.length === 0));
}

const SUBJECT_ORDER: (keyof CertificateSubject)[] = [
  "country",
  "province",
  "locality",
  "streetAddresses",
  "postalCode",
  "organization",
  "organizationalUnit",
  "commonName",
  "serialNumber",
];
const SHORT: Record<string, string> = {
  country: "C",
  province: "ST",
  locality: "L",
  streetAddresses: "street",
  postalCode: "postalCode",
  organization: "O",
  organizationalUnit: "OU",
  commonName: "CN",
  serialNumber: "serialNumber",
};

function subjectKey(s: CertificateSubject): string {
  return subjectText(s);
}

/** OpenSSL-like one-line rendering, in the order the provider encodes the attributes. */
export function subjectText(s: CertificateSubject): string {
  return SUBJECT_ORDER.flatMap((k) => {
    const v = s[k];
    if (v === undefined || v === "") return [];
    return (Array.isArray(v) ? v : [v]).map((x) => `${SHORT[k]}=${x}`);
  }).join(", ");
}

/** Parses node's multi-line subject (`CN=root\nO=Example`) into a CertificateSubject. */
export function subjectFromText(text: string): CertificateSubject {
  const out: Record<string, any> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const [k, v] = [line.slice(0, eq), line.slice(eq + 1)];
    const field = Object.entries(SHORT).find(([, s]) => s === k)?.[0];
    if (!field) continue;
    if (field === "streetAddresses") out.streetAddresses = [...(out.streetAddresses ?? []), v];
    else out[field] = v;
  }
  return out;
}
