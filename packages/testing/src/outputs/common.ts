import type { Problem } from "@gcp-mtls/rules";
import type { Cluster } from "../kubernetes/cluster";
import { createHash, X509Certificate } from "node:crypto";

export interface OutputContext {
  /** GCP project used when inputs carry none (from stack config `gcp:project`). */
  readonly project: string;
  /** Default region when a regional resource has no location/region input. */
  readonly region: string;
  /** Stable seed for deterministic auto-names (e.g. the stack name). */
  readonly seed: string;
  /** The emulated cluster Kubernetes objects are applied to (absent: outputs are computed object by object). */
  readonly cluster?: Cluster;
  /**
   * The resource already exists (an update of the previous deployment): rules that judge a resource only as it is
   * created are not applied (see `MockOptions.deployed`). @default false
   */
  readonly updating?: boolean;
}

export interface ComputedResource {
  /** Provider id, exactly as the real provider sets it. */
  readonly id: string;
  /** Full state: the inputs (with auto-name/project/location defaults applied) plus computed outputs. */
  readonly state: Record<string, unknown>;
  /**
   * What the provider or the API would refuse, by input path with its catalogue rule: a real `pulumi up` fails to
   * create this resource. The mocks record it as a deployment failure.
   */
  readonly problems?: readonly Problem[];
}

/**
 * Deterministic Pulumi-style auto-name: `${name}-${n lowercase hex}` from sha256(seed + type + name); 7 characters
 * as the Pulumi engine's auto-naming of bridged providers, 8 as pulumi-kubernetes' (catalogue pulumi-k8s.autoname).
 */
export function autoName(name: string, type: string, seed: string, length = 7): string {
  const suffix = createHash("sha256")
    .update(seed + type + name)
    .digest("hex")
    .slice(0, length);
  return `${name}-${suffix}`;
}

/**
 * Every "random" value the fake provider hands out (uids, numeric ids, fingerprints) comes from here, keyed by
 * resource identity and purpose, so a value is stable across runs and independent of the order resources are created.
 */
export class Digest {
  private readonly key: string;

  constructor(seed: string, type: string, name: string) {
    // JSON keeps the parts unambiguous ("ab"+"c" and "a"+"bc" must not collide).
    this.key = JSON.stringify([seed, type, name]);
  }

  bytes(purpose: string, length: number): Buffer {
    const chunks: Buffer[] = [];
    for (let block = 0; chunks.length * 32 < length; block++) {
      chunks.push(createHash("sha256").update(`${this.key}|${purpose}|${block}`).digest());
    }
    return Buffer.concat(chunks).subarray(0, length);
  }

  hex(purpose: string, length: number): string {
    return this.bytes(purpose, Math.ceil(length / 2))
      .toString("hex")
      .slice(0, length);
  }

  /** Decimal string without a leading zero, the shape of GCP numeric ids. */
  digits(purpose: string, length: number): string {
    const raw = this.bytes(purpose, length);
    let out = String(1 + (raw[0] % 9));
    for (let i = 1; i < length; i++) out += String(raw[i] % 10);
    return out;
  }

  /** Google's opaque fingerprints and etags are base64 of 8 bytes (e.g. `BwYFg1xhb2E=`). */
  base64(purpose: string, length = 8): string {
    return this.bytes(purpose, length).toString("base64");
  }

  uint(purpose: string, modulo: number): number {
    return this.bytes(purpose, 4).readUInt32BE(0) % modulo;
  }

  /** RFC 4122 version-4 layout, which is what Kubernetes and GCP hand out. */
  uuid(purpose: string): string {
    const b = this.bytes(purpose, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

/** The instant every fake resource was "created": fixed so snapshots never drift. */
export const CREATED_AT = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

/** Newer GCP APIs (Certificate Manager, Network Security, CAS...) and Kubernetes report UTC "Zulu" times. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

/**
 * The Compute Engine API reports timestamps in US Pacific time with milliseconds, e.g.
 * `2023-12-31T16:00:00.000-08:00`; matching that lets tests catch code that assumes `Z`.
 */
export function computeTimestamp(date: Date): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/Los_Angeles",
    timeZoneName: "longOffset",
  }).formatToParts(date);
  const zone = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const offset = zone === "GMT" ? "+00:00" : zone.slice(3);
  const sign = offset.startsWith("-") ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(date.getTime() + minutes * 60_000).toISOString();
  return `${local.slice(0, 23)}${offset}`;
}

/** First certificate of a PEM bundle, or undefined when the text is not a parseable certificate. */
export function parseFirstCertificate(pem: unknown): X509Certificate | undefined {
  if (typeof pem !== "string") return undefined;
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!block) return undefined;
  try {
    return new X509Certificate(block[0]);
  } catch {
    return undefined;
  }
}

/** DNS names of the subjectAltName extension, in certificate order. */
export function dnsSubjectAltNames(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (!san) return [];
  // Node quotes an entry as a JSON string when it contains separators, so split on ", " outside quotes only.
  const entries = san.match(/(?:[^,"]|"(?:\\.|[^"\\])*")+/g) ?? [];
  const names: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry.startsWith("DNS:")) continue;
    const value = entry.slice(4);
    names.push(value.startsWith('"') ? (JSON.parse(value) as string) : value);
  }
  return names;
}

export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** Inputs arrive as plain JSON-like values; copying keeps the caller's objects untouched. */
export function cloneInputs(inputs: Record<string, any>): Record<string, any> {
  return deepCopy(inputs ?? {}) as Record<string, any>;
}

/**
 * Copies arrays and plain objects, sharing anything else (assets, resources). Unlike `structuredClone`, the copies
 * are created in this module's realm: under Jest a host-realm array fails Pulumi's `instanceof Array` checks and
 * would be serialized as `{"0": ...}`.
 */
export function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === null || Object.getPrototypeOf(proto) === null) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = deepCopy(item);
      return copy;
    }
  }
  return value;
}
