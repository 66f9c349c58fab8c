// The consumer jest recipe of packages/testing/README.md, as a stranger copies it.
module.exports = {
  testEnvironment: "@gcp-mtls/testing/jest-environment",
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  testTimeout: 60000,
};
