import { X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { CaConfigMapData, TrustStoreValues } from "../certificate-chain/certificate-chain";
import type { CaCertificatesArgs } from "../gateway-frontend-mtls/types";
import { ArgumentError, show } from "./format";
import { normaliseSinglePem, pemBlockTypes, splitPemCertificates } from "./pem";

/** Certificate Manager trust store limits (one trust store per TrustConfig). */
export const TRUST_STORE_LIMITS = {
  /** Certificates per trust store, anchors and intermediates together. */
  certificates: 200,
  intermediates: 100,
  /** Bytes per PEM entry. */
  pemBytes: 5 * 1024,
} as const;

export type TrustRole = "trust anchor" | "intermediate CA" | "allowlisted certificate";

/**
 * Checks one trust-store entry whose value is known: exactly one certificate, within the size limit, and for anchors
 * and intermediates a CA certificate (a leaf passed as an anchor is the classic mistake). Returns the normalised PEM.
 * Throws an {@link ArgumentError} naming `path`.
 */
export function checkTrustPem(path: string, pem: string, role: TrustRole): string {
  const types = pemBlockTypes(pem);
  const certs = splitPemCertificates(pem);
  if (certs.length !== 1 || types.length !== 1) {
    throw new ArgumentError(
      `\`${path}\` must hold exactly one PEM certificate, found ${certs.length} certificate(s) among ${types.length} PEM ` +
        `block(s) ${show(types)}; put one certificate per entry`,
    );
  }
  const normalised = certs[0]!;
  const bytes = Buffer.byteLength(normalised);
  if (bytes > TRUST_STORE_LIMITS.pemBytes) {
    throw new ArgumentError(
      `\`${path}\` is ${bytes} bytes of PEM, over Certificate Manager's ${TRUST_STORE_LIMITS.pemBytes}-byte limit per entry; use a smaller certificate (e.g. an ECDSA key)`,
    );
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(normalised);
  } catch (e) {
    throw new ArgumentError(`\`${path}\` is not a parseable X.509 certificate (${(e as Error).message})`);
  }
  if (role !== "allowlisted certificate" && !cert.ca) {
    throw new ArgumentError(
      `\`${path}\` is a leaf certificate (CA:FALSE), subject ${show(oneLine(cert.subject))}, passed as ${role === "trust anchor" ? "a" : "an"} ${role}; ` +
        "pass the root (trust anchor) or intermediate CA that issued it",
    );
  }
  if (role === "trust anchor" && cert.subject !== cert.issuer) {
    throw new ArgumentError(
      `\`${path}\` (subject ${show(oneLine(cert.subject))}) is not self-signed: it was issued by ${show(oneLine(cert.issuer))}; ` +
        "pass it as an intermediate CA and the root that issued it as the trust anchor",
    );
  }
  if (role === "intermediate CA" && cert.subject === cert.issuer) {
    throw new ArgumentError(
      `\`${path}\` (subject ${show(oneLine(cert.subject))}) is self-signed: pass it as a trust anchor`,
    );
  }
  return normalised;
}

/** Checks the sizes of a trust store whose entry counts are known. */
export function checkTrustStoreCounts(path: string, anchors: number, intermediates: number): void {
  if (intermediates > TRUST_STORE_LIMITS.intermediates) {
    throw new ArgumentError(
      `\`${path}\` has ${intermediates} intermediate CAs, more than Certificate Manager's ${TRUST_STORE_LIMITS.intermediates} per trust store`,
    );
  }
  if (anchors + intermediates > TRUST_STORE_LIMITS.certificates) {
    throw new ArgumentError(
      `\`${path}\` has ${anchors + intermediates} certificates, more than Certificate Manager's ${TRUST_STORE_LIMITS.certificates} per trust store`,
    );
  }
}

/** Fingerprint for duplicate detection across entries. */
export function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

function oneLine(dn: string): string {
  return dn.split("\n").join(", ");
}

/** Runs a check on a value known only at deploy time: an {@link ArgumentError} becomes a ResourceError on `owner`. */
export function checkOn<T>(owner: pulumi.Resource, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof ArgumentError) throw new pulumi.ResourceError(e.message, owner);
    throw e;
  }
}

/**
 * One PEM ready for a trust store or a ConfigMap: a value known at construction was checked by the component's
 * validation and is only normalised (no Output is created); an Output gets the full {@link checkTrustPem} once known.
 */
export function checkedTrustPem(
  owner: pulumi.Resource,
  path: string,
  pem: pulumi.Input<string>,
  role: TrustRole,
): pulumi.Input<string> {
  if (typeof pem === "string") return normaliseSinglePem(pem);
  return pulumi.output(pem).apply((value) => checkOn(owner, () => checkTrustPem(path, value, role)));
}

/** Trust store values (`trustStores[0]` of a TrustConfig) from anchor and intermediate PEM lists under `path`. */
export function checkedTrustStore(
  owner: pulumi.Resource,
  path: string,
  anchorPems: readonly pulumi.Input<string>[],
  intermediatePems: readonly pulumi.Input<string>[],
): pulumi.Output<TrustStoreValues> {
  const known = (pems: readonly pulumi.Input<string>[]) => pems.map((pem) => typeof pem === "string");
  const [anchorsKnown, intermediatesKnown] = [known(anchorPems), known(intermediatePems)];
  return pulumi
    .all([pulumi.all([...anchorPems]), pulumi.all([...intermediatePems])])
    .apply(([anchors, intermediates]) => {
      const entries = (values: string[], eager: boolean[], list: string, role: TrustRole) =>
        values.map((pem, i) => ({
          pemCertificate: eager[i]
            ? normaliseSinglePem(pem)
            : checkOn(owner, () => checkTrustPem(`${path}.${list}[${i}]`, pem, role)),
        }));
      return {
        trustAnchors: entries(anchors, anchorsKnown, "trustAnchorPems", "trust anchor"),
        intermediateCas: entries(intermediates, intermediatesKnown, "intermediateCaPems", "intermediate CA"),
      };
    });
}

/** ConfigMap data: `ca.crt` known now or at deploy time. */
export type CaData = CaConfigMapData | { readonly "ca.crt": pulumi.Input<string> };

/**
 * ConfigMap data (`ca.crt`, checked and normalised) for each CA of `ca`: the chain's root as `root` (its shared
 * `rootCaPem`), then `pems` by key, reported under `path.pems.<key>`.
 */
export function caConfigMapData(
  owner: pulumi.Resource,
  ca: CaCertificatesArgs,
  path: string,
): { key: string; data: pulumi.Input<CaData> }[] {
  return [
    // The PEM, not the whole data object, is the Output: a preview shows `data` with `ca.crt` unknown, as for `pems`.
    ...(ca.chain ? [{ key: "root", data: { "ca.crt": ca.chain.rootCaPem } }] : []),
    ...Object.entries(ca.pems ?? {}).map(([key, pem]) => ({
      key,
      data: { "ca.crt": checkedTrustPem(owner, `${path}.pems.${key}`, pem, "trust anchor") },
    })),
  ];
}
