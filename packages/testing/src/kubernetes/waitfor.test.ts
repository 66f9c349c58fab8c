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

  it("compares the first match only, as pulumi-kubernetes does: a [*] over two ancestors misses a failing second", () => {
    const two = {
      status: {
        ancestors: [
          {
            ancestorRef: { name: "global-gw", namespace: "a" },
            conditions: [{ type: "ResolvedRefs", status: "True" }],
          },
          {
            ancestorRef: { name: "regional-gw", namespace: "a" },
            conditions: [{ type: "ResolvedRefs", status: "False" }],
          },
        ],
      },
    };
    expect(
      evaluateWaitFor('jsonpath={.status.ancestors[*].conditions[?(@.type=="ResolvedRefs")].status}=True', two)
        .satisfied,
    ).toBe(true);
    const named = (name: string) =>
      `jsonpath={.status.ancestors[?(@.ancestorRef.name=="${name}" && @.ancestorRef.namespace=="a")].conditions[?(@.type=="ResolvedRefs")].status}=True`;
    expect(evaluateWaitFor(named("global-gw"), two).satisfied).toBe(true);
    expect(evaluateWaitFor(named("regional-gw"), two).satisfied).toBe(false);
    expect(() => evaluateWaitFor("jsonpath={.status.ancestors[0]}=True", two)).toThrow("has a non-primitive value");
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
