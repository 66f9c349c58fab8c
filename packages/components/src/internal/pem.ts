import { X509Certificate } from "node:crypto";

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const ANY_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/**
 * Splits text into certificates, each re-armoured the way Go's encoding/pem writes it (LF line endings, 64 columns,
 * one trailing newline). Google's APIs store PEM verbatim and the providers do not suppress PEM diffs, so
 * normalising here is what keeps a re-run from showing a spurious update.
 */
export function splitPemCertificates(text: string): string[] {
  return [...text.matchAll(CERT_BLOCK)].map((m) => armour(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64")));
}

/** PEM block types present in the text, in order (to reject keys or CSRs passed where a certificate belongs). */
export function pemBlockTypes(text: string): string[] {
  return [...text.matchAll(ANY_BLOCK)].map((m) => m[1]!);
}

export function armour(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The one certificate in `text`, normalised; throws a plain Error describing what was found otherwise. */
export function normaliseSinglePem(text: string): string {
  const certs = splitPemCertificates(text);
  if (certs.length !== 1) throw new Error(`expected exactly one PEM certificate, found ${certs.length}`);
  return certs[0]!;
}

/** Parses a PEM certificate; undefined when it is not one. */
export function tryParseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}
