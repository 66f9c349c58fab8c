import { evaluateAuthzPolicies, type AuthzPolicyInputs } from "./authz";

const payments = { uriSans: ["spiffe://bank.example/payments"], dnsSans: [], commonName: "payments" };
const agent = { uriSans: [], dnsSans: ["agent.bank.example"], commonName: "agent" };

const rule = (selector: string, identity: string, op: Record<string, unknown>) => ({
  from: { sources: [{ principals: [{ principalSelector: selector, principal: { exact: identity } }] }] },
  to: { operations: [op] },
});
const allowPayments: AuthzPolicyInputs = {
  name: "allow-payments",
  inputs: {
    action: "ALLOW",
    httpRules: [
      rule("CLIENT_CERT_URI_SAN", "spiffe://bank.example/payments", { hosts: [{ exact: "gw.fin.example" }] }),
    ],
  },
};
const allowAgent: AuthzPolicyInputs = {
  name: "allow-agent",
  inputs: {
    action: "ALLOW",
    httpRules: [
      rule("CLIENT_CERT_DNS_NAME_SAN", "agent.bank.example", {
        hosts: [{ suffix: ".api.example" }],
        paths: [{ prefix: "/v1/" }],
        methods: ["GET"],
      }),
    ],
  },
};
const denyAgentAdmin: AuthzPolicyInputs = {
  name: "deny-agent-admin",
  inputs: {
    action: "DENY",
    httpRules: [rule("CLIENT_CERT_COMMON_NAME", "agent", { hosts: [{ exact: "admin.api.example" }] })],
  },
};
const all = [allowPayments, allowAgent, denyAgentAdmin];

describe("evaluateAuthzPolicies", () => {
  it.each([
    ["payments to its gateway", { identity: payments, verified: true, host: "gw.fin.example" }, true, "allow-payments"],
    ["payments elsewhere", { identity: payments, verified: true, host: "evil.example" }, false, undefined],
    [
      "payments unverified (permissive mode)",
      { identity: payments, verified: false, host: "gw.fin.example" },
      false,
      undefined,
    ],
    ["no certificate", { verified: false, host: "gw.fin.example" }, false, undefined],
    [
      "agent GET /v1 on a suffix host",
      { identity: agent, verified: true, host: "x.api.example", path: "/v1/models" },
      true,
      "allow-agent",
    ],
    [
      "agent POST",
      { identity: agent, verified: true, host: "x.api.example", path: "/v1/models", method: "POST" },
      false,
      undefined,
    ],
    [
      "agent outside the path prefix",
      { identity: agent, verified: true, host: "x.api.example", path: "/v2/models" },
      false,
      undefined,
    ],
    [
      "agent to a denied host (deny first)",
      { identity: agent, verified: true, host: "admin.api.example", path: "/v1/x" },
      false,
      "deny-agent-admin",
    ],
  ])("%s", (_label, request, allowed, policy) => {
    const decision = evaluateAuthzPolicies(all, request);
    expect(decision.allowed).toBe(allowed);
    expect(decision.policy).toBe(policy);
  });

  it("allows everything when no ALLOW policy exists, unless a DENY matches", () => {
    expect(evaluateAuthzPolicies([denyAgentAdmin], { verified: false, host: "a.example" })).toEqual({
      allowed: true,
      reason: "no ALLOW policy targets the proxy",
    });
    expect(
      evaluateAuthzPolicies([denyAgentAdmin], { identity: agent, verified: true, host: "admin.api.example" }).allowed,
    ).toBe(false);
  });

  it("refuses what it does not emulate instead of guessing", () => {
    expect(() =>
      evaluateAuthzPolicies([{ name: "c", inputs: { action: "CUSTOM" } }], { verified: true, host: "a" }),
    ).toThrow("AuthzPolicy c: CUSTOM policies are not emulated");
    const withWhen = { name: "w", inputs: { action: "ALLOW", httpRules: [{ when: "request.time > 0" }] } };
    expect(() => evaluateAuthzPolicies([withWhen], { verified: true, host: "a" })).toThrow(
      "`when` (CEL) conditions are not emulated",
    );
  });
});
