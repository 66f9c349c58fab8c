import * as crypto from "node:crypto";
import { encodePem } from "./pem";

/** Key algorithms of `@pulumi/tls` `PrivateKey.algorithm`. */
export type TlsKeyAlgorithm = "RSA" | "ECDSA" | "ED25519";
/** Curves of `@pulumi/tls` `PrivateKey.ecdsaCurve`. */
export type TlsEcdsaCurve = "P224" | "P256" | "P384" | "P521";

const NODE_CURVE: Record<TlsEcdsaCurve, string> = {
  P224: "secp224r1",
  P256: "prime256v1",
  P384: "secp384r1",
  P521: "secp521r1",
};
const SSH_CURVE: Partial<Record<TlsEcdsaCurve, string>> = { P256: "nistp256", P384: "nistp384", P521: "nistp521" };
const CURVE_BY_OID_NAME: Record<string, TlsEcdsaCurve> = {
  secp224r1: "P224",
  prime256v1: "P256",
  secp384r1: "P384",
  secp521r1: "P521",
};

/** A generated or parsed key with every encoding the tls provider exposes. */
export interface KeyMaterial {
  readonly algorithm: TlsKeyAlgorithm;
  readonly ecdsaCurve?: TlsEcdsaCurve;
  readonly rsaBits?: number;
  readonly privateKey: crypto.KeyObject;
  readonly publicKey: crypto.KeyObject;
}

export interface GenerateKeyOptions {
  readonly algorithm: TlsKeyAlgorithm;
  /** @default "P224" — the provider's default, kept here so the emulation is faithful. */
  readonly ecdsaCurve?: TlsEcdsaCurve;
  /** @default 2048 */
  readonly rsaBits?: number;
}

export function generateKey(opts: GenerateKeyOptions): KeyMaterial {
  switch (opts.algorithm) {
    case "RSA": {
      const bits = opts.rsaBits ?? 2048;
      const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
        modulusLength: bits,
        publicExponent: 65537,
      });
      return { algorithm: "RSA", rsaBits: bits, privateKey, publicKey };
    }
    case "ECDSA": {
      const curve = opts.ecdsaCurve ?? "P224";
      const nodeCurve = NODE_CURVE[curve];
      if (!nodeCurve) throw new Error(`unsupported ECDSA curve ${String(curve)}`);
      const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: nodeCurve });
      return { algorithm: "ECDSA", ecdsaCurve: curve, privateKey, publicKey };
    }
    case "ED25519": {
      const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
      return { algorithm: "ED25519", privateKey, publicKey };
    }
    default:
      throw new Error(`unsupported key algorithm ${String(opts.algorithm)}`);
  }
}

/** Parses any private key PEM the provider accepts (PKCS#1, SEC1, PKCS#8). */
export function parsePrivateKey(pem: string): KeyMaterial {
  const privateKey = crypto.createPrivateKey(pem);
  return describeKey(privateKey, crypto.createPublicKey(privateKey));
}

export function describeKey(privateKey: crypto.KeyObject, publicKey: crypto.KeyObject): KeyMaterial {
  const details = publicKey.asymmetricKeyDetails ?? {};
  switch (publicKey.asymmetricKeyType) {
    case "rsa":
      return { algorithm: "RSA", rsaBits: details.modulusLength, privateKey, publicKey };
    case "ec": {
      const curve = CURVE_BY_OID_NAME[details.namedCurve ?? ""];
      if (!curve) throw new Error(`unsupported EC curve ${details.namedCurve}`);
      return { algorithm: "ECDSA", ecdsaCurve: curve, privateKey, publicKey };
    }
    case "ed25519":
      return { algorithm: "ED25519", privateKey, publicKey };
    default:
      throw new Error(`unsupported key type ${publicKey.asymmetricKeyType}`);
  }
}

/** The provider's `private_key_pem`: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 for ED25519. */
export function privateKeyPem(key: KeyMaterial): string {
  switch (key.algorithm) {
    case "RSA":
      return key.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    case "ECDSA":
      return key.privateKey.export({ type: "sec1", format: "pem" }).toString();
    default:
      return key.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  }
}

export function privateKeyPemPkcs8(key: KeyMaterial): string {
  return key.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

export function publicKeyPem(key: KeyMaterial): string {
  return key.publicKey.export({ type: "spki", format: "pem" }).toString();
}

export function spkiDer(key: crypto.KeyObject): Buffer {
  return key.export({ type: "spki", format: "der" });
}

/** The raw subjectPublicKey bits (uncompressed EC point, PKCS#1 RSA key, raw Ed25519 key). */
export function subjectPublicKeyBits(publicKey: crypto.KeyObject): Buffer {
  const der = spkiDer(publicKey);
  // SPKI = SEQUENCE { AlgorithmIdentifier, BIT STRING }: the BIT STRING is the last TLV.
  const { contentStart } = readTlv(der, 0);
  const alg = readTlv(der, contentStart);
  const bits = readTlv(der, alg.end);
  return der.subarray(bits.contentStart + 1, bits.end); // skip the unused-bits byte
}

function readTlv(buf: Buffer, offset: number): { contentStart: number; end: number } {
  let pos = offset + 1;
  let len = buf[pos++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[pos++]!;
  }
  return { contentStart: pos, end: pos + len };
}

// --- OpenSSH encodings (RFC 4253 / 5656 / 8709 wire format) -----------------------------------------------------

function sshString(data: Buffer | string): Buffer {
  const b = typeof data === "string" ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function sshMpint(unsignedBigEndian: Buffer): Buffer {
  let b = unsignedBigEndian;
  while (b.length > 1 && b[0] === 0 && !(b[1]! & 0x80)) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

/** The contents of each TLV directly inside the DER value (a SEQUENCE, an OCTET STRING wrapping one) at `offset`. */
function derChildren(der: Buffer, offset = 0): Buffer[] {
  const outer = readTlv(der, offset);
  const children: Buffer[] = [];
  for (let pos = outer.contentStart; pos < outer.end;) {
    const child = readTlv(der, pos);
    children.push(der.subarray(child.contentStart, child.end));
    pos = child.end;
  }
  return children;
}

// Key fields come from the DER encodings, never from a JWK export: on Node 20, exporting a JWK of a key whose
// generation job is being garbage-collected deadlocks the process (the export holds the key's mutex while it
// allocates; the collected job's destructor waits for the same mutex — seen under load as a worker parked on a futex).

/** The SSH public key blob, or undefined for keys SSH cannot carry (P-224). */
function sshPublicBlob(key: KeyMaterial): { type: string; blob: Buffer } | undefined {
  if (key.algorithm === "ECDSA") {
    const curve = SSH_CURVE[key.ecdsaCurve!];
    if (!curve) return undefined;
    const type = `ecdsa-sha2-${curve}`;
    return {
      type,
      blob: Buffer.concat([sshString(type), sshString(curve), sshString(subjectPublicKeyBits(key.publicKey))]),
    };
  }
  if (key.algorithm === "RSA") {
    // The SPKI key bits of RSA are a PKCS#1 RSAPublicKey: SEQUENCE { n, e }.
    const [n, e] = derChildren(subjectPublicKeyBits(key.publicKey));
    const type = "ssh-rsa";
    return { type, blob: Buffer.concat([sshString(type), sshMpint(e!), sshMpint(n!)]) };
  }
  const type = "ssh-ed25519";
  return { type, blob: Buffer.concat([sshString(type), sshString(subjectPublicKeyBits(key.publicKey))]) };
}

/** `public_key_openssh`: `"<type> <base64>\n"`, empty for P-224 (as the provider does). */
export function publicKeyOpenssh(key: KeyMaterial): string {
  const pub = sshPublicBlob(key);
  return pub ? `${pub.type} ${pub.blob.toString("base64")}\n` : "";
}

export function publicKeyFingerprintMd5(key: KeyMaterial): string {
  const pub = sshPublicBlob(key);
  if (!pub) return "";
  return (crypto.createHash("md5").update(pub.blob).digest("hex").match(/../g) ?? []).join(":");
}

export function publicKeyFingerprintSha256(key: KeyMaterial): string {
  const pub = sshPublicBlob(key);
  if (!pub) return "";
  return `SHA256:${crypto.createHash("sha256").update(pub.blob).digest("base64").replace(/=+$/, "")}`;
}

/** `private_key_openssh`: unencrypted `openssh-key-v1`, empty for P-224. */
export function privateKeyOpenssh(key: KeyMaterial): string {
  const pub = sshPublicBlob(key);
  if (!pub) return "";
  let privFields: Buffer;
  if (key.algorithm === "RSA") {
    // PKCS#1 RSAPrivateKey: SEQUENCE { version, n, e, d, p, q, dp, dq, qi }.
    const [, n, e, d, p, q, , , qi] = derChildren(key.privateKey.export({ type: "pkcs1", format: "der" }));
    privFields = Buffer.concat([n!, e!, d!, qi!, p!, q!].map(sshMpint));
  } else if (key.algorithm === "ED25519") {
    // PKCS#8: SEQUENCE { version, algorithm, OCTET STRING { OCTET STRING seed } }.
    const wrapped = derChildren(key.privateKey.export({ type: "pkcs8", format: "der" }))[2]!;
    const seed = wrapped.subarray(readTlv(wrapped, 0).contentStart);
    const pk = subjectPublicKeyBits(key.publicKey);
    privFields = Buffer.concat([sshString(pk), sshString(Buffer.concat([seed, pk]))]);
  } else {
    // SEC1 ECPrivateKey: SEQUENCE { version, OCTET STRING d, [0] curve, [1] public key }.
    const d = derChildren(key.privateKey.export({ type: "sec1", format: "der" }))[1]!;
    privFields = Buffer.concat([
      sshString(SSH_CURVE[key.ecdsaCurve!]!),
      sshString(subjectPublicKeyBits(key.publicKey)),
      sshMpint(d),
    ]);
  }
  const check = crypto.randomBytes(4);
  let section = Buffer.concat([check, check, sshString(pub.type), privFields, sshString("")]);
  const pad: number[] = [];
  for (let i = 1; (section.length + pad.length) % 8 !== 0; i++) pad.push(i);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    count,
    sshString(pub.blob),
    sshString(section),
  ]);
  // OpenSSH wraps its armour at 70 columns.
  return encodePem("OPENSSH PRIVATE KEY", body, 70);
}
