import * as pulumi from "@pulumi/pulumi";
import { awaitOutput } from "../helpers";
import { setupMocks, type MockEnvironment } from "./recording";

class Child extends pulumi.CustomResource {
  constructor(name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super("test:index:Child", name, args, opts);
  }
}

// A component that checks a value known only at deploy time, as the gcp-mtls components do: the check throws a
// ResourceError inside `apply`, and the child resource taking that Output is never registered.
class Checked extends pulumi.ComponentResource {
  readonly checked: pulumi.Output<string>;
  readonly childId: pulumi.Output<string>;
  constructor(name: string, value: pulumi.Input<string>) {
    super("test:index:Checked", name, {}, {});
    this.checked = pulumi.output(value).apply((v) => {
      if (v !== "good") throw new pulumi.ResourceError(`\`value\` must be \`good\`, got \`${v}\``, this);
      return v;
    });
    const child = new Child(`${name}-child`, { value: this.checked }, { parent: this });
    this.childId = child.id as pulumi.Output<string>;
    this.registerOutputs({ checked: this.checked });
  }
}

describe("negative tests: a deferred error is what settled() and awaitOutput reject with", () => {
  let env: MockEnvironment;
  beforeEach(async () => {
    env = await setupMocks();
  });

  it("settled() rejects with the component's ResourceError, and it is recorded, not unhandled", async () => {
    new Checked("bad", pulumi.output("evil"));
    await expect(env.settled()).rejects.toThrow("`value` must be `good`, got `evil`");
    // Recorded once. @pulumi/pulumi >= 3.246 adds the path it was serialising (what `pulumi up` prints then).
    expect(env.deferredErrors.map((e) => e.constructor.name)).toEqual(["ResourceError"]);
    expect(env.deferredErrors[0]!.message).toMatch(
      /^(error serializing property "outputs": error serializing property "value": )?`value` must be `good`, got `evil`$/,
    );
  });

  it("awaitOutput of the failed output and of a dependent resource's output reject with it (no timeout)", async () => {
    const bad = new Checked("bad", pulumi.output("evil"));
    await expect(awaitOutput(bad.checked, 5_000)).rejects.toThrow("`value` must be `good`, got `evil`");
    // The child's registration never completes: without the deferred error this would wait out its timeout.
    await expect(awaitOutput(bad.childId, 5_000)).rejects.toThrow("`value` must be `good`, got `evil`");
  });

  it("a good value settles, and an output of an unrelated resource still resolves after another one failed", async () => {
    const good = new Checked("good", pulumi.output("good"));
    await env.settled();
    expect(env.deferredErrors).toEqual([]);
    new Checked("bad", pulumi.output("evil"));
    await expect(env.settled()).rejects.toThrow("got `evil`");
    await expect(awaitOutput(good.checked)).resolves.toBe("good");
  });
});
