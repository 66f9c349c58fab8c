import { diffSnapshots, formatDiff, type PlanSnapshot } from "@gcp-mtls/plan";
import { BASE, STANDARD_CHANGES, baseFor, measureChange, snapshotOf, touched } from "./support/blast-radius";

// The resources each standard change touches, measured with the upstream replacement rules ("pulumi-gcp.replacement",
// "pulumi-k8s.replacement", "pulumi-tls.replacement"), equal to the least the change needs (tests/support/blast-radius.ts).

const NOW = new Date("2026-11-01T00:00:00Z");
const HOUR = 3_600_000;

describe("plan --diff on the root program's standard changes", () => {
  let base: PlanSnapshot;
  beforeAll(async () => {
    base = await snapshotOf(BASE());
  });

  it("finds nothing to do when the program runs again unchanged (generated keys and names are symbols)", async () => {
    const again = await snapshotOf(BASE());
    const changes = diffSnapshots(base, again, { now: NOW });
    expect(touched(changes)).toEqual([]);
    expect(formatDiff(changes)).toContain(
      `Resources: 0 to create, 0 to update, 0 to replace (0 deleting first), 0 to delete, ${base.resources.filter((r) => r.custom).length} unchanged`,
    );
    // No secret leaks into the plan: private keys are symbols of their producer.
    expect(JSON.stringify(again)).not.toMatch(/PRIVATE KEY-----/);
  });

  it.each(STANDARD_CHANGES.map((c) => [c.name, c] as const))(
    "%s touches exactly its minimum",
    async (_name, change) => {
      const measured = await measureChange(change);
      expect({ excess: measured.excess, missing: measured.missing }).toEqual({ excess: [], missing: [] });
      expect(measured.touched).toEqual(measured.minimum);
      // No standard change deletes anything before its replacement exists.
      expect(measured.deletingFirst).toEqual([]);
    },
  );

  it("replaces the ServerTlsPolicy by creating the new one first (auto-named), and says why", async () => {
    const change = STANDARD_CHANGES.find((c) => c.name === "switch permissive to strict")!;
    const changes = diffSnapshots(await snapshotOf(baseFor(change)), await snapshotOf(change.config(baseFor(change))), {
      now: NOW,
    });
    const policy = changes.find((c) => c.name === "egress-server-tls-policy")!;
    expect(policy).toMatchObject({
      action: "replace",
      reason: "mtlsPolicy.clientValidationMode",
      deleteBeforeReplace: false,
      rules: ["pulumi-gcp.replacement"],
    });
    // The proxy follows the new policy's id, in place.
    expect(changes.find((c) => c.name === "egress-gateway")).toMatchObject({
      action: "update",
      fields: ["serverTlsPolicy"],
    });
  });

  it("renews every leaf once the early-renewal point passes, and updates only what embeds them", async () => {
    const later = new Date(NOW.getTime() + (2160 - 1) * HOUR); // the leaves' validity, minus an hour
    const changes = diffSnapshots(base, await snapshotOf(BASE()), { now: later });
    const renewed = changes.filter((c) => c.action === "replace");
    // Leaves: 2 workloads, the proxy, the edge host, the backend; the CAs live for years.
    expect(renewed.map((c) => c.name).sort()).toEqual(
      [
        "pki-leaf-edge-pay-env0-bench-example",
        "pki-leaf-payments-api",
        "pki-leaf-proxy",
        "pki-leaf-w0",
        "pki-leaf-w1",
      ].sort(),
    );
    for (const c of renewed) {
      expect(c.rules).toEqual(["pulumi-tls.replacement"]);
      expect(c.reason).toMatch(/^ready for renewal \(valid until 2027-01-30T00:00:00Z, early renewal 720 h\)$/);
    }
    // The server certificates are updated in place where Google Cloud holds them (selfManaged is mutable,
    // certificatemanager/Certificate.yaml); the edge and the proxy read them from there.
    expect(touched(changes).filter((t) => !t.startsWith("replace"))).toEqual([
      "update gcp:certificatemanager/certificate:Certificate edge-cert-pay-env0-bench-example",
      "update gcp:certificatemanager/certificate:Certificate egress-server-cert",
    ]);
  });
});

describe("diffSnapshots, on hand-made plans", () => {
  const resource = (over: Record<string, unknown>) => ({
    urn: "urn:pulumi:dev::p::t::r",
    type: "kubernetes:core/v1:Secret",
    name: "r",
    parent: null,
    custom: true,
    inputs: {},
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    dependencies: [],
    stableOutputs: [],
    ...over,
  });
  const plan = (...resources: ReturnType<typeof resource>[]): PlanSnapshot => ({
    version: 2,
    project: "p",
    stack: "dev",
    resources,
  });

  it.each([
    // [what, type, before, after, action, deleteBeforeReplace]
    [
      "a fixed-name Secret's data",
      "kubernetes:core/v1:Secret",
      { metadata: { name: "s" }, data: { a: "1" } },
      { metadata: { name: "s" }, data: { a: "2" } },
      "replace",
      true,
    ],
    [
      "an auto-named ConfigMap's data",
      "kubernetes:core/v1:ConfigMap",
      { data: { a: "1" } },
      { data: { a: "2" } },
      "replace",
      false,
    ],
    [
      "a Gateway's listeners (a custom resource)",
      "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      { spec: { listeners: [] } },
      { spec: { listeners: [{ name: "x" }] } },
      "update",
      undefined,
    ],
    [
      "a Service's clusterIP",
      "kubernetes:core/v1:Service",
      { spec: { clusterIP: "10.0.0.1" } },
      { spec: { clusterIP: "10.0.0.2" } },
      "replace",
      false,
    ],
    [
      "a named TrustConfig's location",
      "gcp:certificatemanager/trustConfig:TrustConfig",
      { name: "tc", location: "global" },
      { name: "tc", location: "us-east1" },
      "replace",
      true,
    ],
    [
      "a TrustConfig's anchors",
      "gcp:certificatemanager/trustConfig:TrustConfig",
      { trustStores: [{ trustAnchors: [] }] },
      { trustStores: [{ trustAnchors: [{ pemCertificate: "x" }] }] },
      "update",
      undefined,
    ],
    [
      "an SSL certificate (immutable resource)",
      "gcp:compute/sSLCertificate:SSLCertificate",
      { description: "a" },
      { description: "b" },
      "replace",
      false,
    ],
    [
      "a certificate's early renewal hours",
      "tls:index/locallySignedCert:LocallySignedCert",
      { earlyRenewalHours: 0 },
      { earlyRenewalHours: 24 },
      "update",
      undefined,
    ],
    [
      "a certificate's validity",
      "tls:index/locallySignedCert:LocallySignedCert",
      { validityPeriodHours: 1 },
      { validityPeriodHours: 2 },
      "replace",
      false,
    ],
  ] as const)("%s: %s", (_what, type, before, after, action, dbr) => {
    const [c] = diffSnapshots(plan(resource({ type, inputs: before })), plan(resource({ type, inputs: after })));
    expect(c).toMatchObject({ action, ...(dbr === undefined ? {} : { deleteBeforeReplace: dbr }) });
  });

  it("updates a consumer of a replaced producer's generated value, and leaves a fixed name's id alone", () => {
    const producer = (name?: string) =>
      resource({
        urn: "urn:a",
        type: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
        inputs: { ...(name ? { name } : {}), mtlsPolicy: { clientValidationMode: "REJECT_INVALID" } },
        stableOutputs: name ? ["id"] : [],
      });
    const consumer = resource({
      urn: "urn:b",
      type: "gcp:networkservices/gateway:Gateway",
      inputs: { serverTlsPolicy: "{{urn:a#id}}" },
    });
    const switched = (p: ReturnType<typeof resource>) => ({
      ...p,
      inputs: { ...p.inputs, mtlsPolicy: { clientValidationMode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT" } },
    });
    const auto = diffSnapshots(plan(producer(), consumer), plan(switched(producer()), consumer));
    expect(auto.map((c) => c.action)).toEqual(["replace", "update"]);
    const named = diffSnapshots(plan(producer("p"), consumer), plan(switched(producer("p")), consumer));
    expect(named.map((c) => [c.action, c.deleteBeforeReplace])).toEqual([
      ["replace", true],
      ["same", undefined],
    ]);
  });

  it("creates, deletes and honours replaceOnChanges", () => {
    const a = resource({
      urn: "urn:a",
      type: "gcp:networksecurity/authzPolicy:AuthzPolicy",
      inputs: { location: "us-central1" },
      replaceOnChanges: ["location"],
    });
    const b = resource({ urn: "urn:b" });
    const changes = diffSnapshots(
      plan(a, b),
      plan({ ...a, inputs: { location: "us-east1" } }, resource({ urn: "urn:c" })),
    );
    expect(changes.map((c) => [c.urn, c.action])).toEqual([
      ["urn:a", "replace"],
      ["urn:c", "create"],
      ["urn:b", "delete"],
    ]);
  });
});
