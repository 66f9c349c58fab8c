import {
  createCertificateRequest,
  evaluateAuthzPolicies,
  generateKey,
  privateKeyPem,
  requestCaServiceCertificate,
  servedCertificate,
  workloadIdentityPoolOf,
  inspectCertificate,
  makeClient,
  makeRoot,
  mtlsHandshake,
  serverVerification,
  type MockEnvironment,
  type RecordedResource,
  type ValidationMode,
} from "@gcp-mtls/testing";

/** One line of the offline proof. */
export interface ProofRow {
  /** `SecureWebProxyMtls egress` / `GatewayFrontendMtls edge`. */
  readonly component: string;
  /** What was presented: an identity and its leaf, or an impostor. */
  readonly client: string;
  readonly handshake: string;
  /** The identity the server saw. */
  readonly seen: string;
  /** Authorization result (proxies) or `-`. */
  readonly authorization: string;
  /** Whether the outcome is the one the configuration intends. */
  readonly ok: boolean;
  /** Why nothing was proven for this row (it is not a failure, and the table says `skip`). @default - proven */
  readonly skipped?: string;
}

interface IssuedLeaf {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** Intermediates the client sends after its leaf. @default [] */
  readonly chainPems?: string[];
  /** Where the proof got it, when not from the plan's own leaves: `CSR → <pool>`. */
  readonly source?: string;
  readonly uris: string[];
  readonly dns: string[];
  readonly cn?: string;
  readonly clientAuth: boolean;
}

const SELECTOR: Record<string, (l: { uris: string[]; dns: string[]; cn?: string }) => string[]> = {
  CLIENT_CERT_URI_SAN: (l) => l.uris,
  CLIENT_CERT_DNS_NAME_SAN: (l) => l.dns,
  CLIENT_CERT_COMMON_NAME: (l) => (l.cn ? [l.cn] : []),
};

/** Leaves issued by tls.LocallySignedCert in the plan, with the keys of their CSRs. */
function issuedLeaves(env: MockEnvironment): IssuedLeaf[] {
  const csrs = new Map(
    env
      .byType("tls:index/certRequest:CertRequest")
      .map((r) => [r.outputs.certRequestPem as string, r.inputs.privateKeyPem as string]),
  );
  return env
    .byType("tls:index/locallySignedCert:LocallySignedCert")
    .filter((r) => typeof r.outputs.certPem === "string" && !r.inputs.isCaCertificate)
    .map((r) => {
      const info = inspectCertificate(r.outputs.certPem);
      return {
        certificatePem: r.outputs.certPem as string,
        privateKeyPem: csrs.get(r.inputs.certRequestPem)!,
        uris: info.sans.uri,
        dns: info.sans.dns,
        cn: info.subject.commonName,
        clientAuth: (info.extKeyUsage ?? []).includes("client_auth"),
      };
    })
    .filter((l) => l.privateKeyPem !== undefined);
}

const CA_POOL_IAM_MEMBER = "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember";
const CA_AUTHORITY = "gcp:certificateauthority/authority:Authority";
const CA_TEMPLATE = "gcp:certificateauthority/certificateTemplate:CertificateTemplate";
// The role a workload is granted to create certificates from a CSR it sends (privateca.certificates.create:
// https://cloud.google.com/certificate-authority-service/docs/access-control). Service agents' grants on other pools
// (roles/privateca.certificateManager for TLS inspection) are not workloads'.
const REQUESTER_ROLES = ["roles/privateca.certificateRequester"];
const SERVICE_AGENT = /^serviceAccount:service-\d+@gcp-sa-[a-z-]+\.iam\.gserviceaccount\.com$/;

/**
 * The "request your own" flow, run by the proof in the workloads' place: for each identity the plan authorizes but
 * issues no leaf for, a CA Service pool of the plan that grants a requester role is asked for a certificate, with a
 * CSR from a key generated here (as the workload would, so no key is in the plan), as the grant's member and naming the
 * template its condition requires. The emulated CA Service judges the request (IAM, the template's and the pool's
 * identity constraints) and signs it with the pool's enabled CA. A refused identity gets no leaf.
 */
async function caServiceLeaves(
  env: MockEnvironment,
  identities: readonly { selector: string; identity: string }[],
): Promise<IssuedLeaf[]> {
  // Each requester grant, with the template its condition requires (`<project>/-/<template id>`), if any.
  const templates = env.byType(CA_TEMPLATE);
  const grants = env
    .byType(CA_POOL_IAM_MEMBER)
    // Google's service agents request for their own configured names (Certificate Manager's for its issuance
    // configs), not for workloads: the proof never asks as them.
    .filter((m) => REQUESTER_ROLES.includes(m.inputs.role) && !SERVICE_AGENT.test(String(m.inputs.member)))
    .map((m) => {
      const named = /== *['"]([^'"]+)\/-\/([^'"]+)['"]/.exec(String(m.inputs.condition?.expression ?? ""));
      const template = named
        ? templates.find(
            (t) =>
              (t.outputs.project ?? t.inputs.project) === named[1] && (t.outputs.name ?? t.inputs.name) === named[2],
          )
        : undefined;
      return {
        pool: String(m.outputs.caPool ?? m.inputs.caPool),
        member: String(m.inputs.member),
        template: template ? String(template.id ?? template.outputs.id) : undefined,
      };
    });
  // Managed workload identities: a pool's identities hold createForSelf on a CA pool; Google requests their
  // certificates (REFLECTED_SPIFFE), the SAN being the workload's SPIFFE id in the pool's trust domain.
  const managed = env
    .byType(CA_POOL_IAM_MEMBER)
    .filter((m) => m.inputs.role === "roles/privateca.workloadCertificateRequester")
    .flatMap((m) => {
      const workloadIdentityPool = workloadIdentityPoolOf(String(m.inputs.member));
      const parts = /^projects\/(\d+)\/locations\/global\/workloadIdentityPools\/(.+)$/.exec(
        workloadIdentityPool ?? "",
      );
      if (!workloadIdentityPool || !parts) return [];
      // GKE's fleet pool is its own trust domain; a Compute Engine pool's is <pool>.global.<number>.workload.id.goog.
      const trustDomain = parts[2]!.endsWith(".svc.id.goog")
        ? parts[2]!
        : `${parts[2]}.global.${parts[1]}.workload.id.goog`;
      return [{ pool: String(m.outputs.caPool ?? m.inputs.caPool), workloadIdentityPool, trustDomain }];
    });
  const out: IssuedLeaf[] = [];
  for (const { selector, identity } of identities) {
    if (selector === "CLIENT_CERT_COMMON_NAME") continue;
    const reflected = managed.find(
      (m) => selector === "CLIENT_CERT_URI_SAN" && identity.startsWith(`spiffe://${m.trustDomain}/`),
    );
    if (reflected) {
      const key = generateKey({ algorithm: "ECDSA", ecdsaCurve: "P256" });
      const issued = await requestCaServiceCertificate({
        pool: reflected.pool,
        pemCsr: createCertificateRequest({}, key.privateKey, {}),
        reflectedFor: { spiffeId: identity, workloadIdentityPool: reflected.workloadIdentityPool },
      }).catch(() => undefined);
      const leaf = issued && clientLeaf(issued, key, `managed identity → ${reflected.pool.split("/").pop()}`);
      if (leaf) {
        out.push(leaf);
        continue;
      }
    }
    for (const grant of grants) {
      const key = generateKey({ algorithm: "ECDSA", ecdsaCurve: "P256" });
      const sans = selector === "CLIENT_CERT_URI_SAN" ? { uris: [identity] } : { dnsNames: [identity] };
      const pemCsr = createCertificateRequest({}, key.privateKey, sans);
      // As the workload asks: its own identity, its template, so the emulated IAM judges the grant's condition too.
      const issued = await requestCaServiceCertificate({
        pool: grant.pool,
        pemCsr,
        requester: grant.member,
        ...(grant.template !== undefined ? { certificateTemplate: grant.template } : {}),
      }).catch(() => undefined);
      const leaf =
        issued &&
        clientLeaf(
          issued,
          key,
          `CSR → ${grant.pool.split("/").pop()}${grant.template !== undefined ? ` with ${grant.template.split("/").pop()}` : ""}`,
        );
      if (!leaf) continue;
      out.push(leaf);
      break;
    }
  }
  return out;
}

/**
 * A certificate CA Service issued for a key the proof holds, as the workload presents it (its leaf, then its issuing
 * CA: the chain minus the root, which the server holds); undefined unless it is a client certificate.
 */
function clientLeaf(
  issued: { pemCertificate: string; pemCertificateChain: string[] },
  key: ReturnType<typeof generateKey>,
  source: string,
): IssuedLeaf | undefined {
  const info = inspectCertificate(issued.pemCertificate);
  if (!(info.extKeyUsage ?? []).includes("client_auth")) return undefined;
  return {
    certificatePem: issued.pemCertificate,
    privateKeyPem: privateKeyPem(key),
    chainPems: issued.pemCertificateChain.slice(0, -1),
    uris: info.sans.uri,
    dns: info.sans.dns,
    cn: info.subject.commonName,
    clientAuth: true,
    source,
  };
}

/** The principals the plan's ALLOW AuthzPolicies name, with their selector. */
function authorizedIdentities(env: MockEnvironment): { selector: string; identity: string }[] {
  const seen = new Map<string, { selector: string; identity: string }>();
  for (const policy of env.byType("gcp:networksecurity/authzPolicy:AuthzPolicy")) {
    if (policy.inputs.action !== "ALLOW") continue;
    for (const rule of policy.inputs.httpRules ?? []) {
      for (const source of rule.from?.sources ?? []) {
        for (const p of source.principals ?? []) {
          const identity = p.principal?.exact;
          if (typeof identity === "string")
            seen.set(`${p.principalSelector}|${identity}`, { selector: p.principalSelector, identity });
        }
      }
    }
  }
  return [...seen.values()];
}

// The proof reads the upstream resources a plan holds, not any component: a Secure Web Proxy is a
// `networkservices.Gateway` of type SECURE_WEB_GATEWAY with the ServerTlsPolicy it names, that policy's TrustConfig and
// the AuthzPolicies that target the gateway; a GKE Gateway is a Gateway API `Gateway` with the ConfigMaps its
// `spec.tls.frontend` references, or the TrustConfig of its `networking.gke.io/frontend-trust-config` annotation. So it
// proves a hand-wired program as it proves the components, and rows name the component a resource belongs to.
const TYPES = {
  swpGateway: "gcp:networkservices/gateway:Gateway",
  serverTlsPolicy: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  authzPolicy: "gcp:networksecurity/authzPolicy:AuthzPolicy",
  k8sGateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  configMap: "kubernetes:core/v1:ConfigMap",
  certificate: "gcp:certificatemanager/certificate:Certificate",
  certificateMap: "gcp:certificatemanager/certificateMap:CertificateMap",
  certificateMapEntry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  sslCertificate: "gcp:compute/sSLCertificate:SSLCertificate",
  regionSslCertificate: "gcp:compute/regionSslCertificate:RegionSslCertificate",
} as const;

/** `<Component> <name>` when the resource belongs to a component, else `<what> <resource name>`. */
function subjectOf(env: MockEnvironment, resource: RecordedResource, what: string): string {
  const parent = resource.parent === undefined ? undefined : env.resources.find((r) => r.urn === resource.parent);
  if (parent !== undefined && !parent.custom) return `${parent.type.split(":").pop()} ${parent.name}`;
  return `${what} ${resource.name}`;
}

/** The TrustConfig a ServerTlsPolicy names (`projects/<p>/locations/<l>/trustConfigs/<name>`, any project form). */
function trustConfigNamed(env: MockEnvironment, ref: string | undefined): RecordedResource | undefined {
  const match = /\/locations\/([^/]+)\/trustConfigs\/([^/]+)$/.exec(ref ?? "");
  if (!match) return undefined;
  return env
    .byType(TYPES.trustConfig)
    .find(
      (t) => (t.outputs.name ?? t.inputs.name) === match[2] && (t.outputs.location ?? t.inputs.location) === match[1],
    );
}

/**
 * Proves a planned environment offline with live loopback handshakes: for every Secure Web Proxy, each authorized
 * identity's leaf against the TrustConfig bundle (the identity seen must equal the AuthzPolicy principal, and its
 * first destination must be allowed) and an impostor from a foreign root; for every GKE Gateway, per validation
 * scope (ConfigMap CAs, or the annotated TrustConfig), the client leaves chaining to its CAs and an impostor.
 * Whatever cannot be proven from the plan alone (a leaf issued elsewhere, trust configured outside the plan) is a row
 * with `skipped` set, never left out silently.
 */
export async function proveEnvironment(env: MockEnvironment): Promise<ProofRow[]> {
  const rows: ProofRow[] = [];
  const planned = issuedLeaves(env);
  const unissued = authorizedIdentities(env).filter(
    ({ selector, identity }) => !planned.some((l) => l.clientAuth && SELECTOR[selector]?.(l).includes(identity)),
  );
  const leaves = [...planned, ...(await caServiceLeaves(env, unissued))];
  // CA Service's subordinate CAs: what a server holds besides its anchors, like the plan's tls intermediates.
  const caServiceIntermediates = env
    .byType(CA_AUTHORITY)
    .filter((a) => a.inputs.type === "SUBORDINATE" && Array.isArray(a.outputs.pemCaCertificates))
    .map((a) => a.outputs.pemCaCertificates[0] as string);
  for (const proxy of env.byType(TYPES.swpGateway).filter((g) => g.inputs.type === "SECURE_WEB_GATEWAY")) {
    const component = subjectOf(env, proxy, "Secure Web Proxy");
    if (proxy.inputs.serverTlsPolicy === undefined) {
      rows.push(skippedRow(component, "no ServerTlsPolicy: the proxy validates no client certificate"));
      continue;
    }
    const tlsPolicy = env
      .byType(TYPES.serverTlsPolicy)
      .find((p) => (p.id ?? p.outputs.id) === proxy.inputs.serverTlsPolicy);
    const trustConfig = trustConfigNamed(env, tlsPolicy?.inputs.mtlsPolicy?.clientValidationTrustConfig);
    if (!tlsPolicy || !trustConfig) {
      rows.push(skippedRow(component, "no TrustConfig in this plan (its trust is configured elsewhere)"));
      continue;
    }
    const store = trustConfig.inputs.trustStores[0];
    const anchors: string[] = store.trustAnchors.map((a: { pemCertificate: string }) => a.pemCertificate);
    const intermediates: string[] = (store.intermediateCas ?? []).map(
      (a: { pemCertificate: string }) => a.pemCertificate,
    );
    const mode: ValidationMode =
      tlsPolicy.inputs.mtlsPolicy?.clientValidationMode === "REJECT_INVALID" ? "strict" : "permissive";
    const policies = env
      .byType(TYPES.authzPolicy)
      .filter((p) => (p.inputs.target?.resources ?? []).includes(proxy.id ?? proxy.outputs.id))
      .map((p) => ({ name: p.name, inputs: p.inputs }));
    for (const policy of policies.filter((p) => p.inputs.action === "ALLOW")) {
      const principal = policy.inputs.httpRules[0].from.sources[0].principals[0];
      const identity: string = principal.principal.exact;
      const host = firstHost(policy.inputs);
      const leaf = leaves.find((l) => l.clientAuth && SELECTOR[principal.principalSelector]!(l).includes(identity));
      if (!leaf) {
        rows.push({ ...skippedRow(component, "its leaf is issued outside this plan"), client: identity });
        continue;
      }
      const result = await mtlsHandshake({ trustAnchors: anchors, intermediates, client: leaf, mode });
      const seen = result.identity
        ? SELECTOR[principal.principalSelector]!({
            uris: result.identity.uriSans,
            dns: result.identity.dnsSans,
            cn: result.identity.commonName,
          })
        : [];
      const decision = evaluateAuthzPolicies(policies, { identity: result.identity, verified: result.verified, host });
      rows.push({
        component,
        client: leaf.source ? `${identity} (${leaf.source})` : identity,
        handshake: result.verified ? "verified" : `rejected ${result.reason ?? ""}`.trim(),
        seen: seen.join(",") || "-",
        authorization: `${decision.allowed ? "allowed" : "denied"} → ${host}`,
        ok: result.verified && seen.includes(identity) && decision.allowed,
      });
    }
    // An impostor: a foreign root's leaf claiming the first authorized identity.
    const first = policies.find((p) => p.inputs.action === "ALLOW");
    if (first) {
      const principal = first.inputs.httpRules[0].from.sources[0].principals[0];
      const identity: string = principal.principal.exact;
      const impostor = makeClient(makeRoot("Impostor Root"), "impostor", {
        template: identity.includes(":") ? { uris: [identity] } : { dnsNames: [identity] },
      });
      const result = await mtlsHandshake({
        trustAnchors: anchors,
        intermediates,
        client: { certificatePem: impostor.pem, privateKeyPem: impostor.keyPem },
        mode,
      });
      const decision = evaluateAuthzPolicies(policies, {
        identity: result.identity,
        verified: result.verified,
        host: firstHost(first.inputs),
      });
      rows.push({
        component,
        client: `impostor claiming ${identity}`,
        handshake: result.accepted ? `admitted unverified (${mode})` : `rejected ${result.reason ?? ""}`.trim(),
        seen: result.identity?.uriSans.join(",") || "-",
        authorization: `${decision.allowed ? "allowed" : "denied"} → ${firstHost(first.inputs)}`,
        ok: !result.verified && !decision.allowed,
      });
    }
  }
  for (const gateway of env.byType(TYPES.k8sGateway)) {
    const name = gateway.inputs.metadata?.name ?? gateway.outputs.metadata?.name ?? gateway.name;
    const namespace = gateway.inputs.metadata?.namespace ?? gateway.outputs.metadata?.namespace ?? "default";
    const subject = subjectOf(env, gateway, "Gateway");
    const intermediates = [
      ...env
        .byType("tls:index/locallySignedCert:LocallySignedCert")
        .filter((r) => r.inputs.isCaCertificate && typeof r.outputs.certPem === "string")
        .map((r) => r.outputs.certPem as string),
      ...caServiceIntermediates,
    ];
    const clients = leaves.filter((l) => l.clientAuth);
    // One proof per validation scope: the default, and each port with its own CAs and mode (never a merged pool).
    const scopes = frontendScopes(env, gateway, namespace);
    // The guide's `curl --resolve HOST:443:ADDRESS --cacert ROOT https://HOST`: each HTTPS listener's server
    // certificate, served with SNI = the listener's hostname, verified against the plan's roots.
    rows.push(...(await serverCertificateRows(env, gateway, subject, namespace)));
    if (scopes.length === 0) {
      rows.push(skippedRow(subject, `no client validation in Gateway ${namespace}/${name} (server TLS only)`));
    }
    for (const scope of scopes) {
      const component = `${subject}${scope.port !== undefined ? ` :${scope.port}` : ""}${scope.source ? ` (${scope.source})` : ""}`;
      const held = scope.intermediates ?? intermediates;
      for (const ref of scope.missing) {
        // A reference to a ConfigMap the plan does not hold: the Gateway would fail to resolve it.
        rows.push({
          component,
          client: `(caCertificateRefs ${ref}: no such ConfigMap in the plan)`,
          handshake: "-",
          seen: "-",
          authorization: "-",
          ok: false,
        });
      }
      if (scope.cas.length === 0) {
        if (scope.missing.length === 0) rows.push(skippedRow(component, "none of its CAs is in this plan"));
        continue;
      }
      let proven = 0;
      for (const leaf of clients) {
        const result = await mtlsHandshake({
          trustAnchors: scope.cas,
          intermediates: held,
          client: leaf,
          mode: "strict",
        });
        if (!result.verified) continue;
        proven++;
        rows.push({
          component,
          client: `${leaf.uris[0] ?? leaf.dns[0] ?? leaf.cn ?? "leaf"}${leaf.source ? ` (${leaf.source})` : ""}`,
          handshake: "verified",
          seen: result.identity?.uriSans.join(",") || result.identity?.commonName || "-",
          authorization: "-",
          ok: true,
        });
      }
      if (proven === 0) {
        // Its clients are issued outside this plan: nothing to prove for them here, which is not a failure.
        rows.push(skippedRow(component, "no client leaf of this plan chains to its CAs"));
      }
      const impostor = makeClient(makeRoot("Impostor Root"), "impostor");
      const result = await mtlsHandshake({
        trustAnchors: scope.cas,
        intermediates: held,
        client: { certificatePem: impostor.pem, privateKeyPem: impostor.keyPem },
        mode: scope.mode,
      });
      rows.push({
        component,
        client: "impostor (foreign root)",
        handshake: result.accepted ? `admitted unverified (${scope.mode})` : `rejected ${result.reason ?? ""}`.trim(),
        seen: "-",
        authorization: "-",
        ok: !result.verified,
      });
    }
  }
  return rows;
}

interface FrontendScope {
  /** Undefined for the default validation. */
  readonly port?: number;
  readonly cas: string[];
  /** `namespace/name` of referenced ConfigMaps that the component did not create. */
  readonly missing: string[];
  readonly mode: ValidationMode;
  /** Intermediates the server holds (a TrustConfig's); ConfigMap scopes use the plan's CA certificates. */
  readonly intermediates?: string[];
  /** Where the CAs come from. @default "ConfigMap" */
  readonly source?: "TrustConfig";
}

/**
 * The Gateway's client-validation scopes, read from its manifest: `spec.tls.frontend.default` and each `perPort` entry,
 * each with the PEMs of the ConfigMaps it references (by namespace and name, wherever they are in the plan); or, for a
 * Gateway annotated with a TrustConfig (`networking.gke.io/frontend-trust-config`), that TrustConfig's anchors and
 * intermediates, with `networking.gke.io/allow-invalid-or-missing-client-cert: "true"` as the fallback.
 */
function frontendScopes(env: MockEnvironment, gateway: RecordedResource, gatewayNamespace: string): FrontendScope[] {
  const key = (namespace: string | undefined, name: string) => `${namespace ?? gatewayNamespace}/${name}`;
  const pemByRef = new Map<string, string>(
    env
      .byType(TYPES.configMap)
      .filter((c) => typeof c.inputs.data?.["ca.crt"] === "string")
      .map((c) => [
        key(
          c.outputs.metadata?.namespace ?? c.inputs.metadata?.namespace ?? "default",
          c.outputs.metadata?.name ?? c.inputs.metadata?.name,
        ),
        c.inputs.data["ca.crt"],
      ]),
  );
  const tls = gateway.inputs.spec?.tls;
  const frontend = tls?.frontend;
  if (!frontend) {
    const annotations: Record<string, string> = gateway.inputs.metadata?.annotations ?? {};
    const named = annotations["networking.gke.io/frontend-trust-config"];
    if (named === undefined) return [];
    const candidates = env.byType(TYPES.trustConfig).filter((t) => (t.outputs.name ?? t.inputs.name) === named);
    // The TrustConfig of the same component when several share the name (one per location).
    const trustConfig = candidates.find((t) => t.parent === gateway.parent) ?? candidates[0];
    if (!trustConfig) return [];
    const store = trustConfig.inputs.trustStores[0];
    return [
      {
        cas: store.trustAnchors.map((a: { pemCertificate: string }) => a.pemCertificate),
        intermediates: (store.intermediateCas ?? []).map((a: { pemCertificate: string }) => a.pemCertificate),
        missing: [],
        mode:
          annotations["networking.gke.io/allow-invalid-or-missing-client-cert"] === "true" ? "permissive" : "strict",
        source: "TrustConfig",
      },
    ];
  }
  const scope = (validation: any, port?: number): FrontendScope | undefined => {
    const refs: string[] = (validation?.caCertificateRefs ?? []).map((ref: { name: string; namespace?: string }) =>
      key(ref.namespace, ref.name),
    );
    if (refs.length === 0) return undefined;
    const mode: ValidationMode = validation.mode === "AllowInsecureFallback" ? "permissive" : "strict";
    return {
      ...(port !== undefined ? { port } : {}),
      cas: refs.filter((r) => pemByRef.has(r)).map((r) => pemByRef.get(r)!),
      missing: refs.filter((r) => !pemByRef.has(r)),
      mode,
    };
  };
  return [
    scope(frontend.default?.validation),
    ...(frontend.perPort ?? []).map((p: any) => scope(p.tls?.validation, p.port)),
  ].filter((s): s is FrontendScope => s !== undefined);
}

interface ServerCredential {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** Intermediates served after the leaf. @default [] */
  readonly chainPems?: string[];
  /** Why nothing is served (a private Google-managed certificate its CA pool did not issue). */
  readonly failed?: string;
  /** Where the Gateway gets it: `Secret ns/name`, `Certificate name`, `SSLCertificate name`. */
  readonly source: string;
}

/**
 * The server certificates a Gateway listener serves, from the plan: the Secrets of `tls.certificateRefs`, the
 * Certificate Manager certificates of its `networking.gke.io/certmap` map (entries for the hostname, else PRIMARY) or
 * of the `networking.gke.io/cert-manager-certs` option, the Compute SSL certificates of
 * `networking.gke.io/pre-shared-certs`. Certificates the plan does not hold (existing ones) are not returned.
 */
function listenerCredentials(
  env: MockEnvironment,
  gateway: RecordedResource,
  listener: any,
  namespace: string,
): ServerCredential[] {
  const nameOf = (r: RecordedResource) => r.outputs.name ?? r.inputs.name;
  const found: ServerCredential[] = [];
  for (const ref of listener.tls?.certificateRefs ?? []) {
    if ((ref.kind ?? "Secret") !== "Secret") continue;
    const secret = env
      .byType("kubernetes:core/v1:Secret")
      .find(
        (r) =>
          (r.outputs.metadata?.name ?? r.inputs.metadata?.name) === ref.name &&
          (r.inputs.metadata?.namespace ?? "default") === (ref.namespace ?? namespace),
      );
    const data = secret?.inputs.stringData ?? {};
    if (typeof data["tls.crt"] === "string" && typeof data["tls.key"] === "string") {
      found.push({ certificatePem: data["tls.crt"], privateKeyPem: data["tls.key"], source: `Secret ${ref.name}` });
    }
  }
  const managed = (names: string[]) => {
    for (const cert of env.byType(TYPES.certificate)) {
      if (names.includes(nameOf(cert)) && typeof cert.inputs.managed?.issuanceConfig === "string") {
        // Issued by a CA Service pool through Certificate Manager: what the load balancer serves, with Google's key.
        const served = servedCertificate(String(cert.outputs.id ?? cert.id));
        const issue = cert.outputs.managed?.provisioningIssues?.[0];
        found.push(
          served
            ? { ...served, source: `Certificate ${nameOf(cert)} (CA Service)` }
            : {
                certificatePem: "",
                privateKeyPem: "",
                source: `Certificate ${nameOf(cert)}`,
                failed: `not issued: ${issue?.reason ?? "no CA Service issuance"} ${issue?.details ?? ""}`.trim(),
              },
        );
        continue;
      }
      const pems = cert.inputs.selfManaged;
      if (names.includes(nameOf(cert)) && typeof pems?.pemCertificate === "string") {
        found.push({
          certificatePem: pems.pemCertificate,
          privateKeyPem: pems.pemPrivateKey,
          source: `Certificate ${nameOf(cert)}`,
        });
      }
    }
  };
  const options: Record<string, string> = listener.tls?.options ?? {};
  const split = (v: string | undefined) =>
    (v ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
  managed(split(options["networking.gke.io/cert-manager-certs"]));
  const preShared = split(options["networking.gke.io/pre-shared-certs"]);
  for (const cert of [...env.byType(TYPES.sslCertificate), ...env.byType(TYPES.regionSslCertificate)]) {
    if (preShared.includes(nameOf(cert)) && typeof cert.inputs.certificate === "string") {
      found.push({
        certificatePem: cert.inputs.certificate,
        privateKeyPem: cert.inputs.privateKey,
        source: `SSLCertificate ${nameOf(cert)}`,
      });
    }
  }
  const mapName = (gateway.inputs.metadata?.annotations ?? {})["networking.gke.io/certmap"];
  if (mapName !== undefined) {
    const map = env.byType(TYPES.certificateMap).find((m) => nameOf(m) === mapName);
    const entries = env
      .byType(TYPES.certificateMapEntry)
      .filter((e) => map !== undefined && (e.inputs.map === nameOf(map) || e.inputs.map === map.outputs.id));
    const forHost = entries.filter((e) => e.inputs.hostname === listener.hostname);
    const chosen = forHost.length > 0 ? forHost : entries.filter((e) => e.inputs.matcher === "PRIMARY");
    const ids = chosen.flatMap((e) => e.inputs.certificates ?? []);
    managed(
      env
        .byType(TYPES.certificate)
        .filter((c) => ids.includes(c.outputs.id ?? c.id))
        .map(nameOf),
    );
  }
  return found;
}

/** One row per HTTPS listener with a hostname: its server certificate as a client sees it (SNI, chain, name). */
async function serverCertificateRows(
  env: MockEnvironment,
  gateway: RecordedResource,
  subject: string,
  namespace: string,
): Promise<ProofRow[]> {
  const roots = [
    ...env
      .byType("tls:index/selfSignedCert:SelfSignedCert")
      .filter((r) => r.inputs.isCaCertificate && typeof r.outputs.certPem === "string")
      .map((r) => r.outputs.certPem as string),
    // CA Service roots (self-signed Authorities): the --cacert of a private PKI.
    ...env
      .byType(CA_AUTHORITY)
      .filter((a) => a.inputs.type === "SELF_SIGNED" && Array.isArray(a.outputs.pemCaCertificates))
      .map((a) => a.outputs.pemCaCertificates[0] as string),
  ];
  const rows: ProofRow[] = [];
  for (const listener of gateway.inputs.spec?.listeners ?? []) {
    if (listener.protocol !== "HTTPS" || typeof listener.hostname !== "string") continue;
    // A wildcard listener is probed with one name it covers.
    const host = listener.hostname.replace(/^\*\./, "probe.");
    const component = `${subject} ${listener.name}`;
    const client = `curl https://${host}:${listener.port} (SNI ${host})`;
    const credentials = listenerCredentials(env, gateway, listener, namespace);
    if (credentials.length === 0) {
      rows.push({ ...skippedRow(component, "its server certificate is not created by this plan"), client });
      continue;
    }
    for (const credential of credentials) {
      if (credential.failed !== undefined) {
        rows.push({
          component,
          client,
          handshake: `REFUSED ${credential.source} ${credential.failed}`,
          seen: "-",
          authorization: "-",
          ok: false,
        });
        continue;
      }
      // A self-signed server certificate (the guide's `openssl x509 -req -signkey`) is its own --cacert.
      // The served chain's first certificate is the leaf.
      const first = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/.exec(credential.certificatePem);
      const leaf = inspectCertificate(first ? first[0] : credential.certificatePem);
      const caPems = leaf.selfIssued ? [...roots, leaf.pem] : roots;
      const result = await serverVerification({ caPems, server: credential, hostname: host });
      rows.push({
        component,
        client,
        handshake: result.accepted ? `server verified (${credential.source})` : `REFUSED ${result.reason ?? ""}`.trim(),
        seen: result.presented.dnsSans.join(",") || "-",
        authorization: "-",
        ok: result.accepted,
      });
    }
  }
  return rows;
}

function skippedRow(component: string, reason: string): ProofRow {
  return { component, client: "-", handshake: "-", seen: "-", authorization: "-", ok: true, skipped: reason };
}

function firstHost(inputs: Record<string, any>): string {
  const match = inputs.httpRules[0].to.operations[0].hosts[0];
  return match.exact ?? `proof${match.suffix}`;
}

/** The proof as a fixed-width table. */
export function formatProof(rows: readonly ProofRow[]): string {
  if (rows.length === 0) return "Offline proof: nothing to prove (no proxy or Gateway with client validation).";
  const headers = ["", "component", "client", "handshake", "identity seen", "authorization"];
  const table = rows.map((r) => [
    r.skipped !== undefined ? "skip" : r.ok ? "ok" : "FAIL",
    r.component,
    r.client,
    r.skipped !== undefined ? `skipped: ${r.skipped}` : r.handshake,
    r.seen,
    r.authorization,
  ]);
  const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...table.map((t) => t[i]!.length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + "…" : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const skipped = rows.filter((r) => r.skipped !== undefined).length;
  return [
    "Offline proof (live loopback mTLS handshakes):",
    "",
    line(headers),
    ...table.map(line),
    ...(skipped > 0 ? ["", `${skipped} row(s) skipped: nothing in this plan to prove them with (not a failure).`] : []),
  ].join("\n");
}
