// One measured run in a fresh process: N environments (components or hand-wired) under the recording mocks.
// Prints one JSON line; with CANONICAL_OUT it also writes the registered resources for the equality check.
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { setupMocks, type MockEnvironment, type RecordedResource } from "@gcp-mtls/testing";
import { benchConfig } from "./config";

interface Job {
  /** `shells`: the hand-wired program under empty component registrations (the registrations' own cost). */
  readonly program: "components" | "hand-wired" | "shells";
  readonly environments: number;
  readonly identities?: number;
  readonly hostsPerIdentity?: number;
  readonly canonicalOut?: string;
}

/** A resource with its generated material masked, for comparing two programs' registrations. */
export function canonical(r: RecordedResource): string {
  const mask = (v: unknown): unknown => {
    if (typeof v === "string") return v.includes("-----BEGIN") ? "<pem>" : v;
    if (Array.isArray(v)) return v.map(mask);
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as any)[k] !== undefined)
          .map((k) => [k, mask((v as any)[k])]),
      );
    return v;
  };
  return JSON.stringify({ type: r.type, name: r.name, inputs: mask(r.inputs), secret: [...r.secretInputs].sort() });
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as Job;
  // Pulumi captures a stack trace per registration; tsx's source-mapped stack formatting would dominate both runs
  // (and favour shallower stacks). Off for both programs: the bench measures the programs, not the loader.
  process.setSourceMapsEnabled(false);
  const env: MockEnvironment = await setupMocks({
    project: "bench",
    stack: "bench",
    now: () => new Date("2026-11-01T00:00:00Z"),
  });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // A run that stops making progress says which registrations never completed, instead of hanging silently.
  let lastCount = -1;
  let lastChange = Date.now();
  const watchdog = setInterval(() => {
    if (!process.env.BENCH_WATCHDOG) return;
    const done = env.resources.filter((r) => !r.custom || r.id !== undefined).length;
    if (done !== lastCount) {
      lastCount = done;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > 30_000) {
      const pending = env.resources.filter((r) => r.custom && r.id === undefined).map((r) => `${r.type} ${r.name}`);
      process.stderr.write(
        `stalled: ${env.resources.length} registered, ${pending.length} pending: ${pending.slice(0, 20).join(", ")}\n`,
      );
      process.exit(3);
    }
  }, 5_000);
  watchdog.unref();
  if (job.program === "components") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { deployEnvironment } = require("../../packages/environment/src/environment") as typeof import(
      "../../packages/environment/src/environment",
      { with: { "resolution-mode": "require" } }
    );
    for (let i = 0; i < job.environments; i++) deployEnvironment(benchConfig(i, job), `e${i}-`);
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { deployHandWired } = require("./hand-wired") as typeof import("./hand-wired", {
      with: { "resolution-mode": "require" },
    });
    const options = { componentShells: job.program === "shells" };
    for (let i = 0; i < job.environments; i++) deployHandWired(benchConfig(i, job), `e${i}-`, options);
  }
  await env.settled();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart); // all threads: the main thread plus V8's GC helpers
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const liveHeapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  const custom = env.resources.filter((r) => r.custom);
  if (job.canonicalOut)
    fs.writeFileSync(
      job.canonicalOut,
      JSON.stringify({
        resources: custom.map(canonical).sort(),
        urns: env.resources.map((r) => r.urn).sort(),
        graph: graph(env),
      }),
    );
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssMb: process.resourceUsage().maxRSS / 1024,
      ...(gc ? { liveHeapMb } : {}),
      resources: custom.length,
      components: env.resources.length - custom.length,
      authzPolicies: env.byType("gcp:networksecurity/authzPolicy:AuthzPolicy").length,
      invokes: env.invokes.length,
      recordingErrors: env.resources.filter((r) => r.recordingError !== undefined).length,
    }) + "\n",
  );
}

/** Dependencies as recorded (explicit + consumed outputs) and as read (consumed outputs only), by URN, plus parents. */
function graph(env: MockEnvironment) {
  return env.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    custom: r.custom,
    parent: r.parent ?? null,
    dependencies: r.dependencies,
    reads: [...new Set(Object.values(r.propertyDependencies).flat())],
  }));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
