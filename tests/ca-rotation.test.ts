import { diffSnapshots, snapshotEnvironment, type PlanSnapshot, type ResourceChange } from "@gcp-mtls/plan";
import {
  createCertificateRequest,
  generateKey,
  inspectCertificate,
  mtlsHandshake,
  privateKeyPem,
  requestCaServiceCertificate,
  setupMocks,
  type MockEnvironment,
} from "@gcp-mtls/testing";
import type { EnvironmentConfig } from "../packages/environment/src/config";
import { deployEnvironment } from "../packages/environment/src/environment";
import { benchConfig } from "./bench/config";

// A CA rotation of the root program's PKI, of either kind (CA Service for prod, @pulumi/tls for dev), as the README's
// runbook runs it: one stack-config change per
// phase, each planned as an update of the previous deployment. Each phase is proven with live handshakes of a leaf
// issued before the rotation (old) and one issued after the next CA took over (new), at the proxy's TrustConfig and at
// the Gateway's ca.crt ConfigMaps; `plan --diff` shows which resources each phase touches, under the providers'
// upstream replacement rules.

const NOW = new Date("2026-12-01T00:00:00Z");
// PROMOTED ends the rotation: `caGeneration: g2` and no `caRotation`.
const PHASES = [undefined, "STAGED", "TRUSTED", "ISSUING", "RETIRED", "PROMOTED"] as const;
type Phase = (typeof PHASES)[number];
const IDENTITY = "spiffe://env0.bench.example/ns/team0/sa/app";

type Kind = EnvironmentConfig["pki"];

const configOf = (kind: Kind, phase: Phase): EnvironmentConfig => ({
  ...benchConfig(0, { identities: 2, hostsPerIdentity: 1 }),
  pki: kind,
  ...(phase === "PROMOTED"
    ? { caGeneration: "g2" }
    : phase !== undefined
      ? { caRotation: { generation: "g2", phase } }
      : {}),
});

interface Deployed {
  readonly env: MockEnvironment;
  readonly snapshot: PlanSnapshot;
}

/**
 * The deployment's state of the @pulumi/tls resources a phase keeps: a resource whose inputs did not change keeps its
 * outputs (its key and certificate), as `pulumi up` leaves an unchanged resource alone. CA Service's CAs are held by
 * the emulator itself.
 */
function keptState(before: MockEnvironment | undefined) {
  const byName = new Map((before?.resources ?? []).filter((r) => r.type.startsWith("tls:")).map((r) => [r.name, r]));
  const handler = (args: { type: string; name: string; inputs: Record<string, any> }) => {
    const r = byName.get(args.name);
    if (!r || r.type !== args.type || JSON.stringify(r.inputs) !== JSON.stringify(args.inputs)) return undefined;
    return { id: String(r.id), state: { ...r.outputs } };
  };
  return Object.fromEntries(
    [
      "tls:index/privateKey:PrivateKey",
      "tls:index/certRequest:CertRequest",
      "tls:index/selfSignedCert:SelfSignedCert",
      "tls:index/locallySignedCert:LocallySignedCert",
    ].map((t) => [t, handler]),
  );
}

async function deploy(
  kind: Kind,
  phase: Phase,
  previous: PlanSnapshot | undefined,
  before: MockEnvironment | undefined,
): Promise<Deployed> {
  const env = await setupMocks({
    project: "gcp-mtls",
    stack: "prod",
    now: () => NOW,
    deployed: previous?.resources.map((r) => r.urn) ?? [],
    resources: keptState(before),
  });
  deployEnvironment(configOf(kind, phase));
  await env.settled();
  return { env, snapshot: snapshotEnvironment(env, "gcp-mtls", "prod") };
}

interface Leaf {
  readonly certificatePem: string;
  readonly chainPems: string[];
  readonly privateKeyPem: string;
  /** The issuing CA's common name. */
  readonly issuer: string;
}

/**
 * CA Service: what the workload does, a key of its own, a CSR, CreateCertificate on the issuing pool as its service
 * account, naming its template. @pulumi/tls: the leaf the stack issued it.
 */
async function leafOf(kind: Kind, env: MockEnvironment): Promise<Leaf> {
  if (kind === "tls") {
    const cert = env.byType("tls:index/locallySignedCert:LocallySignedCert").find((r) => r.name.endsWith("-leaf-w0"))!;
    const csr = env.byName(`${cert.name}-csr`);
    const issuing = env.byName(`${cert.name.replace(/-leaf-w0$/, "")}-intermediate-issuing`);
    return {
      certificatePem: cert.outputs.certPem,
      chainPems: [issuing.outputs.certPem],
      privateKeyPem: csr.inputs.privateKeyPem,
      issuer: inspectCertificate(issuing.outputs.certPem).subject.commonName!,
    };
  }
  const pool = env.byName("pki-issuing-pool");
  const key = generateKey({ algorithm: "ECDSA", ecdsaCurve: "P256" });
  const issued = await requestCaServiceCertificate({
    pool: String(pool.id),
    pemCsr: createCertificateRequest({}, key.privateKey, { uris: [IDENTITY] }),
    requester: env.byName("pki-requester-w0").inputs.member,
    certificateTemplate: String(env.byName("pki-template-w0").id),
  });
  return {
    certificatePem: issued.pemCertificate,
    chainPems: issued.pemCertificateChain.slice(0, -1),
    privateKeyPem: privateKeyPem(key),
    issuer: inspectCertificate(issued.pemCertificateChain[0]!).subject.commonName!,
  };
}

/** Verified at the proxy (its TrustConfig) and at the Gateway (its ca.crt ConfigMaps)? */
async function verdicts(env: MockEnvironment, leaf: Leaf): Promise<{ proxy: boolean; gateway: boolean }> {
  const store = env.byName("egress-trust-config").inputs.trustStores[0];
  const proxy = await mtlsHandshake({
    trustAnchors: store.trustAnchors.map((a: { pemCertificate: string }) => a.pemCertificate),
    intermediates: (store.intermediateCas ?? []).map((a: { pemCertificate: string }) => a.pemCertificate),
    client: leaf,
    mode: "strict",
  });
  const gateway = await mtlsHandshake({
    trustAnchors: env
      .byType("kubernetes:core/v1:ConfigMap")
      .filter((c) => c.name.startsWith("edge-ca-"))
      .map((c) => c.inputs.data["ca.crt"] as string),
    client: leaf,
    mode: "strict",
  });
  return { proxy: proxy.verified, gateway: gateway.verified };
}

// What trusting both roots changes at every consumer (TRUSTED), and what trusting the next root only changes
// (RETIRED): one more ca.crt ConfigMap per Kubernetes consumer, auto-named and referenced in place, the TrustConfig's
// anchors and intermediates in place; then the `root` ConfigMaps replaced create-first (their data is immutable).
const TRUST_BOTH = [
  "create backend-ca-g2",
  "create edge-ca-g2",
  "update backend-policy (spec.validation.caCertificateRefs, spec.validation.caCertificateRefs[1].name)",
  "update edge-gateway (spec.tls.frontend.default.validation.caCertificateRefs, spec.tls.frontend.default.validation.caCertificateRefs[1].name)",
  "update egress-trust-config (trustStores[0].intermediateCas, trustStores[0].trustAnchors)",
];
const TRUST_NEXT_ONLY = [
  "delete backend-ca-g2",
  "delete edge-ca-g2",
  "replace backend-ca-root",
  "replace edge-ca-root",
  "update backend-policy (spec.validation.caCertificateRefs, spec.validation.caCertificateRefs[0].name)",
  "update edge-gateway (spec.tls.frontend.default.validation.caCertificateRefs, spec.tls.frontend.default.validation.caCertificateRefs[0].name)",
  "update egress-trust-config (trustStores[0].intermediateCas, trustStores[0].trustAnchors)",
];

const touched = (changes: readonly ResourceChange[]) =>
  changes
    .filter((c) => c.custom && c.action !== "same")
    .map((c) => `${c.action} ${c.name}${c.action === "update" ? ` (${(c.fields ?? []).join(", ")})` : ""}`)
    .sort();

describe.each(["ca-service", "tls"] as const)("%s CA rotation, phase by phase (the README runbook)", (kind) => {
  const runs = new Map<Phase, Deployed>();
  const changes = new Map<Phase, ResourceChange[]>();
  let oldLeaf: Leaf;
  let newLeaf: Leaf;
  const matrix: Record<
    string,
    { old: { proxy: boolean; gateway: boolean }; new?: { proxy: boolean; gateway: boolean } }
  > = {};

  beforeAll(async () => {
    let previous: PlanSnapshot | undefined;
    for (const phase of PHASES) {
      const run = await deploy(kind, phase, previous, runs.get(PHASES[PHASES.indexOf(phase) - 1]!)?.env);
      runs.set(phase, run);
      if (previous) changes.set(phase, diffSnapshots(previous, run.snapshot, { now: NOW }));
      if (phase === undefined) oldLeaf = await leafOf(kind, run.env);
      if (phase === "ISSUING") newLeaf = await leafOf(kind, run.env);
      matrix[phase ?? "before"] = {
        old: await verdicts(run.env, oldLeaf),
        ...(newLeaf !== undefined ? { new: await verdicts(run.env, newLeaf) } : {}),
      };
      previous = run.snapshot;
    }
  }, 240_000);

  it("deploys every phase: the emulated APIs refuse nothing (a CA is DISABLED only as an update)", () => {
    for (const [phase, run] of runs) expect({ phase, failures: run.env.failures }).toEqual({ phase, failures: [] });
  });

  it("issues from the current CA until ISSUING, then from the next one only (a STAGED CA issues nothing)", async () => {
    expect(oldLeaf.issuer).toBe("env0.bench.example issuing CA");
    // The stack's own generation (none given) and the next, `g2`.
    expect(newLeaf.issuer).toBe("env0.bench.example issuing CA g2");
  });

  it("verifies old and new leaves at both edges during the overlap, and refuses old leaves once retired", () => {
    const both = { proxy: true, gateway: true };
    const neither = { proxy: false, gateway: false };
    expect(matrix).toEqual({
      before: { old: both },
      STAGED: { old: both },
      TRUSTED: { old: both },
      ISSUING: { old: both, new: both },
      RETIRED: { old: neither, new: both },
      PROMOTED: { old: neither, new: both },
    });
  });

  it("replaces or deletes no TrustConfig, ServerTlsPolicy, proxy, Gateway, CA, pool or certificate: every phase updates in place", () => {
    const kept = [
      "gcp:certificatemanager/trustConfig:TrustConfig",
      "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
      "gcp:networkservices/gateway:Gateway",
      "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      "gcp:certificateauthority/authority:Authority",
      "gcp:certificateauthority/caPool:CaPool",
      "gcp:certificatemanager/certificateIssuanceConfig:CertificateIssuanceConfig",
      "gcp:certificatemanager/certificate:Certificate",
    ];
    for (const [phase, list] of changes) {
      // A resource the previous deployment marked retainOnDelete leaves Pulumi's state only: the cloud keeps it.
      const before = runs.get(PHASES[PHASES.indexOf(phase) - 1]!)!.env;
      const retained = (name: string) => before.resources.some((r) => r.name === name && r.retainOnDelete === true);
      const replaced = list.filter(
        (c) => kept.includes(c.type) && (c.action === "replace" || (c.action === "delete" && !retained(c.name))),
      );
      expect({ phase, replaced: replaced.map((c) => c.name) }).toEqual({ phase, replaced: [] });
    }
  });

  it("touches exactly what each phase needs", () => {
    if (kind === "tls") {
      const triple = (action: string, chain: string, key: string) =>
        [`${chain}-leaf-${key}`, `${chain}-leaf-${key}-csr`, `${chain}-leaf-${key}-key`].map((n) => `${action} ${n}`);
      const leaves = ["edge-pay-env0-bench-example", "payments-api", "proxy", "w0", "w1"];
      const tiers = (action: string, chain: string) =>
        [
          `${chain}-intermediate-issuing`,
          `${chain}-intermediate-issuing-csr`,
          `${chain}-intermediate-issuing-key`,
          `${chain}-root`,
          `${chain}-root-key`,
        ].map((n) => `${action} ${n}`);
      expect(Object.fromEntries([...changes].map(([phase, list]) => [phase, touched(list)]))).toEqual({
        // The next chain's CAs (keys in state, as in dev).
        STAGED: tiers("create", "pki-g2"),
        // The same trust changes as CA Service.
        TRUSTED: TRUST_BOTH,
        // Every leaf moves to the next chain (new keys, created before the old ones leave the state); the servers'
        // Certificate Manager certificates take the new PEMs in place.
        ISSUING: [
          ...leaves.flatMap((k) => triple("create", "pki-g2", k)),
          ...leaves.flatMap((k) => triple("delete", "pki", k)),
          "update edge-cert-pay-env0-bench-example (selfManaged.pemCertificate, selfManaged.pemPrivateKey)",
          "update egress-server-cert (selfManaged.pemCertificate, selfManaged.pemPrivateKey)",
        ].sort(),
        // The old chain leaves the program and every trust store.
        RETIRED: [...tiers("delete", "pki"), ...TRUST_NEXT_ONLY].sort(),
        // `pki-g2` is the chain's own now, under the same name: nothing to do.
        PROMOTED: [],
      });
      return;
    }
    expect(Object.fromEntries([...changes].map(([phase, list]) => [phase, touched(list)]))).toEqual({
      // The next CAs, created STAGED in the same pools: nothing trusts them yet, nothing else moves.
      STAGED: ["create pki-issuing-g2", "create pki-root-g2"],
      // Both roots everywhere: one more ca.crt ConfigMap per Kubernetes consumer (auto-named, referenced in place),
      // the TrustConfig's anchors and intermediates updated in place.
      TRUSTED: TRUST_BOTH,
      // Issuance moves: CA states only (:enable / :disable).
      ISSUING: [
        "update pki-issuing (desiredState)",
        "update pki-issuing-g2 (desiredState)",
        "update pki-root-g2 (desiredState)",
      ],
      // The old root leaves every trust store; a ConfigMap's data is immutable, so the `root` one is replaced
      // (create-first: a new auto-name, referenced in place, then the old one deleted).
      RETIRED: [...TRUST_NEXT_ONLY, "update pki-root (desiredState)"],
      // The next generation becomes the chain's own under the same names; the retired CAs leave the program, and
      // `retainOnDelete` (set when they retired) keeps them in CA Service: no provider delete.
      PROMOTED: ["delete pki-issuing", "delete pki-root"],
    });
    for (const [, list] of changes) expect(list.filter((c) => c.deleteBeforeReplace)).toEqual([]);
    const retired = runs.get("RETIRED")!.env;
    expect(["pki-root", "pki-issuing"].map((n) => retired.byName(n).retainOnDelete)).toEqual([true, true]);
    expect(runs.get("RETIRED")!.env.byName("pki-root-g2").retainOnDelete).toBeUndefined();
  });
});
