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

/** The message `fn` throws, or undefined. */
function thrown(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

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
    // Updated: this used to expect `.a..b` to throw "unsupported JSONPath", but `..` is RFC 9535's descendant segment
    // and theory/jsonpath (pulumi-kubernetes >= 4.24.0) accepts it; `.items[]` is what the provider rejects.
    expect(queryJsonPath({ a: { x: { b: 1 }, b: 2 } }, ".a..b")).toEqual([2, 1]);
    expect(() => queryJsonPath({}, ".items[]")).toThrow("jsonpath: unexpected ']' at position 9");
  });
});

// The shapes that the library components build (backend-tls-policy, gateway-frontend-mtls).
const ACCEPTED_BY_EDGE =
  'jsonpath={.status.ancestors[?(@.ancestorRef.name=="edge" && (@.ancestorRef.namespace=="payments" || !@.ancestorRef.namespace))].conditions[?(@.type=="Accepted")].status}=True';
const RESOLVED_BY_EDGE =
  'jsonpath={.status.ancestors[?(@.ancestorRef.name=="edge" && (@.ancestorRef.namespace=="payments" || !@.ancestorRef.namespace))].conditions[?(@.type=="ResolvedRefs")].status}=True';
const LISTENER_RESOLVED =
  'jsonpath={.status.listeners[?(@.name=="store-https")].conditions[?(@.type=="ResolvedRefs")].status}=True';

type Ref = { name: string; namespace?: string | null };
const ancestor = (ref: Ref, accepted: string, resolved = "True") => ({
  ancestorRef: { group: "gateway.networking.k8s.io", kind: "Gateway", ...ref },
  controllerName: "networking.gke.io/gateway",
  conditions: [
    { type: "Accepted", status: accepted },
    { type: "ResolvedRefs", status: resolved },
  ],
});
const ancestors = (...a: ReturnType<typeof ancestor>[]) => ({ status: { ancestors: a } });
const listeners = (...l: { name: string; resolved: string }[]) => ({
  status: {
    listeners: l.map(({ name, resolved }) => ({
      name,
      conditions: [
        { type: "Accepted", status: "True" },
        { type: "ResolvedRefs", status: resolved },
      ],
    })),
  },
});

describe("the library's annotations", () => {
  it.each<[string, string, unknown, boolean, unknown[]]>([
    [
      "edge in payments",
      ACCEPTED_BY_EDGE,
      ancestors(ancestor({ name: "edge", namespace: "payments" }, "True")),
      true,
      ["True"],
    ],
    [
      "edge without a namespace (it defaults to the policy's)",
      ACCEPTED_BY_EDGE,
      ancestors(ancestor({ name: "edge" }, "True")),
      true,
      ["True"],
    ],
    [
      "edge without a namespace, not accepted",
      ACCEPTED_BY_EDGE,
      ancestors(ancestor({ name: "edge" }, "False")),
      false,
      ["False"],
    ],
    [
      "an edge in another namespace is skipped, and so is another Gateway in payments",
      ACCEPTED_BY_EDGE,
      ancestors(
        ancestor({ name: "edge", namespace: "other" }, "False"),
        ancestor({ name: "other", namespace: "payments" }, "False"),
        ancestor({ name: "edge" }, "True"),
      ),
      true,
      ["True"],
    ],
    [
      "the first matching ancestor decides",
      ACCEPTED_BY_EDGE,
      ancestors(ancestor({ name: "edge" }, "False"), ancestor({ name: "edge", namespace: "payments" }, "True")),
      false,
      ["False", "True"],
    ],
    [
      "a null namespace exists, so it is neither payments nor absent",
      ACCEPTED_BY_EDGE,
      ancestors(ancestor({ name: "edge", namespace: null }, "True")),
      false,
      [],
    ],
    [
      "only another namespace",
      ACCEPTED_BY_EDGE,
      ancestors(ancestor({ name: "edge", namespace: "x" }, "True")),
      false,
      [],
    ],
    ["no status yet", ACCEPTED_BY_EDGE, {}, false, []],
    [
      "ResolvedRefs of edge without a namespace",
      RESOLVED_BY_EDGE,
      ancestors(ancestor({ name: "edge" }, "True", "False")),
      false,
      ["False"],
    ],
    [
      "the listener resolved its refs",
      LISTENER_RESOLVED,
      listeners({ name: "foo-https", resolved: "False" }, { name: "store-https", resolved: "True" }),
      true,
      ["True"],
    ],
    [
      "the listener did not resolve its refs",
      LISTENER_RESOLVED,
      listeners({ name: "store-https", resolved: "False" }, { name: "foo-https", resolved: "True" }),
      false,
      ["False"],
    ],
    ["no such listener", LISTENER_RESOLVED, listeners({ name: "foo-https", resolved: "True" }), false, []],
  ])("%s", (_name, annotation, object, satisfied, found) => {
    const result = evaluateWaitFor(annotation, object);
    expect(result.satisfied).toBe(satisfied);
    expect(result.checks.map((c) => c.found)).toEqual([found]);
  });

  it("checks the ancestor and the listener together", () => {
    const annotation = JSON.stringify([ACCEPTED_BY_EDGE, RESOLVED_BY_EDGE, LISTENER_RESOLVED]);
    const object = {
      status: {
        ...ancestors(ancestor({ name: "edge" }, "True", "True")).status,
        ...listeners({ name: "store-https", resolved: "True" }).status,
      },
    };
    expect(evaluateWaitFor(annotation, object)).toEqual({
      satisfied: true,
      checks: [
        { expression: ACCEPTED_BY_EDGE, satisfied: true, found: ["True"] },
        { expression: RESOLVED_BY_EDGE, satisfied: true, found: ["True"] },
        { expression: LISTENER_RESOLVED, satisfied: true, found: ["True"] },
      ],
    });
  });
});

describe("jsonpath=", () => {
  const object = {
    metadata: { name: "x" },
    status: {
      phase: "Running",
      replicas: 2,
      ratio: 2.5,
      big: 1234567.5,
      small: 0.00001,
      none: null,
      ready: true,
      list: ["a", "b"],
      text: "a=b",
      empty: "",
      conditions: [
        { type: "Ready", status: "True" },
        { type: "Failed", status: "False" },
      ],
    },
  };

  it.each<[string, boolean, unknown[]]>([
    ["jsonpath={.status.phase}=Running", true, ["Running"]],
    ["jsonpath={.status.phase}=running", false, ["Running"]], // exact, case-sensitive
    ["jsonpath={.status.phase}", true, ["Running"]], // no value: any result
    ["jsonpath={.status.missing}", false, []],
    ["jsonpath={.status.list}", true, [["a", "b"]]], // no value: a non-primitive is fine
    ["jsonpath={.status.list[*]}=a", true, ["a", "b"]], // the first result only
    ["jsonpath={.status.list[*]}=b", false, ["a", "b"]],
    ["jsonpath={.status.list[-1]}=b", true, ["b"]],
    ["jsonpath={.status.replicas}=2", true, [2]],
    ["jsonpath={.status.ratio}=2.5", true, [2.5]],
    // fmt.Sprint of a float64 switches to exponent form from 1e6 (and below 1e-4); null prints as <nil>.
    ["jsonpath={.status.big}=1.2345675e+06", true, [1234567.5]],
    ["jsonpath={.status.big}=1234567.5", false, [1234567.5]],
    ["jsonpath={.status.small}=1e-05", true, [0.00001]],
    ["jsonpath={.status.none}=<nil>", true, [null]],
    ["jsonpath={.status.none}=null", false, [null]],
    ["jsonpath={.status.none}", true, [null]],
    ["jsonpath={.status.ready}=true", true, [true]],
    ["jsonpath={.status.ready}=True", false, [true]],
    ["jsonpath={.status.empty}", true, [""]],
    ["jsonpath={.status.text}=a==b", false, ["a=b"]], // "==" is not a split point and stays in the value
    ["jsonpath={$.status.phase}=Running", true, ["Running"]],
    ["jsonpath={ .status.phase }=Running", true, ["Running"]],
    ["jsonpath={}", true, [object]], // `$` alone: the object itself
    ["jsonpath=x{.status.phase}y=Running", true, ["Running"]], // the {...} is searched for, not anchored
    ["jsonpath={.status.phase}{.metadata.name}=Running", true, ["Running"]], // the first {...} only
    ['jsonpath={.status.conditions[?(@.type=="Failed"||@.type=="Ready")].status}=True', true, ["True", "False"]],
    ["jsonpath={.status.conditions[?@.type == 'Failed'].status}=False", true, ["False"]],
    ["jsonpath={.status.conditions[?(@.type=='Missing')].status}=True", false, []],
    ["jsonpath={.status[?@ == 'Running' || @ == 'Succeeded' ]}", true, ["Running"]], // from the 4.24.0 CHANGELOG
    ["jsonpath={.status..status}=True", true, ["True", "False"]],
  ])("%s → %s", (annotation, satisfied, found) => {
    const result = evaluateWaitFor(annotation, object);
    expect(result.satisfied).toBe(satisfied);
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]!.found).toEqual(found);
  });

  it.each<[string, string]>([
    ["jsonpath={.status.list}=a", '"{.status.list}" has a non-primitive value ([a b])'],
    [
      "jsonpath={.status.conditions[0]}=True",
      '"{.status.conditions[0]}" has a non-primitive value (map[status:True type:Ready])',
    ],
    ["jsonpath={.status.phase}=", "{.status.phase}= requires a value"],
    ["jsonpath={.status.text}=a=b", 'format should be {.path}=value or {.path}, got "{.status.text}=a=b"'],
    // Every bare "=" splits, also inside the braces: `!=`, `<=` and `>=` cannot be used in an annotation.
    [
      'jsonpath={.status.conditions[?(@.type!="Ready")].status}=True',
      'format should be {.path}=value or {.path}, got "{.status.conditions[?(@.type!=\\"Ready\\")].status}=True"',
    ],
    [
      'jsonpath={.status.conditions[?(@.type!="Ready")].status}',
      "{.status.conditions[?(@.type! should be wrapped in brackets { ... }",
    ],
    ["jsonpath={.status.replicas[?(@>=2)]}", "{.status.replicas[?(@> should be wrapped in brackets { ... }"],
    ["jsonpath='{.status.phase}'=Running", "'{.status.phase}' should omit shell quotes"],
    ["jsonpath=.status.phase", ".status.phase should be wrapped in brackets { ... }"],
    ["jsonpath=", " should be wrapped in brackets { ... }"],
    ["jsonpath={.status.phase", "{.status.phase should be wrapped in brackets { ... }"],
    ["jsonpath={status.phase}", 'parsing "{status.phase}": jsonpath: unexpected identifier at position 1'],
    ["jsonpath={.status.conditions[]}", "parsing \"{.status.conditions[]}\": jsonpath: unexpected ']' at position 21"],
    ["jsonpath={.a-b}", 'parsing "{.a-b}": jsonpath: invalid number literal at position 4'],
    ["jsonpath={.1a}", 'parsing "{.1a}": jsonpath: unexpected integer at position 3'],
    ["jsonpath={.status[?(@.x=='a')}", "parsing \"{.status[?(@.x=='a')}\": jsonpath: unexpected eof at position 21"],
    [
      "jsonpath={.status[?(@.x=='a'}]",
      "parsing \"{.status[?(@.x=='a'}]\": jsonpath: expected ')' but found eof at position 20",
    ],
    // The bare "=" of a typo splits too, before the JSONPath parser can report it.
    ["jsonpath={.status.phase[?@ = 'x']}", "{.status.phase[?@  should be wrapped in brackets { ... }"],
  ])("%s throws %s", (annotation, message) => {
    expect(thrown(() => evaluateWaitFor(annotation, object))).toBe(message);
  });

  it("is not satisfied while status.observedGeneration lags metadata.generation (condition/jsonpath.go)", () => {
    const at = (observed: unknown) => ({
      metadata: { generation: 2 },
      status: { observedGeneration: observed, phase: "Running" },
    });
    expect(evaluateWaitFor("jsonpath={.status.phase}=Running", at(1))).toEqual({
      satisfied: false,
      checks: [
        {
          expression: "jsonpath={.status.phase}=Running",
          satisfied: false,
          found: [],
          message: "status.observedGeneration 1 is less than metadata.generation 2",
        },
      ],
    });
    expect(evaluateWaitFor("jsonpath={.status.phase}=Running", at(2)).satisfied).toBe(true);
    expect(evaluateWaitFor("jsonpath={.status.phase}=Running", at(3)).satisfied).toBe(true);
    // Only an int64 counts: a float or a string is "not found", and so is a missing field.
    expect(evaluateWaitFor("jsonpath={.status.phase}=Running", at(1.5)).satisfied).toBe(true);
    expect(evaluateWaitFor("jsonpath={.status.phase}=Running", at("1")).satisfied).toBe(true);
    expect(
      evaluateWaitFor("jsonpath={.status.phase}=Running", { status: { observedGeneration: 1, phase: "Running" } })
        .satisfied,
    ).toBe(true);
    // While stale, a check that would fail is not evaluated either.
    expect(evaluateWaitFor("jsonpath={.status}=x", at(1)).satisfied).toBe(false);
  });
});

describe("condition=", () => {
  const object = {
    status: {
      conditions: [
        { type: "Ready", status: "True" },
        { type: "ready", status: "False" }, // never reached: the first Ready (case-insensitively) decides
        { type: "Programmed", status: "False" },
        { type: "Accepted", status: "true" },
        { type: "Odd", status: 1 }, // a non-string status is skipped
        { type: "Odd", status: "Yes" },
        { type: 5, status: "True" },
      ],
    },
  };

  it.each<[string, boolean, unknown[]]>([
    ["condition=Ready", true, ["True"]],
    ["condition=ready", true, ["True"]],
    ["condition=READY=true", true, ["True"]],
    ["condition=Ready=False", false, ["True"]],
    ["condition=Ready=", false, ["True"]], // the status is "" and compares as such
    ["condition=Programmed", false, ["False"]],
    ["condition=Programmed=false", true, ["False"]],
    ["condition=Accepted", true, ["true"]],
    ["condition=Odd=Yes", true, ["Yes"]],
    ["condition=Missing", false, []],
    ["condition=Ready=True=x", false, ["True"]], // the status is everything after the first "=": "True=x"
  ])("%s → %s", (annotation, satisfied, found) => {
    const result = evaluateWaitFor(annotation, object);
    expect(result.satisfied).toBe(satisfied);
    expect(result.checks[0]!.found).toEqual(found);
  });

  it.each<[string, unknown, boolean]>([
    ["no status", {}, false],
    ["status: null", { status: null }, false],
    ["no conditions", { status: {} }, false],
  ])("%s is not satisfied", (_name, object, satisfied) => {
    expect(evaluateWaitFor("condition=Ready", object).satisfied).toBe(satisfied);
  });

  it.each<[string, unknown, string]>([
    [
      "conditions: null",
      { status: { conditions: null } },
      ".status.conditions accessor error: <nil> is of the type <nil>, expected []interface{}",
    ],
    [
      "conditions not a list",
      { status: { conditions: "x" } },
      ".status.conditions accessor error: x is of the type string, expected []interface{}",
    ],
    [
      "status not an object",
      { status: "x" },
      ".status.conditions accessor error: x is of the type string, expected map[string]interface{}",
    ],
    [
      "a condition that is not an object (kubectl.go panics)",
      { status: { conditions: [1, { type: "Ready", status: "True" }] } },
      "panic: interface conversion: interface {} is int64, not map[string]interface {}",
    ],
  ])("%s throws", (_name, object, message) => {
    expect(thrown(() => evaluateWaitFor("condition=Ready", object))).toBe(message);
  });

  it("does not reach a malformed condition after the deciding one", () => {
    expect(
      evaluateWaitFor("condition=Ready", { status: { conditions: [{ type: "Ready", status: "True" }, 1] } }).satisfied,
    ).toBe(true);
  });

  it("is not satisfied while the condition's observedGeneration, or else status.observedGeneration, lags metadata.generation (kubectl.go)", () => {
    const gen = (generation: unknown, statusObserved: unknown, conditionObserved: unknown) => ({
      metadata: { generation },
      status: {
        observedGeneration: statusObserved,
        conditions: [{ type: "Ready", status: "True", observedGeneration: conditionObserved }],
      },
    });
    const table: [unknown, unknown, unknown, boolean][] = [
      [2, undefined, 1, false], // the condition's own observedGeneration is stale
      [2, undefined, 2, true],
      [2, undefined, 3, true],
      [2, 1, undefined, false], // no observedGeneration on the condition: status.observedGeneration decides
      [2, 1, 2, true], // the condition's own wins over status.observedGeneration
      [2, 3, 1, false],
      [2, 1, 1.5, false], // a float is not an int64: status.observedGeneration is used
      [2, undefined, 1.5, true],
      ["2", 1, 1, true], // metadata.generation not an int64: no generation check at all
      [undefined, 1, 1, true],
    ];
    for (const [generation, statusObserved, conditionObserved, satisfied] of table) {
      expect([
        generation,
        statusObserved,
        conditionObserved,
        evaluateWaitFor("condition=Ready", gen(generation, statusObserved, conditionObserved)).satisfied,
      ]).toEqual([generation, statusObserved, conditionObserved, satisfied]);
    }
    expect(evaluateWaitFor("condition=Ready", gen(2, undefined, 1)).checks[0]!.message).toBe(
      "Generation 1 is less than expected 2",
    );
  });
});

describe("the annotation", () => {
  const object = { status: { phase: "Running", list: [1], conditions: [{ type: "Ready", status: "True" }] } };

  it("is empty: no waitFor, ready at once (overrides.go)", () => {
    expect(evaluateWaitFor("", object)).toEqual({ satisfied: true, checks: [] });
  });

  it.each<[string, string]>([
    ["Condition=Ready", 'expected a "jsonpath=" or "condition=" prefix, got "Condition=Ready"'],
    ["wait=Ready", 'expected a "jsonpath=" or "condition=" prefix, got "wait=Ready"'],
    [" condition=Ready", 'expected a "jsonpath=" or "condition=" prefix, got " condition=Ready"'],
    ["{.status.phase}", 'expected a "jsonpath=" or "condition=" prefix, got "{.status.phase}"'],
    ['"condition=Ready"', 'expected a "jsonpath=" or "condition=" prefix, got "\\"condition=Ready\\""'],
    ["[]", "at least one condition must be specified"],
    ["null", "at least one condition must be specified"],
    // json.Unmarshal leaves "" for a null or mistyped element.
    ['["condition=Ready", null]', 'expected a "jsonpath=" or "condition=" prefix, got ""'],
    ['["condition=Ready", 1]', 'expected a "jsonpath=" or "condition=" prefix, got ""'],
    ['["condition=Ready", "jsonpath={.a-b}"]', 'parsing "{.a-b}": jsonpath: invalid number literal at position 4'],
  ])("%s throws %s", (annotation, message) => {
    expect(thrown(() => evaluateWaitFor(annotation, object))).toBe(message);
  });

  it("is parsed whole before any check runs", () => {
    expect(thrown(() => evaluateWaitFor(JSON.stringify(["condition=Missing", "jsonpath={.x"]), object))).toBe(
      "{.x should be wrapped in brackets { ... }",
    );
  });

  it("fails at a check the provider reaches, and only reports one behind an unsatisfied check (all.go)", () => {
    const reached = JSON.stringify(["jsonpath={.status.phase}=Running", "jsonpath={.status.list}=1"]);
    expect(thrown(() => evaluateWaitFor(reached, object))).toBe('"{.status.list}" has a non-primitive value ([1])');
    const behind = JSON.stringify(["jsonpath={.status.phase}=Pending", "jsonpath={.status.list}=1"]);
    expect(evaluateWaitFor(behind, object)).toEqual({
      satisfied: false,
      checks: [
        {
          expression: "jsonpath={.status.phase}=Pending",
          satisfied: false,
          found: ["Running"],
          message: 'waiting for {.status.phase}=Pending (found "Running")',
        },
        {
          expression: "jsonpath={.status.list}=1",
          satisfied: false,
          found: [[1]],
          error: '"{.status.list}" has a non-primitive value ([1])',
        },
      ],
    });
  });

  it("accepts blank space around the JSON array", () => {
    expect(evaluateWaitFor(' [ "condition=Ready" ] ', object).satisfied).toBe(true);
  });
});

describe("queryJsonPath (RFC 9535, as theory/jsonpath v0.9.0 implements it)", () => {
  const doc = {
    a: [
      { x: 1, y: "a", tags: ["p", "q"] },
      { x: 2, y: "b" },
      { x: 3 },
      { y: null },
      { x: true },
      { x: "1" },
      { x: [1] },
    ],
    b: { c: { d: [0, { e: 5 }] } },
    "k-1": 7,
    "": "empty",
  };
  const A = doc.a;

  it.each<[string, unknown[]]>([
    // root, child segments, names
    ["$", [doc]],
    ["", [doc]], // kubectl style: "$" is prepended
    [".b.c.d[1].e", [5]],
    ["$['b'][\"c\"]", [doc.b.c]],
    ["$['k-1']", [7]],
    ["$['']", ["empty"]],
    ["$['\\u006b-1']", [7]],
    ["$.a[0].z", []],
    ["$.b.c.d.e", []],
    ["$.constructor", []], // own members only
    ["$ .b [ 'c' ] .d[0]", [0]], // blank space between segments and inside brackets
    // indexes, wildcards, unions, slices
    ["$.a[1].x", [2]],
    ["$.a[-1].x", [[1]]],
    ["$.a[-8]", []],
    ["$.a[7]", []],
    ["$.a[*].y", ["a", "b", null]],
    ["$.a.*.x", [1, 2, 3, true, "1", [1]]],
    ["$.b.*", [doc.b.c]],
    ["$.a[0,1].x", [1, 2]],
    ["$.a[0]['x','y']", [1, "a"]],
    ["$.a[:2].x", [1, 2]],
    ["$.a[5:].x", ["1", [1]]],
    ["$.a[::3].x", [1, [1]]],
    ["$.a[::-3].x", [[1], 1]],
    ["$.a[1:2:0]", []],
    // descendants
    ["$..e", [5]],
    ["$.b..[0]", [0]],
    // Object members come in key order here; Go walks maps in random order, so upstream the order varies.
    ["$.a[0]..*", [1, "a", ["p", "q"], "p", "q"]],
    // filters: comparisons with literals
    ["$.a[?@.x == 1].y", ["a"]],
    ["$.a[?(@.x == 1)].y", ["a"]],
    ["$.a[?@.x == '1']", [A[5]]],
    ['$.a[?@.x == "1"]', [A[5]]],
    ["$.a[?@.x == true]", [A[4]]],
    ["$.a[?@.y == null]", [A[3]]],
    ["$.a[?@.x != 1].x", [2, 3, true, "1", [1]]], // a missing x is Nothing, which != 1
    ["$.a[?@.y != 'a'].x", [2, 3, true, "1", [1]]],
    ["$.a[?@.x > 1].x", [2, 3]],
    ["$.a[?@.x >= 2].x", [2, 3]],
    ["$.a[?@.x < 2].x", [1]],
    ["$.a[?@.x <= 2].x", [1, 2]],
    ["$.a[?@.y > 'a'].y", ["b"]],
    ["$.a[?1 < @.x].x", [2, 3]],
    ["$.a[?@.x == 1.0].y", ["a"]],
    ["$.a[?@.x == 1e0].y", ["a"]],
    // missing values are Nothing (RFC 9535 §2.3.5.2)
    ["$.a[?@.z == 'a']", []],
    ["$.a[?@.z != 'a'].y", ["a", "b", null]],
    ["$.a[?@.z == @.w].y", ["a", "b", null]], // Nothing == Nothing
    ["$.a[?@.x == @.x].y", ["a", "b", null]], // the one with y: null has no x: Nothing == Nothing
    ["$.a[?@.x == $.b.c.d[1].e]", []],
    ["$.a[?@.x == $.a[0].x].y", ["a"]],
    // existence
    ["$.a[?@.y].x", [1, 2]],
    ["$.a[?!@.y].x", [3, true, "1", [1]]],
    ["$.a[?@.tags[1]].x", [1]],
    ["$.a[?@.tags[*]].x", [1]], // a non-singular query as an existence test
    ["$.a[?$.b].x", [1, 2, 3, true, "1", [1]]],
    ["$.a[?$.nope]", []],
    // logic and precedence: || lowest, then &&, then !
    ["$.a[?@.x == 1 || @.x == 2 && @.y == 'b'].x", [1, 2]],
    ["$.a[?@.x == 1 || @.x == 2 && @.y == 'a'].x", [1]],
    ["$.a[?(@.x == 1 || @.x == 2) && @.y == 'b'].x", [2]],
    ["$.a[?!(@.x == 1 || @.y)].x", [3, true, "1", [1]]],
    ["$.a[?!@.y && @.x].x", [3, true, "1", [1]]],
    ["$.a[?@.x && !@.y || @.y == 'a'].x", [1, 3, true, "1", [1]]],
    ['$.a[?(@.x=="1"||@.x==3)].x', [3, "1"]],
    ["$.a[?((@.x == 1))].y", ["a"]],
    // function extensions
    ["$.a[?length(@.y) == 1].y", ["a", "b"]],
    ["$.a[?length(@.tags) == 2].x", [1]],
    ["$.a[?count(@.*) == 2].x", [2]],
    ["$.a[?value(@.tags[0]) == 'p'].x", [1]],
    ["$.a[?@.y && match(@.y, '[a-c]')].y", ["a", "b"]],
    ["$.a[?@.y && search(@.y, 'b')].y", ["b"]],
  ])("%s", (path, expected) => {
    expect(queryJsonPath(doc, path)).toEqual(expected);
  });

  it.each<[string, string]>([
    ["$.a-b", "invalid number literal at position 4"],
    ["$.1a", "unexpected integer at position 3"],
    ["$.a.", "unexpected eof at position 5"],
    ["$.items[]", "unexpected ']' at position 9"],
    ["$status", "unexpected identifier at position 1"],
    ["@.a", "unexpected '@' at position 2"], // "$" is prepended: "$@.a"
    ["$[01]", "invalid number literal at position 3"],
    ["$[-0]", 'invalid integer path value "-0" at position 3'],
    ["$[1.5]", "unexpected number at position 3"],
    ["$[9007199254740992]", 'cannot parse "9007199254740992", value out of range at position 3'],
    ["$['a]", "unterminated string literal at position 6"],
    ["$['\\x']", "invalid escape after backslash at position 5"],
    ["$[?@.x = 1]", "invalid comparison operator at position 8"],
    ["$[?@.x == [1]]", "unexpected '[' at position 11"],
    ["$[?@.x[*] == 1]", "unexpected '=' at position 11"], // a non-singular query cannot be compared
    ["$[?@.x == 1 & @.y]", "expected '&' but found blank space at position 14"],
    ["$[?(@.x == 1]", "expected ')' but found ']' at position 13"],
    ["$[?!@.x == 1]", "unexpected '=' at position 9"], // `!` applies to existence tests only
    ["$[?length(@.*) == 1]", "function length() cannot convert argument to Value at position 10"],
    ["$[?count(1) == 1]", "function count() cannot convert argument to Nodes at position 9"],
    ["$[?length(@.x)]", "missing comparison to function result at position 15"],
    ["$[?match(@.x, 'a') == true]", "unexpected '=' at position 20"],
    ["$[?nope(@.x)]", "unknown function nope() at position 4"],
    ["$[?@.x == 1e400]", 'cannot parse "1e400", value out of range at position 11'],
  ])("%s is rejected: %s", (path, message) => {
    expect(thrown(() => queryJsonPath(doc, path))).toBe(
      `invalid JSONPath ${JSON.stringify(path)}: jsonpath: ${message}`,
    );
  });

  it("accepts non-ASCII names in shorthand, and rejects '-' in them", () => {
    expect(queryJsonPath({ é: { _a1: 1 } }, "$.é._a1")).toEqual([1]);
    expect(queryJsonPath({ "𝄞": 2 }, "$['\\uD834\\uDD1E']")).toEqual([2]);
    expect(thrown(() => queryJsonPath({}, "$.a-"))).toBe(
      'invalid JSONPath "$.a-": jsonpath: invalid number literal at position 4',
    );
  });

  it("compares strings by code point, not UTF-16 unit", () => {
    expect(queryJsonPath(["\uffff", "𝄞"], "$[?@ > '\uffff']")).toEqual(["𝄞"]);
  });
});

describe("theory/jsonpath v0.9.0 behaviour that the provider has and RFC 9535 does not", () => {
  const doc = [
    { x: 1, y: "a", flag: true },
    { x: 2, y: "b", flag: false },
  ];

  it("leaves blank space after the second and later operands of && unconsumed (fixed in theory/jsonpath v0.10.2, #24)", () => {
    const table: [string, string | undefined][] = [
      ["$[?@.x == 1 && @.y == 'a' && @.flag == true].x", "unexpected '&' at position 27"],
      ["$[?@.x == 1 && @.y == 'a'&& @.flag == true].x", undefined],
      ["$[?(@.x) && (@.y) && @.flag].x", "unexpected '&' at position 19"],
      ["$[?@.x && @.y && @.flag].x", undefined], // a singular existence test consumes its own blank space
      ["$[?(@.x == 1 && @.y == 'a' && @.flag )].x", "expected ')' but found '&' at position 28"],
      ["$[?(@.x == 2 || @.y == 'a' && @.flag == true )].x", "expected ')' but found blank space at position 45"],
      ["$[?@.x == 2 || @.y == 'a' && @.flag == true || @.z].x", "unexpected '|' at position 45"],
      // What still works: the first alternative's trailing blank space is consumed, and so is that before `]`.
      ["$[?(@.x == 1 && @.y == 'a' )].x", undefined],
      ["$[?@.x == 1 && @.y == 'a' || @.x == 2].x", undefined],
      ["$[?@.x == 2 || @.y == 'a' && @.flag == true ].x", undefined],
    ];
    for (const [path, error] of table) {
      const message = thrown(() => queryJsonPath(doc, path));
      expect([path, message]).toEqual([path, error && `invalid JSONPath ${JSON.stringify(path)}: jsonpath: ${error}`]);
    }
    expect(queryJsonPath(doc, "$[?@.x == 1 && @.y == 'a'&& @.flag == true].x")).toEqual([1]);
    // The library's forms parse, also with blank space before the closing parenthesis.
    const form = (ns: string) =>
      `jsonpath={.status.ancestors[?(@.ancestorRef.name=="edge" && ${ns})].conditions[?(@.type=="Accepted")].status}=True`;
    const object = ancestors(ancestor({ name: "edge", namespace: "payments" }, "True"));
    expect(evaluateWaitFor(form('@.ancestorRef.namespace=="payments" '), object).satisfied).toBe(true);
    expect(
      evaluateWaitFor(form('(@.ancestorRef.namespace=="payments" || !@.ancestorRef.namespace) '), object).satisfied,
    ).toBe(true);
    // A third operand with blank space before its && would not.
    expect(thrown(() => evaluateWaitFor(form('@.ancestorRef.namespace=="payments" && @.conditions'), object))).toMatch(
      /^parsing ".*": jsonpath: expected '\)' but found '&' at position 88$/,
    );
  });

  it("rejects true, false and null as shorthand names (fixed in v0.10.1)", () => {
    expect(thrown(() => queryJsonPath({ true: 1 }, "$.true"))).toBe(
      "invalid JSONPath \"$.true\": jsonpath: unexpected '\uFFFD' at position 3",
    );
    expect(queryJsonPath({ true: 1 }, "$['true']")).toEqual([1]);
  });

  it("orders booleans, arrays and objects: > means 'not < and not ==', >= means 'not <'", () => {
    expect(queryJsonPath(doc, "$[?@.flag > false].x")).toEqual([1]);
    expect(queryJsonPath(doc, "$[?@.flag >= true].x")).toEqual([1, 2]);
    expect(queryJsonPath(doc, "$[?@.flag < true].x")).toEqual([]);
  });

  it("needs both sides of an ordering to exist, even for <= and >=", () => {
    expect(queryJsonPath(doc, "$[?@.z <= @.w].x")).toEqual([]);
    expect(queryJsonPath(doc, "$[?@.z == @.w].x")).toEqual([1, 2]);
  });

  it("anchors match() by concatenation, so an alternation is anchored at one end only", () => {
    expect(queryJsonPath(["ax", "ya", "x"], "$[?match(@, 'a|x')]")).toEqual(["ax", "x"]);
    expect(queryJsonPath(["ax", "ya", "x"], "$[?match(@, '(?:a|x)')]")).toEqual(["x"]);
    expect(queryJsonPath(["a\nb", "a-b"], "$[?match(@, 'a.b')]")).toEqual(["a-b"]); // `.` never matches \n or \r
  });

  it("panics when match() or search() gets a missing value", () => {
    expect(thrown(() => queryJsonPath(doc, "$[?match(@.z, 'a')]"))).toMatch(
      /^panic: runtime error: invalid memory address or nil pointer dereference/,
    );
    expect(thrown(() => evaluateWaitFor("jsonpath={[?search(@.z, 'a')]}", { z: 1 }))).toMatch(/^panic: runtime error/);
  });

  it("lets a later slice bound overwrite the current one", () => {
    expect(queryJsonPath([0, 1, 2, 3, 4], "$[1:2 3]")).toEqual([1, 2]);
  });
});
