/** A decoded PEM block. */
export interface PemBlock {
  readonly type: string;
  readonly der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n?([\s\S]*?)-----END \1-----/g;
const ANY_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** Encodes DER as PEM with 64-column lines and one trailing newline, as Go's `encoding/pem` writes it. */
export function encodePem(type: string, der: Uint8Array, width = 64): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(new RegExp(`.{1,${width}}`, "g")) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

/** Every PEM block in `text`, in order. Text outside blocks is ignored. */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks.push({ type: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ""), "base64") });
  }
  return blocks;
}

/** The types of every `BEGIN` line in `text`, including blocks that are not well formed. */
export function pemBlockTypes(text: string): string[] {
  return [...text.matchAll(ANY_BEGIN)].map((m) => m[1]!);
}

/** The single block of the expected type; throws when there is none, several, or another type. */
export function decodePem(text: string, expectedType: string): Buffer {
  const blocks = decodePemBlocks(text);
  if (blocks.length !== 1) throw new Error(`expected one PEM block of type ${expectedType}, found ${blocks.length}`);
  if (blocks[0]!.type !== expectedType) throw new Error(`expected PEM type ${expectedType}, got ${blocks[0]!.type}`);
  return blocks[0]!.der;
}

/**
 * Splits text into certificates, each re-armoured as Go's encoding/pem writes it (LF, 64 columns, one trailing
 * newline). Google's APIs store PEM verbatim and the providers do not suppress PEM diffs, so normalising is what
 * keeps a re-run from showing a spurious update.
 */
export function splitCertificates(text: string): string[] {
  return decodePemBlocks(text)
    .filter((b) => b.type === "CERTIFICATE")
    .map((b) => encodePem("CERTIFICATE", b.der));
}

/** The one certificate in `text`, normalised; throws describing what was found otherwise. */
export function normaliseSinglePem(text: string): string {
  const certs = splitCertificates(text);
  if (certs.length !== 1) throw new Error(`expected exactly one PEM certificate, found ${certs.length}`);
  return certs[0]!;
}
