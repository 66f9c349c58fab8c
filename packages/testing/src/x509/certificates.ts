import * as crypto from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import * as x509 from "@peculiar/asn1-x509";
import { Attributes, CertificationRequest, CertificationRequestInfo } from "@peculiar/asn1-csr";
import {
  decodeName,
  decodePem,
  encodePem,
  EXT_KEY_USAGE_OIDS,
  KEY_USAGE_BITS,
  OID,
  type DistinguishedName,
  type ParsedSans,
} from "@gcp-mtls/rules";
import { describeKey, spkiDer, subjectPublicKeyBits } from "./keys";

export { inspectCertificate, type CertificateInfo, type DistinguishedName, type ParsedSans } from "@gcp-mtls/rules";

/** What goes into a certificate, in the terms of Go's `x509.Certificate` template used by the tls provider. */
export interface CertificateTemplate {
  readonly subject: DistinguishedName;
  readonly publicKey: crypto.KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** @default a random positive 128-bit serial, like the provider. */
  readonly serialNumber?: bigint;
  /** `allowedUses` names (`digital_signature`, `client_auth`, …): split into keyUsage and extKeyUsage. */
  readonly allowedUses?: readonly string[];
  /** @default true — the provider always sets `BasicConstraintsValid`. */
  readonly basicConstraints?: boolean;
  readonly isCa?: boolean;
  /** Go semantics: `0` means "unset" unless `maxPathLenZero`; negative means unset. */
  readonly maxPathLength?: number;
  readonly maxPathLenZero?: boolean;
  readonly subjectKeyId?: Buffer;
  /** Leave the Subject Key Identifier out even for a CA (the provider always sets one): for test CAs only. */
  readonly omitSubjectKeyId?: boolean;
  readonly authorityKeyId?: Buffer;
  readonly dnsNames?: readonly string[];
  readonly uris?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Not settable through `@pulumi/tls`; available for hand-made test certificates. */
  readonly emailAddresses?: readonly string[];
  /** A nameConstraints extension (critical), for hand-made test CAs: `@pulumi/tls` cannot emit one. */
  readonly nameConstraints?: {
    readonly permitted?: readonly NameConstraintBase[];
    readonly excluded?: readonly NameConstraintBase[];
  };
}

/** One name-constraint subtree base: a DNS domain, a URI host constraint, or an IP range `address/prefix`. */
export interface NameConstraintBase {
  readonly dns?: string;
  readonly uri?: string;
  readonly ip?: string;
}

/** The issuer side of a signature: a parsed CA certificate and its key, or the template itself. */
export interface Issuer {
  /** DER of the issuer's subject Name. */
  readonly subjectDer: Buffer;
  readonly subjectKeyId?: Buffer;
  readonly privateKey: crypto.KeyObject;
}

/** Builds an issuer from a CA certificate PEM and its private key. */
export function issuerFromPem(certPem: string, privateKey: crypto.KeyObject | string): Issuer {
  const cert = AsnConvert.parse(decodePem(certPem, "CERTIFICATE"), x509.Certificate);
  const skidExt = cert.tbsCertificate.extensions?.find((e) => e.extnID === x509.id_ce_subjectKeyIdentifier);
  const skid = skidExt
    ? Buffer.from(AsnConvert.parse(skidExt.extnValue.buffer, x509.SubjectKeyIdentifier).buffer)
    : undefined;
  return {
    subjectDer: Buffer.from(AsnConvert.serialize(cert.tbsCertificate.subject)),
    subjectKeyId: skid,
    privateKey: typeof privateKey === "string" ? crypto.createPrivateKey(privateKey) : privateKey,
  };
}

/** SHA-1 over the subjectPublicKey bits: what the provider (and Go) put in the Subject Key Identifier. */
export function subjectKeyIdFor(publicKey: crypto.KeyObject): Buffer {
  return crypto.createHash("sha1").update(subjectPublicKeyBits(publicKey)).digest();
}

/**
 * Creates a certificate the way Go's `x509.CreateCertificate` does for the tls provider: issuer DN from the parent,
 * AKID = parent SKID only when issuer DN ≠ subject DN, SKID generated for CAs, pathlen emitted only when positive
 * (or `maxPathLenZero`), keyUsage and basicConstraints critical, SAN critical only for an empty subject.
 * `issuer: "self"` signs with `selfKey`.
 */
export function createCertificate(
  template: CertificateTemplate,
  issuer: Issuer | { readonly self: crypto.KeyObject },
): string {
  const subjectName = encodeName(template.subject);
  const subjectDer = Buffer.from(AsnConvert.serialize(subjectName));
  const isSelf = "self" in issuer;
  const signingKey = isSelf ? issuer.self : issuer.privateKey;

  let subjectKeyId = template.subjectKeyId;
  if ((!subjectKeyId || subjectKeyId.length === 0) && template.isCa) subjectKeyId = subjectKeyIdFor(template.publicKey);
  if (template.omitSubjectKeyId) subjectKeyId = undefined;
  const parentSubjectDer = isSelf ? subjectDer : issuer.subjectDer;
  const parentSkid = isSelf ? subjectKeyId : issuer.subjectKeyId;
  let authorityKeyId = template.authorityKeyId;
  if (!parentSubjectDer.equals(subjectDer) && parentSkid && parentSkid.length > 0) authorityKeyId = parentSkid;

  const extensions: x509.Extension[] = [];
  const keyUsageBits = (template.allowedUses ?? []).filter((u) => u in KEY_USAGE_BITS).map((u) => KEY_USAGE_BITS[u]!);
  if (keyUsageBits.length > 0) {
    extensions.push(extension(x509.id_ce_keyUsage, true, encodeKeyUsage(keyUsageBits)));
  }
  const ekus = (template.allowedUses ?? []).filter((u) => u in EXT_KEY_USAGE_OIDS).map((u) => EXT_KEY_USAGE_OIDS[u]!);
  if (ekus.length > 0) {
    extensions.push(extension(x509.id_ce_extKeyUsage, false, AsnConvert.serialize(new x509.ExtendedKeyUsage(ekus))));
  }
  if (template.basicConstraints ?? true) {
    let pathLen = template.maxPathLength ?? -1;
    if (pathLen === 0 && !template.maxPathLenZero) pathLen = -1;
    const bc = new x509.BasicConstraints({ cA: !!template.isCa });
    if (pathLen >= 0) bc.pathLenConstraint = pathLen;
    extensions.push(extension(x509.id_ce_basicConstraints, true, AsnConvert.serialize(bc)));
  }
  if (subjectKeyId && subjectKeyId.length > 0) {
    extensions.push(
      extension(
        x509.id_ce_subjectKeyIdentifier,
        false,
        AsnConvert.serialize(new x509.SubjectKeyIdentifier(toArrayBuffer(subjectKeyId))),
      ),
    );
  }
  if (authorityKeyId && authorityKeyId.length > 0) {
    extensions.push(
      extension(
        x509.id_ce_authorityKeyIdentifier,
        false,
        AsnConvert.serialize(
          new x509.AuthorityKeyIdentifier({ keyIdentifier: new x509.KeyIdentifier(toArrayBuffer(authorityKeyId)) }),
        ),
      ),
    );
  }
  if (template.nameConstraints) {
    const subtrees = (bases: readonly NameConstraintBase[] | undefined) =>
      bases && bases.length > 0
        ? new x509.GeneralSubtrees(bases.map((b) => new x509.GeneralSubtree({ base: constraintBase(b) })))
        : undefined;
    const nc = new x509.NameConstraints({
      permittedSubtrees: subtrees(template.nameConstraints.permitted),
      excludedSubtrees: subtrees(template.nameConstraints.excluded),
    });
    extensions.push(extension(x509.id_ce_nameConstraints, true, AsnConvert.serialize(nc)));
  }
  const san = sanExtensionValue(template);
  if (san) extensions.push(extension(x509.id_ce_subjectAltName, subjectName.length === 0, san));

  const signatureAlgorithm = signatureAlgorithmFor(signingKey);
  const tbs = new x509.TBSCertificate({
    version: x509.Version.v3,
    serialNumber: encodeSerial(template.serialNumber ?? randomSerial()),
    signature: signatureAlgorithm.identifier,
    issuer: AsnConvert.parse(parentSubjectDer, x509.Name),
    validity: new x509.Validity({ notBefore: template.notBefore, notAfter: template.notAfter }),
    subject: subjectName,
    subjectPublicKeyInfo: AsnConvert.parse(spkiDer(template.publicKey), x509.SubjectPublicKeyInfo),
    extensions: extensions.length > 0 ? new x509.Extensions(extensions) : undefined,
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = crypto.sign(signatureAlgorithm.hash, tbsDer, signingKey);
  const cert = new x509.Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: signatureAlgorithm.identifier,
    signatureValue: toArrayBuffer(signature),
  });
  return encodePem("CERTIFICATE", Buffer.from(AsnConvert.serialize(cert)));
}

/** A PKCS#10 request as Go's `x509.CreateCertificateRequest` makes it (SANs in an extensionRequest attribute). */
export function createCertificateRequest(
  subject: DistinguishedName,
  privateKey: crypto.KeyObject,
  sans: Pick<CertificateTemplate, "dnsNames" | "uris" | "ipAddresses"> = {},
): string {
  const publicKey = crypto.createPublicKey(privateKey);
  const subjectName = encodeName(subject);
  const attributes: x509.Attribute[] = [];
  const san = sanExtensionValue(sans);
  if (san) {
    const exts = new x509.Extensions([extension(x509.id_ce_subjectAltName, subjectName.length === 0, san)]);
    attributes.push(new x509.Attribute({ type: OID.extensionRequest, values: [AsnConvert.serialize(exts)] }));
  }
  const info = new CertificationRequestInfo({
    version: 0,
    subject: subjectName,
    subjectPKInfo: AsnConvert.parse(spkiDer(publicKey), x509.SubjectPublicKeyInfo),
    attributes: new Attributes(attributes),
  });
  const alg = signatureAlgorithmFor(privateKey);
  const signature = crypto.sign(alg.hash, Buffer.from(AsnConvert.serialize(info)), privateKey);
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: alg.identifier,
    signature: toArrayBuffer(signature),
  });
  return encodePem("CERTIFICATE REQUEST", Buffer.from(AsnConvert.serialize(csr)));
}

/** What a CSR asks for, as LocallySignedCert reads it. */
export interface ParsedCertificateRequest {
  readonly subject: DistinguishedName;
  readonly publicKey: crypto.KeyObject;
  readonly dnsNames: string[];
  readonly uris: string[];
  readonly ipAddresses: string[];
  readonly signatureValid: boolean;
}

export function parseCertificateRequest(pem: string): ParsedCertificateRequest {
  const der = decodePem(pem, "CERTIFICATE REQUEST");
  const csr = AsnConvert.parse(der, CertificationRequest);
  const info = csr.certificationRequestInfo;
  const spki = Buffer.from(AsnConvert.serialize(info.subjectPKInfo));
  const publicKey = crypto.createPublicKey({ key: spki, format: "der", type: "spki" });
  const sans: ParsedSans = { dns: [], uri: [], ip: [], email: [] };
  for (const attr of info.attributes) {
    if (attr.type !== OID.extensionRequest) continue;
    for (const value of attr.values) {
      const exts = AsnConvert.parse(value, x509.Extensions);
      for (const ext of exts) if (ext.extnID === x509.id_ce_subjectAltName) collectSans(ext, sans);
    }
  }
  const alg = csr.signatureAlgorithm.algorithm;
  const hash = hashForSignatureOid(alg);
  const signatureValid = crypto.verify(
    hash,
    Buffer.from(AsnConvert.serialize(info)),
    publicKey,
    Buffer.from(csr.signature),
  );
  return {
    subject: decodeName(info.subject),
    publicKey,
    dnsNames: sans.dns,
    uris: sans.uri,
    ipAddresses: sans.ip,
    signatureValid,
  };
}

function constraintBase(b: NameConstraintBase): x509.GeneralName {
  if (b.dns !== undefined) return new x509.GeneralName({ dNSName: b.dns });
  if (b.uri !== undefined) return new x509.GeneralName({ uniformResourceIdentifier: b.uri });
  if (b.ip !== undefined) {
    // iPAddress in a subtree is the address followed by its mask (RFC 5280 §4.2.1.10).
    const [address, prefixText] = b.ip.split("/");
    const octets = address!.split(".").map(Number);
    const prefix = Number(prefixText);
    const mask = [0, 1, 2, 3].map((i) => (0xff << (8 - Math.max(0, Math.min(8, prefix - i * 8)))) & 0xff);
    return AsnConvert.parse(Buffer.from([0x87, 8, ...octets, ...mask]), x509.GeneralName);
  }
  throw new Error("a name constraint base needs dns, uri or ip");
}

// --- helpers --------------------------------------------------------------------------------------------------------

function extension(oid: string, critical: boolean, value: ArrayBuffer): x509.Extension {
  return new x509.Extension({ extnID: oid, critical, extnValue: new OctetString(value) });
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function randomSerial(): bigint {
  return BigInt("0x" + crypto.randomBytes(16).toString("hex"));
}

function encodeSerial(serial: bigint): ArrayBuffer {
  let hex = serial.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  let bytes = Buffer.from(hex, "hex");
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return toArrayBuffer(bytes);
}

/** KeyUsage BIT STRING, minimal length (trailing zero bits dropped), as DER requires. */
function encodeKeyUsage(bits: number[]): ArrayBuffer {
  const max = Math.max(...bits);
  const bytes = Buffer.alloc((max >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const unused = 7 - (max & 7);
  return toArrayBuffer(Buffer.concat([Buffer.from([0x03, bytes.length + 1, unused]), bytes]));
}

function sanExtensionValue(t: Pick<CertificateTemplate, "dnsNames" | "uris" | "ipAddresses" | "emailAddresses">) {
  // Go's order: DNS, email, IP, URI.
  const names: x509.GeneralName[] = [
    ...(t.dnsNames ?? []).map((d) => new x509.GeneralName({ dNSName: d })),
    ...(t.emailAddresses ?? []).map((e) => new x509.GeneralName({ rfc822Name: e })),
    ...(t.ipAddresses ?? []).map((ip) => new x509.GeneralName({ iPAddress: ip })),
    ...(t.uris ?? []).map((u) => new x509.GeneralName({ uniformResourceIdentifier: u })),
  ];
  return names.length > 0 ? AsnConvert.serialize(new x509.SubjectAlternativeName(names)) : undefined;
}

function collectSans(ext: x509.Extension, into: ParsedSans): void {
  for (const gn of AsnConvert.parse(ext.extnValue.buffer, x509.SubjectAlternativeName)) {
    if (gn.dNSName !== undefined) into.dns.push(gn.dNSName);
    if (gn.uniformResourceIdentifier !== undefined) into.uri.push(gn.uniformResourceIdentifier);
    if (gn.iPAddress !== undefined) into.ip.push(gn.iPAddress);
    if (gn.rfc822Name !== undefined) into.email.push(gn.rfc822Name);
  }
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function attr(type: string, value: string, ia5 = false): x509.AttributeTypeAndValue {
  const v = ia5
    ? new x509.AttributeValue({ ia5String: value })
    : PRINTABLE.test(value)
      ? new x509.AttributeValue({ printableString: value })
      : new x509.AttributeValue({ utf8String: value });
  return new x509.AttributeTypeAndValue({ type, value: v });
}

/** Go's `pkix.Name.ToRDNSequence` order: C, ST, L, street, postalCode, O, OU, CN, serialNumber, then extra names. */
export function encodeName(dn: DistinguishedName): x509.Name {
  const rdns: x509.RelativeDistinguishedName[] = [];
  const add = (type: string, values: readonly (string | undefined)[] | undefined) => {
    const present = (values ?? []).filter((v): v is string => v !== undefined && v !== "");
    if (present.length > 0) rdns.push(new x509.RelativeDistinguishedName(present.map((v) => attr(type, v))));
  };
  add(OID.country, [dn.country]);
  add(OID.province, [dn.province]);
  add(OID.locality, [dn.locality]);
  add(OID.streetAddress, dn.streetAddresses);
  add(OID.postalCode, [dn.postalCode]);
  add(OID.organization, [dn.organization]);
  add(OID.organizationalUnit, [dn.organizationalUnit]);
  add(OID.commonName, [dn.commonName]);
  add(OID.serialNumber, [dn.serialNumber]);
  if (dn.emailAddress) rdns.push(new x509.RelativeDistinguishedName([attr(OID.emailAddress, dn.emailAddress, true)]));
  return new x509.Name(rdns);
}

interface SignatureAlgorithm {
  readonly identifier: x509.AlgorithmIdentifier;
  /** The digest for `crypto.sign`; null for Ed25519. */
  readonly hash: string | null;
}

const NULL_PARAMS = new Uint8Array([0x05, 0x00]).buffer as ArrayBuffer;

/** Go's default signature algorithm for a signing key. */
function signatureAlgorithmFor(key: crypto.KeyObject): SignatureAlgorithm {
  const pub = crypto.createPublicKey(key);
  const k = describeKey(key, pub);
  if (k.algorithm === "RSA") {
    return {
      identifier: new x509.AlgorithmIdentifier({ algorithm: OID.sha256WithRsa, parameters: NULL_PARAMS }),
      hash: "sha256",
    };
  }
  if (k.algorithm === "ED25519") {
    return { identifier: new x509.AlgorithmIdentifier({ algorithm: OID.ed25519 }), hash: null };
  }
  const [oid, hash] =
    k.ecdsaCurve === "P384"
      ? [OID.ecdsaWithSha384, "sha384"]
      : k.ecdsaCurve === "P521"
        ? [OID.ecdsaWithSha512, "sha512"]
        : [OID.ecdsaWithSha256, "sha256"];
  return { identifier: new x509.AlgorithmIdentifier({ algorithm: oid }), hash };
}

function hashForSignatureOid(oid: string): string | null {
  switch (oid) {
    case OID.ecdsaWithSha384:
    case OID.sha384WithRsa:
      return "sha384";
    case OID.ecdsaWithSha512:
    case OID.sha512WithRsa:
      return "sha512";
    case OID.ed25519:
      return null;
    case OID.sha1WithRsa:
    case OID.ecdsaWithSha1:
      return "sha1";
    default:
      return "sha256";
  }
}
