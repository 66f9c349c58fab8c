import { isIP } from "node:net";
import type { CertificateInfo, NameSubtree } from "../x509/inspect";

/**
 * Name-constraint matching (RFC 5280 §4.2.1.10), for the name forms this library issues and Google Cloud reads:
 * DNS names, URIs (their host), IP addresses and mailboxes. OpenSSL also checks a leaf's common name as a DNS name
 * when the leaf has no DNS SAN (crypto/x509/v3_ncons.c, NAME_CONSTRAINTS_check_CN); so does this.
 */
export interface NameViolation {
  readonly name: string;
  readonly type: NameSubtree["type"];
  readonly subtree: NameSubtree;
  readonly excluded: boolean;
}

/** Names a certificate carries (or will carry), by form. */
export interface CertificateNames {
  readonly dns?: readonly string[];
  readonly uri?: readonly string[];
  readonly ip?: readonly string[];
  readonly email?: readonly string[];
  /** A leaf's common name: checked as a DNS name when it looks like one and there is no DNS SAN. */
  readonly commonName?: string;
}

/** The names of `cert` that break the constraints of `ca` (permitted and excluded subtrees). */
export function nameConstraintViolations(ca: CertificateInfo, cert: CertificateInfo, isLeaf: boolean): NameViolation[] {
  return namesOutsideConstraints(ca, {
    dns: cert.sans.dns,
    uri: cert.sans.uri,
    ip: cert.sans.ip,
    email: cert.sans.email,
    ...(isLeaf && cert.subject.commonName !== undefined ? { commonName: cert.subject.commonName } : {}),
  });
}

/** The names that break the constraints of `ca`; for checking a certificate before it is issued. */
export function namesOutsideConstraints(ca: CertificateInfo, names: CertificateNames): NameViolation[] {
  const nc = ca.nameConstraints;
  if (!nc) return [];
  const list: { type: NameSubtree["type"]; value: string }[] = [
    ...(names.dns ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(names.uri ?? []).map((value) => ({ type: "uri" as const, value })),
    ...(names.ip ?? []).map((value) => ({ type: "ip" as const, value })),
    ...(names.email ?? []).map((value) => ({ type: "email" as const, value })),
  ];
  const cn = names.commonName;
  if ((names.dns ?? []).length === 0 && cn !== undefined && looksLikeHostname(cn))
    list.push({ type: "dns", value: cn });
  const out: NameViolation[] = [];
  for (const name of list) {
    const permitted = nc.permitted.filter((s) => s.type === name.type);
    if (permitted.length > 0 && !permitted.some((s) => matches(s, name.value))) {
      out.push({ name: name.value, type: name.type, subtree: permitted[0]!, excluded: false });
    }
    const hit = nc.excluded.find((s) => s.type === name.type && matches(s, name.value));
    if (hit) out.push({ name: name.value, type: name.type, subtree: hit, excluded: true });
  }
  return out;
}

function looksLikeHostname(cn: string): boolean {
  return /^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(cn);
}

function matches(subtree: NameSubtree, name: string): boolean {
  switch (subtree.type) {
    case "dns":
      return dnsWithin(name.toLowerCase(), subtree.value.toLowerCase());
    case "uri": {
      const host = uriHost(name);
      if (host === undefined) return false;
      const c = subtree.value.toLowerCase();
      return c.startsWith(".") ? host.endsWith(c) : host === c;
    }
    case "ip":
      return ipWithin(name, subtree.value);
    case "email": {
      const c = subtree.value.toLowerCase();
      const n = name.toLowerCase();
      if (c.includes("@")) return n === c;
      const domain = n.slice(n.lastIndexOf("@") + 1);
      return c.startsWith(".") ? domain.endsWith(c) : domain === c;
    }
    default:
      return true;
  }
}

/** `a.example.com` is within `example.com` and `.example.com`; `example.com` is within `example.com` only. */
function dnsWithin(name: string, constraint: string): boolean {
  if (constraint === "") return true;
  const c = constraint.startsWith(".") ? constraint.slice(1) : constraint;
  if (constraint.startsWith(".")) return name.endsWith(`.${c}`);
  return name === c || name.endsWith(`.${c}`);
}

function uriHost(uri: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  return m ? m[1]!.toLowerCase() : undefined;
}

function ipWithin(ip: string, cidr: string): boolean {
  const [base, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  const family = isIP(ip);
  if (family === 0 || family !== isIP(base ?? "")) return false;
  const a = ipBytes(ip);
  const b = ipBytes(base!);
  for (let bit = 0; bit < prefix; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((a[bit >> 3]! & mask) !== (b[bit >> 3]! & mask)) return false;
  }
  return true;
}

function ipBytes(ip: string): number[] {
  if (isIP(ip) === 4) return ip.split(".").map(Number);
  const [head, tail] = ip.split("::");
  const parse = (s: string | undefined) => (s ? s.split(":").filter((x) => x !== "") : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}
