import { leavesOf } from "../internal/chain-ref";
import { trustSourceProblems } from "../internal/trust-source";
import type { Problem } from "@gcp-mtls/rules";
import type { CertificateChainRef } from "../vocabulary";
import { ArgumentError, ProblemCollector, closest, editDistance, show } from "../internal/format";
import { checkComponentName, checkLocation, checkRegion } from "../internal/gcp";
import { hostnameProblem } from "../internal/san";
import { proxyOnlySubnetProblems } from "../internal/proxy-only-subnet";
import { clientCertificateAlertProblems } from "../internal/client-cert-alert";
import { checkTrustPem } from "../internal/trust";
import { planAuthzPolicies, type PlannedPolicy } from "./authz";
import { HTTP_METHODS, type IdentityRule, type IdentitySelector, type SecureWebProxyMtlsArgs } from "./types";

const KEY_PATTERN = /^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/;
const SELECTORS: readonly IdentitySelector[] = ["uriSan", "dnsSan", "commonName"];
const EXPLICIT = "EXPLICIT_ROUTING_MODE";

/** What validation resolved: the mode and the AuthzPolicies to create. */
export interface ResolvedProxy {
  readonly mode: "REJECT_INVALID" | "ALLOW_INVALID_OR_MISSING_CLIENT_CERT" | "DISABLED";
  readonly ports: number[];
  readonly policies: PlannedPolicy[];
}

/**
 * Checks a proxy's arguments before any resource exists; throws an {@link ArgumentError} naming the argument,
 * the bad value and the fix. Values that are Outputs are checked later, where the component resolves them.
 */
export function validateSecureWebProxyMtlsArgs(name: string, args: SecureWebProxyMtlsArgs): ResolvedProxy {
  // Independent checks, every problem kept (one ArgumentError lists them all); planning reads only valid values.
  const problems = new ProblemCollector();
  // The location checks compare with the region: judged only once it is one.
  const regionKnown = problems.run(() => (checkRegion("region", args.region), true));
  const routingMode = args.routingMode ?? EXPLICIT;
  problems.run(() => {
    if (routingMode !== EXPLICIT) {
      throw new ArgumentError(
        `\`routingMode\` must be \`${EXPLICIT}\`, got ${show(routingMode)}; Secure Web Proxy supports frontend mTLS ` +
          "only in explicit proxy routing mode (clients send CONNECT to the proxy)",
        "gcp.swp.explicit-routing",
      );
    }
  });
  const mode = args.clientValidationMode ?? "REJECT_INVALID";
  const modeKnown = problems.run(() => {
    if (!["REJECT_INVALID", "ALLOW_INVALID_OR_MISSING_CLIENT_CERT", "DISABLED"].includes(mode)) {
      throw new ArgumentError(
        `\`clientValidationMode\` must be \`REJECT_INVALID\`, \`ALLOW_INVALID_OR_MISSING_CLIENT_CERT\` or \`DISABLED\`, got ${show(mode)}`,
      );
    }
    return true;
  });
  const ports = problems.run(() => checkPorts(args.ports)) ?? [];
  if (modeKnown) problems.run(() => checkTrust(args, mode));
  if (regionKnown) {
    problems.run(() => checkServerCertificate(args));
    problems.run(() => checkPolicies(args));
    problems.run(() => checkLocation("subnetwork", args.subnetwork, args.region, "Subnetwork"));
  }
  problems.run(() => checkResourcePaths(args));

  const allow = args.allow ?? {};
  const deny = args.deny ?? {};
  for (const [section, rules] of [
    ["allow", allow],
    ["deny", deny],
  ] as const) {
    for (const [key, rule] of Object.entries(rules)) {
      problems.run(() => {
        checkRule(`${section}.${key}`, key, rule);
        if (mode === "DISABLED") {
          throw new ArgumentError(
            `\`${section}.${key}\` is an identity rule but \`clientValidationMode\` is \`DISABLED\`: the proxy reads ` +
              "identities from verified client certificates only; set clientValidationMode to `REJECT_INVALID`",
          );
        }
        if (args.trust?.chain !== undefined) checkIdentityIssued(`${section}.${key}`, rule, args.trust.chain);
      });
    }
  }
  // Conflicts compare valid rules only.
  if (problems.empty) problems.run(() => checkConflicts(allow, deny));
  problems.run(() => {
    if (mode !== "DISABLED" && Object.keys(allow).length === 0) {
      // With no ALLOW policy on a resource, AuthzPolicy allows every request no DENY policy matches
      // (rule gcp.networksecurity.authz-policy.deny-only): a proxy without allow rules would fail open.
      throw new ArgumentError([
        {
          path: "allow",
          rule: "gcp.networksecurity.authz-policy.deny-only",
          message:
            `is empty${Object.keys(deny).length > 0 ? " while `deny` has rules" : ""}: with no ALLOW authorization policy, Secure Web Proxy ` +
            "allows every request that no DENY policy matches; list each identity and the destinations it may reach",
        },
      ]);
    }
  });

  if (args.rejectedCertificateAlert !== undefined && modeKnown) {
    problems.run(() => {
      const found = clientCertificateAlertProblems("rejectedCertificateAlert", args.rejectedCertificateAlert!, mode);
      if (found.length > 0) throw new ArgumentError(found);
    });
  }
  if (args.adopt !== undefined) {
    problems.run(() => {
      const found = adoptionProblems(args);
      if (found.length > 0) throw new ArgumentError(found);
    });
  }
  if (args.proxyOnlySubnet !== undefined) {
    problems.run(() => {
      const found = proxyOnlySubnetProblems("proxyOnlySubnet", args.proxyOnlySubnet!);
      if (found.length > 0) throw new ArgumentError(found);
    });
  }
  problems.throwIfAny();

  const policies = [...planAuthzPolicies("DENY", deny), ...planAuthzPolicies("ALLOW", allow)];
  const byRole = new Map<string, string>();
  for (const p of policies) {
    const section = `${p.action === "ALLOW" ? "allow" : "deny"}.${p.ruleKey}`;
    const other = byRole.get(p.role);
    if (other !== undefined) {
      throw new ArgumentError(
        `\`${section}\` and \`${other}\` would both create the AuthzPolicy \`${name}-${p.role}\` (a rule past the limits gets ` +
          "numbered overflow policies `-2`, `-3`…); rename the rule whose key ends in a number",
      );
    }
    byRole.set(p.role, section);
  }
  const roles = ["rejected-client-certs", "server-tls-policy", ...policies.map((p) => p.role)];
  checkComponentName(
    name,
    roles.reduce((a, b) => (b.length > a.length ? b : a)),
  );
  return { mode, ports, policies };
}

// magic-modules networkservices/Gateway.yaml `import_format`; the name is the gateway's resource name
// (`parameters.name`), which an import must keep: it is immutable.
const GATEWAY_ID = /^projects\/([^/]+)\/locations\/([^/]+)\/gateways\/([^/]+)$/;
const GATEWAY_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** What `adopt` names: the gateway's project, region and name, read from its id. */
export interface AdoptedGateway {
  readonly project: string;
  readonly region: string;
  readonly name: string;
}

/** The parts of a valid `adopt.gatewayId` (undefined when it is not one). */
export function adoptedGateway(id: unknown): AdoptedGateway | undefined {
  const m = typeof id === "string" ? GATEWAY_ID.exec(id) : null;
  return m ? { project: m[1]!, region: m[2]!, name: m[3]! } : undefined;
}

/**
 * Adopting an existing proxy: the id must be one the provider imports, in the proxy's region and project, and the
 * component must not swap out what the guide keeps (the proxy's gateway security policy, its explicit mode).
 */
function adoptionProblems(args: SecureWebProxyMtlsArgs): Problem[] {
  const adopt = args.adopt!;
  const problems: Problem[] = [];
  const rule = "gcp.swp.adopt";
  const found = adoptedGateway(adopt.gatewayId);
  if (found === undefined) {
    problems.push({
      path: "adopt.gatewayId",
      rule,
      message: `must be \`projects/<project>/locations/<region>/gateways/<name>\` (the gateway's import id), got ${show(adopt.gatewayId)}; \`gcloud network-services gateways list --location=${args.region}\` shows it`,
    });
  } else {
    if (found.region !== args.region) {
      problems.push({
        path: "adopt.gatewayId",
        rule,
        message: `is in ${show(found.region)} but \`region\` is ${show(args.region)}; set \`region\` to the proxy's region (every resource the component creates must sit beside it)`,
      });
    }
    if (typeof args.project === "string" && found.project !== args.project) {
      problems.push({
        path: "adopt.gatewayId",
        rule,
        message: `is in project ${show(found.project)} but \`project\` is ${show(args.project)}; an adopted proxy is updated in its own project`,
      });
    }
    if (!GATEWAY_NAME.test(found.name)) {
      problems.push({
        path: "adopt.gatewayId",
        rule,
        message: `names the gateway ${show(found.name)}, which is no Secure Web Proxy name (lowercase letters, digits and \`-\`, at most 63)`,
      });
    }
  }
  if (args.gatewaySecurityPolicyId === undefined) {
    problems.push({
      path: "gatewaySecurityPolicyId",
      rule,
      message:
        "must name the adopted proxy's gateway security policy: without it the component creates a new policy and the proxy loses its rules; " +
        "`gcloud network-services gateways describe` shows it as `gatewaySecurityPolicy`",
    });
  }
  if (adopt.protect !== undefined && typeof adopt.protect !== "boolean") {
    problems.push({ path: "adopt.protect", message: `must be true or false, got ${show(adopt.protect)}` });
  }
  return problems;
}

function checkPorts(ports: readonly number[] | undefined): number[] {
  const list = [...(ports ?? [443])];
  if (list.length === 0) throw new ArgumentError("`ports` must list at least one port, got none");
  list.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 1 || p > 65535)
      throw new ArgumentError(`\`ports[${i}]\` must be a port number 1-65535, got ${show(p)}`);
  });
  if (new Set(list).size !== list.length) throw new ArgumentError(`\`ports\` lists a port twice: ${show(list)}`);
  return list;
}

function checkTrust(args: SecureWebProxyMtlsArgs, mode: ResolvedProxy["mode"]): void {
  const allowlist = args.allowlistedCertificatePems;
  if (mode === "DISABLED") {
    const given = [
      ...(args.trust !== undefined ? ["trust"] : []),
      ...(allowlist !== undefined ? ["allowlistedCertificatePems"] : []),
    ];
    if (given.length > 0) {
      throw new ArgumentError(
        `[${given.join("], [")}] given but \`clientValidationMode\` is \`DISABLED\`, so nothing would use them; remove them or set clientValidationMode`,
      );
    }
    return;
  }
  if (args.trust === undefined) {
    throw new ArgumentError(
      `\`trust\` must be set when \`clientValidationMode\` is ${show(mode)}: the proxy validates client certificates ` +
        "against these CAs; set `trust.chain` to the PKI of your workloads, or `trust.trustAnchorPems` to their roots",
    );
  }
  const problems = [
    ...trustSourceProblems("trust", args.trust, "trustConfig", "split the PKI"),
    ...allowlistProblems(allowlist ?? []),
  ];
  if (problems.length > 0) throw new ArgumentError(problems);
}

function allowlistProblems(pems: readonly unknown[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  pems.forEach((pem, i) => {
    if (typeof pem !== "string") return;
    const path = `allowlistedCertificatePems[${i}]`;
    try {
      const normalised = checkTrustPem(path, pem, "allowlisted certificate");
      const previous = seen.get(normalised);
      if (previous !== undefined)
        problems.push({ path, message: `is the same certificate as \`${previous}\`; list each certificate once` });
      seen.set(normalised, path);
    } catch (e) {
      if (e instanceof ArgumentError) problems.push(...e.problems);
      else throw e;
    }
  });
  return problems;
}

function checkServerCertificate(args: SecureWebProxyMtlsArgs): void {
  const given = (["serverCertificateIds", "serverCertificate", "privateServerCertificate"] as const).filter(
    (k) => args[k] !== undefined,
  );
  if (given.length !== 1) {
    throw new ArgumentError(
      `Exactly one of [serverCertificateIds], [serverCertificate] and [privateServerCertificate] must be set, got ${given.length === 0 ? "none" : given.map((g) => `[${g}]`).join(" and ")}; ` +
        "the proxy presents this certificate to clients in the TLS handshake",
    );
  }
  const priv = args.privateServerCertificate;
  if (priv !== undefined) {
    if (priv.domains.length === 0) {
      throw new ArgumentError(
        "`privateServerCertificate.domains` is empty; list the names the proxy's certificate covers",
      );
    }
    if (typeof priv.issuanceConfig === "string") {
      // A regional certificate issues through a config of its own region (rule gcp.certificatemanager.private-issuance).
      checkLocation(
        "privateServerCertificate.issuanceConfig",
        priv.issuanceConfig,
        args.region,
        "CertificateIssuanceConfig",
      );
    }
  }
  (args.serverCertificateIds ?? []).forEach((id, i) =>
    checkLocation(`serverCertificateIds[${i}]`, id, args.region, "Certificate"),
  );
  if (args.serverCertificateIds && args.serverCertificateIds.length === 0) {
    throw new ArgumentError("`serverCertificateIds` is empty; give at least one Certificate Manager certificate id");
  }
  if (args.serverCertificate) {
    const { chain, leaf } = args.serverCertificate;
    const leaves = leavesOf(chain);
    const issued = Object.prototype.hasOwnProperty.call(leaves, leaf) ? leaves[leaf] : undefined;
    if (!issued) {
      throw new ArgumentError(
        `\`serverCertificate.leaf\` ${show(leaf)} is not a leaf of the chain; use one of ${show(Object.keys(leaves))}`,
      );
    }
    if (!(issued.usages ?? ["client"]).includes("server")) {
      throw new ArgumentError(
        `\`serverCertificate.leaf\` ${show(leaf)} is a client-only certificate (no serverAuth); issue it with \`usages: ["server"]\``,
      );
    }
  }
}

function checkPolicies(args: SecureWebProxyMtlsArgs): void {
  if (
    args.gatewaySecurityPolicyId !== undefined &&
    (args.tlsInspectionPolicyId !== undefined || args.tlsInspectionCaPoolId !== undefined)
  ) {
    throw new ArgumentError(
      "[gatewaySecurityPolicyId] cannot be combined with [tlsInspectionPolicyId] or [tlsInspectionCaPoolId]: an existing " +
        "gateway security policy already names its TLS inspection policy",
    );
  }
  if (args.tlsInspectionPolicyId !== undefined && args.tlsInspectionCaPoolId !== undefined) {
    throw new ArgumentError(
      "Only one of [tlsInspectionPolicyId] and [tlsInspectionCaPoolId] can be set: the policy already names its CA pool",
    );
  }
  checkLocation("gatewaySecurityPolicyId", args.gatewaySecurityPolicyId, args.region, "Gateway security policy");
  checkLocation("tlsInspectionPolicyId", args.tlsInspectionPolicyId, args.region, "TLS inspection policy");
  checkLocation("tlsInspectionCaPoolId", args.tlsInspectionCaPoolId, args.region, "CA pool");
}

function checkRule(path: string, key: string, rule: IdentityRule): void {
  if (!KEY_PATTERN.test(key)) {
    throw new ArgumentError(
      `\`${path}\`: key ${show(key)} is not a valid name part; use 1-30 lowercase letters, digits and \`-\` (it names the rule's policies and must stay stable)`,
    );
  }
  const selector = rule.selector ?? "uriSan";
  if (!SELECTORS.includes(selector)) {
    throw new ArgumentError(
      `\`${path}.selector\` must be one of \`uriSan\`, \`dnsSan\`, \`commonName\`, got ${show(selector)}`,
    );
  }
  if (typeof rule.identity !== "string" || rule.identity.trim() === "" || rule.identity !== rule.identity.trim()) {
    throw new ArgumentError(
      `\`${path}.identity\` must be a non-empty string without surrounding spaces, got ${show(rule.identity)}`,
    );
  }
  if (selector === "uriSan" && !/^[a-z][a-z0-9+.-]*:/i.test(rule.identity)) {
    throw new ArgumentError(
      `\`${path}.identity\` ${show(rule.identity)} is not a URI but \`selector\` is \`uriSan\`; use a URI such as ` +
        "`spiffe://example.org/ns/app`, or set `selector` to `dnsSan` or `commonName`",
    );
  }
  if (selector === "dnsSan") {
    const problem = hostnameProblem(rule.identity);
    if (problem)
      throw new ArgumentError(`\`${path}.identity\` ${show(rule.identity)} ${problem}, but \`selector\` is \`dnsSan\``);
  }
  if (!Array.isArray(rule.hosts) || rule.hosts.length === 0) {
    throw new ArgumentError(`\`${path}.hosts\` must list at least one destination host, got ${show(rule.hosts)}`);
  }
  rule.hosts.forEach((host, i) => {
    const problem = hostnameProblem(host, true);
    if (problem) {
      throw new ArgumentError(
        `\`${path}.hosts[${i}]\` ${show(host)} is not a valid hostname: it ${problem}; use a name such as \`api.example.com\` or \`*.example.com\``,
      );
    }
  });
  (rule.paths ?? []).forEach((p, i) => {
    if (!p.startsWith("/") || p.slice(0, -1).includes("*")) {
      throw new ArgumentError(
        `\`${path}.paths[${i}]\` ${show(p)} must start with \`/\` and may end with one \`*\` (a prefix), e.g. \`/v1/*\``,
      );
    }
  });
  (rule.methods ?? []).forEach((m, i) => {
    if (!(HTTP_METHODS as readonly string[]).includes(m)) {
      throw new ArgumentError(
        `\`${path}.methods[${i}]\` must be one of ${HTTP_METHODS.join(", ")} (upper case), got ${show(m)}`,
      );
    }
  });
}

/** Identities the chain issues to client leaves, per selector, and to server-only leaves (never clients). */
function issuedIdentities(chain: CertificateChainRef) {
  const client: Record<IdentitySelector, Map<string, string>> = {
    uriSan: new Map(),
    dnsSan: new Map(),
    commonName: new Map(),
  };
  const serverOnly = new Map<string, string>();
  for (const [key, leaf] of Object.entries(leavesOf(chain))) {
    const ids: [IdentitySelector, string][] = [
      ...(leaf.uris ?? []).map((u) => ["uriSan", u] as [IdentitySelector, string]),
      ...(leaf.dnsNames ?? []).map((d) => ["dnsSan", d] as [IdentitySelector, string]),
      ...(leaf.commonName ? [["commonName", leaf.commonName] as [IdentitySelector, string]] : []),
    ];
    for (const [selector, id] of ids) {
      if ((leaf.usages ?? ["client"]).includes("client")) client[selector].set(id, key);
      else serverOnly.set(`${selector}:${id}`, key);
    }
  }
  return { client, serverOnly };
}

/**
 * Typo defence: an identity that no client leaf of the chain carries, but that looks like one of its identities
 * (same SPIFFE trust domain, same parent DNS domain, a near-identical CN), is refused with the closest issued one.
 * Identities from elsewhere (another trust domain, another DNS zone) are taken as they are.
 */
function checkIdentityIssued(path: string, rule: IdentityRule, chain: CertificateChainRef): void {
  const selector = rule.selector ?? "uriSan";
  const { client, serverOnly } = issuedIdentities(chain);
  const issued = client[selector];
  if (issued.has(rule.identity)) return;
  const serverLeaf = serverOnly.get(`${selector}:${rule.identity}`);
  if (serverLeaf) {
    throw new ArgumentError(
      `\`${path}.identity\` ${show(rule.identity)} belongs to leaf \`${serverLeaf}\`, a server-only certificate (no clientAuth) ` +
        "that the proxy will never accept from a client; add `client` to its usages",
    );
  }
  const candidates = [...issued.keys()];
  const related = candidates.filter((c) => sameFamily(selector, c, rule.identity));
  if (related.length === 0) return;
  const nearest = closest(rule.identity, related)!;
  const label = { uriSan: "URI SAN", dnsSan: "DNS SAN", commonName: "common name" }[selector];
  throw new ArgumentError(
    `\`${path}.identity\` ${show(rule.identity)} is not issued by \`trust.chain\`: no client leaf carries this ${label} ` +
      `(closest: ${show(nearest)} of leaf \`${issued.get(nearest)}\`); fix the typo, or issue a leaf with this identity`,
  );
}

function sameFamily(selector: IdentitySelector, issued: string, wanted: string): boolean {
  if (selector === "uriSan") {
    const authority = (u: string) => /^([a-z][a-z0-9+.-]*:\/\/[^/]*)/i.exec(u)?.[1]?.toLowerCase();
    return authority(issued) !== undefined && authority(issued) === authority(wanted);
  }
  if (selector === "dnsSan") {
    const parent = (d: string) => d.split(".").slice(1).join(".");
    return parent(issued) !== "" && parent(issued) === parent(wanted);
  }
  return editDistance(issued.toLowerCase(), wanted.toLowerCase()) <= Math.max(2, Math.floor(issued.length / 5));
}

function coversHost(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1));
  return false;
}

function checkConflicts(
  allow: Readonly<Record<string, IdentityRule>>,
  deny: Readonly<Record<string, IdentityRule>>,
): void {
  const id = (r: IdentityRule) => `${r.selector ?? "uriSan"}:${r.identity}`;
  for (const [section, rules] of [
    ["allow", allow],
    ["deny", deny],
  ] as const) {
    const seen = new Map<string, string>();
    for (const [key, rule] of Object.entries(rules)) {
      const previous = seen.get(id(rule));
      if (previous) {
        throw new ArgumentError(
          `\`${section}.${key}\` and \`${section}.${previous}\` both name identity ${show(rule.identity)} (${rule.selector ?? "uriSan"}); ` +
            "merge them into one rule so the identity's access is stated once",
        );
      }
      seen.set(id(rule), key);
    }
  }
  for (const [allowKey, a] of Object.entries(allow)) {
    for (const [denyKey, d] of Object.entries(deny)) {
      if (id(a) !== id(d)) continue;
      const clash = a.hosts.find((h) => d.hosts.some((p) => coversHost(p, h) || coversHost(h, p)));
      if (clash !== undefined) {
        throw new ArgumentError(
          `\`allow.${allowKey}\` allows identity ${show(a.identity)} to reach ${show(clash)}, which \`deny.${denyKey}\` denies ` +
            "(deny wins); remove the host from one of the two rules",
        );
      }
    }
  }
}

/**
 * The network and subnetwork as full resource paths: the provider's autogenerated-router clean-up on destroy builds
 * the Compute URL from `network` verbatim and compares it by string (rule gcp.networkservices.gateway.network-format).
 */
function checkResourcePaths(args: SecureWebProxyMtlsArgs): void {
  if (typeof args.network === "string") checkNetworkPath(args.network);
  if (typeof args.subnetwork === "string") checkSubnetworkPath(args.subnetwork);
}

/** `network` as a full resource path (known now, or checked when its Output resolves). */
export function checkNetworkPath(network: string): void {
  if (!/^projects\/[^/]+\/global\/networks\/[^/]+$/.test(network)) {
    throw new ArgumentError([
      {
        path: "network",
        rule: "gcp.networkservices.gateway.network-format",
        message: `must be \`projects/<project>/global/networks/<name>\`, got ${show(network)}; the router clean-up on destroy compares it by string`,
      },
    ]);
  }
}

/** `subnetwork` as a full resource path (known now, or checked when its Output resolves). */
export function checkSubnetworkPath(subnetwork: string): void {
  if (!/^projects\/[^/]+\/regions\/[^/]+\/subnetworks\/[^/]+$/.test(subnetwork)) {
    throw new ArgumentError([
      {
        path: "subnetwork",
        rule: "gcp.networkservices.gateway.network-format",
        message: `must be \`projects/<project>/regions/<region>/subnetworks/<name>\`, got ${show(subnetwork)}`,
      },
    ]);
  }
}
