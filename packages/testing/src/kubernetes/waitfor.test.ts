import { evaluateWaitFor, queryJsonPath } from "./waitfor";

const gateway = (programmed: string) => ({
  status: {
    conditions: [
      { type: "Accepted", status: "True" },
      { type: "Programmed", status: programmed, reason: "Invalid" },
    ],
  },
});
const policy = (accepted: string, resolved: string) => ({
  status: {
    ancestors: [
      {
        ancestorRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" },
        controllerName: "networking.gke.io/gateway",
        conditions: [
          { type: "Accepted", status: accepted, reason: "Accepted" },
          {
            type: "ResolvedRefs",
            status: resolved,
            reason: resolved === "True" ? "ResolvedRefs" : "InvalidCACertificateRef",
          },
        ],
      },
    ],
  },
});

describe("evaluateWaitFor", () => {
  it("condition=Type waits for status True", () => {
    expect(evaluateWaitFor("condition=Programmed", gateway("True")).satisfied).toBe(true);
    expect(evaluateWaitFor("condition=Programmed", gateway("False")).satisfied).toBe(false);
    expect(evaluateWaitFor("condition=Programmed", { status: {} }).satisfied).toBe(false);
  });

  it("a JSON array of jsonpath checks must all hold", () => {
    const annotation = JSON.stringify([
      'jsonpath={.status.ancestors[*].conditions[?(@.type=="Accepted")].status}=True',
      'jsonpath={.status.ancestors[*].conditions[?(@.type=="ResolvedRefs")].status}=True',
    ]);
    expect(evaluateWaitFor(annotation, policy("True", "True")).satisfied).toBe(true);
    const broken = evaluateWaitFor(annotation, policy("True", "False"));
    expect(broken.satisfied).toBe(false);
    expect(broken.checks.map((c) => c.satisfied)).toEqual([true, false]);
    expect(evaluateWaitFor(annotation, { status: { ancestors: [] } }).satisfied).toBe(false);
  });

  it("queries like kubectl's JSONPath", () => {
    expect(queryJsonPath(policy("True", "False"), ".status.ancestors[0].conditions[*].type")).toEqual([
      "Accepted",
      "ResolvedRefs",
    ]);
    expect(queryJsonPath({ metadata: { annotations: { "a.b/c": "x" } } }, ".metadata.annotations['a.b/c']")).toEqual([
      "x",
    ]);
    expect(() => queryJsonPath({}, ".a..b")).toThrow("unsupported JSONPath");
  });
});
