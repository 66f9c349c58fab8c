import * as pulumi from "@pulumi/pulumi";
import { setupMocks } from "@gcp-mtls/testing";
import { ArgumentError } from "../internal/format";
import { CertificateChain } from "./certificate-chain";

// Wrong types from JavaScript callers (or `as any`): every problem at once, each naming its path, before any resource.
describe("CertificateChain argument shapes", () => {
  beforeAll(async () => {
    await setupMocks();
  });
  const root = { subject: { commonName: "Root" } };
  const thrown = (args: unknown): ArgumentError => {
    try {
      new CertificateChain("shape", args as never);
    } catch (e) {
      if (e instanceof ArgumentError) return e;
      throw e;
    }
    throw new Error("no error");
  };

  it.each([
    ["null args", null, ["`args` must be an object, got null"]],
    ["a string for args", "root", ["`args` must be an object, got `root`"]],
    [
      "a string where a list is expected",
      { root, leaves: { a: { dnsNames: "a.example" } } },
      ["`leaves.a.dnsNames` must be a list, got `a.example`; write [`a.example`]"],
    ],
    [
      "an Output where the value decides what is created",
      { root: { subject: { commonName: pulumi.output("Root") } } },
      [
        "`root.subject.commonName` must be known when the program runs (a plain value, not an Output), got an Output; it decides what the component creates: pass the value itself",
      ],
    ],
    [
      "a typo in an argument name",
      { root, leafs: {} },
      [
        "`leafs` is not an argument here; did you mean `leaves`? (arguments: root, existingIssuer, intermediates, leaves)",
      ],
    ],
    [
      "a number as a string, and null for an optional field",
      { root: { ...root, validityHours: "8760" }, intermediates: null },
      ["`root.validityHours` must be a whole number, got `8760`", "`intermediates` must be a list, got null"],
    ],
    [
      "a missing required field",
      { root: {}, intermediates: [{ subject: { commonName: "I" } }] },
      ["`root.subject` is required", "`intermediates[0].key` is required"],
    ],
  ])("%s", (...row) => {
    const [, args, messages] = row as [string, unknown, string[]];
    const error = thrown(args);
    expect(error.message.split("\n")).toEqual(messages);
    // The SDK's InputPropertiesError: the engine prints each property path with its reason.
    expect(error).toBeInstanceOf(pulumi.InputPropertiesError);
    expect(error.errors.map((e) => e.propertyPath)).toEqual(
      messages.map((m) => /^`([^`]+)`/.exec(m)![1]!.replace(/^args$/, "args")),
    );
  });

  it("an ExistingIssuer PEM may be an Output: checked when it resolves, failing the deployment with its path", async () => {
    const env = await setupMocks();
    expect(
      () =>
        new CertificateChain("late-issuer", {
          existingIssuer: { certificatePem: pulumi.output("x"), privateKeyPem: pulumi.output("y") },
        }),
    ).not.toThrow();
    await expect(env.settled()).rejects.toThrow(
      "`existingIssuer.certificatePem` must hold exactly one PEM certificate, found 0 certificate(s) among 0 PEM block(s); put one certificate per entry",
    );
  });
});
