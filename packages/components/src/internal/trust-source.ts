import * as pulumi from "@pulumi/pulumi";
import { Problems, type Problem } from "@gcp-mtls/rules";
import {
  CertificateChain,
  type PemCertificateEntry,
  type TrustStoreValues,
} from "../certificate-chain/certificate-chain";
import type { TrustSource } from "../vocabulary";
import { checkChainRef, intermediateCountOf, rootCaPemOf, trustStoreOf } from "./chain-ref";
import { ArgumentError, show } from "./format";
import { normaliseSinglePem, splitPemCertificates } from "./pem";
import { checkOn, checkTrustPem, checkTrustStoreCounts, checkedTrustPem, type CaData } from "./trust";

// One reading of the shared `TrustSource` for every component: the construction-time rules (every problem at once)
// and the two places a trust source is delivered to (a TrustConfig trust store, or `ca.crt` ConfigMaps).

/** Where the trust lives: a Certificate Manager TrustConfig, or Kubernetes ConfigMaps referenced by `caCertificateRefs`. */
export type TrustDelivery = "trustConfig" | "configMaps";

/** Gateway API v1.5 limit on `caCertificateRefs` per validation block (rule k8s.gateway-api.limits). */
export const MAX_CA_CERTIFICATE_REFS = 8;

/** Keys name ConfigMaps (`<name>-ca-<key>`): a DNS label short enough for the child names. */
const KEY_PATTERN = /^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/;

/** The chain's root, as a key of the ConfigMaps. */
export const CHAIN_ROOT_KEY = "root";

/** Keys in a deterministic order (a map from another Pulumi language has no insertion order to keep). */
function sortedEntries(record: Record<string, pulumi.Input<string>> | undefined): [string, pulumi.Input<string>][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function collect(problems: Problems, check: () => unknown): void {
  try {
    check();
  } catch (e) {
    if (e instanceof ArgumentError) problems.addAll(e.problems);
    else throw e;
  }
}

/**
 * Every problem of a trust source that is known at construction: at least one anchor; keys that can name a
 * ConfigMap; PEMs given as strings judged by the certificate rules in their role; one certificate listed once; the
 * counts of the place it is delivered to. `fix` names the alternative for a trust source that is too big.
 */
export function trustSourceProblems(
  path: string,
  source: TrustSource,
  delivery: TrustDelivery,
  fix: string,
): readonly Problem[] {
  const problems = new Problems();
  const anchors = sortedEntries(source.trustAnchorPems);
  const intermediates = sortedEntries(source.intermediateCaPems);
  if (source.chain === undefined && anchors.length === 0) {
    problems.add(
      path,
      "trusts no CA, so every certificate would be rejected: set `chain` to the PKI that issues the " +
        "certificates, or `trustAnchorPems` to its root CAs",
    );
  }
  if (source.chain !== undefined) collect(problems, () => checkChainRef(`${path}.chain`, source.chain!));
  for (const [list, entries] of [
    ["trustAnchorPems", anchors],
    ["intermediateCaPems", intermediates],
  ] as const) {
    for (const [key] of entries) {
      if (!KEY_PATTERN.test(key)) {
        problems.add(
          `${path}.${list}`,
          `key ${show(key)} must be 1-30 lowercase letters, digits and \`-\` (it names the certificate's resources)`,
        );
      } else if (key === CHAIN_ROOT_KEY && source.chain !== undefined && list === "trustAnchorPems") {
        problems.add(`${path}.${list}`, `key \`${CHAIN_ROOT_KEY}\` is the chain's root; use another key`);
      }
    }
  }
  if (delivery === "configMaps" && intermediates.length > 0) {
    problems.add(
      `${path}.intermediateCaPems`,
      "cannot be delivered: a `caCertificateRefs` ConfigMap holds the CA a chain ends at, and the peer sends its " +
        "intermediates; remove it, or trust through a TrustConfig (`trustConfig`)",
    );
  }
  // Known PEMs: the certificate rules for the role, then duplicates (the same certificate twice in one store).
  const seen = new Map<string, string>();
  // A chain built in this program has Outputs (it checked them itself); a chain given as PEMs joins the comparison.
  const root = source.chain instanceof CertificateChain ? undefined : source.chain?.rootCertificatePem;
  if (typeof root === "string" && splitPemCertificates(root).length === 1) {
    seen.set(normaliseSinglePem(root), `${path}.chain.rootCertificatePem`);
  }
  for (const [list, entries, role] of [
    ["trustAnchorPems", anchors, "trust anchor"],
    ["intermediateCaPems", intermediates, "intermediate CA"],
  ] as const) {
    for (const [key, pem] of entries) {
      if (typeof pem !== "string") continue;
      const at = `${path}.${list}.${key}`;
      let normalised: string | undefined;
      collect(problems, () => (normalised = checkTrustPem(at, pem, role)));
      if (normalised === undefined) continue;
      const previous = seen.get(normalised);
      if (previous !== undefined) problems.add(at, `is the same certificate as \`${previous}\`; list each CA once`);
      else seen.set(normalised, at);
    }
  }
  const anchorCount = (source.chain !== undefined ? 1 : 0) + anchors.length;
  if (delivery === "configMaps" && anchorCount > MAX_CA_CERTIFICATE_REFS) {
    problems.add(
      path,
      `gives ${anchorCount} CA certificates, more than the ${MAX_CA_CERTIFICATE_REFS} \`caCertificateRefs\` a ` +
        `validation block holds (Gateway API v1.5 CRDs); trust fewer roots, or ${fix}`,
      "k8s.gateway-api.limits",
    );
  }
  if (delivery === "trustConfig") {
    // A chain given as PEM Outputs has a count known at deploy time only: checked then (trustStoreOfSource).
    const chainIntermediates = source.chain !== undefined ? intermediateCountOf(source.chain) : 0;
    if (chainIntermediates !== undefined) {
      collect(problems, () => checkTrustStoreCounts(path, anchorCount, chainIntermediates + intermediates.length));
    }
  }
  return problems.items;
}

/**
 * `trustStores[0]` of a TrustConfig for a trust source: the chain's root and intermediates, then the PEMs by key.
 * PEMs known at construction were judged by {@link trustSourceProblems}; Outputs are judged when they resolve, and
 * the whole store (duplicates, counts) once every value is known, as a ResourceError on `owner`.
 */
export function trustStoreOfSource(
  owner: pulumi.Resource,
  path: string,
  source: TrustSource,
): pulumi.Output<TrustStoreValues> {
  const anchors = sortedEntries(source.trustAnchorPems).map(([key, pem]) =>
    checkedTrustPem(owner, `${path}.trustAnchorPems.${key}`, pem, "trust anchor"),
  );
  const intermediates = sortedEntries(source.intermediateCaPems).map(([key, pem]) =>
    checkedTrustPem(owner, `${path}.intermediateCaPems.${key}`, pem, "intermediate CA"),
  );
  const chainStore = source.chain !== undefined ? trustStoreOf(owner, `${path}.chain`, source.chain) : undefined;
  return pulumi
    .all([chainStore, pulumi.all(anchors), pulumi.all(intermediates)])
    .apply(([store, anchorPems, intermediatePems]) => {
      const allAnchors = [...(store?.trustAnchors.map((a) => a.pemCertificate) ?? []), ...anchorPems];
      const allIntermediates = [...(store?.intermediateCas.map((a) => a.pemCertificate) ?? []), ...intermediatePems];
      const all = [...allAnchors, ...allIntermediates];
      if (all.some((pem, i) => all.indexOf(pem) !== i)) {
        throw new pulumi.ResourceError(
          `\`${path}\` lists one certificate twice (a PEM repeats the chain's root or intermediate, or another PEM); ` +
            "list each CA once",
          owner,
        );
      }
      checkOn(owner, () => checkTrustStoreCounts(path, allAnchors.length, allIntermediates.length));
      const entries = (pems: string[]): PemCertificateEntry[] => pems.map((pemCertificate) => ({ pemCertificate }));
      return { trustAnchors: entries(allAnchors), intermediateCas: entries(allIntermediates) };
    });
}

/**
 * ConfigMap data (`ca.crt`, checked and normalised) for each anchor of a trust source: the chain's root as `root`
 * (its shared `rootCaPem`), then the PEMs by key, reported under `path.trustAnchorPems.<key>`.
 */
export function caConfigMapsOfSource(
  owner: pulumi.Resource,
  path: string,
  source: TrustSource,
): { key: string; data: pulumi.Input<CaData> }[] {
  return [
    // The PEM, not the whole data object, is the Output: a preview shows `data` with `ca.crt` unknown.
    ...(source.chain !== undefined
      ? [{ key: CHAIN_ROOT_KEY, data: { "ca.crt": rootCaPemOf(owner, `${path}.chain`, source.chain) } }]
      : []),
    ...sortedEntries(source.trustAnchorPems).map(([key, pem]) => ({
      key,
      data: { "ca.crt": checkedTrustPem(owner, `${path}.trustAnchorPems.${key}`, pem, "trust anchor") },
    })),
  ];
}

/** The ConfigMap keys of a trust source, in the order {@link caConfigMapsOfSource} creates them. */
export function caConfigMapKeys(source: TrustSource): string[] {
  return [
    ...(source.chain !== undefined ? [CHAIN_ROOT_KEY] : []),
    ...sortedEntries(source.trustAnchorPems).map(([k]) => k),
  ];
}
