const path = require("node:path");

// The modules @pulumi/pulumi loads for closure serialization, which the mocks never use: loaded on first use instead
// of in every test file (tests/support/lazy/lazy-module.js). Resolved here, from the SDK's own folder.
const sdk = path.dirname(
  require.resolve("@pulumi/pulumi/package.json", { paths: [path.join(__dirname, "packages/testing")] }),
);
const lazy = {};
for (const [name, file] of [
  ["typescript", "typescript.js"],
  ["@npmcli/arborist", "arborist.js"],
]) {
  let real;
  try {
    real = require.resolve(name, { paths: [sdk] });
  } catch {
    continue; // an SDK version that does not load it (the lowest-peers job runs older ones)
  }
  process.env[`GCP_MTLS_JEST_REAL_${file.replace(".js", "").toUpperCase()}`] = real;
  lazy[`^${name.replace("/", "\\/")}$`] = `<rootDir>/tests/support/lazy/${file}`;
}

// What every project shares.
const common = {
  // jest's node environment, plus deferred Pulumi errors routed to the MockEnvironment (negative tests).
  testEnvironment: "<rootDir>/packages/testing/src/jest/environment.ts",
  // The Pulumi runtime keeps its state on globals and reads it from exit hooks; jest's between-file globals
  // cleanup would delete it under the runtime's feet. Every test file has its own environment anyway.
  testEnvironmentOptions: { globalsCleanup: "off" },
  transform: {
    "^.+\\.tsx?$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs", ignoreDynamic: true },
      },
    ],
  },
  // Tests run against the sources, not dist: no build step between an edit and a test run.
  moduleNameMapper: {
    "^@gcp-mtls/(components|testing|rules|plan)$": "<rootDir>/packages/$1/src/index.ts",
    "^@gcp-mtls/policy/(policies|testing)$": "<rootDir>/packages/policy/src/$1.ts",
    ...lazy,
  },
};

// Two tiers (`--selectProjects`): `unit` is `pnpm test`, the inner loop (each package's own tests, the rule
// catalogue, the export contract); `e2e` is `pnpm test:e2e` (the built CLI spawned on the root program and the
// examples, the blast radius of every change, the plugin under the component analyzer, each stack's environment).
// `pnpm check` runs both with typecheck, docs and lint: what CI runs.
const E2E = ["<rootDir>/tests/*.test.ts", "<rootDir>/tests/schema/plugin.test.ts"];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: [
        "<rootDir>/packages/*/src/**/*.test.ts",
        "<rootDir>/tests/rules/**/*.test.ts",
        "<rootDir>/tests/schema/exports.test.ts",
      ],
    },
    { ...common, displayName: "e2e", testMatch: E2E },
  ],
  testTimeout: 60000,
  // jest's default (cores - 1) runs one worker on a 2-core machine while the parent idles: every core runs tests.
  maxWorkers: "100%",
};
