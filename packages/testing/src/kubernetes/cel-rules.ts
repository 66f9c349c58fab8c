import type { ManifestProblem } from "./models";

/**
 * The CEL (`x-kubernetes-validations`) rules of the upstream Gateway API standard-channel CRDs for Gateway, HTTPRoute
 * and BackendTLSPolicy, re-implemented: the typed models validate the OpenAPI schema only, while the API server also
 * enforces these. ReferenceGrant's CRD has no CEL rule. The rules, their messages and the schema defaults they depend
 * on are the same in the v1.5.1 and v1.6.1 releases (their CRDs differ only in a few maxItems/maxProperties limits,
 * which are schema checks, not CEL).
 *
 * Semantics follow the API server: null fields are dropped and the schema's `default:` values applied before any rule
 * runs; a rule runs once for every instance of the object it is attached to (`[]`: every list item) that is present;
 * `&&`, `||` and the `all`/`exists` macros absorb evaluation errors as CEL does; a rule that evaluates to false or to
 * an error (e.g. `no such key`, which the API server reports as `no such key: … evaluating rule: <message>`) is a
 * problem with the rule's message, at the JSON path of the object the rule is attached to. Not emulated: the API
 * server skips every CEL rule when the object already has a blocking schema error (a missing required field, a wrong
 * type, an enum value or a size limit) — this function checks the rules regardless.
 */
export function checkGatewayApiCelRules(manifest: Record<string, any>): ManifestProblem[] {
  const kind = manifest?.kind as string;
  if (!isCelKind(kind) || !GATEWAY_API_CEL_API_VERSIONS[kind].includes(manifest.apiVersion)) return [];
  const object = withDefaults(kind, manifest);
  const problems: ManifestProblem[] = [];
  for (const def of DEFS[kind]) {
    for (const schemaPath of def.paths) {
      for (const { path, value } of instances(object, schemaPath)) {
        let ok: boolean;
        try {
          ok = bool(def.test(view(value), def.re));
        } catch (e) {
          // A TypeError is a field selected on null or on a scalar where the schema wants an object: an error in CEL
          // too, in an object the schema refuses anyway.
          if (!(e instanceof CelError || e instanceof TypeError)) throw e;
          ok = false;
        }
        if (!ok) problems.push({ path, message: def.message });
      }
    }
  }
  return problems;
}

export type GatewayApiCelKind = "Gateway" | "HTTPRoute" | "BackendTLSPolicy";

/** One `x-kubernetes-validations` entry of an upstream CRD, at one place of its schema. */
export interface GatewayApiCelRule {
  readonly kind: GatewayApiCelKind;
  /** Schema path of the object the rule is attached to; `[]` stands for every item of a list. */
  readonly path: string;
  /** The CEL expression, verbatim from the CRD. */
  readonly rule: string;
  /** The rule's message, verbatim from the CRD. */
  readonly message: string;
  /** `<CRD file> @ <releases>, <path>`. */
  readonly source: string;
}

/** The Gateway API releases whose standard-channel CRDs these rules were read from (identical in both). */
export const GATEWAY_API_CEL_RELEASES = ["v1.5.1", "v1.6.1"] as const;

/** The served apiVersions of each CRD; every one carries the same rules and defaults as v1. */
export const GATEWAY_API_CEL_API_VERSIONS: Readonly<Record<GatewayApiCelKind, readonly string[]>> = {
  Gateway: ["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"],
  HTTPRoute: ["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"],
  // v1alpha3 is in the CRD with the same rules, but `served: false`.
  BackendTLSPolicy: ["gateway.networking.k8s.io/v1"],
};

const CRD_FILES: Readonly<Record<GatewayApiCelKind, string>> = {
  Gateway: "config/crd/standard/gateway.networking.k8s.io_gateways.yaml",
  HTTPRoute: "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml",
  BackendTLSPolicy: "config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml",
};

const isCelKind = (kind: string): kind is GatewayApiCelKind => Object.hasOwn(CRD_FILES, kind);

// --- a small CEL runtime: field selection, presence, logic, macros, functions ---------------------------------------

/** A CEL evaluation error (`no such key`, `no such overload`, `index out of bounds`, an invalid duration…). */
class CelError extends Error {}

const RAW = Symbol("raw");
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const raw = (v: any): unknown => (v !== null && typeof v === "object" && v[RAW] !== undefined ? v[RAW] : v);

/**
 * A read-only view of a JSON value in which selecting an absent field (`o.f`) or an index past the end (`l[i]`) is a
 * CEL error, as in CEL; lists and objects met on the way are views too.
 */
function view(v: unknown): any {
  if (v === null || typeof v !== "object") return v;
  return new Proxy(v as object, {
    get(target: any, key) {
      if (key === RAW) return target;
      if (typeof key === "symbol") return undefined;
      if (Array.isArray(target)) {
        if (!/^\d+$/.test(key)) throw new CelError(`no such key: ${key}`);
        if (Number(key) >= target.length) throw new CelError(`index out of bounds: ${key}`);
        return view(target[Number(key)]);
      }
      if (!Object.hasOwn(target, key)) throw new CelError(`no such key: ${key}`);
      return view(target[key]);
    },
  });
}

/** `has(o.k)` */
function has(o: any, k: string): boolean {
  const r = raw(o);
  if (!isObject(r)) throw new CelError(`no such overload: has() on ${typeof r}`);
  return Object.hasOwn(r, k);
}
function bool(v: unknown): boolean {
  if (typeof v !== "boolean") throw new CelError("no such overload: expected bool");
  return v;
}
function str(v: unknown): string {
  if (typeof v !== "string") throw new CelError("no such overload: expected string");
  return v;
}
function num(v: unknown): number {
  if (typeof v !== "number") throw new CelError("no such overload: expected int");
  return v;
}
function list(v: any): any[] {
  const r = raw(v);
  if (!Array.isArray(r)) throw new CelError("no such overload: expected list");
  return r.map(view);
}
/** The keys of a map, which is what CEL's macros iterate over. */
function keys(v: any): string[] {
  const r = raw(v);
  if (!isObject(r)) throw new CelError("no such overload: expected map");
  return Object.keys(r);
}

/** CEL's commutative `&&`: false if any term is false (even if another one is an error), else an error if any. */
function and(...terms: (() => unknown)[]): boolean {
  let error: CelError | undefined;
  for (const term of terms) {
    try {
      if (!bool(term())) return false;
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      error ??= e;
    }
  }
  if (error) throw error;
  return true;
}
/** CEL's commutative `||`: true if any term is true (even if another one is an error), else an error if any. */
function or(...terms: (() => unknown)[]): boolean {
  let error: CelError | undefined;
  for (const term of terms) {
    try {
      if (bool(term())) return true;
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      error ??= e;
    }
  }
  if (error) throw error;
  return false;
}
/** `!x` */
const not = (v: unknown): boolean => !bool(v);
/** `x.all(e, p)`, a fold of `&&` */
const all = <T>(items: T[], p: (e: T) => unknown) => and(...items.map((e) => () => p(e)));
/** `x.exists(e, p)`, a fold of `||` */
const exists = <T>(items: T[], p: (e: T) => unknown) => or(...items.map((e) => () => p(e)));
/** `x.exists_one(e, p)`: counts the matches; an error anywhere is the result. */
const existsOne = <T>(items: T[], p: (e: T) => unknown) => items.filter((e) => bool(p(e))).length === 1;
/** `x.filter(e, p)` */
const filter = <T>(items: T[], p: (e: T) => unknown) => items.filter((e) => bool(p(e)));
/** `size(x)`: code points of a string, items of a list, entries of a map */
function size(v: any): number {
  const r = raw(v);
  if (typeof r === "string") return [...r].length;
  if (Array.isArray(r)) return r.length;
  if (isObject(r)) return Object.keys(r).length;
  throw new CelError("no such overload: size()");
}
/** `x in list` */
const isIn = (x: unknown, items: unknown[]) => items.includes(x);
/** `s.matches(re)` — the rules' RE2 patterns mean the same as JavaScript regular expressions. */
const matches = (s: unknown, re: RegExp) => re.test(str(s));

/** The first raw string literal `r"""…"""` of a rule, compiled. */
function ruleRegex(rule: string): RegExp | undefined {
  const m = /r"""(.*?)"""/.exec(rule);
  return m ? new RegExp(m[1]!) : undefined;
}

/** `duration(s)` in nanoseconds: Go's time.ParseDuration, which CEL uses. */
function duration(v: unknown): bigint {
  const orig = str(v);
  const invalid = () => new CelError(`time: invalid duration "${orig}"`);
  const units: Record<string, bigint> = {
    ns: 1n,
    us: 1000n,
    "\u00b5s": 1000n,
    "\u03bcs": 1000n,
    ms: 1000000n,
    s: 1000000000n,
    m: 60000000000n,
    h: 3600000000000n,
  };
  const max = 1n << 63n;
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) throw invalid();
    let i = 0;
    let v = 0n;
    for (; isDigit(s[i]); i++) {
      if (v > max / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > max) throw invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === ".") {
      s = s.slice(1);
      let overflow = false;
      for (i = 0; isDigit(s[i]); i++) {
        if (overflow) continue;
        if (f > (max - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (y > max) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > 0;
      s = s.slice(i);
    }
    if (!pre && !post) throw invalid();
    for (i = 0; i < s.length && s[i] !== "." && !isDigit(s[i]); i++);
    if (i === 0) throw invalid();
    const unit = units[s.slice(0, i)];
    if (unit === undefined) throw invalid();
    s = s.slice(i);
    if (v > max / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > max) throw invalid();
    }
    d += v;
    if (d > max) throw invalid();
  }
  if (neg) return -d;
  if (d > max - 1n) throw invalid();
  return d;
}

// --- defaults ---------------------------------------------------------------------------------------------------

/**
 * Every `default:` of the CRDs' v1 schemas (the same in v1beta1, and in v1.5.1 and v1.6.1), by schema path. The API
 * server applies them before CEL runs: a default fills an absent (or null) field of an object that is present, and
 * the defaulted value gets the defaults below it.
 */
export const GATEWAY_API_SCHEMA_DEFAULTS: Readonly<Record<GatewayApiCelKind, readonly (readonly [string, unknown])[]>> =
  {
    Gateway: [
      [".spec.addresses[].type", "IPAddress"],
      [".spec.allowedListeners.namespaces", { from: "None" }],
      [".spec.allowedListeners.namespaces.from", "None"],
      [".spec.listeners[].allowedRoutes", { namespaces: { from: "Same" } }],
      [".spec.listeners[].allowedRoutes.kinds[].group", "gateway.networking.k8s.io"],
      [".spec.listeners[].allowedRoutes.namespaces", { from: "Same" }],
      [".spec.listeners[].allowedRoutes.namespaces.from", "Same"],
      [".spec.listeners[].tls.certificateRefs[].group", ""],
      [".spec.listeners[].tls.certificateRefs[].kind", "Secret"],
      [".spec.listeners[].tls.mode", "Terminate"],
      [".spec.tls.backend.clientCertificateRef.group", ""],
      [".spec.tls.backend.clientCertificateRef.kind", "Secret"],
      [".spec.tls.frontend.default.validation.mode", "AllowValidOnly"],
      [".spec.tls.frontend.perPort[].tls.validation.mode", "AllowValidOnly"],
      [
        ".status",
        {
          conditions: [
            {
              lastTransitionTime: "1970-01-01T00:00:00Z",
              message: "Waiting for controller",
              reason: "Pending",
              status: "Unknown",
              type: "Accepted",
            },
            {
              lastTransitionTime: "1970-01-01T00:00:00Z",
              message: "Waiting for controller",
              reason: "Pending",
              status: "Unknown",
              type: "Programmed",
            },
          ],
        },
      ],
      [".status.addresses[].type", "IPAddress"],
      [
        ".status.conditions",
        [
          {
            lastTransitionTime: "1970-01-01T00:00:00Z",
            message: "Waiting for controller",
            reason: "Pending",
            status: "Unknown",
            type: "Accepted",
          },
          {
            lastTransitionTime: "1970-01-01T00:00:00Z",
            message: "Waiting for controller",
            reason: "Pending",
            status: "Unknown",
            type: "Programmed",
          },
        ],
      ],
      [".status.listeners[].supportedKinds[].group", "gateway.networking.k8s.io"],
    ],
    HTTPRoute: [
      [".spec.parentRefs[].group", "gateway.networking.k8s.io"],
      [".spec.parentRefs[].kind", "Gateway"],
      [".spec.rules", [{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }]],
      [".spec.rules[].backendRefs[].filters[].cors.maxAge", 5],
      [".spec.rules[].backendRefs[].filters[].requestMirror.backendRef.group", ""],
      [".spec.rules[].backendRefs[].filters[].requestMirror.backendRef.kind", "Service"],
      [".spec.rules[].backendRefs[].filters[].requestMirror.fraction.denominator", 100],
      [".spec.rules[].backendRefs[].filters[].requestRedirect.statusCode", 302],
      [".spec.rules[].backendRefs[].group", ""],
      [".spec.rules[].backendRefs[].kind", "Service"],
      [".spec.rules[].backendRefs[].weight", 1],
      [".spec.rules[].filters[].cors.maxAge", 5],
      [".spec.rules[].filters[].requestMirror.backendRef.group", ""],
      [".spec.rules[].filters[].requestMirror.backendRef.kind", "Service"],
      [".spec.rules[].filters[].requestMirror.fraction.denominator", 100],
      [".spec.rules[].filters[].requestRedirect.statusCode", 302],
      [".spec.rules[].matches", [{ path: { type: "PathPrefix", value: "/" } }]],
      [".spec.rules[].matches[].headers[].type", "Exact"],
      [".spec.rules[].matches[].path", { type: "PathPrefix", value: "/" }],
      [".spec.rules[].matches[].path.type", "PathPrefix"],
      [".spec.rules[].matches[].path.value", "/"],
      [".spec.rules[].matches[].queryParams[].type", "Exact"],
      [".status.parents[].parentRef.group", "gateway.networking.k8s.io"],
      [".status.parents[].parentRef.kind", "Gateway"],
    ],
    BackendTLSPolicy: [
      [".status.ancestors[].ancestorRef.group", "gateway.networking.k8s.io"],
      [".status.ancestors[].ancestorRef.kind", "Gateway"],
    ],
  };

interface DefaultsNode {
  value?: unknown;
  readonly props: Map<string, DefaultsNode>;
  items?: DefaultsNode;
}

const pathSegments = (path: string) => path.match(/\.[^.[]+|\[\]/g) ?? [];
const clone = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const DEFAULTS_TREES = Object.fromEntries(
  Object.entries(GATEWAY_API_SCHEMA_DEFAULTS).map(([kind, entries]) => {
    const root: DefaultsNode = { props: new Map() };
    for (const [path, value] of entries) {
      let node = root;
      for (const segment of pathSegments(path)) {
        if (segment === "[]") node = node.items ??= { props: new Map() };
        else {
          const key = segment.slice(1);
          if (!node.props.has(key)) node.props.set(key, { props: new Map() });
          node = node.props.get(key)!;
        }
      }
      node.value = value;
    }
    return [kind, root];
  }),
) as Record<GatewayApiCelKind, DefaultsNode>;

/**
 * The object the API server stores for a Gateway API manifest, as far as defaults go: null fields dropped and every
 * schema default applied (catalogue entry pulumi-k8s.live-outputs: these are what a create returns).
 */
export function applyGatewayApiDefaults(
  kind: GatewayApiCelKind,
  manifest: Record<string, unknown>,
): Record<string, unknown> {
  return withDefaults(kind, manifest) as Record<string, unknown>;
}

/** A copy of the manifest without null or undefined fields (pruned by the API server), with the schema's defaults. */
function withDefaults(kind: GatewayApiCelKind, manifest: Record<string, unknown>): unknown {
  const prune = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(prune)
      : isObject(v)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== null && x !== undefined)
              .map(([k, x]) => [k, prune(x)]),
          )
        : v;
  const object = prune(manifest);
  const apply = (v: unknown, node: DefaultsNode) => {
    if (Array.isArray(v)) {
      if (node.items) for (const item of v) apply(item, node.items);
    } else if (isObject(v)) {
      for (const [k, child] of node.props)
        if (child.value !== undefined && !Object.hasOwn(v, k)) v[k] = clone(child.value);
      for (const [k, child] of node.props) if (Object.hasOwn(v, k)) apply(v[k], child);
    }
  };
  apply(object, DEFAULTS_TREES[kind]);
  return object;
}

/** Every present instance of a schema path (`.spec.rules[].matches[].path`), with its JSON path. */
function instances(root: unknown, schemaPath: string): { path: string; value: unknown }[] {
  let found: { path: string; value: unknown }[] = [{ path: "", value: root }];
  for (const segment of pathSegments(schemaPath)) {
    found = found.flatMap(({ path, value }) => {
      if (segment === "[]")
        return Array.isArray(value) ? value.map((v, i) => ({ path: `${path}[${i}]`, value: v })) : [];
      const key = segment.slice(1);
      return isObject(value) && Object.hasOwn(value, key) ? [{ path: `${path}.${key}`, value: value[key] }] : [];
    });
  }
  return found;
}

// --- the rules --------------------------------------------------------------------------------------------------

interface Def {
  /** The schema paths carrying this rule (HTTPRoute repeats its filter rules for route and backend filters). */
  readonly paths: readonly string[];
  readonly rule: string;
  readonly message: string;
  /** The rule, over a view of the object it is attached to; `re` is the rule's regular expression, if any. */
  readonly test: (self: any, re: RegExp) => unknown;
}
type CompiledDef = Def & { readonly re: RegExp };

/** `(!has(o.k) || o.k == '')` */
const blank = (o: any, k: string) =>
  or(
    () => !has(o, k),
    () => o[k] === "",
  );

// config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1 (versions v1 and v1beta1)
const GATEWAY: Def[] = [
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.addresses
  {
    paths: [".spec.addresses"],
    rule: "self.all(a1, a1.type == 'IPAddress' && has(a1.value) ? self.exists_one(a2, a2.type == a1.type && has(a2.value) && a2.value == a1.value) : true )",
    message: "IPAddress values must be unique",
    test: (self) =>
      all(list(self), (a1) =>
        and(
          () => a1.type === "IPAddress",
          () => has(a1, "value"),
        )
          ? existsOne(list(self), (a2) =>
              and(
                () => a2.type === a1.type,
                () => has(a2, "value"),
                () => a2.value === a1.value,
              ),
            )
          : true,
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.addresses
  {
    paths: [".spec.addresses"],
    rule: "self.all(a1, a1.type == 'Hostname'  && has(a1.value) ? self.exists_one(a2, a2.type == a1.type && has(a2.value) && a2.value == a1.value) : true )",
    message: "Hostname values must be unique",
    test: (self) =>
      all(list(self), (a1) =>
        and(
          () => a1.type === "Hostname",
          () => has(a1, "value"),
        )
          ? existsOne(list(self), (a2) =>
              and(
                () => a2.type === a1.type,
                () => has(a2, "value"),
                () => a2.value === a1.value,
              ),
            )
          : true,
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.addresses[]
  {
    paths: [".spec.addresses[]"],
    rule: String.raw`self.type == 'Hostname' ? (!has(self.value) || self.value.matches(r"""^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$""")): true`,
    message: String.raw`Hostname value must be empty or contain only valid characters (matching ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)`,
    test: (self, re) =>
      self.type === "Hostname"
        ? or(
            () => !has(self, "value"),
            () => matches(self.value, re),
          )
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.infrastructure.annotations
  {
    paths: [".spec.infrastructure.annotations"],
    rule: String.raw`self.all(key, key.matches(r"""^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$"""))`,
    message:
      "Annotation keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.",
    test: (self, re) => all(keys(self), (key) => matches(key, re)),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.infrastructure.annotations
  {
    paths: [".spec.infrastructure.annotations"],
    rule: 'self.all(key, key.split("/")[0].size() < 253)',
    message:
      "If specified, the annotation key's prefix must be a DNS subdomain not longer than 253 characters in total.",
    test: (self) => all(keys(self), (key) => size(key.split("/")[0]) < 253),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.infrastructure.labels
  {
    paths: [".spec.infrastructure.labels"],
    rule: String.raw`self.all(key, key.matches(r"""^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$"""))`,
    message:
      "Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.",
    test: (self, re) => all(keys(self), (key) => matches(key, re)),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.infrastructure.labels
  {
    paths: [".spec.infrastructure.labels"],
    rule: 'self.all(key, key.split("/")[0].size() < 253)',
    message: "If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total.",
    test: (self) => all(keys(self), (key) => size(key.split("/")[0]) < 253),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.listeners
  {
    paths: [".spec.listeners"],
    rule: "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)",
    message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    test: (self) => all(list(self), (l) => (isIn(l.protocol, ["HTTP", "TCP", "UDP"]) ? !has(l, "tls") : true)),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.listeners
  {
    paths: [".spec.listeners"],
    rule: "self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)",
    message: "tls mode must be Terminate for protocol HTTPS",
    test: (self) =>
      all(list(self), (l) =>
        and(
          () => l.protocol === "HTTPS",
          () => has(l, "tls"),
        )
          ? or(
              () => l.tls.mode === "",
              () => l.tls.mode === "Terminate",
            )
          : true,
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.listeners
  {
    paths: [".spec.listeners"],
    rule: "self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true))",
    message: "tls mode must be set for protocol TLS",
    test: (self) =>
      all(list(self), (l) =>
        l.protocol === "TLS"
          ? and(
              () => has(l, "tls"),
              () => has(l.tls, "mode"),
              () => l.tls.mode !== "",
            )
          : true,
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.listeners
  {
    paths: [".spec.listeners"],
    rule: "self.all(l, l.protocol in ['TCP', 'UDP']  ? (!has(l.hostname) || l.hostname == '') : true)",
    message: "hostname must not be specified for protocols ['TCP', 'UDP']",
    test: (self) => all(list(self), (l) => (isIn(l.protocol, ["TCP", "UDP"]) ? blank(l, "hostname") : true)),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.listeners
  {
    paths: [".spec.listeners"],
    rule: "self.all(l1, self.exists_one(l2, l1.name == l2.name))",
    message: "Listener name must be unique within the Gateway",
    test: (self) => all(list(self), (l1) => existsOne(list(self), (l2) => l1.name === l2.name)),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.listeners
  {
    paths: [".spec.listeners"],
    rule: "self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))))",
    message: "Combination of port, protocol and hostname must be unique for each listener",
    test: (self) =>
      all(list(self), (l1) =>
        existsOne(list(self), (l2) =>
          and(
            () => l1.port === l2.port,
            () => l1.protocol === l2.protocol,
            () =>
              and(
                () => has(l1, "hostname"),
                () => has(l2, "hostname"),
              )
                ? l1.hostname === l2.hostname
                : and(
                    () => !has(l1, "hostname"),
                    () => !has(l2, "hostname"),
                  ),
          ),
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.listeners[].tls
  {
    paths: [".spec.listeners[].tls"],
    rule: "self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true",
    message: "certificateRefs or options must be specified when mode is Terminate",
    test: (self) =>
      self.mode === "Terminate"
        ? or(
            () => size(self.certificateRefs) > 0,
            () => size(self.options) > 0,
          )
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .spec.tls.frontend.perPort
  {
    paths: [".spec.tls.frontend.perPort"],
    rule: "self.all(t1, self.exists_one(t2, t1.port == t2.port))",
    message: "Port for TLS configuration must be unique within the Gateway",
    test: (self) => all(list(self), (t1) => existsOne(list(self), (t2) => t1.port === t2.port)),
  },
  // config/crd/standard/gateway.networking.k8s.io_gateways.yaml @ v1.5.1 and v1.6.1,
  // .status.addresses[] — written by the controller through the status subresource; the API server ignores `.status`
  // in a create or update of the Gateway itself.
  {
    paths: [".status.addresses[]"],
    rule: String.raw`self.type == 'Hostname' ? self.value.matches(r"""^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"""): true`,
    message: String.raw`Hostname value must only contain valid characters (matching ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)`,
    test: (self, re) => (self.type === "Hostname" ? matches(self.value, re) : true),
  },
];

/** `parentRefs`' p1 and p2 name the same parent: group, kind, name and namespace (unset and '' are the same). */
const sameParent = (p1: any, p2: any) =>
  and(
    () => p1.group === p2.group,
    () => p1.kind === p2.kind,
    () => p1.name === p2.name,
    () =>
      or(
        () =>
          and(
            () => blank(p1, "namespace"),
            () => blank(p2, "namespace"),
          ),
        () =>
          and(
            () => has(p1, "namespace"),
            () => has(p2, "namespace"),
            () => p1.namespace === p2.namespace,
          ),
      ),
  );
/** `(!has(p1.sectionName) || p1.sectionName == '') && (…p2…) || has(p1.sectionName) && has(p2.sectionName) && ==` */
const sameSection = (p1: any, p2: any) =>
  or(
    () =>
      and(
        () => blank(p1, "sectionName"),
        () => blank(p2, "sectionName"),
      ),
    () =>
      and(
        () => has(p1, "sectionName"),
        () => has(p2, "sectionName"),
        () => p1.sectionName === p2.sectionName,
      ),
  );
/** `has(f.<filter>) && has(f.<filter>.path) && f.<filter>.path.type == 'ReplacePrefixMatch' && has(f.<filter>.path.replacePrefixMatch)` */
const replacesPrefix = (f: any, name: "requestRedirect" | "urlRewrite") =>
  and(
    () => has(f, name),
    () => has(f[name], "path"),
    () => f[name].path.type === "ReplacePrefixMatch",
    () => has(f[name].path, "replacePrefixMatch"),
  );
/** `(size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true` */
const onePrefixMatch = (rule: any) =>
  or(
    () => size(rule.matches) !== 1,
    () => !has(rule.matches[0], "path"),
    () => rule.matches[0].path.type !== "PathPrefix",
  )
    ? false
    : true;
/** `!(has(self.<field>) && self.type != '<type>')` */
const fieldWithoutType = (self: any, field: string, type: string) =>
  not(
    and(
      () => has(self, field),
      () => self.type !== type,
    ),
  );
/** `!(!has(self.<field>) && self.type == '<type>')` */
const typeWithoutField = (self: any, field: string, type: string) =>
  not(
    and(
      () => !has(self, field),
      () => self.type === type,
    ),
  );
/** `!('*' in self && self.size() > 1)` */
const wildcardAlone = (self: any) =>
  not(
    and(
      () => isIn("*", list(self)),
      () => size(self) > 1,
    ),
  );
const exactOrPrefix = (self: any) => isIn(self.type, ["Exact", "PathPrefix"]);

const FILTERS = [".spec.rules[].backendRefs[].filters", ".spec.rules[].filters"];
const FILTER = [".spec.rules[].backendRefs[].filters[]", ".spec.rules[].filters[]"];
const under = (paths: string[], suffix: string) => paths.map((p) => p + suffix);
const PATH_MODIFIERS = [
  ".spec.rules[].backendRefs[].filters[].requestRedirect.path",
  ".spec.rules[].backendRefs[].filters[].urlRewrite.path",
  ".spec.rules[].filters[].requestRedirect.path",
  ".spec.rules[].filters[].urlRewrite.path",
];

// config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1 (versions v1 and v1beta1)
const HTTP_ROUTE: Def[] = [
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.parentRefs
  {
    paths: [".spec.parentRefs"],
    rule: "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))",
    message: "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
    test: (self) =>
      all(list(self), (p1) =>
        all(list(self), (p2) => (sameParent(p1, p2) ? blank(p1, "sectionName") === blank(p2, "sectionName") : true)),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.parentRefs
  {
    paths: [".spec.parentRefs"],
    rule: "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))",
    message: "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
    test: (self) =>
      all(list(self), (p1) =>
        existsOne(list(self), (p2) =>
          and(
            () => sameParent(p1, p2),
            () => sameSection(p1, p2),
          ),
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules
  {
    paths: [".spec.rules"],
    rule: "(self.size() > 0 ? self[0].matches.size() : 0) + (self.size() > 1 ? self[1].matches.size() : 0) + (self.size() > 2 ? self[2].matches.size() : 0) + (self.size() > 3 ? self[3].matches.size() : 0) + (self.size() > 4 ? self[4].matches.size() : 0) + (self.size() > 5 ? self[5].matches.size() : 0) + (self.size() > 6 ? self[6].matches.size() : 0) + (self.size() > 7 ? self[7].matches.size() : 0) + (self.size() > 8 ? self[8].matches.size() : 0) + (self.size() > 9 ? self[9].matches.size() : 0) + (self.size() > 10 ? self[10].matches.size() : 0) + (self.size() > 11 ? self[11].matches.size() : 0) + (self.size() > 12 ? self[12].matches.size() : 0) + (self.size() > 13 ? self[13].matches.size() : 0) + (self.size() > 14 ? self[14].matches.size() : 0) + (self.size() > 15 ? self[15].matches.size() : 0) <= 128",
    message:
      "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
    test: (self) => {
      let total = 0;
      for (let i = 0; i < 16; i++) total += size(self) > i ? size(self[i].matches) : 0;
      return total <= 128;
    },
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[]
  {
    paths: [".spec.rules[]"],
    rule: "(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true",
    message: "RequestRedirect filter must not be used together with backendRefs",
    test: (self) =>
      and(
        () => has(self, "backendRefs"),
        () => size(self.backendRefs) > 0,
      )
        ? or(
            () => !has(self, "filters"),
            () => all(list(self.filters), (f) => !has(f, "requestRedirect")),
          )
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[]
  {
    paths: [".spec.rules[]"],
    rule: "(has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true",
    message:
      "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    test: (self) =>
      and(
        () => has(self, "filters"),
        () => existsOne(list(self.filters), (f) => replacesPrefix(f, "requestRedirect")),
      )
        ? onePrefixMatch(self)
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[]
  {
    paths: [".spec.rules[]"],
    rule: "(has(self.filters) && self.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true",
    message:
      "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    test: (self) =>
      and(
        () => has(self, "filters"),
        () => existsOne(list(self.filters), (f) => replacesPrefix(f, "urlRewrite")),
      )
        ? onePrefixMatch(self)
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[]
  {
    paths: [".spec.rules[]"],
    rule: "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true",
    message:
      "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    test: (self) =>
      and(
        () => has(self, "backendRefs"),
        () =>
          existsOne(list(self.backendRefs), (b) =>
            and(
              () => has(b, "filters"),
              () => existsOne(list(b.filters), (f) => replacesPrefix(f, "requestRedirect")),
            ),
          ),
      )
        ? onePrefixMatch(self)
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[]
  {
    paths: [".spec.rules[]"],
    rule: "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true",
    message:
      "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    test: (self) =>
      and(
        () => has(self, "backendRefs"),
        () =>
          existsOne(list(self.backendRefs), (b) =>
            and(
              () => has(b, "filters"),
              () => existsOne(list(b.filters), (f) => replacesPrefix(f, "urlRewrite")),
            ),
          ),
      )
        ? onePrefixMatch(self)
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].backendRefs[], and the backendRef of every RequestMirror filter
  {
    paths: [
      ".spec.rules[].backendRefs[]",
      ".spec.rules[].backendRefs[].filters[].requestMirror.backendRef",
      ".spec.rules[].filters[].requestMirror.backendRef",
    ],
    rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
    message: "Must have port for Service reference",
    test: (self) =>
      and(
        () => size(self.group) === 0,
        () => self.kind === "Service",
      )
        ? has(self, "port")
        : true,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters and .spec.rules[].backendRefs[].filters
  {
    paths: FILTERS,
    rule: "!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))",
    message: "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
    test: (self) =>
      not(
        and(
          () => exists(list(self), (f) => f.type === "RequestRedirect"),
          () => exists(list(self), (f) => f.type === "URLRewrite"),
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters and .spec.rules[].backendRefs[].filters
  {
    paths: FILTERS,
    rule: "self.filter(f, f.type == 'CORS').size() <= 1",
    message: "CORS filter cannot be repeated",
    test: (self) => filter(list(self), (f) => f.type === "CORS").length <= 1,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters and .spec.rules[].backendRefs[].filters
  {
    paths: FILTERS,
    rule: "self.filter(f, f.type == 'RequestHeaderModifier').size() <= 1",
    message: "RequestHeaderModifier filter cannot be repeated",
    test: (self) => filter(list(self), (f) => f.type === "RequestHeaderModifier").length <= 1,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters and .spec.rules[].backendRefs[].filters
  {
    paths: FILTERS,
    rule: "self.filter(f, f.type == 'ResponseHeaderModifier').size() <= 1",
    message: "ResponseHeaderModifier filter cannot be repeated",
    test: (self) => filter(list(self), (f) => f.type === "ResponseHeaderModifier").length <= 1,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters and .spec.rules[].backendRefs[].filters
  {
    paths: FILTERS,
    rule: "self.filter(f, f.type == 'RequestRedirect').size() <= 1",
    message: "RequestRedirect filter cannot be repeated",
    test: (self) => filter(list(self), (f) => f.type === "RequestRedirect").length <= 1,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters and .spec.rules[].backendRefs[].filters
  {
    paths: FILTERS,
    rule: "self.filter(f, f.type == 'URLRewrite').size() <= 1",
    message: "URLRewrite filter cannot be repeated",
    test: (self) => filter(list(self), (f) => f.type === "URLRewrite").length <= 1,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(has(self.cors) && self.type != 'CORS')",
    message: "filter.cors must be nil if the filter.type is not CORS",
    test: (self) => fieldWithoutType(self, "cors", "CORS"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(!has(self.cors) && self.type == 'CORS')",
    message: "filter.cors must be specified for CORS filter.type",
    test: (self) => typeWithoutField(self, "cors", "CORS"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(has(self.requestHeaderModifier) && self.type != 'RequestHeaderModifier')",
    message: "filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier",
    test: (self) => fieldWithoutType(self, "requestHeaderModifier", "RequestHeaderModifier"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(!has(self.requestHeaderModifier) && self.type == 'RequestHeaderModifier')",
    message: "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type",
    test: (self) => typeWithoutField(self, "requestHeaderModifier", "RequestHeaderModifier"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(has(self.responseHeaderModifier) && self.type != 'ResponseHeaderModifier')",
    message: "filter.responseHeaderModifier must be nil if the filter.type is not ResponseHeaderModifier",
    test: (self) => fieldWithoutType(self, "responseHeaderModifier", "ResponseHeaderModifier"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(!has(self.responseHeaderModifier) && self.type == 'ResponseHeaderModifier')",
    message: "filter.responseHeaderModifier must be specified for ResponseHeaderModifier filter.type",
    test: (self) => typeWithoutField(self, "responseHeaderModifier", "ResponseHeaderModifier"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(has(self.requestMirror) && self.type != 'RequestMirror')",
    message: "filter.requestMirror must be nil if the filter.type is not RequestMirror",
    test: (self) => fieldWithoutType(self, "requestMirror", "RequestMirror"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(!has(self.requestMirror) && self.type == 'RequestMirror')",
    message: "filter.requestMirror must be specified for RequestMirror filter.type",
    test: (self) => typeWithoutField(self, "requestMirror", "RequestMirror"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(has(self.requestRedirect) && self.type != 'RequestRedirect')",
    message: "filter.requestRedirect must be nil if the filter.type is not RequestRedirect",
    test: (self) => fieldWithoutType(self, "requestRedirect", "RequestRedirect"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(!has(self.requestRedirect) && self.type == 'RequestRedirect')",
    message: "filter.requestRedirect must be specified for RequestRedirect filter.type",
    test: (self) => typeWithoutField(self, "requestRedirect", "RequestRedirect"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(has(self.urlRewrite) && self.type != 'URLRewrite')",
    message: "filter.urlRewrite must be nil if the filter.type is not URLRewrite",
    test: (self) => fieldWithoutType(self, "urlRewrite", "URLRewrite"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(!has(self.urlRewrite) && self.type == 'URLRewrite')",
    message: "filter.urlRewrite must be specified for URLRewrite filter.type",
    test: (self) => typeWithoutField(self, "urlRewrite", "URLRewrite"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(has(self.extensionRef) && self.type != 'ExtensionRef')",
    message: "filter.extensionRef must be nil if the filter.type is not ExtensionRef",
    test: (self) => fieldWithoutType(self, "extensionRef", "ExtensionRef"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[] and .spec.rules[].backendRefs[].filters[]
  {
    paths: FILTER,
    rule: "!(!has(self.extensionRef) && self.type == 'ExtensionRef')",
    message: "filter.extensionRef must be specified for ExtensionRef filter.type",
    test: (self) => typeWithoutField(self, "extensionRef", "ExtensionRef"),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].cors.allowHeaders and .spec.rules[].backendRefs[].filters[].cors.allowHeaders
  {
    paths: under(FILTER, ".cors.allowHeaders"),
    rule: "!('*' in self && self.size() > 1)",
    message: "AllowHeaders cannot contain '*' alongside other methods",
    test: wildcardAlone,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].cors.allowMethods and .spec.rules[].backendRefs[].filters[].cors.allowMethods
  {
    paths: under(FILTER, ".cors.allowMethods"),
    rule: "!('*' in self && self.size() > 1)",
    message: "AllowMethods cannot contain '*' alongside other methods",
    test: wildcardAlone,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].cors.allowOrigins and .spec.rules[].backendRefs[].filters[].cors.allowOrigins
  {
    paths: under(FILTER, ".cors.allowOrigins"),
    rule: "!('*' in self && self.size() > 1)",
    message: "AllowOrigins cannot contain '*' alongside other origins",
    test: wildcardAlone,
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].requestMirror and .spec.rules[].backendRefs[].filters[].requestMirror
  {
    paths: under(FILTER, ".requestMirror"),
    rule: "!(has(self.percent) && has(self.fraction))",
    message: "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
    test: (self) =>
      not(
        and(
          () => has(self, "percent"),
          () => has(self, "fraction"),
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].requestMirror.fraction and .spec.rules[].backendRefs[].filters[].requestMirror.fraction
  {
    paths: under(FILTER, ".requestMirror.fraction"),
    rule: "self.numerator <= self.denominator",
    message: "numerator must be less than or equal to denominator",
    test: (self) => num(self.numerator) <= num(self.denominator),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].{requestRedirect,urlRewrite}.path, .spec.rules[].backendRefs[].filters[].{…}.path
  {
    paths: PATH_MODIFIERS,
    rule: "self.type == 'ReplaceFullPath' ? has(self.replaceFullPath) : true",
    message: "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
    test: (self) => (self.type === "ReplaceFullPath" ? has(self, "replaceFullPath") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].{requestRedirect,urlRewrite}.path, .spec.rules[].backendRefs[].filters[].{…}.path
  {
    paths: PATH_MODIFIERS,
    rule: "has(self.replaceFullPath) ? self.type == 'ReplaceFullPath' : true",
    message: "type must be 'ReplaceFullPath' when replaceFullPath is set",
    test: (self) => (has(self, "replaceFullPath") ? self.type === "ReplaceFullPath" : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].{requestRedirect,urlRewrite}.path, .spec.rules[].backendRefs[].filters[].{…}.path
  {
    paths: PATH_MODIFIERS,
    rule: "self.type == 'ReplacePrefixMatch' ? has(self.replacePrefixMatch) : true",
    message: "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
    test: (self) => (self.type === "ReplacePrefixMatch" ? has(self, "replacePrefixMatch") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].filters[].{requestRedirect,urlRewrite}.path, .spec.rules[].backendRefs[].filters[].{…}.path
  {
    paths: PATH_MODIFIERS,
    rule: "has(self.replacePrefixMatch) ? self.type == 'ReplacePrefixMatch' : true",
    message: "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
    test: (self) => (has(self, "replacePrefixMatch") ? self.type === "ReplacePrefixMatch" : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true",
    message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? str(self.value).startsWith("/") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true",
    message: "must not contain '//' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).includes("//") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/./') : true",
    message: "must not contain '/./' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).includes("/./") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/../') : true",
    message: "must not contain '/../' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).includes("/../") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2f') : true",
    message: "must not contain '%2f' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).includes("%2f") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2F') : true",
    message: "must not contain '%2F' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).includes("%2F") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('#') : true",
    message: "must not contain '#' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).includes("#") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/..') : true",
    message: "must not end with '/..' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).endsWith("/..") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/.') : true",
    message: "must not end with '/.' when type one of ['Exact', 'PathPrefix']",
    test: (self) => (exactOrPrefix(self) ? !str(self.value).endsWith("/.") : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: "self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'",
    message: "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
    test: (self) =>
      or(
        () => exactOrPrefix(self),
        () => self.type === "RegularExpression",
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].matches[].path
  {
    paths: [".spec.rules[].matches[].path"],
    rule: String.raw`(self.type in ['Exact','PathPrefix']) ? self.value.matches(r"""^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$""") : true`,
    message:
      "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
    test: (self, re) => (exactOrPrefix(self) ? matches(self.value, re) : true),
  },
  // config/crd/standard/gateway.networking.k8s.io_httproutes.yaml @ v1.5.1 and v1.6.1,
  // .spec.rules[].timeouts
  {
    paths: [".spec.rules[].timeouts"],
    rule: "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))",
    message: "backendRequest timeout cannot be longer than request timeout",
    test: (self) =>
      not(
        and(
          () => has(self, "request"),
          () => has(self, "backendRequest"),
          () => duration(self.request) !== duration("0s"),
          () => duration(self.backendRequest) > duration(self.request),
        ),
      ),
  },
];

/** `p1` and `p2` (BackendTLSPolicy targetRefs) name the same object: group, kind and name. */
const sameTarget = (p1: any, p2: any) =>
  and(
    () => p1.group === p2.group,
    () => p1.kind === p2.kind,
    () => p1.name === p2.name,
  );

// config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1 (version v1)
const BACKEND_TLS_POLICY: Def[] = [
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.targetRefs
  {
    paths: [".spec.targetRefs"],
    rule: "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))",
    message: "sectionName must be specified when targetRefs includes 2 or more references to the same target",
    test: (self) =>
      all(list(self), (p1) =>
        all(list(self), (p2) => (sameTarget(p1, p2) ? blank(p1, "sectionName") === blank(p2, "sectionName") : true)),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.targetRefs
  {
    paths: [".spec.targetRefs"],
    rule: "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))",
    message: "sectionName must be unique when targetRefs includes 2 or more references to the same target",
    test: (self) =>
      all(list(self), (p1) =>
        existsOne(list(self), (p2) =>
          and(
            () => sameTarget(p1, p2),
            () => sameSection(p1, p2),
          ),
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.validation
  {
    paths: [".spec.validation"],
    rule: '!(has(self.caCertificateRefs) && size(self.caCertificateRefs) > 0 && has(self.wellKnownCACertificates) && self.wellKnownCACertificates != "")',
    message: "must not contain both CACertificateRefs and WellKnownCACertificates",
    test: (self) =>
      not(
        and(
          () => has(self, "caCertificateRefs"),
          () => size(self.caCertificateRefs) > 0,
          () => has(self, "wellKnownCACertificates"),
          () => self.wellKnownCACertificates !== "",
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.validation
  {
    paths: [".spec.validation"],
    rule: '(has(self.caCertificateRefs) && size(self.caCertificateRefs) > 0 || has(self.wellKnownCACertificates) && self.wellKnownCACertificates != "")',
    message: "must specify either CACertificateRefs or WellKnownCACertificates",
    test: (self) =>
      or(
        () =>
          and(
            () => has(self, "caCertificateRefs"),
            () => size(self.caCertificateRefs) > 0,
          ),
        () =>
          and(
            () => has(self, "wellKnownCACertificates"),
            () => self.wellKnownCACertificates !== "",
          ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.validation.subjectAltNames[]
  {
    paths: [".spec.validation.subjectAltNames[]"],
    rule: '!(self.type == "Hostname" && (!has(self.hostname) || self.hostname == ""))',
    message: "SubjectAltName element must contain Hostname, if Type is set to Hostname",
    test: (self) =>
      not(
        and(
          () => self.type === "Hostname",
          () => blank(self, "hostname"),
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.validation.subjectAltNames[]
  {
    paths: [".spec.validation.subjectAltNames[]"],
    rule: '!(self.type != "Hostname" && has(self.hostname) && self.hostname != "")',
    message: "SubjectAltName element must not contain Hostname, if Type is not set to Hostname",
    test: (self) =>
      not(
        and(
          () => self.type !== "Hostname",
          () => has(self, "hostname"),
          () => self.hostname !== "",
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.validation.subjectAltNames[]
  {
    paths: [".spec.validation.subjectAltNames[]"],
    rule: '!(self.type == "URI" && (!has(self.uri) || self.uri == ""))',
    message: "SubjectAltName element must contain URI, if Type is set to URI",
    test: (self) =>
      not(
        and(
          () => self.type === "URI",
          () => blank(self, "uri"),
        ),
      ),
  },
  // config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml @ v1.5.1 and v1.6.1,
  // .spec.validation.subjectAltNames[]
  {
    paths: [".spec.validation.subjectAltNames[]"],
    rule: '!(self.type != "URI" && has(self.uri) && self.uri != "")',
    message: "SubjectAltName element must not contain URI, if Type is not set to URI",
    test: (self) =>
      not(
        and(
          () => self.type !== "URI",
          () => has(self, "uri"),
          () => self.uri !== "",
        ),
      ),
  },
];

const compile = (defs: Def[]): CompiledDef[] => defs.map((def) => ({ ...def, re: ruleRegex(def.rule) ?? /(?!)/ }));

const DEFS: Readonly<Record<GatewayApiCelKind, readonly CompiledDef[]>> = {
  Gateway: compile(GATEWAY),
  HTTPRoute: compile(HTTP_ROUTE),
  BackendTLSPolicy: compile(BACKEND_TLS_POLICY),
};

/** Every rule implemented here, once per schema path that carries it, in the order the checks run. */
export const GATEWAY_API_CEL_RULES: readonly GatewayApiCelRule[] = (
  Object.entries(DEFS) as [GatewayApiCelKind, readonly CompiledDef[]][]
).flatMap(([kind, defs]) =>
  defs.flatMap((def) =>
    def.paths.map((path) => ({
      kind,
      path,
      rule: def.rule,
      message: def.message,
      source: `${CRD_FILES[kind]} @ ${GATEWAY_API_CEL_RELEASES.join(" and ")}, ${path}`,
    })),
  ),
);
