import { isIP } from "node:net";

/**
 * The SPIFFE ID length limit (SPIFFE-ID spec §2.3: implementations "SHOULD NOT generate URIs of length greater than
 * 2048 bytes"; Google empties the SPIFFE header variable past it, https://cloud.google.com/load-balancing/docs/https/custom-headers).
 * Google's 512-byte limits on URI and DNS SANs apply to the joined, Base64-encoded custom-header lists, not to the
 * handshake, so they are not refused here (catalogue cert.leaf.spiffe-id).
 */
export const SAN_LIMITS = { spiffeIdBytes: 2048 } as const;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** RFC 1123 hostname, lowercase, optional single leading wildcard label when `allowWildcard`. */
export function hostnameProblem(name: string, allowWildcard = false): string | undefined {
  if (name.length === 0) return "is empty";
  if (Buffer.byteLength(name) > 253) return "is longer than 253 characters";
  if (name !== name.toLowerCase()) return "must be lowercase";
  if (name.endsWith(".")) return "must not end with a dot";
  const labels = name.split(".");
  for (const [i, label] of labels.entries()) {
    if (i === 0 && allowWildcard && label === "*") continue;
    if (!LABEL.test(label)) {
      return label === "*"
        ? "may use a wildcard only as the whole leftmost label of a server name"
        : `has an invalid label \`${label}\``;
    }
  }
  return undefined;
}

/** SPIFFE ID rules (SPIFFE-ID spec §2): `spiffe://<trust-domain>/<path>` with a non-root path. */
export function spiffeIdProblem(id: string): string | undefined {
  if (Buffer.byteLength(id) > SAN_LIMITS.spiffeIdBytes) return `is longer than ${SAN_LIMITS.spiffeIdBytes} bytes`;
  const m = /^spiffe:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(id);
  if (!m) return "must have the form spiffe://<trust-domain>/<path> with no query or fragment";
  const [, trustDomain, path] = m;
  if (!trustDomain) return "has an empty trust domain";
  if (!/^[a-z0-9._-]+$/.test(trustDomain)) {
    return "has a trust domain with characters other than lowercase letters, digits, `.`, `-` and `_` (no port or user info)";
  }
  if (!path || path === "/") return "must have a non-root path (e.g. spiffe://example.org/ns/payments)";
  for (const segment of path.slice(1).split("/")) {
    if (segment === "") return "has an empty path segment (`//` or a trailing `/`)";
    if (segment === "." || segment === "..") return "has a `.` or `..` path segment";
    if (!/^[A-Za-z0-9._-]+$/.test(segment))
      return `has a path segment \`${segment}\` with characters other than letters, digits, \`.\`, \`-\` and \`_\``;
  }
  return undefined;
}

/** An absolute URI SAN; SPIFFE IDs get the SPIFFE rules. */
export function uriProblem(uri: string): string | undefined {
  if (uri.startsWith("spiffe:")) return spiffeIdProblem(uri);
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$/.test(uri)) return "is not an absolute URI (scheme:rest, no spaces)";
  try {
    new URL(uri);
  } catch {
    return "is not a parseable URI";
  }
  return undefined;
}

export function ipProblem(ip: string): string | undefined {
  return isIP(ip) === 0 ? "is not an IPv4 or IPv6 address" : undefined;
}
