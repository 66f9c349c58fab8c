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

/** @type {import('jest').Config} */
module.exports = {
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
    ...lazy,
  },
  testMatch: ["<rootDir>/packages/*/src/**/*.test.ts", "<rootDir>/tests/**/*.test.ts"],
  testTimeout: 60000,
  // jest's default (cores - 1) runs one worker on a 2-core machine while the parent idles: every core runs tests.
  maxWorkers: "100%",
};
