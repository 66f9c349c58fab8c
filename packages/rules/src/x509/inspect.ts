import * as crypto from "node:crypto";
import type * as AsnSchema from "@peculiar/asn1-schema";
import type * as x509 from "@peculiar/asn1-x509";
import { decodePem, encodePem } from "./pem";
import { EXT_KEY_USAGE_NAMES, KEY_USAGE_BITS, OID, SIGNATURE_ALGORITHM_NAMES } from "./oids";

/**
 * The ASN.1 libraries, loaded on first use: they cost as much start-up as the rest of the package together, and a
 * program that passes no PEM to the components never parses one.
 */
let asn1Modules: { readonly x509: typeof x509; readonly AsnConvert: typeof AsnSchema.AsnConvert } | undefined;
function asn1(): NonNullable<typeof asn1Modules> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  asn1Modules ??= {
    x509: require("@peculiar/asn1-x509") as typeof x509,
    AsnConvert: (require("@peculiar/asn1-schema") as typeof AsnSchema).AsnConvert,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return asn1Modules;
}

/** A subject as `@pulumi/tls` models it (one value per attribute, several street addresses). */
export interface DistinguishedName {
  readonly commonName?: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly country?: string;
  readonly province?: string;
  readonly locality?: string;
  readonly streetAddresses?: readonly string[];
  readonly postalCode?: string;
  readonly serialNumber?: string;
  readonly emailAddress?: string;
}

export interface ParsedSans {
  dns: string[];
  uri: string[];
  ip: string[];
  email: string[];
}

/** One subtree of a nameConstraints extension (RFC 5280 §4.2.1.10), for the name forms the rules evaluate. */
export interface NameSubtree {
  readonly type: "dns" | "uri" | "ip" | "email" | "directoryName" | "other";
  /** The constraint: a domain (`example.com`, `.example.com`), a URI host constraint, `address/prefix`, a mailbox. */
  readonly value: string;
}

export interface NameConstraints {
  readonly permitted: NameSubtree[];
  readonly excluded: NameSubtree[];
  readonly critical: boolean;
}

/** A certificate's public key, described whatever its algorithm (unknown ones keep their OID). */
export interface PublicKeyInfo {
  /** `RSA`, `ECDSA`, `ED25519`, `ED448`, `DSA`, or the algorithm OID. */
  readonly algorithm: string;
  /** `P224`, `P256`, `P384`, `P521`, or the curve name Node reports. */
  readonly curve?: string;
  readonly bits?: number;
}

/** A certificate's fields as the rules and the harness need them. Parsing never throws for unusual keys. */
export interface CertificateInfo {
  readonly pem: string;
  readonly der: Buffer;
  readonly subject: DistinguishedName;
  /** OpenSSL-style one-line DN, e.g. `CN=root` or `O=example, CN=store.example.com`. */
  readonly subjectText: string;
  readonly issuerText: string;
  readonly subjectDer: Buffer;
  readonly issuerDer: Buffer;
  /** True when the issuer DN equals the subject DN. */
  readonly selfIssued: boolean;
  /** Decimal serial, as the tls provider reports it in `id`. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Absent when the certificate has no basicConstraints extension. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number; readonly critical: boolean };
  readonly keyUsage: string[];
  /** Whether the keyUsage extension is present at all. */
  readonly hasKeyUsage: boolean;
  readonly keyUsageCritical: boolean;
  /** The OIDs of the extensions marked critical. */
  readonly criticalExtensions: string[];
  /** `allowedUses`-style names; unknown OIDs appear as dotted strings. Absent when there is no EKU extension. */
  readonly extKeyUsage?: string[];
  readonly sans: ParsedSans;
  readonly sanCritical: boolean;
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  readonly nameConstraints?: NameConstraints;
  readonly publicKey: PublicKeyInfo;
  readonly signatureAlgorithm: string;
  readonly signatureAlgorithmOid: string;
  readonly x509: crypto.X509Certificate;
}

const CURVES: Record<string, string> = {
  secp224r1: "P224",
  prime256v1: "P256",
  secp384r1: "P384",
  secp521r1: "P521",
};

/** Parses one PEM certificate. Throws only when the text is not a DER X.509 certificate. */
export function inspectCertificate(pem: string): CertificateInfo {
  const der = decodePem(pem, "CERTIFICATE");
  return inspectDer(der);
}

export function inspectDer(der: Buffer): CertificateInfo {
  const { x509, AsnConvert } = asn1();
  const cert = AsnConvert.parse(der, x509.Certificate);
  const tbs = cert.tbsCertificate;
  const exts = tbs.extensions ?? [];
  const find = (oid: string) => exts.find((e) => e.extnID === oid);

  let basicConstraints: CertificateInfo["basicConstraints"];
  const bcExt = find(x509.id_ce_basicConstraints);
  if (bcExt) {
    const bc = AsnConvert.parse(bcExt.extnValue.buffer, x509.BasicConstraints);
    basicConstraints = { ca: !!bc.cA, pathLength: bc.pathLenConstraint, critical: !!bcExt.critical };
  }
  const keyUsage: string[] = [];
  const kuExt = find(x509.id_ce_keyUsage);
  if (kuExt) {
    const bytes = bitStringBytes(Buffer.from(kuExt.extnValue.buffer));
    for (const [name, bit] of Object.entries(KEY_USAGE_BITS)) {
      const byte = bytes[bit >> 3];
      if (byte !== undefined && byte & (0x80 >> (bit & 7))) keyUsage.push(name);
    }
  }
  let extKeyUsage: string[] | undefined;
  const ekuExt = find(x509.id_ce_extKeyUsage);
  if (ekuExt) {
    extKeyUsage = [...AsnConvert.parse(ekuExt.extnValue.buffer, x509.ExtendedKeyUsage)].map(
      (oid) => EXT_KEY_USAGE_NAMES[oid] ?? oid,
    );
  }
  const sans: ParsedSans = { dns: [], uri: [], ip: [], email: [] };
  const sanExt = find(x509.id_ce_subjectAltName);
  if (sanExt) {
    for (const gn of AsnConvert.parse(sanExt.extnValue.buffer, x509.SubjectAlternativeName)) collectName(gn, sans);
  }
  const skidExt = find(x509.id_ce_subjectKeyIdentifier);
  const akidExt = find(x509.id_ce_authorityKeyIdentifier);
  const akid = akidExt ? AsnConvert.parse(akidExt.extnValue.buffer, x509.AuthorityKeyIdentifier) : undefined;
  const ncExt = find(x509.id_ce_nameConstraints);
  let nameConstraints: NameConstraints | undefined;
  if (ncExt) {
    const nc = AsnConvert.parse(ncExt.extnValue.buffer, x509.NameConstraints);
    nameConstraints = {
      permitted: (nc.permittedSubtrees ?? []).map((s) => subtree(s.base)),
      excluded: (nc.excludedSubtrees ?? []).map((s) => subtree(s.base)),
      critical: !!ncExt.critical,
    };
  }
  const node = new crypto.X509Certificate(der);
  const subjectDer = Buffer.from(AsnConvert.serialize(tbs.subject));
  const issuerDer = Buffer.from(AsnConvert.serialize(tbs.issuer));
  return {
    pem: encodePem("CERTIFICATE", der),
    der,
    subject: decodeName(tbs.subject),
    subjectText: nameText(tbs.subject),
    issuerText: nameText(tbs.issuer),
    subjectDer,
    issuerDer,
    selfIssued: subjectDer.equals(issuerDer),
    serialNumber: BigInt("0x" + (Buffer.from(tbs.serialNumber).toString("hex") || "0")).toString(10),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    basicConstraints,
    keyUsage,
    hasKeyUsage: kuExt !== undefined,
    keyUsageCritical: !!kuExt?.critical,
    criticalExtensions: exts.filter((e) => e.critical).map((e) => e.extnID),
    extKeyUsage,
    sans,
    sanCritical: !!sanExt?.critical,
    subjectKeyId: skidExt
      ? Buffer.from(AsnConvert.parse(skidExt.extnValue.buffer, x509.SubjectKeyIdentifier).buffer).toString("hex")
      : undefined,
    authorityKeyId: akid?.keyIdentifier ? Buffer.from(akid.keyIdentifier.buffer).toString("hex") : undefined,
    nameConstraints,
    publicKey: describePublicKey(node, tbs.subjectPublicKeyInfo.algorithm.algorithm),
    signatureAlgorithm:
      SIGNATURE_ALGORITHM_NAMES[cert.signatureAlgorithm.algorithm] ?? cert.signatureAlgorithm.algorithm,
    signatureAlgorithmOid: cert.signatureAlgorithm.algorithm,
    x509: node,
  };
}

/** Whether `issuer` signed `child`: issuer name matches and the signature verifies with the issuer's key. */
export function signedBy(child: CertificateInfo, issuer: CertificateInfo): boolean {
  if (!child.issuerDer.equals(issuer.subjectDer)) return false;
  try {
    return child.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

/** Whether a private key PEM is the key of this certificate (same public key). */
export function keyMatchesCertificate(info: CertificateInfo, privateKeyPem: string): boolean {
  try {
    const publicKey = crypto.createPublicKey(crypto.createPrivateKey(privateKeyPem));
    const a = publicKey.export({ type: "spki", format: "der" });
    const b = info.x509.publicKey.export({ type: "spki", format: "der" });
    return a.equals(b);
  } catch {
    return false;
  }
}

function describePublicKey(cert: crypto.X509Certificate, oid: string): PublicKeyInfo {
  try {
    const key = cert.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    switch (key.asymmetricKeyType) {
      case "rsa":
      case "rsa-pss":
        return { algorithm: "RSA", bits: details.modulusLength };
      case "ec":
        return { algorithm: "ECDSA", curve: CURVES[details.namedCurve ?? ""] ?? details.namedCurve };
      case "ed25519":
        return { algorithm: "ED25519" };
      case "ed448":
        return { algorithm: "ED448" };
      case "dsa":
        return { algorithm: "DSA", bits: details.modulusLength };
      default:
        return { algorithm: key.asymmetricKeyType ?? oid };
    }
  } catch {
    // Node cannot load the key (e.g. an unnamed or brainpool curve): keep what the certificate says.
    return { algorithm: oid === OID.ecPublicKey ? "ECDSA" : oid === OID.rsaEncryption ? "RSA" : oid };
  }
}

function subtree(base: x509.GeneralName): NameSubtree {
  if (base.dNSName !== undefined) return { type: "dns", value: base.dNSName };
  if (base.uniformResourceIdentifier !== undefined) return { type: "uri", value: base.uniformResourceIdentifier };
  if (base.rfc822Name !== undefined) return { type: "email", value: base.rfc822Name };
  if (base.iPAddress !== undefined) return { type: "ip", value: ipSubtree(base) };
  if (base.directoryName !== undefined) return { type: "directoryName", value: nameText(base.directoryName) };
  return { type: "other", value: "" };
}

/** An iPAddress subtree is address followed by mask (8 or 32 bytes); asn1-x509 renders only the address part. */
function ipSubtree(base: x509.GeneralName): string {
  const raw = Buffer.from(asn1().AsnConvert.serialize(base));
  // [7] IMPLICIT OCTET STRING: tag 0x87, short length.
  const bytes = raw.subarray(2);
  const half = bytes.length / 2;
  const address = bytes.subarray(0, half);
  const mask = bytes.subarray(half);
  let prefix = 0;
  for (const byte of mask) prefix += byte.toString(2).replace(/0/g, "").length;
  const text =
    half === 4
      ? [...address].join(".")
      : [...Array(8).keys()].map((i) => address.readUInt16BE(i * 2).toString(16)).join(":");
  return `${text}/${prefix}`;
}

function collectName(gn: x509.GeneralName, into: ParsedSans): void {
  if (gn.dNSName !== undefined) into.dns.push(gn.dNSName);
  if (gn.uniformResourceIdentifier !== undefined) into.uri.push(gn.uniformResourceIdentifier);
  if (gn.iPAddress !== undefined) into.ip.push(gn.iPAddress);
  if (gn.rfc822Name !== undefined) into.email.push(gn.rfc822Name);
}

function bitStringBytes(tlv: Buffer): Buffer {
  // 03 len unused bytes… (short form: key usage is at most 3 content bytes)
  return tlv.subarray(3);
}

const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: "CN",
  [OID.serialNumber]: "serialNumber",
  [OID.country]: "C",
  [OID.locality]: "L",
  [OID.province]: "ST",
  [OID.streetAddress]: "street",
  [OID.organization]: "O",
  [OID.organizationalUnit]: "OU",
  [OID.postalCode]: "postalCode",
  [OID.emailAddress]: "emailAddress",
};

function attrValue(a: x509.AttributeTypeAndValue): string {
  return a.value.ia5String ?? a.value.toString();
}

export function decodeName(name: x509.Name): DistinguishedName {
  const out: Record<string, any> = {};
  const fields: Record<string, string> = {
    [OID.commonName]: "commonName",
    [OID.organization]: "organization",
    [OID.organizationalUnit]: "organizationalUnit",
    [OID.country]: "country",
    [OID.province]: "province",
    [OID.locality]: "locality",
    [OID.postalCode]: "postalCode",
    [OID.serialNumber]: "serialNumber",
    [OID.emailAddress]: "emailAddress",
  };
  for (const rdn of name) {
    for (const a of rdn) {
      const v = attrValue(a);
      if (a.type === OID.streetAddress) out.streetAddresses = [...(out.streetAddresses ?? []), v];
      else if (fields[a.type]) out[fields[a.type]!] = v;
    }
  }
  return out;
}

export function nameText(name: x509.Name): string {
  return [...name].flatMap((rdn) => [...rdn].map((a) => `${SHORT_NAMES[a.type] ?? a.type}=${attrValue(a)}`)).join(", ");
}
