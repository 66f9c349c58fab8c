import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { parse } from "yaml";
import {
  checkGatewayApiCelRules,
  GATEWAY_API_CEL_API_VERSIONS,
  GATEWAY_API_CEL_RELEASES,
  GATEWAY_API_CEL_RULES,
  GATEWAY_API_SCHEMA_DEFAULTS,
  type GatewayApiCelKind,
} from "./cel-rules";
import type { ManifestProblem } from "./models";

const V1 = "gateway.networking.k8s.io/v1";
const gateway = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: V1,
  kind: "Gateway",
  metadata: { name: "gw", namespace: "infra" },
  spec: { gatewayClassName: "gke-l7-global-external-managed", ...spec },
  ...extra,
});
const route = (spec: Record<string, unknown>) => ({
  apiVersion: V1,
  kind: "HTTPRoute",
  metadata: { name: "r", namespace: "app" },
  spec: { parentRefs: [{ name: "gw", namespace: "infra" }], ...spec },
});
const policy = (spec: Record<string, unknown>) => ({
  apiVersion: V1,
  kind: "BackendTLSPolicy",
  metadata: { name: "p", namespace: "app" },
  spec: {
    targetRefs: [{ group: "", kind: "Service", name: "backend" }],
    validation: { hostname: "backend.example.com", wellKnownCACertificates: "System" },
    ...spec,
  },
});

const cert = { name: "cert" };
const https = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
  name,
  port,
  protocol: "HTTPS",
  tls: { mode: "Terminate", certificateRefs: [cert] },
  ...extra,
});
const ca = { group: "", kind: "ConfigMap", name: "ca" };
const svc = { name: "svc", port: 8080 };
const prefix = (value: string) => ({ path: { type: "PathPrefix", value } });
const exact = (value: string) => ({ path: { type: "Exact", value } });

// --- one violation per rule and schema path ---------------------------------------------------------------------

interface Case {
  readonly name: string;
  readonly manifest: Record<string, unknown>;
  /** JSON path of the object the rule is attached to; its schema path has `[]` for every index. */
  readonly at: string;
  readonly message: string;
  /** Problems the same manifest cannot help having (a character no rule allows, say). */
  readonly also?: readonly ManifestProblem[];
}

const schemaPath = (jsonPath: string) => jsonPath.replace(/\[\d+\]/g, "[]");

const GATEWAY_CASES: Case[] = [
  {
    name: "two addresses with the same IP, one of them with the default type",
    manifest: gateway({
      listeners: [https("a", 443)],
      addresses: [{ value: "10.0.0.1" }, { type: "IPAddress", value: "10.0.0.1" }],
    }),
    at: ".spec.addresses",
    message: "IPAddress values must be unique",
  },
  {
    name: "two addresses with the same hostname",
    manifest: gateway({
      listeners: [https("a", 443)],
      addresses: [
        { type: "Hostname", value: "gw.example.com" },
        { type: "Hostname", value: "gw.example.com" },
      ],
    }),
    at: ".spec.addresses",
    message: "Hostname values must be unique",
  },
  {
    name: "a hostname address with an underscore",
    manifest: gateway({
      listeners: [https("a", 443)],
      addresses: [{ value: "10.0.0.1" }, { type: "Hostname", value: "gw_1.example.com" }],
    }),
    at: ".spec.addresses[1]",
    message:
      "Hostname value must be empty or contain only valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)",
  },
  {
    name: "an infrastructure annotation key with a space",
    manifest: gateway({
      listeners: [https("a", 443)],
      infrastructure: { annotations: { "example.com/ok": "", "bad key": "x" } },
    }),
    at: ".spec.infrastructure.annotations",
    message:
      "Annotation keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.",
  },
  {
    name: "an infrastructure annotation key with a 253-character prefix",
    manifest: gateway({
      listeners: [https("a", 443)],
      infrastructure: { annotations: { [`${"a".repeat(253)}/name`]: "x" } },
    }),
    at: ".spec.infrastructure.annotations",
    message:
      "If specified, the annotation key's prefix must be a DNS subdomain not longer than 253 characters in total.",
  },
  {
    name: "an infrastructure label key with a 64-character name",
    manifest: gateway({ listeners: [https("a", 443)], infrastructure: { labels: { ["n".repeat(64)]: "x" } } }),
    at: ".spec.infrastructure.labels",
    message:
      "Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.",
  },
  {
    name: "an infrastructure label key with a 300-character prefix",
    manifest: gateway({
      listeners: [https("a", 443)],
      infrastructure: { labels: { [`${"b".repeat(300)}/name`]: "x" } },
    }),
    at: ".spec.infrastructure.labels",
    message: "If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total.",
  },
  {
    name: "tls on an HTTP listener",
    manifest: gateway({ listeners: [{ name: "http", port: 80, protocol: "HTTP", tls: { certificateRefs: [cert] } }] }),
    at: ".spec.listeners",
    message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
  },
  {
    name: "Passthrough on an HTTPS listener",
    manifest: gateway({ listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Passthrough" } }] }),
    at: ".spec.listeners",
    message: "tls mode must be Terminate for protocol HTTPS",
  },
  {
    name: "a TLS listener without tls",
    manifest: gateway({ listeners: [{ name: "tls", port: 8443, protocol: "TLS" }] }),
    at: ".spec.listeners",
    message: "tls mode must be set for protocol TLS",
  },
  {
    name: "a hostname on a TCP listener",
    manifest: gateway({ listeners: [{ name: "tcp", port: 9000, protocol: "TCP", hostname: "tcp.example.com" }] }),
    at: ".spec.listeners",
    message: "hostname must not be specified for protocols ['TCP', 'UDP']",
  },
  {
    name: "two listeners with the same name",
    manifest: gateway({ listeners: [https("a", 443), https("a", 8443)] }),
    at: ".spec.listeners",
    message: "Listener name must be unique within the Gateway",
  },
  {
    name: "two listeners on the same port, protocol and (absent) hostname",
    manifest: gateway({ listeners: [https("a", 443), https("b", 443)] }),
    at: ".spec.listeners",
    message: "Combination of port, protocol and hostname must be unique for each listener",
  },
  {
    name: "tls with the default mode (Terminate) and no certificateRefs or options",
    manifest: gateway({ listeners: [https("a", 443), { name: "b", port: 8443, protocol: "HTTPS", tls: {} }] }),
    at: ".spec.listeners[1].tls",
    message: "certificateRefs or options must be specified when mode is Terminate",
  },
  {
    name: "two per-port frontend TLS configurations for one port",
    manifest: gateway({
      listeners: [https("a", 443)],
      tls: {
        frontend: {
          default: { validation: { caCertificateRefs: [ca] } },
          perPort: [
            { port: 443, tls: { validation: { caCertificateRefs: [ca] } } },
            { port: 443, tls: { validation: { caCertificateRefs: [ca], mode: "AllowInsecureFallback" } } },
          ],
        },
      },
    }),
    at: ".spec.tls.frontend.perPort",
    message: "Port for TLS configuration must be unique within the Gateway",
  },
  {
    name: "a status hostname address with an uppercase letter",
    manifest: gateway(
      { listeners: [https("a", 443)] },
      { status: { addresses: [{ value: "10.0.0.1" }, { type: "Hostname", value: "GW.example.com" }] } },
    ),
    at: ".status.addresses[1]",
    message:
      "Hostname value must only contain valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)",
  },
];

/** The two places HTTPRoute filters live: a rule's, and a rule's backendRef's. */
const FILTER_PLACES = [
  {
    name: "route filters",
    at: ".spec.rules[0].filters",
    route: (filters: unknown[]) => route({ rules: [{ filters }] }),
  },
  {
    name: "backend filters",
    at: ".spec.rules[0].backendRefs[0].filters",
    route: (filters: unknown[]) => route({ rules: [{ backendRefs: [{ ...svc, filters }] }] }),
  },
];
const filterCases = (name: string, filters: unknown[], below: string, message: string): Case[] =>
  FILTER_PLACES.map((place) => ({
    name: `${name} (${place.name})`,
    manifest: place.route(filters),
    at: place.at + below,
    message,
  }));

const headers = { set: [{ name: "x-a", value: "1" }] };
const cors = { allowOrigins: ["https://app.example.com"] };
const mirror = { backendRef: { ...svc } };
const redirect = { hostname: "www.example.com" };
const rewrite = { hostname: "backend.example.com" };
const extensionRef = { group: "networking.example.io", kind: "Filter", name: "f" };
/** A valid filter of each type. */
const FILTERS: Record<string, Record<string, unknown>> = {
  CORS: { type: "CORS", cors },
  RequestHeaderModifier: { type: "RequestHeaderModifier", requestHeaderModifier: headers },
  ResponseHeaderModifier: { type: "ResponseHeaderModifier", responseHeaderModifier: headers },
  RequestMirror: { type: "RequestMirror", requestMirror: mirror },
  RequestRedirect: { type: "RequestRedirect", requestRedirect: redirect },
  URLRewrite: { type: "URLRewrite", urlRewrite: rewrite },
  ExtensionRef: { type: "ExtensionRef", extensionRef },
};
const FILTER_FIELDS: [type: string, field: string][] = [
  ["CORS", "cors"],
  ["RequestHeaderModifier", "requestHeaderModifier"],
  ["ResponseHeaderModifier", "responseHeaderModifier"],
  ["RequestMirror", "requestMirror"],
  ["RequestRedirect", "requestRedirect"],
  ["URLRewrite", "urlRewrite"],
  ["ExtensionRef", "extensionRef"],
];
/** Path modifier filters (RequestRedirect, URLRewrite) with a given `path`, at both filter places. */
const pathModifierCases = (name: string, path: Record<string, unknown>, message: string): Case[] =>
  [
    ["RequestRedirect", "requestRedirect"],
    ["URLRewrite", "urlRewrite"],
  ].flatMap(([type, field]) =>
    filterCases(`${type} ${name}`, [{ type, [field!]: { path } }], `[0].${field}.path`, message),
  );
/** A route whose second match of its first rule has this path. */
const pathMatch = (path: Record<string, unknown>) =>
  route({ rules: [{ matches: [prefix("/ok"), { path }], backendRefs: [svc] }] });
const pathMatchCase = (name: string, path: Record<string, unknown>, message: string, also: string[] = []): Case => ({
  name,
  manifest: pathMatch(path),
  at: ".spec.rules[0].matches[1].path",
  message,
  also: also.map((m) => ({ path: ".spec.rules[0].matches[1].path", message: m })),
});
const VALID_CHARACTERS =
  "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']";
const redirectPrefix = {
  type: "RequestRedirect",
  requestRedirect: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/b" } },
};
const rewritePrefix = {
  type: "URLRewrite",
  urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/b" } },
};

const HTTP_ROUTE_CASES: Case[] = [
  {
    name: "two refs to one parent, one with a sectionName and one without",
    manifest: route({
      parentRefs: [
        { name: "gw", namespace: "infra" },
        { name: "gw", namespace: "infra", sectionName: "https" },
      ],
    }),
    at: ".spec.parentRefs",
    message: "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
  },
  {
    name: "two refs to one parent (default group and kind) with the same sectionName",
    manifest: route({
      parentRefs: [
        { name: "gw", sectionName: "https" },
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw", namespace: "", sectionName: "https" },
      ],
    }),
    at: ".spec.parentRefs",
    message: "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
  },
  {
    name: "129 matches over 3 rules",
    manifest: route({
      rules: [0, 1, 2].map((r) => ({
        matches: Array.from({ length: 43 }, (_, i) => prefix(`/r${r}/m${i}`)),
        backendRefs: [svc],
      })),
    }),
    at: ".spec.rules",
    message:
      "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
  },
  {
    name: "a RequestRedirect filter in a rule with backendRefs",
    manifest: route({ rules: [{ backendRefs: [svc] }, { filters: [FILTERS.RequestRedirect], backendRefs: [svc] }] }),
    at: ".spec.rules[1]",
    message: "RequestRedirect filter must not be used together with backendRefs",
  },
  {
    name: "a RequestRedirect replacePrefixMatch with an Exact match",
    manifest: route({ rules: [{ matches: [exact("/a")], filters: [redirectPrefix] }] }),
    at: ".spec.rules[0]",
    message:
      "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
  },
  {
    name: "a URLRewrite replacePrefixMatch with two matches",
    manifest: route({
      rules: [{ matches: [prefix("/a"), prefix("/c")], filters: [rewritePrefix], backendRefs: [svc] }],
    }),
    at: ".spec.rules[0]",
    message:
      "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
  },
  {
    name: "a backend's RequestRedirect replacePrefixMatch with no match",
    manifest: route({ rules: [{ matches: [], backendRefs: [{ ...svc, filters: [redirectPrefix] }] }] }),
    at: ".spec.rules[0]",
    message:
      "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
  },
  {
    name: "a backend's URLRewrite replacePrefixMatch with a RegularExpression match",
    manifest: route({
      rules: [
        {
          matches: [{ path: { type: "RegularExpression", value: "/a.*" } }],
          backendRefs: [{ ...svc, filters: [rewritePrefix] }],
        },
      ],
    }),
    at: ".spec.rules[0]",
    message:
      "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
  },
  {
    name: "a Service backendRef (default group and kind) without a port",
    manifest: route({ rules: [{ backendRefs: [svc, { name: "other" }] }] }),
    at: ".spec.rules[0].backendRefs[1]",
    message: "Must have port for Service reference",
  },
  ...filterCases(
    "a RequestMirror to a Service without a port",
    [{ type: "RequestMirror", requestMirror: { backendRef: { group: "", kind: "Service", name: "mirror" } } }],
    "[0].requestMirror.backendRef",
    "Must have port for Service reference",
  ),
  ...filterCases(
    "RequestRedirect and URLRewrite together",
    [FILTERS.RequestRedirect, FILTERS.URLRewrite],
    "",
    "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
  ),
  ...["CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite"].flatMap((type) =>
    filterCases(`two ${type} filters`, [FILTERS[type], FILTERS[type]], "", `${type} filter cannot be repeated`),
  ),
  ...FILTER_FIELDS.flatMap(([type, field]) => {
    const other = type === "CORS" ? FILTERS.RequestHeaderModifier! : FILTERS.CORS!;
    return [
      ...filterCases(
        `a ${other.type} filter with a ${field}`,
        [{ ...other, [field]: FILTERS[type]![field] }],
        "[0]",
        `filter.${field} must be nil if the filter.type is not ${type}`,
      ),
      ...filterCases(
        `a ${type} filter without ${field}`,
        [{ type }],
        "[0]",
        `filter.${field} must be specified for ${type} filter.type`,
      ),
    ];
  }),
  ...filterCases(
    "CORS allowHeaders with '*' and another header",
    [{ type: "CORS", cors: { allowHeaders: ["*", "x-a"] } }],
    "[0].cors.allowHeaders",
    "AllowHeaders cannot contain '*' alongside other methods",
  ),
  ...filterCases(
    "CORS allowMethods with '*' and GET",
    [{ type: "CORS", cors: { allowMethods: ["GET", "*"] } }],
    "[0].cors.allowMethods",
    "AllowMethods cannot contain '*' alongside other methods",
  ),
  ...filterCases(
    "CORS allowOrigins with '*' and an origin",
    [{ type: "CORS", cors: { allowOrigins: ["*", "https://app.example.com"] } }],
    "[0].cors.allowOrigins",
    "AllowOrigins cannot contain '*' alongside other origins",
  ),
  ...filterCases(
    "a RequestMirror with percent and fraction",
    [{ type: "RequestMirror", requestMirror: { ...mirror, percent: 10, fraction: { numerator: 1 } } }],
    "[0].requestMirror",
    "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
  ),
  ...filterCases(
    "a RequestMirror fraction over the default denominator (100)",
    [{ type: "RequestMirror", requestMirror: { ...mirror, fraction: { numerator: 101 } } }],
    "[0].requestMirror.fraction",
    "numerator must be less than or equal to denominator",
  ),
  ...pathModifierCases(
    "ReplaceFullPath without replaceFullPath",
    { type: "ReplaceFullPath" },
    "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
  ),
  ...pathModifierCases(
    "ReplacePrefixMatch with a replaceFullPath",
    { type: "ReplacePrefixMatch", replacePrefixMatch: "/p", replaceFullPath: "/f" },
    "type must be 'ReplaceFullPath' when replaceFullPath is set",
  ),
  ...pathModifierCases(
    "ReplacePrefixMatch without replacePrefixMatch",
    { type: "ReplacePrefixMatch" },
    "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
  ),
  ...pathModifierCases(
    "ReplaceFullPath with a replacePrefixMatch",
    { type: "ReplaceFullPath", replaceFullPath: "/f", replacePrefixMatch: "" },
    "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
  ),
  pathMatchCase(
    "a relative PathPrefix",
    { type: "PathPrefix", value: "a" },
    "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase(
    "a path with '//'",
    { value: "/a//b" },
    "must not contain '//' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase(
    "a path with '/./'",
    { type: "Exact", value: "/a/./b" },
    "must not contain '/./' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase(
    "a path with '/../'",
    { value: "/a/../b" },
    "must not contain '/../' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase(
    "a path with '%2f'",
    { value: "/a%2fb" },
    "must not contain '%2f' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase(
    "a path with '%2F'",
    { type: "Exact", value: "/a%2Fb" },
    "must not contain '%2F' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase("a path with '#'", { value: "/a#b" }, "must not contain '#' when type one of ['Exact', 'PathPrefix']", [
    VALID_CHARACTERS,
  ]),
  pathMatchCase(
    "a path ending with '/..'",
    { value: "/a/.." },
    "must not end with '/..' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase(
    "a path ending with '/.'",
    { type: "Exact", value: "/a/." },
    "must not end with '/.' when type one of ['Exact', 'PathPrefix']",
  ),
  pathMatchCase(
    "a path match type 'Prefix'",
    { type: "Prefix", value: "/" },
    "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
  ),
  pathMatchCase("a path with a space", { value: "/a b" }, VALID_CHARACTERS),
  {
    name: "a backendRequest timeout over the request timeout",
    manifest: route({ rules: [{ backendRefs: [svc], timeouts: { request: "1m", backendRequest: "60s1ms" } }] }),
    at: ".spec.rules[0].timeouts",
    message: "backendRequest timeout cannot be longer than request timeout",
  },
];

const target = { group: "", kind: "Service", name: "backend" };
const BACKEND_TLS_POLICY_CASES: Case[] = [
  {
    name: "two refs to one Service, one with a sectionName and one without",
    manifest: policy({ targetRefs: [target, { ...target, sectionName: "https" }] }),
    at: ".spec.targetRefs",
    message: "sectionName must be specified when targetRefs includes 2 or more references to the same target",
  },
  {
    name: "two refs to one Service with the same sectionName",
    manifest: policy({
      targetRefs: [
        { ...target, sectionName: "https" },
        { ...target, sectionName: "https" },
      ],
    }),
    at: ".spec.targetRefs",
    message: "sectionName must be unique when targetRefs includes 2 or more references to the same target",
  },
  {
    name: "caCertificateRefs and wellKnownCACertificates",
    manifest: policy({
      validation: { hostname: "backend.example.com", caCertificateRefs: [ca], wellKnownCACertificates: "System" },
    }),
    at: ".spec.validation",
    message: "must not contain both CACertificateRefs and WellKnownCACertificates",
  },
  {
    name: "no CA at all (empty caCertificateRefs)",
    manifest: policy({ validation: { hostname: "backend.example.com", caCertificateRefs: [] } }),
    at: ".spec.validation",
    message: "must specify either CACertificateRefs or WellKnownCACertificates",
  },
  ...(
    [
      [{ type: "Hostname" }, "SubjectAltName element must contain Hostname, if Type is set to Hostname"],
      [
        { type: "URI", uri: "spiffe://td/ns/app/sa/backend", hostname: "backend.example.com" },
        "SubjectAltName element must not contain Hostname, if Type is not set to Hostname",
      ],
      [{ type: "URI", uri: "" }, "SubjectAltName element must contain URI, if Type is set to URI"],
      [
        { type: "Hostname", hostname: "backend.example.com", uri: "spiffe://td/ns/app/sa/backend" },
        "SubjectAltName element must not contain URI, if Type is not set to URI",
      ],
    ] as const
  ).map(([san, message]) => ({
    name: `subjectAltName ${JSON.stringify(san)}`,
    manifest: policy({
      validation: {
        hostname: "backend.example.com",
        wellKnownCACertificates: "System",
        subjectAltNames: [{ type: "Hostname", hostname: "ok.example.com" }, san],
      },
    }),
    at: ".spec.validation.subjectAltNames[1]",
    message,
  })),
];

const CASES: Record<GatewayApiCelKind, Case[]> = {
  Gateway: GATEWAY_CASES,
  HTTPRoute: HTTP_ROUTE_CASES,
  BackendTLSPolicy: BACKEND_TLS_POLICY_CASES,
};

describe("checkGatewayApiCelRules: one violation of every rule", () => {
  for (const [kind, cases] of Object.entries(CASES)) {
    describe(kind, () => {
      it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
        expect(c.manifest.kind).toBe(kind);
        expect(checkGatewayApiCelRules(c.manifest)).toEqual([{ path: c.at, message: c.message }, ...(c.also ?? [])]);
      });
    });
  }

  it("has a case for every implemented rule at every schema path, and no case for a rule it does not implement", () => {
    const key = (kind: string, path: string, message: string) => `${kind} ${path}: ${message}`;
    const implemented = GATEWAY_API_CEL_RULES.map((r) => key(r.kind, r.path, r.message)).sort();
    const covered = Object.entries(CASES)
      .flatMap(([kind, cases]) => cases.map((c) => key(kind, schemaPath(c.at), c.message)))
      .sort();
    expect(new Set(implemented).size).toBe(implemented.length);
    expect(covered).toEqual(implemented);
  });

  it("counts the rules per kind (placements of a rule at several schema paths apart)", () => {
    const count = (kind: GatewayApiCelKind) => GATEWAY_API_CEL_RULES.filter((r) => r.kind === kind);
    expect(count("Gateway")).toHaveLength(16);
    expect(new Set(count("HTTPRoute").map((r) => r.rule + r.message)).size).toBe(50);
    expect(count("HTTPRoute")).toHaveLength(89);
    expect(count("BackendTLSPolicy")).toHaveLength(8);
    for (const r of GATEWAY_API_CEL_RULES)
      expect(r.source).toMatch(
        /^config\/crd\/standard\/gateway\.networking\.k8s\.io_\w+\.yaml @ v1\.5\.1 and v1\.6\.1, \./,
      );
  });
});

// --- valid, full-featured manifests -----------------------------------------------------------------------------

const VALID_GATEWAY = gateway(
  {
    addresses: [
      { value: "10.0.0.1" },
      { type: "IPAddress", value: "10.0.0.2" },
      { type: "Hostname", value: "gw.example.com" },
      { type: "Hostname" },
      { type: "NamedAddress", value: "my-reserved-ip" },
      { type: "NamedAddress", value: "my-reserved-ip" },
    ],
    infrastructure: {
      labels: { "app.kubernetes.io/name": "gw", tier: "edge" },
      annotations: { "networking.gke.io/certmap": "m", "example.com/Owner_Team.v1": "x", note: "" },
      parametersRef: { group: "", kind: "ConfigMap", name: "gw-params" },
    },
    allowedListeners: { namespaces: { from: "Same" } },
    listeners: [
      {
        name: "http",
        port: 80,
        protocol: "HTTP",
        hostname: "*.example.com",
        allowedRoutes: { namespaces: { from: "All" } },
      },
      https("https", 443, { hostname: "*.example.com" }),
      https("https-api", 443, { hostname: "api.example.com" }),
      https("https-any", 443),
      https("https-empty-mode", 8443, { tls: { mode: "", certificateRefs: [cert] } }),
      {
        name: "https-options",
        port: 9443,
        protocol: "HTTPS",
        tls: { options: { "networking.gke.io/pre-shared-certs": "c" } },
      },
      {
        name: "tls-passthrough",
        port: 10443,
        protocol: "TLS",
        hostname: "db.example.com",
        tls: { mode: "Passthrough" },
      },
      // mode defaults to Terminate
      {
        name: "tls-terminate",
        port: 10443,
        protocol: "TLS",
        hostname: "mq.example.com",
        tls: { certificateRefs: [cert] },
      },
      { name: "tcp", port: 9000, protocol: "TCP", hostname: "" },
      { name: "udp", port: 9000, protocol: "UDP" },
      { name: "custom", port: 7000, protocol: "example.com/proto" },
    ],
    tls: {
      frontend: {
        default: { validation: { caCertificateRefs: [ca] } },
        perPort: [
          { port: 443, tls: { validation: { caCertificateRefs: [ca], mode: "AllowInsecureFallback" } } },
          { port: 8443, tls: {} },
        ],
      },
      backend: { clientCertificateRef: { name: "client-cert" } },
    },
  },
  {
    status: {
      addresses: [{ value: "10.0.0.1" }, { type: "Hostname", value: "gw.example.com" }],
    },
  },
);

const VALID_HTTP_ROUTE = route({
  parentRefs: [
    { name: "gw", namespace: "infra", sectionName: "https" },
    { name: "gw", namespace: "infra", sectionName: "http", port: 80 },
    { name: "gw", sectionName: "https" },
    { name: "gw-other", namespace: "infra" },
    { group: "gateway.networking.k8s.io", kind: "ListenerSet", name: "gw", namespace: "infra" },
  ],
  hostnames: ["www.example.com", "*.example.com"],
  rules: [
    {
      name: "redirect-http",
      matches: [{ path: { type: "PathPrefix", value: "/old" } }],
      filters: [
        {
          type: "RequestRedirect",
          requestRedirect: { scheme: "https", path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/new" } },
        },
      ],
    },
    {
      name: "redirect-full",
      matches: [exact("/a"), prefix("/b")],
      filters: [
        {
          type: "RequestRedirect",
          requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: "/" }, statusCode: 301 },
        },
        FILTERS.ResponseHeaderModifier,
      ],
    },
    {
      name: "api",
      matches: [
        {
          path: { type: "PathPrefix", value: "/api/v1" },
          headers: [{ name: "x-version", value: "1" }],
          queryParams: [{ name: "q", type: "RegularExpression", value: "^a" }],
          method: "GET",
        },
      ],
      filters: [
        {
          type: "URLRewrite",
          urlRewrite: { hostname: "api.internal", path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } },
        },
        FILTERS.RequestHeaderModifier,
        FILTERS.ResponseHeaderModifier,
        {
          type: "CORS",
          cors: {
            allowOrigins: ["*"],
            allowMethods: ["*"],
            allowHeaders: ["*"],
            exposeHeaders: ["x-a"],
            allowCredentials: false,
            maxAge: 600,
          },
        },
        { type: "RequestMirror", requestMirror: { backendRef: { name: "mirror", port: 80 }, percent: 10 } },
        {
          type: "RequestMirror",
          requestMirror: { backendRef: { name: "mirror2", port: 80 }, fraction: { numerator: 1, denominator: 3 } },
        },
        { type: "ExtensionRef", extensionRef },
      ],
      backendRefs: [
        { ...svc, weight: 90 },
        {
          name: "canary",
          port: 8080,
          weight: 10,
          filters: [
            FILTERS.RequestHeaderModifier,
            { type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/canary" } } },
            {
              type: "RequestMirror",
              requestMirror: {
                backendRef: { group: "", kind: "Service", name: "m", port: 1 },
                fraction: { numerator: 100 },
              },
            },
            {
              type: "CORS",
              cors: { allowOrigins: ["https://a.example.com", "https://b.example.com"], allowMethods: ["GET", "POST"] },
            },
          ],
        },
        { group: "multicluster.x-k8s.io", kind: "ServiceImport", name: "remote" },
        { group: "example.com", kind: "Service", name: "not-core" },
      ],
      timeouts: { request: "10s", backendRequest: "9s999ms" },
    },
    {
      matches: [
        { path: { type: "RegularExpression", value: "^/re(gex)?[0-9]+#?$" } },
        { headers: [{ name: "x-b", value: "2" }] },
        { path: { value: "/%7Euser/a.b/-_~!$&'()*+,;=:@" } },
        { path: { type: "Exact", value: "/" } },
      ],
      backendRefs: [svc],
      timeouts: { request: "0s", backendRequest: "1h" },
    },
    {
      // a route rule with only a backend: `matches` defaults to one PathPrefix "/" match
      backendRefs: [
        {
          ...svc,
          filters: [
            { type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/y" } } },
          ],
        },
      ],
      timeouts: { request: "1h", backendRequest: "3600s" },
    },
    { timeouts: { backendRequest: "5s" } },
  ],
});

const VALID_BACKEND_TLS_POLICY = policy({
  targetRefs: [
    { ...target, sectionName: "https" },
    { ...target, sectionName: "grpc" },
    { group: "", kind: "Service", name: "other" },
    { group: "multicluster.x-k8s.io", kind: "ServiceImport", name: "backend" },
  ],
  validation: {
    hostname: "backend.example.com",
    caCertificateRefs: [ca],
    wellKnownCACertificates: "",
    subjectAltNames: [
      { type: "Hostname", hostname: "backend.example.com" },
      { type: "URI", uri: "spiffe://td/ns/app/sa/backend", hostname: "" },
    ],
  },
  options: { "example.com/min-tls": "1.3" },
});

describe("checkGatewayApiCelRules: valid manifests", () => {
  it.each([
    ["Gateway", VALID_GATEWAY],
    ["HTTPRoute", VALID_HTTP_ROUTE],
    ["BackendTLSPolicy", VALID_BACKEND_TLS_POLICY],
  ])("passes a full-featured %s", (_, manifest) => {
    expect(checkGatewayApiCelRules(manifest)).toEqual([]);
  });

  it("passes a route without rules: rules default to one PathPrefix '/' match", () => {
    expect(checkGatewayApiCelRules(route({}))).toEqual([]);
    expect(checkGatewayApiCelRules(route({ rules: [{}] }))).toEqual([]);
  });

  it("does not throw on values of the wrong type (which the schema refuses before CEL runs)", () => {
    const listeners = [null, "x", 5, { name: "a", port: 443, protocol: "HTTPS", tls: "x" }];
    expect(() => checkGatewayApiCelRules(gateway({ listeners, addresses: [null, 1], tls: 5 }))).not.toThrow();
    expect(() =>
      checkGatewayApiCelRules(route({ rules: [null, { matches: "x", filters: [{}] }], parentRefs: 3 })),
    ).not.toThrow();
    expect(() => checkGatewayApiCelRules({ apiVersion: V1, kind: "HTTPRoute", spec: "x" })).not.toThrow();
  });

  it("does not change the manifest it checks", () => {
    const manifest = route({ rules: [{ backendRefs: [{ name: "s", port: 1 }] }] });
    const copy = JSON.parse(JSON.stringify(manifest));
    checkGatewayApiCelRules(manifest);
    expect(manifest).toEqual(copy);
  });
});

// --- what the API server does before and while it runs the rules -------------------------------------------------

describe("checkGatewayApiCelRules: defaults, null fields and CEL semantics", () => {
  it("applies the listener tls.mode default (Terminate) before 'tls mode must be set for protocol TLS'", () => {
    const tls = (t: Record<string, unknown>) =>
      gateway({ listeners: [{ name: "tls", port: 443, protocol: "TLS", tls: t }] });
    expect(checkGatewayApiCelRules(tls({ certificateRefs: [cert] }))).toEqual([]);
    expect(checkGatewayApiCelRules(tls({ mode: null, certificateRefs: [cert] }))).toEqual([]);
    expect(checkGatewayApiCelRules(tls({ mode: "" }))).toEqual([
      { path: ".spec.listeners", message: "tls mode must be set for protocol TLS" },
    ]);
  });

  it("applies the address type default (IPAddress) and leaves other types alone", () => {
    const addresses = (...a: Record<string, unknown>[]) => gateway({ listeners: [https("a", 443)], addresses: a });
    expect(checkGatewayApiCelRules(addresses({ value: "10.0.0.1" }, { value: "10.0.0.1" }))).toEqual([
      { path: ".spec.addresses", message: "IPAddress values must be unique" },
    ]);
    expect(
      checkGatewayApiCelRules(addresses({ value: "Not A Hostname" }, { type: "NamedAddress", value: "X_Y" })),
    ).toEqual([]);
  });

  it("applies the backendRef group/kind defaults: only a core Service needs a port", () => {
    const backends = (...b: Record<string, unknown>[]) => route({ rules: [{ backendRefs: b }] });
    expect(checkGatewayApiCelRules(backends({ name: "a" }, { group: "", kind: "Service", name: "b" }))).toEqual([
      { path: ".spec.rules[0].backendRefs[0]", message: "Must have port for Service reference" },
      { path: ".spec.rules[0].backendRefs[1]", message: "Must have port for Service reference" },
    ]);
    expect(
      checkGatewayApiCelRules(backends({ kind: "ServiceImport", group: "multicluster.x-k8s.io", name: "a" })),
    ).toEqual([]);
  });

  it("applies the parentRef group/kind defaults when comparing parents", () => {
    const parents = route({
      parentRefs: [{ name: "gw" }, { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw", namespace: "" }],
    });
    expect(checkGatewayApiCelRules(parents)).toEqual([
      {
        path: ".spec.parentRefs",
        message: "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
      },
    ]);
    const otherKind = route({ parentRefs: [{ name: "gw" }, { kind: "ListenerSet", name: "gw" }] });
    expect(checkGatewayApiCelRules(otherKind)).toEqual([]);
  });

  it("applies the match path default: a match without a path is a PathPrefix '/' match", () => {
    const rule = (matches: unknown[]) => route({ rules: [{ matches, filters: [redirectPrefix] }] });
    expect(checkGatewayApiCelRules(rule([{ headers: [{ name: "x", value: "1" }] }]))).toEqual([]);
    expect(checkGatewayApiCelRules(rule([{ path: { value: "/a" } }]))).toEqual([]);
    expect(checkGatewayApiCelRules(rule([{ path: { type: "Exact" } }]))).toHaveLength(1);
  });

  it("treats an absent field that a rule reads as an evaluation error, absorbed by || and && as in CEL", () => {
    const listenerTls = (t: Record<string, unknown>) =>
      gateway({ listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: t }] });
    // size(self.certificateRefs) is an error (no such key), but size(self.options) > 0 is true
    expect(checkGatewayApiCelRules(listenerTls({ options: { k: "v" } }))).toEqual([]);
    // both sides are errors or false: the API server refuses the object
    expect(checkGatewayApiCelRules(listenerTls({ options: {} }))).toEqual([
      {
        path: ".spec.listeners[0].tls",
        message: "certificateRefs or options must be specified when mode is Terminate",
      },
    ]);
    const timeouts = (t: Record<string, unknown>) => route({ rules: [{ backendRefs: [svc], timeouts: t }] });
    // duration('bad') is an error, but duration(self.request) != duration('0s') is false
    expect(checkGatewayApiCelRules(timeouts({ request: "0s", backendRequest: "bad" }))).toEqual([]);
    expect(checkGatewayApiCelRules(timeouts({ request: "bad", backendRequest: "1s" }))).toEqual([
      { path: ".spec.rules[0].timeouts", message: "backendRequest timeout cannot be longer than request timeout" },
    ]);
  });

  it("compares durations as Go parses them", () => {
    const timeouts = (request: string, backendRequest: string) =>
      checkGatewayApiCelRules(route({ rules: [{ backendRefs: [svc], timeouts: { request, backendRequest } }] })).length;
    expect(timeouts("1h", "60m")).toBe(0);
    expect(timeouts("1h", "3600s1ms")).toBe(1);
    expect(timeouts("1h30m", "5400000ms")).toBe(0);
    expect(timeouts("99999h99999m99999s99999ms", "99999h99999m99999s99999ms")).toBe(0);
    expect(timeouts("1s", "1.5s")).toBe(1);
    expect(timeouts("1s", "999999us")).toBe(0);
  });

  it("counts with exists_one: two prefix-replacing redirects in one rule are not 'one'", () => {
    const twice = route({
      rules: [{ matches: [exact("/a"), exact("/b")], filters: [redirectPrefix, redirectPrefix] }],
    });
    expect(checkGatewayApiCelRules(twice)).toEqual([
      { path: ".spec.rules[0].filters", message: "RequestRedirect filter cannot be repeated" },
    ]);
  });

  it("counts a string's size in code points", () => {
    const key = `${"\u{1d49c}".repeat(252)}/n`; // 252 code points, 504 UTF-16 code units
    const problems = checkGatewayApiCelRules(
      gateway({ listeners: [https("a", 443)], infrastructure: { labels: { [key]: "" } } }),
    );
    // the key's characters are not allowed, but its prefix is 252 characters long
    expect(problems.map((p) => p.message)).toEqual([
      "Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.",
    ]);
  });

  it("checks the served apiVersions of the three CRDs only", () => {
    const invalid = route({ rules: [{ matches: [{ path: { value: "a" } }] }] });
    expect(checkGatewayApiCelRules({ ...invalid, apiVersion: "gateway.networking.k8s.io/v1beta1" })).toHaveLength(1);
    expect(checkGatewayApiCelRules({ ...invalid, apiVersion: "gateway.networking.k8s.io/v1alpha2" })).toEqual([]);
    expect(checkGatewayApiCelRules({ ...invalid, apiVersion: "example.com/v1" })).toEqual([]);
    const grant = {
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { name: "g" },
      spec: { from: [{ group: "", kind: "Pod", namespace: "a" }], to: [{ group: "", kind: "Secret" }] },
    };
    expect(checkGatewayApiCelRules(grant)).toEqual([]);
    expect(GATEWAY_API_CEL_API_VERSIONS.BackendTLSPolicy).toEqual(["gateway.networking.k8s.io/v1"]);
  });
});

// --- the rules and defaults, against the upstream CRDs (when a clone of kubernetes-sigs/gateway-api is at hand) -----

const UPSTREAM = process.env.GATEWAY_API_REPO ?? "/work/.mirror/kubernetes-sigs+gateway-api/repo";
const CRD_FILES: Record<GatewayApiCelKind | "ReferenceGrant", string> = {
  Gateway: "config/crd/standard/gateway.networking.k8s.io_gateways.yaml",
  HTTPRoute: "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml",
  BackendTLSPolicy: "config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml",
  ReferenceGrant: "config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml",
};

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  default?: unknown;
  "x-kubernetes-validations"?: Record<string, unknown>[];
}
function walk(schema: Schema, path: string, visit: (schema: Schema, path: string) => void): void {
  visit(schema, path);
  for (const [k, s] of Object.entries(schema.properties ?? {})) walk(s, `${path}.${k}`, visit);
  if (schema.items) walk(schema.items, `${path}[]`, visit);
  if (typeof schema.additionalProperties === "object") walk(schema.additionalProperties, `${path}.*`, visit);
}

(fs.existsSync(UPSTREAM) ? describe : describe.skip)(`the upstream CRDs (${UPSTREAM})`, () => {
  const crd = (release: string, file: string) =>
    parse(
      execFileSync("git", ["-C", UPSTREAM, "show", `${release}:${file}`], { encoding: "utf8", maxBuffer: 1 << 26 }),
    );
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  for (const release of GATEWAY_API_CEL_RELEASES) {
    for (const kind of ["Gateway", "HTTPRoute", "BackendTLSPolicy"] as const) {
      it(`${kind} @ ${release}: every served version has exactly these rules and defaults`, () => {
        const doc = crd(release, CRD_FILES[kind]);
        const served = doc.spec.versions.filter((v: { served: boolean }) => v.served);
        expect(served.map((v: { name: string }) => `${doc.spec.group}/${v.name}`).sort()).toEqual(
          [...GATEWAY_API_CEL_API_VERSIONS[kind]].sort(),
        );
        const ours = GATEWAY_API_CEL_RULES.filter((r) => r.kind === kind)
          .map((r) => JSON.stringify({ path: r.path, rule: r.rule, message: r.message }))
          .sort(byText);
        const ourDefaults = GATEWAY_API_SCHEMA_DEFAULTS[kind].map((d) => JSON.stringify(d)).sort(byText);
        for (const version of served) {
          const rules: string[] = [];
          const defaults: string[] = [];
          walk(version.schema.openAPIV3Schema, "", (s, path) => {
            for (const v of s["x-kubernetes-validations"] ?? []) {
              // no messageExpression, reason or fieldPath to emulate
              expect(Object.keys(v).sort()).toEqual(["message", "rule"]);
              rules.push(JSON.stringify({ path, rule: v.rule, message: v.message }));
            }
            if (s.default !== undefined) defaults.push(JSON.stringify([path, s.default]));
          });
          expect(rules.sort(byText)).toEqual(ours);
          expect(defaults.sort(byText)).toEqual(ourDefaults);
        }
      });
    }
    it(`ReferenceGrant @ ${release}: has no CEL rule`, () => {
      const doc = crd(release, CRD_FILES.ReferenceGrant);
      for (const version of doc.spec.versions) {
        walk(version.schema.openAPIV3Schema, "", (s) => expect(s["x-kubernetes-validations"]).toBeUndefined());
      }
    });
  }
});
