import { spawnSync } from "node:child_process";
import * as path from "node:path";

// PEMs known only at deploy time are checked inside the apply that already uses them; a failure must name the
// argument path and block only the resource that reads it. The failed registrations surface as runtime errors that
// jest would attribute to the test process, so the program runs in its own process.
describe("trust PEMs known only at deploy time", () => {
  const run = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), path.join(__dirname, "__fixtures__", "late-pems.ts")],
    {
      encoding: "utf8",
    },
  );
  const result = JSON.parse(run.stdout) as {
    deploymentErrors: string[];
    registered: string[];
    knownPemNormalised: boolean;
  };
  // The same message whatever the role: a leaf is no CA (rule cert.ca.basic-constraints).
  const leaf = (where: string, _role: string) =>
    `\`${where}\` (CN=not a ca) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead`;

  it("fails each resource that reads a late leaf given as a CA, naming the argument path", () => {
    // [property, message]. @pulumi/pulumi >= 3.246.0 prefixes the runtime's `error serializing property "<k>": `;
    // older runtimes do not. Either way the message is ours, exactly.
    const expected: [string, string][] = [
      ["data", leaf("clientValidation.trust.trustAnchorPems.late", "a trust anchor")],
      ["trustStores", leaf("trust.intermediateCaPems.late", "an intermediate CA")],
      ["trustStores", leaf("trust.trustAnchorPems.late", "a trust anchor")],
      ["trustStores", leaf("clientValidation.trust.intermediateCaPems.late", "an intermediate CA")],
    ];
    const unprefixed = (m: string) => m.replace(/^error serializing property "[^"]*": /, "");
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const byMessage = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    expect([...result.deploymentErrors].sort((a, b) => byMessage(unprefixed(a), unprefixed(b)))).toEqual(
      expected
        .sort(([, a], [, b]) => byMessage(a, b))
        .map(([k, m]) => expect.stringMatching(new RegExp(`^(error serializing property "${k}": )?${escape(m)}$`))),
    );
  });

  it("registers everything that does not read the bad PEM", () => {
    const failed = ["swp-trust-config", "edge-ca-late", "edge-tc-trust-config", "backend-trust-config-global"];
    for (const name of failed) expect(result.registered).not.toContain(name);
    // The ConfigMap of the known CA, the proxy's own certificate and the Gateways' certificate maps go ahead.
    for (const name of ["edge-ca-corp", "swp-server-cert", "edge-cert-map", "edge-tc-cert-map"])
      expect(result.registered).toContain(name);
  });

  it("normalises a PEM known at construction (CRLF, no final newline) without re-checking it", () => {
    expect(result.knownPemNormalised).toBe(true);
  });
});
