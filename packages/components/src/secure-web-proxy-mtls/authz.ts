import { PRINCIPAL_SELECTORS, type IdentityRule } from "./types";

/** AuthzPolicy limits (networksecurity v1). */
export const AUTHZ_LIMITS = { httpRulesPerPolicy: 5, hostsPerOperation: 10, pathsPerOperation: 10 } as const;

export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
}

/** One `httpRules[]` entry in the provider's input shape. */
export interface HttpRule {
  readonly from: {
    readonly sources: { readonly principals: { principalSelector: string; principal: { exact: string } }[] }[];
  };
  readonly to: {
    readonly operations: {
      readonly hosts: StringMatch[];
      readonly paths?: StringMatch[];
      readonly methods?: string[];
    }[];
  };
}

/** One AuthzPolicy to create. */
export interface PlannedPolicy {
  /** Child name suffix: `allow-<key>`, `allow-<key>-2`, … (stable: derived from the rule key and sorted content). */
  readonly role: string;
  readonly action: "ALLOW" | "DENY";
  /** The rule key (in `allow` / `deny`) this policy implements. */
  readonly ruleKey: string;
  readonly principalSelector: string;
  readonly identity: string;
  readonly httpRules: HttpRule[];
}

/** `*.example.com` → suffix `.example.com`; anything else exact. */
export function hostMatch(host: string): StringMatch {
  return host.startsWith("*.") ? { suffix: host.slice(1) } : { exact: host };
}

/** `/v1/*` → prefix `/v1/`; anything else exact. */
export function pathMatch(path: string): StringMatch {
  return path.endsWith("*") ? { prefix: path.slice(0, -1) } : { exact: path };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Turns identity rules into AuthzPolicies within the API limits. Each rule key gets its own policies, so adding,
 * changing or removing one workload never renames or rewrites another's. Inside a rule, hosts and paths are sorted
 * before splitting, so the split does not depend on the order they were written in.
 */
export function planAuthzPolicies(
  action: "ALLOW" | "DENY",
  rules: Readonly<Record<string, IdentityRule>>,
): PlannedPolicy[] {
  const policies: PlannedPolicy[] = [];
  for (const key of Object.keys(rules).sort()) {
    const rule = rules[key]!;
    const principalSelector = PRINCIPAL_SELECTORS[rule.selector ?? "uriSan"];
    const principals = [{ principalSelector, principal: { exact: rule.identity } }];
    const hosts = [...new Set(rule.hosts)].sort();
    const paths = rule.paths && rule.paths.length > 0 ? [...new Set(rule.paths)].sort() : undefined;
    const methods = rule.methods && rule.methods.length > 0 ? [...new Set(rule.methods)].sort() : undefined;
    const httpRules: HttpRule[] = [];
    for (const hostChunk of chunks(hosts, AUTHZ_LIMITS.hostsPerOperation)) {
      for (const pathChunk of paths ? chunks(paths, AUTHZ_LIMITS.pathsPerOperation) : [undefined]) {
        httpRules.push({
          from: { sources: [{ principals }] },
          to: {
            operations: [
              {
                hosts: hostChunk.map(hostMatch),
                ...(pathChunk ? { paths: pathChunk.map(pathMatch) } : {}),
                ...(methods ? { methods } : {}),
              },
            ],
          },
        });
      }
    }
    const prefix = `${action === "ALLOW" ? "allow" : "deny"}-${key}`;
    chunks(httpRules, AUTHZ_LIMITS.httpRulesPerPolicy).forEach((group, i) => {
      policies.push({
        role: i === 0 ? prefix : `${prefix}-${i + 1}`,
        action,
        ruleKey: key,
        principalSelector,
        identity: rule.identity,
        httpRules: group,
      });
    });
  }
  return policies;
}
