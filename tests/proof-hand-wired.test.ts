import { proveEnvironment, type ProofRow } from "@gcp-mtls/plan";
import { setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { benchConfig } from "./bench/config";

// The offline proof reads upstream resources, not components: the bench's hand-wired program (the same environment
// as the root program, raw @pulumi/tls, @pulumi/gcp and @pulumi/kubernetes resources, no component) is proven as the
// components are.
describe("the offline proof on a hand-wired program (no component)", () => {
  let env: MockEnvironment;
  let rows: ProofRow[];

  beforeAll(async () => {
    env = await setupMocks();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { deployHandWired } = require("./bench/hand-wired") as typeof import("./bench/hand-wired");
    deployHandWired(benchConfig(0));
    await env.settled();
    rows = await proveEnvironment(env);
  });

  it("holds on every row, with nothing skipped", () => {
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.filter((r) => r.skipped !== undefined)).toEqual([]);
  });

  it("verifies each workload at the proxy, authorizes it, and refuses an impostor", () => {
    const proxy = rows.filter((r) => r.component.startsWith("Secure Web Proxy "));
    const workloads = Object.keys(benchConfig(0).workloads);
    expect(proxy.filter((r) => r.handshake === "verified")).toHaveLength(workloads.length);
    for (const r of proxy.filter((row) => row.handshake === "verified")) expect(r.authorization).toMatch(/^allowed → /);
    expect(proxy.filter((r) => r.client.startsWith("impostor"))).toHaveLength(1);
  });

  it("verifies client leaves at the Gateway from its ConfigMaps, and refuses an impostor", () => {
    const gateway = rows.filter((r) => r.component.startsWith("Gateway "));
    expect(gateway.some((r) => r.handshake === "verified")).toBe(true);
    expect(gateway.filter((r) => r.client === "impostor (foreign root)").map((r) => r.ok)).toEqual([true]);
  });
});
