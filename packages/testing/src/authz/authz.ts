import type { RuleId } from "@gcp-mtls/rules";
import type { PeerIdentity } from "../handshake";

/** What an authorization policy sees of a request through the proxy. */
export interface AuthzRequest {
  /** The client certificate identity, from a verified handshake. */
  readonly identity?: PeerIdentity;
  /** Principals match only certificates the proxy verified (mTLS). */
  readonly verified: boolean;
  readonly host: string;
  /** The request path with its query string, as paths match it. @default "/" */
  readonly path?: string;
  /** @default "GET" */
  readonly method?: string;
}

/** An AuthzPolicy's inputs as recorded by the mocks (`networksecurity.AuthzPolicy`), with its name. */
export interface AuthzPolicyInputs {
  readonly name: string;
  readonly inputs: Record<string, any>;
}

export interface AuthzDecision {
  readonly allowed: boolean;
  /** The policy that decided: the matching DENY, the matching ALLOW, or none. */
  readonly policy?: string;
  readonly reason: string;
  /** The catalogue rules the decision turned on, when any (e.g. a path match that included the query string). */
  readonly rules?: readonly RuleId[];
}

interface StringMatch {
  exact?: string;
  prefix?: string;
  suffix?: string;
  contains?: string;
  ignoreCase?: boolean;
}

const SELECTOR_FIELD: Record<string, (id: PeerIdentity) => string[]> = {
  CLIENT_CERT_URI_SAN: (id) => id.uriSans,
  CLIENT_CERT_DNS_NAME_SAN: (id) => id.dnsSans,
  CLIENT_CERT_COMMON_NAME: (id) => (id.commonName !== undefined ? [id.commonName] : []),
};

/**
 * Evaluates AuthzPolicies the way Google Cloud documents it: CUSTOM policies are out of scope (refused), DENY
 * policies first (any match denies); then, if there are no ALLOW policies or any ALLOW policy matches, the request
 * is allowed, otherwise denied. A policy matches when one of its `httpRules` matches: `from` (principals, which match
 * verified client certificates only) and `to` (hosts, paths, methods).
 */
export function evaluateAuthzPolicies(policies: readonly AuthzPolicyInputs[], request: AuthzRequest): AuthzDecision {
  for (const p of policies) {
    if (p.inputs.action === "CUSTOM") throw new Error(`AuthzPolicy ${p.name}: CUSTOM policies are not emulated`);
  }
  const used = new Set<RuleId>();
  const decide = (d: AuthzDecision): AuthzDecision => (used.size > 0 ? { ...d, rules: [...used] } : d);
  const deny = policies.filter((p) => p.inputs.action === "DENY").find((p) => policyMatches(p, request, used));
  if (deny) return decide({ allowed: false, policy: deny.name, reason: `denied by DENY policy ${deny.name}` });
  const allows = policies.filter((p) => p.inputs.action === "ALLOW");
  if (allows.length === 0) return decide({ allowed: true, reason: "no ALLOW policy targets the proxy" });
  const allow = allows.find((p) => policyMatches(p, request, used));
  if (allow) return decide({ allowed: true, policy: allow.name, reason: `allowed by ALLOW policy ${allow.name}` });
  return decide({ allowed: false, reason: `no ALLOW policy matches (${allows.length} evaluated)` });
}

function policyMatches(p: AuthzPolicyInputs, request: AuthzRequest, used: Set<RuleId>): boolean {
  const rules: any[] = p.inputs.httpRules ?? [];
  return rules.some((rule) => {
    if (rule.when) throw new Error(`AuthzPolicy ${p.name}: \`when\` (CEL) conditions are not emulated`);
    return fromMatches(rule.from, request) && toMatches(rule.to, request, used);
  });
}

function fromMatches(from: any, request: AuthzRequest): boolean {
  if (!from) return true;
  const sourceMatches = (source: any): boolean => {
    if (source.ipBlocks || source.resources)
      throw new Error("AuthzPolicy sources by IP block or resource are not emulated");
    return (source.principals ?? []).some((principal: any) => principalMatches(principal, request));
  };
  if (from.sources && !from.sources.some(sourceMatches)) return false;
  if (from.notSources && from.notSources.some(sourceMatches)) return false;
  return true;
}

function principalMatches(principal: any, request: AuthzRequest): boolean {
  if (!request.verified || !request.identity) return false;
  const selector = principal.principalSelector ?? "CLIENT_CERT_URI_SAN";
  const values = SELECTOR_FIELD[selector]?.(request.identity);
  if (!values) throw new Error(`unknown principalSelector ${selector}`);
  return values.some((v) => stringMatches(principal.principal ?? principal, v));
}

function toMatches(to: any, request: AuthzRequest, used: Set<RuleId>): boolean {
  if (!to) return true;
  const operationMatches = (op: any): boolean => {
    if (op.headerSet) throw new Error("AuthzPolicy header matching is not emulated");
    const host = request.host;
    const path = request.path ?? "/";
    const method = request.method ?? "GET";
    if (op.hosts && !op.hosts.some((m: StringMatch) => stringMatches(m, host))) return false;
    // gcp.networksecurity.authz-policy.paths-include-query: the query string is part of the matched path.
    if (op.paths && path.includes("?")) used.add("gcp.networksecurity.authz-policy.paths-include-query");
    if (op.paths && !op.paths.some((m: StringMatch) => stringMatches(m, path))) return false;
    if (op.methods && !op.methods.includes(method)) return false;
    return true;
  };
  if (to.operations && !to.operations.some(operationMatches)) return false;
  if (to.notOperations && to.notOperations.some(operationMatches)) return false;
  return true;
}

function stringMatches(m: StringMatch, value: string): boolean {
  const norm = (s: string) => (m.ignoreCase ? s.toLowerCase() : s);
  const v = norm(value);
  if (m.exact !== undefined) return v === norm(m.exact);
  if (m.prefix !== undefined) return v.startsWith(norm(m.prefix));
  if (m.suffix !== undefined) return v.endsWith(norm(m.suffix));
  if (m.contains !== undefined) return v.includes(norm(m.contains));
  return false;
}
