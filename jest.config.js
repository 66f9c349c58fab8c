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
  },
  testMatch: ["<rootDir>/packages/*/src/**/*.test.ts", "<rootDir>/tests/**/*.test.ts"],
  testTimeout: 60000,
  // jest's default (cores - 1) runs one worker on a 2-core machine while the parent idles: every core runs tests.
  maxWorkers: "100%",
};
