/** The runtime's wire signatures (see `@pulumi/pulumi/runtime/rpc`): a secret travels as `{ [sigKey]: secretSig, value }`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Wraps a value so the mock monitor hands it back to the program as a secret output. */
export function secretValue<T>(value: T): { [SIG_KEY]: string; value: T } {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** True for the runtime's "unknown during preview" marker (and the raw wire sentinel). */
export function isUnknownValue(v: unknown): boolean {
  if (v === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") return true;
  return typeof v === "object" && v !== null && v.constructor?.name === "Unknown";
}

/** Deep-unwraps secrets; returns the plain value and the top-level keys that held a secret anywhere below them. */
export function unwrapSecrets(inputs: Record<string, unknown>): { plain: Record<string, any>; secretKeys: string[] } {
  const secretKeys: string[] = [];
  const plain: Record<string, any> = {};
  for (const [k, v] of Object.entries(inputs)) {
    const [value, secret] = unwrapDeep(v);
    plain[k] = value;
    if (secret) secretKeys.push(k);
  }
  return { plain, secretKeys };
}

function unwrapDeep(v: unknown): [unknown, boolean] {
  if (isSecretValue(v)) return [unwrapDeep(v.value)[0], true];
  if (Array.isArray(v)) {
    let secret = false;
    const out = v.map((e) => {
      const [value, s] = unwrapDeep(e);
      secret ||= s;
      return value;
    });
    return [out, secret];
  }
  if (typeof v === "object" && v !== null && !isUnknownValue(v)) {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      const [value, s] = unwrapDeep(e);
      secret ||= s;
      out[k] = value;
    }
    return [out, secret];
  }
  return [v, false];
}

/** True when the value or anything inside it is unknown (preview). */
export function containsUnknown(v: unknown): boolean {
  if (isUnknownValue(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}
