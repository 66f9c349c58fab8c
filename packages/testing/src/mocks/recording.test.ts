import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { awaitOutput, printTree } from "../helpers";
import { setupMocks, type MockEnvironment } from "./recording";

class Box extends pulumi.ComponentResource {
  readonly key: tls.PrivateKey;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    this.key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
    this.registerOutputs({ publicKeyPem: this.key.publicKeyPem });
  }
}

let env: MockEnvironment;
beforeAll(async () => {
  env = await setupMocks({
    project: "proj",
    stack: "dev",
    config: { "gcp:project": "from-config" },
    invokes: { "test:index:echo": (inputs) => ({ echoed: inputs.value }) },
  });
});

describe("recording mocks", () => {
  it("records type, name, parent and a URN carrying the parent type chain", async () => {
    const outer = new Box("outer");
    const inner = new Box("inner", { parent: outer });
    await awaitOutput(inner.key.publicKeyPem);
    const r = env.byName("inner-key");
    expect(r.type).toBe("tls:index/privateKey:PrivateKey");
    expect(r.parent).toBe(env.byName("inner").urn);
    expect(r.urn).toBe("urn:pulumi:dev::proj::test:index:Box$tls:index/privateKey:PrivateKey::inner-key");
    expect(env.byName("inner").parent).toBe(env.byName("outer").urn);
    expect(
      env
        .children(env.byName("outer").urn)
        .map((c) => c.name)
        .sort(),
    ).toEqual(["inner", "outer-key"]);
    expect(printTree(env)).toContain(
      [
        "+ test:index:Box outer",
        "    + test:index:Box inner",
        '        + tls:index:PrivateKey inner-key  algorithm="ECDSA" ecdsaCurve="P256"',
        '    + tls:index:PrivateKey outer-key  algorithm="ECDSA" ecdsaCurve="P256"',
      ].join("\n"),
    );
  });

  it("records the outputs a component registered", async () => {
    const box = new Box("with-outputs");
    const pem = await awaitOutput(box.key.publicKeyPem);
    await env.settled();
    expect(env.byName("with-outputs").componentOutputs).toEqual({ publicKeyPem: pem });
  });

  it("fails loudly on an invoke nobody mocks, naming the token", async () => {
    await expect(pulumi.runtime.invoke("gcp:compute/getNetwork:getNetwork", { name: "x" })).rejects.toThrow(
      "no mock for invoke gcp:compute/getNetwork:getNetwork",
    );
  });

  it("answers and records invokes that have a handler", async () => {
    const result = await pulumi.runtime.invoke("test:index:echo", { value: "hi" });
    expect(result).toEqual({ echoed: "hi" });
    expect(env.invokes).toContainEqual({ token: "test:index:echo", inputs: { value: "hi" }, result: { echoed: "hi" } });
  });

  it("detects two resources with the same URN", async () => {
    const first = new tls.PrivateKey("twin", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    await awaitOutput(first.id);
    expect(() => env.assertNoDuplicates()).not.toThrow();
    const second = new tls.PrivateKey("twin", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    await awaitOutput(second.id);
    expect(env.duplicates).toEqual(["urn:pulumi:dev::proj::tls:index/privateKey:PrivateKey::twin"]);
    expect(() => env.assertNoDuplicates()).toThrow(
      "duplicate resource URNs (the engine refuses these): urn:pulumi:dev::proj::tls:index/privateKey:PrivateKey::twin",
    );
  });

  it("applies stack config before the program runs", () => {
    expect(new pulumi.Config("gcp").get("project")).toBe("from-config");
  });
});
