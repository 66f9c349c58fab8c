/**
 * A small PKI for tests: roots, intermediates, client and server leaves as real certificates (ECDSA P-256 unless
 * asked otherwise), valid from an hour ago for a day, with `expired()` / `notYetValid()` windows. For certificates
 * a provider never makes — expired, not yet valid, foreign roots, odd keys — next to the ones a program creates.
 */
import { createCertificate, issuerFromPem, type CertificateTemplate, type Issuer } from "./certificates";
import { generateKey, privateKeyPem, type GenerateKeyOptions, type KeyMaterial } from "./keys";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A certificate, its key, and (for CAs) the issuer handle that signs children. */
export interface Issued {
  readonly pem: string;
  readonly key: KeyMaterial;
  readonly keyPem: string;
  readonly issuer: Issuer;
}

export interface CertOptions {
  readonly key?: GenerateKeyOptions | KeyMaterial;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly template?: Partial<Omit<CertificateTemplate, "publicKey">>;
}

export const P256: GenerateKeyOptions = { algorithm: "ECDSA", ecdsaCurve: "P256" };

function keyOf(k: CertOptions["key"]): KeyMaterial {
  if (k && "privateKey" in k) return k;
  return generateKey(k ?? P256);
}

function issue(
  subjectCn: string,
  signer: Issuer | "self",
  defaults: Partial<CertificateTemplate>,
  opts: CertOptions,
): Issued {
  const key = keyOf(opts.key);
  const now = Date.now();
  const pem = createCertificate(
    {
      subject: { commonName: subjectCn },
      notBefore: opts.notBefore ?? new Date(now - HOUR),
      notAfter: opts.notAfter ?? new Date(now + DAY),
      ...defaults,
      ...opts.template,
      publicKey: key.publicKey,
    },
    signer === "self" ? { self: key.privateKey } : signer,
  );
  return { pem, key, keyPem: privateKeyPem(key), issuer: issuerFromPem(pem, key.privateKey) };
}

export function makeRoot(cn: string, opts: CertOptions = {}): Issued {
  return issue(cn, "self", { isCa: true, allowedUses: ["cert_signing", "crl_signing"] }, opts);
}

export function makeIntermediate(parent: Issued | Issuer, cn: string, opts: CertOptions = {}): Issued {
  return issue(cn, issuerOf(parent), { isCa: true, allowedUses: ["cert_signing", "crl_signing"] }, opts);
}

export function makeClient(parent: Issued | Issuer, cn: string, opts: CertOptions = {}): Issued {
  return issue(cn, issuerOf(parent), { allowedUses: ["digital_signature", "client_auth"] }, opts);
}

export function makeServer(parent: Issued | Issuer, cn: string, opts: CertOptions = {}): Issued {
  return issue(cn, issuerOf(parent), { allowedUses: ["digital_signature", "server_auth"] }, opts);
}

export function makeSelfSigned(cn: string, opts: CertOptions = {}): Issued {
  return issue(cn, "self", { allowedUses: ["digital_signature", "client_auth"] }, opts);
}

function issuerOf(parent: Issued | Issuer): Issuer {
  return "issuer" in parent ? parent.issuer : parent;
}

export const expired = (): Pick<CertOptions, "notBefore" | "notAfter"> => ({
  notBefore: new Date(Date.now() - 10 * DAY),
  notAfter: new Date(Date.now() - DAY),
});

export const notYetValid = (): Pick<CertOptions, "notBefore" | "notAfter"> => ({
  notBefore: new Date(Date.now() + DAY),
  notAfter: new Date(Date.now() + 10 * DAY),
});
