import { judgeImport } from "./import";

// rule pulumi-gcp.import: the engine reads the live resource, then diffs the program's goal against it.
const GATEWAY = "gcp:networkservices/gateway:Gateway";
const URN = "urn:pulumi:test::p::gcp:networkservices/gateway:Gateway::gw";
const ID = "projects/p/locations/us-central1/gateways/gw";
const live = { name: "gw", location: "us-central1", type: "SECURE_WEB_GATEWAY", addresses: ["10.0.0.2"], ports: [443] };

describe("judgeImport", () => {
  it("fails on an id that does not exist, with the engine's message", () => {
    expect(judgeImport(GATEWAY, URN, ID, undefined, {}, false, "p").failure).toEqual({
      message: `resource '${ID}' does not exist`,
      rules: ["pulumi-gcp.import"],
    });
  });

  it("keeps an absent Optional+Computed input (addresses) and reads an absent project as the provider's", () => {
    const outcome = judgeImport(
      GATEWAY,
      URN,
      ID,
      { ...live, project: "p" },
      { ...live, addresses: undefined },
      true,
      "p",
    );
    expect(outcome).toEqual({ updates: [], replaces: [], kept: ["addresses"] });
  });

  it("updates mutable fields in place and replaces on immutable ones; protected, the replacement fails", () => {
    const goal = { ...live, ports: [8443], type: "OPEN_MESH", addresses: ["10.0.0.3"] };
    const open = judgeImport(GATEWAY, URN, ID, live, goal, false, "p");
    expect(open).toEqual({ updates: ["ports"], replaces: ["addresses", "type"], kept: [] });
    expect(open.failure).toBeUndefined();
    const guarded = judgeImport(GATEWAY, URN, ID, live, goal, true, "p");
    expect(guarded.failure?.message).toBe(
      `unable to replace resource "${URN}" as it is currently marked for protection (the program differs from the imported resource in immutable fields: addresses: ["10.0.0.2"] => ["10.0.0.3"], type: "SECURE_WEB_GATEWAY" => "OPEN_MESH")`,
    );
  });

  it("treats every field of a resource-level immutable type as replacing", () => {
    const type = "gcp:compute/sSLCertificate:SSLCertificate";
    const outcome = judgeImport(type, URN, "x", { description: "a" }, { description: "b" }, false, "p");
    expect(outcome.replaces).toEqual(["description"]);
  });
});
