import { X509Certificate } from "node:crypto";
import { ArgumentError, show } from "./format";
import { pemBlockTypes, splitPemCertificates } from "./pem";

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
      `\`${path}\` is a leaf certificate (CA:FALSE), subject ${show(oneLine(cert.subject))}, passed as a ${role}; ` +
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
