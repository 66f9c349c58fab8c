import * as crypto from "node:crypto";
import { generateKey, privateKeyOpenssh, publicKeyOpenssh, type GenerateKeyOptions } from "./keys";

/** Reads an unencrypted `openssh-key-v1` private key: the key type and its fields, as raw strings and mpints. */
function readOpensshPrivate(pem: string): { type: string; fields: Buffer[]; publicBlob: Buffer } {
  const body = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
  expect(body.subarray(0, 15).toString()).toBe("openssh-key-v1\0");
  const string = (buf: Buffer, at: { pos: number }) => {
    const len = buf.readUInt32BE(at.pos);
    const value = buf.subarray(at.pos + 4, at.pos + 4 + len);
    at.pos += 4 + len;
    return value;
  };
  const outer = { pos: 15 };
  for (const expected of ["none", "none", ""]) expect(string(body, outer).toString()).toBe(expected);
  expect(body.readUInt32BE(outer.pos)).toBe(1);
  outer.pos += 4;
  const publicBlob = string(body, outer);
  const section = string(body, outer);
  expect(section.readUInt32BE(0)).toBe(section.readUInt32BE(4)); // the two check words match
  const inner = { pos: 8 };
  const type = string(section, inner).toString();
  const count = { "ssh-rsa": 6, "ssh-ed25519": 2 }[type] ?? 3;
  const fields = Array.from({ length: count }, () => string(section, inner));
  return { type, fields, publicBlob };
}

const b64u = (b: Buffer) => {
  let v = b;
  while (v.length > 1 && v[0] === 0) v = v.subarray(1); // mpints carry a sign byte
  return v.toString("base64url");
};
const big = (b: Buffer) => BigInt(`0x${b.toString("hex") || "0"}`);
const bigB64u = (n: bigint) =>
  b64u(Buffer.from(n.toString(16).padStart(2 * Math.ceil(n.toString(16).length / 2), "0"), "hex"));

/** Rebuilds the private key from the OpenSSH fields (through a JWK import). */
function keyFromOpenssh(pem: string, opts: GenerateKeyOptions): crypto.KeyObject {
  const { type, fields } = readOpensshPrivate(pem);
  let jwk: crypto.JsonWebKey;
  if (type === "ssh-rsa") {
    const [n, e, d, qi, p, q] = fields.map(big) as [bigint, bigint, bigint, bigint, bigint, bigint];
    // OpenSSH's order: iqmp is q⁻¹ mod p (OpenSSL would silently repair a wrong CRT value when signing).
    expect(p * q).toBe(n);
    expect((qi * q) % p).toBe(1n);
    jwk = {
      kty: "RSA",
      n: bigB64u(n),
      e: bigB64u(e),
      d: bigB64u(d),
      p: bigB64u(p),
      q: bigB64u(q),
      dp: bigB64u(d % (p - 1n)),
      dq: bigB64u(d % (q - 1n)),
      qi: bigB64u(qi),
    };
  } else if (type === "ssh-ed25519") {
    const [pk, both] = fields as [Buffer, Buffer];
    expect(both.subarray(32)).toEqual(pk);
    jwk = { kty: "OKP", crv: "Ed25519", d: both.subarray(0, 32).toString("base64url"), x: pk.toString("base64url") };
  } else {
    const [, point, d] = fields as [Buffer, Buffer, Buffer];
    const size = (point.length - 1) / 2;
    const crv = { P256: "P-256", P384: "P-384", P521: "P-521" }[opts.ecdsaCurve as "P256"]!;
    jwk = {
      kty: "EC",
      crv,
      x: point.subarray(1, 1 + size).toString("base64url"),
      y: point.subarray(1 + size).toString("base64url"),
      d: Buffer.concat([Buffer.alloc(size), d])
        .subarray(-size)
        .toString("base64url"),
    };
  }
  return crypto.createPrivateKey({ key: jwk, format: "jwk" });
}

describe("OpenSSH encodings", () => {
  it.each<[string, GenerateKeyOptions]>([
    ["RSA 2048", { algorithm: "RSA", rsaBits: 2048 }],
    ["ECDSA P-256", { algorithm: "ECDSA", ecdsaCurve: "P256" }],
    ["ECDSA P-384", { algorithm: "ECDSA", ecdsaCurve: "P384" }],
    ["ECDSA P-521", { algorithm: "ECDSA", ecdsaCurve: "P521" }],
    ["Ed25519", { algorithm: "ED25519" }],
  ])("%s: the private key's fields rebuild the same key, and its public blob is the public key's", (_, opts) => {
    const key = generateKey(opts);
    const pem = privateKeyOpenssh(key);
    const rebuilt = keyFromOpenssh(pem, opts);
    const spki = (k: crypto.KeyObject) => k.export({ type: "spki", format: "der" });
    expect(spki(crypto.createPublicKey(rebuilt))).toEqual(spki(key.publicKey));
    // Every private field is right (RSA's CRT values included) only if its signatures verify with the original key.
    const digest = opts.algorithm === "ED25519" ? null : "sha256";
    const signature = crypto.sign(digest, Buffer.from("proof"), rebuilt);
    expect(crypto.verify(digest, Buffer.from("proof"), key.publicKey, signature)).toBe(true);
    const [type, blob] = publicKeyOpenssh(key).trim().split(" ");
    const parsed = readOpensshPrivate(pem);
    expect(parsed.type).toBe(type);
    expect(parsed.publicBlob.toString("base64")).toBe(blob);
  });

  it("gives no OpenSSH form for P-224, as the provider (SSH has no such curve)", () => {
    const key = generateKey({ algorithm: "ECDSA", ecdsaCurve: "P224" });
    expect(privateKeyOpenssh(key)).toBe("");
    expect(publicKeyOpenssh(key)).toBe("");
  });
});
