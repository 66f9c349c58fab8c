import type { ManifestProblem } from "./models";

/**
 * The CEL (`x-kubernetes-validations`) rules of the upstream Gateway API v1.5.1 standard CRDs for Gateway,
 * BackendTLSPolicy and ReferenceGrant, re-implemented: the typed models validate the OpenAPI schema only, while the
 * API server also enforces these. Messages are the CRDs' own.
 */
export function checkGatewayApiCelRules(manifest: Record<string, any>): ManifestProblem[] {
  if (manifest.apiVersion?.startsWith("gateway.networking.k8s.io/")) {
    if (manifest.kind === "Gateway") return gatewayRules(manifest.spec ?? {});
    if (manifest.kind === "BackendTLSPolicy") return backendTlsPolicyRules(manifest.spec ?? {});
  }
  return [];
}

const has = (o: any, k: string) => o !== null && typeof o === "object" && o[k] !== undefined && o[k] !== null;
const size = (v: any) => (Array.isArray(v) ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0);
const blank = (o: any, k: string) => !has(o, k) || o[k] === "";

function gatewayRules(spec: any): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const listeners: any[] = spec.listeners ?? [];
  const at = ".spec.listeners";
  const rule = (ok: boolean, path: string, message: string) => {
    if (!ok) problems.push({ path, message });
  };
  listeners.forEach((l, i) => {
    if (has(l, "tls")) {
      const mode = l.tls.mode ?? "Terminate";
      rule(
        mode !== "Terminate" || size(l.tls.certificateRefs) > 0 || size(l.tls.options) > 0,
        `${at}[${i}].tls`,
        "certificateRefs or options must be specified when mode is Terminate",
      );
    }
  });
  rule(
    listeners.every((l) => !(["HTTP", "TCP", "UDP"].includes(l.protocol) && has(l, "tls"))),
    at,
    "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
  );
  rule(
    listeners.every(
      (l) =>
        !(l.protocol === "HTTPS" && has(l, "tls")) ||
        l.tls.mode === undefined ||
        l.tls.mode === "" ||
        l.tls.mode === "Terminate",
    ),
    at,
    "tls mode must be Terminate for protocol HTTPS",
  );
  rule(
    listeners.every((l) => l.protocol !== "TLS" || (has(l, "tls") && !blank(l.tls, "mode"))),
    at,
    "tls mode must be set for protocol TLS",
  );
  rule(
    listeners.every((l) => !["TCP", "UDP"].includes(l.protocol) || blank(l, "hostname")),
    at,
    "hostname must not be specified for protocols ['TCP', 'UDP']",
  );
  rule(
    listeners.every((l1) => listeners.filter((l2) => l1.name === l2.name).length === 1),
    at,
    "Listener name must be unique within the Gateway",
  );
  rule(
    listeners.every(
      (l1) =>
        listeners.filter(
          (l2) =>
            l1.port === l2.port &&
            l1.protocol === l2.protocol &&
            (has(l1, "hostname") && has(l2, "hostname")
              ? l1.hostname === l2.hostname
              : !has(l1, "hostname") && !has(l2, "hostname")),
        ).length === 1,
    ),
    at,
    "Combination of port, protocol and hostname must be unique for each listener",
  );
  const perPort: any[] = spec.tls?.frontend?.perPort ?? [];
  rule(
    perPort.every((t1) => perPort.filter((t2) => t1.port === t2.port).length === 1),
    ".spec.tls.frontend.perPort",
    "Port for TLS configuration must be unique within the Gateway",
  );
  const addresses: any[] = spec.addresses ?? [];
  for (const type of ["IPAddress", "Hostname"]) {
    rule(
      addresses.every(
        (a1) =>
          !(a1.type === type && has(a1, "value")) ||
          addresses.filter((a2) => a2.type === type && a2.value === a1.value).length === 1,
      ),
      ".spec.addresses",
      `${type} values must be unique`,
    );
  }
  return problems;
}

function backendTlsPolicyRules(spec: any): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const refs: any[] = spec.targetRefs ?? [];
  const same = (a: any, b: any) => a.group === b.group && a.kind === b.kind && a.name === b.name;
  if (!refs.every((p1) => refs.every((p2) => !same(p1, p2) || blank(p1, "sectionName") === blank(p2, "sectionName")))) {
    problems.push({
      path: ".spec.targetRefs",
      message: "sectionName must be specified when targetRefs includes 2 or more references to the same target",
    });
  }
  const unique = refs.every(
    (p1) =>
      refs.filter(
        (p2) =>
          same(p1, p2) &&
          ((blank(p1, "sectionName") && blank(p2, "sectionName")) ||
            (has(p1, "sectionName") && has(p2, "sectionName") && p1.sectionName === p2.sectionName)),
      ).length === 1,
  );
  if (!unique)
    problems.push({
      path: ".spec.targetRefs",
      message: "sectionName must be unique when targetRefs includes 2 or more references to the same target",
    });
  const v = spec.validation ?? {};
  const hasRefs = size(v.caCertificateRefs) > 0;
  const hasWellKnown = !blank(v, "wellKnownCACertificates");
  if (hasRefs && hasWellKnown)
    problems.push({
      path: ".spec.validation",
      message: "must not contain both CACertificateRefs and WellKnownCACertificates",
    });
  if (!hasRefs && !hasWellKnown)
    problems.push({
      path: ".spec.validation",
      message: "must specify either CACertificateRefs or WellKnownCACertificates",
    });
  (v.subjectAltNames ?? []).forEach((san: any, i: number) => {
    const path = `.spec.validation.subjectAltNames[${i}]`;
    if (san.type === "Hostname" && blank(san, "hostname"))
      problems.push({ path, message: "SubjectAltName element must contain Hostname, if Type is set to Hostname" });
    if (san.type !== "Hostname" && !blank(san, "hostname"))
      problems.push({
        path,
        message: "SubjectAltName element must not contain Hostname, if Type is not set to Hostname",
      });
    if (san.type === "URI" && blank(san, "uri"))
      problems.push({ path, message: "SubjectAltName element must contain URI, if Type is set to URI" });
    if (san.type !== "URI" && !blank(san, "uri"))
      problems.push({ path, message: "SubjectAltName element must not contain URI, if Type is not set to URI" });
  });
  return problems;
}
