/**
 * Test PKI builders for the handshake and GCP-rule tests: real certificates from the x509 module, ECDSA P-256 unless a
 * test needs another key. Lives in __fixtures__ so it is type-checked with the tests but never shipped in dist.
 */
import * as crypto from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import * as asn1x509 from "@peculiar/asn1-x509";
import {
  createCertificate,
  decodePem,
  encodePem,
  generateKey,
  issuerFromPem,
  privateKeyPem,
  type CertificateTemplate,
  type GenerateKeyOptions,
  type Issuer,
  type KeyMaterial,
} from "../../x509";

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

/**
 * Re-signs a certificate after editing its TBS: the x509 module always signs with SHA-256+ and cannot emit
 * nameConstraints, so SHA-1 signatures and constrained CAs are made here.
 */
export function resign(
  pem: string,
  signer: crypto.KeyObject,
  opts: { hash: string; signatureOid: string; addExtensions?: asn1x509.Extension[] },
): string {
  const cert = AsnConvert.parse(decodePem(pem, "CERTIFICATE"), asn1x509.Certificate);
  const tbs = cert.tbsCertificate;
  const algorithm = new asn1x509.AlgorithmIdentifier({ algorithm: opts.signatureOid });
  tbs.signature = algorithm;
  if (opts.addExtensions) {
    tbs.extensions = new asn1x509.Extensions([...(tbs.extensions ?? []), ...opts.addExtensions]);
  }
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = crypto.sign(opts.hash, tbsDer, signer);
  const signed = new asn1x509.Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: signature.buffer.slice(
      signature.byteOffset,
      signature.byteOffset + signature.length,
    ) as ArrayBuffer,
  });
  return encodePem("CERTIFICATE", Buffer.from(AsnConvert.serialize(signed)));
}

/** A nameConstraints extension permitting `count` DNS subtrees. */
export function dnsNameConstraints(count: number): asn1x509.Extension {
  const subtrees = Array.from(
    { length: count },
    (_, i) => new asn1x509.GeneralSubtree({ base: new asn1x509.GeneralName({ dNSName: `zone${i}.example.test` }) }),
  );
  const nc = new asn1x509.NameConstraints({ permittedSubtrees: new asn1x509.GeneralSubtrees(subtrees) });
  return new asn1x509.Extension({
    extnID: asn1x509.id_ce_nameConstraints,
    critical: true,
    extnValue: new OctetString(AsnConvert.serialize(nc)),
  });
}
