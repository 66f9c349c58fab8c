import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { ArgumentError } from "../internal/format";
import { CertificateChain } from "./certificate-chain";

// Property: whatever a caller passes (well-shaped or not, from TypeScript or JavaScript), constructing a chain either
// succeeds with inputs free of `undefined` / `NaN` / `[object Object]`, or throws one ArgumentError (an SDK
// InputPropertiesError) whose every problem names an argument path. Never a TypeError, never a hang.
// Sized for the suite (`pnpm test` on 2 cores): a longer campaign is FC_RUNS=5000.
const RUNS = Number(process.env.FC_RUNS ?? 150);

const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constant("false"),
  fc.constant(pulumi.output("late")),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);
const key = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,6}$/);
const subject = fc.record(
  {
    commonName: fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,15}$/), fc.string({ maxLength: 6 })),
    organization: fc.string({ maxLength: 10 }),
    country: fc.oneof(fc.constant("US"), fc.string({ maxLength: 3 })),
  },
  { requiredKeys: [] },
);
const lifetime = {
  keyAlgorithm: fc.constantFrom("ECDSA_P256", "ECDSA_P384", "ECDSA_P224"),
  validityHours: fc.oneof(fc.integer({ min: -10, max: 200_000 }), fc.constant(24)),
  earlyRenewalHours: fc.integer({ min: -1, max: 5000 }),
};
const leaf = fc.record(
  {
    usages: fc.subarray(["client", "server", "client"]),
    subject,
    dnsNames: fc.array(fc.oneof(fc.domain(), fc.string({ maxLength: 6 }), fc.constant("*.example.com")), {
      maxLength: 2,
    }),
    uris: fc.array(fc.oneof(fc.constant("spiffe://example.com/a"), fc.webUrl(), fc.string({ maxLength: 6 })), {
      maxLength: 2,
    }),
    ipAddresses: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 5 })), { maxLength: 1 }),
    keyAlgorithm: lifetime.keyAlgorithm,
    validityHours: lifetime.validityHours,
    issuer: fc.oneof(fc.constant("root"), key),
  },
  { requiredKeys: [] },
);
const wellShaped = fc.record(
  {
    root: fc.record({ subject, ...lifetime }, { requiredKeys: ["subject"] }),
    intermediates: fc.array(fc.record({ key, subject, ...lifetime }, { requiredKeys: ["key", "subject"] }), {
      maxLength: 2,
    }),
    leaves: fc.dictionary(key, leaf, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);

/** Replaces the value at one path of `value` (chosen by `pick`) with `replacement`. */
function mutate(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: (string | number)[][] = [[]];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (v !== null && typeof v === "object" && !pulumi.Output.isInstance(v)) {
      for (const [k, child] of Object.entries(v)) {
        const next = [...p, Array.isArray(v) ? Number(k) : k];
        paths.push(next);
        walk(child, next);
      }
    }
  };
  walk(value, []);
  const target = paths[pick % paths.length]!;
  if (target.length === 0) return replacement;
  // A clone in this realm (structuredClone's objects come from Node's realm, not jest's sandbox).
  const clone = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(clone)
      : v !== null && typeof v === "object" && !pulumi.Output.isInstance(v)
        ? Object.fromEntries(Object.entries(v).map(([k, c]) => [k, clone(c)]))
        : v;
  const copy = clone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const step of target.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[target[target.length - 1]!] = replacement;
  return copy;
}

const malformed = fc.tuple(wellShaped, fc.nat(), junk).map(([v, pick, replacement]) => mutate(v, pick, replacement));

let env: MockEnvironment;
let n = 0;
beforeAll(async () => {
  env = await setupMocks();
});

function outcome(args: unknown): "created" | ArgumentError {
  try {
    new CertificateChain(`prop-${n++}`, args as never);
    return "created";
  } catch (e) {
    if (e instanceof ArgumentError) return e;
    throw new Error(`not an ArgumentError for ${JSON.stringify(args)}: ${(e as Error)?.stack ?? String(e)}`);
  }
}

/** Leaves of a value that a serialisation slip would produce (PEM bodies are base64 and skipped). */
function badLeaves(value: unknown, path = ""): string[] {
  if (value === undefined) return [`${path}: undefined`];
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path}: ${value}`];
  if (typeof value === "string") {
    return !value.startsWith("-----BEGIN") && /\bundefined\b|\bNaN\b|\[object Object\]/.test(value)
      ? [`${path}: ${value}`]
      : [];
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => badLeaves(v, `${path}.${k}`));
  }
  return [];
}

function assertClear(error: ArgumentError) {
  expect(error).toBeInstanceOf(pulumi.InputPropertiesError);
  expect(error.problems.length).toBeGreaterThan(0);
  expect(error.errors).toHaveLength(error.problems.length);
  for (const line of error.message.split("\n")) {
    expect(line).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
    // `path` problem, or one naming its arguments in brackets ([root] and [existingIssuer]).
    expect(line).toMatch(/^`.+` \S|^Exactly one of \[|^\[intermediates\]/);
  }
}

describe("CertificateChain args, generated (fast-check)", () => {
  it("well-shaped args: created, or one clear ArgumentError", () => {
    fc.assert(
      fc.property(wellShaped, (args) => {
        const result = outcome(args);
        if (result !== "created") assertClear(result);
      }),
      { numRuns: RUNS },
    );
  });

  it("malformed args (one value replaced by junk, or junk for args): one clear ArgumentError, never a TypeError", () => {
    fc.assert(
      fc.property(malformed, (args) => {
        const result = outcome(args);
        if (result !== "created") assertClear(result);
      }),
      { numRuns: RUNS },
    );
  });

  it("valid args always give a chain, and every input it registers is free of undefined, NaN and [object Object]", async () => {
    // Valid by construction: known algorithms, default lifetimes, real host names and SPIFFE IDs, distinct subjects.
    const validLeaf = fc.record(
      {
        usages: fc.constantFrom(["client"], ["server"], ["client", "server"]),
        dnsNames: fc.array(fc.domain(), { minLength: 1, maxLength: 2 }),
        uris: fc.array(fc.stringMatching(/^spiffe:\/\/example\.com\/[a-z]{1,8}$/), { maxLength: 1 }),
        ipAddresses: fc.array(fc.ipV4(), { maxLength: 1 }),
        keyAlgorithm: fc.constantFrom("ECDSA_P256", "ECDSA_P384"),
      },
      { requiredKeys: ["usages", "dnsNames"] },
    );
    const valid = fc.record({
      root: fc.record({ subject: fc.record({ commonName: fc.stringMatching(/^Root [A-Z][a-z]{2,8}$/) }) }),
      intermediates: fc
        .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{2,6}$/), { maxLength: 2 })
        .map((keys) => keys.map((key) => ({ key, subject: { commonName: `Tier ${key}` } }))),
      leaves: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{2,6}$/), validLeaf, { minKeys: 1, maxKeys: 3 }),
    });
    const first = n;
    fc.assert(
      fc.property(valid, (args) => {
        expect(outcome(args)).toBe("created");
      }),
      // Each run builds and signs a whole chain through the mocks: a tenth of the runs of the cheaper properties.
      { numRuns: Math.max(10, Math.floor(RUNS / 15)) },
    );
    await env.settled();
    const names = Array.from({ length: n - first }, (_, i) => `prop-${first + i}-`);
    const created = env.resources.filter((r) => r.custom && names.some((c) => r.name.startsWith(c)));
    // Every chain registers its root key and certificate at least.
    expect(created.length).toBeGreaterThanOrEqual(2 * names.length);
    for (const r of created) expect(badLeaves(r.inputs)).toEqual([]);
  });
});
