import { awaitOutput, setupMocks, type MockEnvironment, type RecordedResource } from "@gcp-mtls/testing";
import { CertificateChain } from "../certificate-chain";
import { thrownBy } from "../internal/__fixtures__/thrown";
import { SecureWebProxyMtls, type SecureWebProxyMtlsArgs } from "./index";

// The guide's starting point: a proxy already deployed in explicit mode, with its certificate and gateway security
// policy, to which frontend mTLS is added (rule gcp.swp.adopt; the import, rule pulumi-gcp.import).
const T = {
  gateway: "gcp:networkservices/gateway:Gateway",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  serverTlsPolicy: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
  gsp: "gcp:networksecurity/gatewaySecurityPolicy:GatewaySecurityPolicy",
  authz: "gcp:networksecurity/authzPolicy:AuthzPolicy",
};
const PAY = "spiffe://bank.example/ns/payments/sa/processor";
const NETWORK = "projects/bank-prod/global/networks/egress";
const SUBNET = "projects/bank-prod/regions/us-central1/subnetworks/workloads";
const POLICY = "projects/bank-prod/locations/us-central1/gatewaySecurityPolicies/egress";
const CERT = "projects/bank-prod/locations/us-central1/certificates/swp-server";
const gatewayId = (name: string) => `projects/bank-prod/locations/us-central1/gateways/${name}`;

/** A live proxy as the provider reads it (its inputs), created by hand before this program. */
function live(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    project: "bank-prod",
    location: "us-central1",
    type: "SECURE_WEB_GATEWAY",
    routingMode: "EXPLICIT_ROUTING_MODE",
    network: NETWORK,
    subnetwork: SUBNET,
    addresses: ["10.20.0.9"],
    ports: [443],
    certificateUrls: [CERT],
    gatewaySecurityPolicy: POLICY,
    ...extra,
  };
}

let env: MockEnvironment;
let chain: CertificateChain;
beforeAll(async () => {
  env = await setupMocks({
    gcpProject: "bank-prod",
    existing: {
      [T.gateway]: {
        [gatewayId("swp-prod")]: live("swp-prod"),
        [gatewayId("swp-scoped")]: live("swp-scoped", { scope: "egress-scope" }),
        [gatewayId("swp-elsewhere")]: live("swp-elsewhere", {
          subnetwork: "projects/bank-prod/regions/us-central1/subnetworks/legacy",
        }),
      },
    },
  });
  chain = new CertificateChain("bank", {
    root: { subject: { commonName: "Bank Root CA" } },
    leaves: { processor: { uris: [PAY] } },
  });
});

function adopting(id: string, overrides: Partial<SecureWebProxyMtlsArgs> = {}): SecureWebProxyMtlsArgs {
  return {
    region: "us-central1",
    network: NETWORK,
    subnetwork: SUBNET,
    trust: { chain },
    serverCertificateIds: [CERT],
    gatewaySecurityPolicyId: POLICY,
    allow: { payments: { identity: PAY, hosts: ["api.bank-gateway.example"] } },
    adopt: { gatewayId: id },
    ...overrides,
  };
}

async function childrenOf(swp: SecureWebProxyMtls): Promise<RecordedResource[]> {
  await env.settled();
  return env.children(await awaitOutput(swp.urn));
}

describe("adopting an existing proxy", () => {
  let swp: SecureWebProxyMtls;
  let children: RecordedResource[];
  beforeAll(async () => {
    swp = new SecureWebProxyMtls("egress", adopting(gatewayId("swp-prod")));
    children = await childrenOf(swp);
  });

  it("imports the live gateway under its own name, protected, and updates it in place to use mTLS", async () => {
    const gateways = children.filter((c) => c.type === T.gateway);
    expect(gateways.map((g) => g.name)).toEqual(["egress-gateway"]);
    const gateway = gateways[0]!;
    expect(gateway.importId).toBe(gatewayId("swp-prod"));
    expect(gateway.protect).toBe(true);
    expect(gateway.inputs.name).toBe("swp-prod");
    expect(gateway.inputs.project).toBe("bank-prod");
    const policy = children.find((c) => c.type === T.serverTlsPolicy)!;
    expect(gateway.inputs.serverTlsPolicy).toBe(policy.id);
    // What the deployment changes after the read: the ServerTlsPolicy and the provider-only clean-up flag (a
    // magic-modules virtual field); nothing immutable, so no replacement.
    expect(gateway.imported).toEqual({
      updates: ["deleteSwgAutogenRouterOnDestroy", "serverTlsPolicy"],
      replaces: [],
    });
    expect(env.failures).toEqual([]);
    expect(await awaitOutput(swp.gatewayId)).toBe(gatewayId("swp-prod"));
    // The live address (default_from_api) stays the proxy's: clients keep their proxy setting.
    expect(await awaitOutput(swp.addresses)).toEqual(["10.20.0.9"]);
  });

  it("keeps the proxy's gateway security policy and certificate, and creates the mTLS resources in its project", () => {
    expect(children.filter((c) => c.type === T.gsp)).toEqual([]);
    const gateway = children.find((c) => c.type === T.gateway)!;
    expect(gateway.inputs.gatewaySecurityPolicy).toBe(POLICY);
    expect(gateway.inputs.certificateUrls).toEqual([CERT]);
    for (const type of [T.trustConfig, T.serverTlsPolicy, T.authz]) {
      const made = children.filter((c) => c.type === type);
      expect(made.length).toBeGreaterThan(0);
      for (const r of made) expect(r.inputs.project).toBe("bank-prod");
    }
    const authz = children.find((c) => c.type === T.authz)!;
    expect(authz.inputs.target.resources).toEqual([gatewayId("swp-prod")]);
  });
});

describe("what the import finds", () => {
  it("fails, protected, when the program leaves out an immutable setting of the live proxy (its scope)", async () => {
    const swp = new SecureWebProxyMtls("scoped", adopting(gatewayId("swp-scoped")));
    const gateway = (await childrenOf(swp)).find((c) => c.type === T.gateway)!;
    expect(gateway.imported?.replaces).toEqual(["scope"]);
    expect(gateway.failure?.phase).toBe("import");
    expect(gateway.failure?.message).toContain("as it is currently marked for protection");
    expect(gateway.failure?.message).toContain('scope: "egress-scope" => null');
    expect(gateway.failure?.rules).toEqual(
      expect.arrayContaining(["pulumi-gcp.import", "pulumi-gcp.replacement", "gcp.networkservices.gateway"]),
    );
  });

  it("passes once the program states the live scope", async () => {
    const swp = new SecureWebProxyMtls("scoped-ok", adopting(gatewayId("swp-scoped"), { scope: "egress-scope" }));
    const gateway = (await childrenOf(swp)).find((c) => c.type === T.gateway)!;
    expect(gateway.failure).toBeUndefined();
    expect(gateway.imported?.replaces).toEqual([]);
  });

  it("records the replacement an unprotected adoption would make (another subnetwork)", async () => {
    const swp = new SecureWebProxyMtls(
      "unprotected",
      adopting(gatewayId("swp-elsewhere"), { adopt: { gatewayId: gatewayId("swp-elsewhere"), protect: false } }),
    );
    const gateway = (await childrenOf(swp)).find((c) => c.type === T.gateway)!;
    expect(gateway.protect).toBe(false);
    expect(gateway.failure).toBeUndefined();
    expect(gateway.imported?.replaces).toEqual(["subnetwork"]);
  });

  it("fails as the engine does when no such proxy exists", async () => {
    const swp = new SecureWebProxyMtls("ghost", adopting(gatewayId("swp-ghost")));
    const gateway = (await childrenOf(swp)).find((c) => c.type === T.gateway)!;
    expect(gateway.failure).toMatchObject({
      phase: "import",
      message: `resource '${gatewayId("swp-ghost")}' does not exist`,
      rules: ["pulumi-gcp.import"],
    });
  });
});

describe("adoption arguments, before any resource", () => {
  const cases: [string, Partial<SecureWebProxyMtlsArgs>, string][] = [
    [
      "an id that is no gateway id",
      { adopt: { gatewayId: "swp-prod" } },
      "`adopt.gatewayId` must be `projects/<project>/locations/<region>/gateways/<name>` (the gateway's import id), got `swp-prod`; `gcloud network-services gateways list --location=us-central1` shows it",
    ],
    [
      "a proxy in another region",
      { adopt: { gatewayId: "projects/bank-prod/locations/europe-west1/gateways/swp" } },
      "`adopt.gatewayId` is in `europe-west1` but `region` is `us-central1`; set `region` to the proxy's region (every resource the component creates must sit beside it)",
    ],
    [
      "a proxy in another project",
      { project: "bank-dev" },
      "`adopt.gatewayId` is in project `bank-prod` but `project` is `bank-dev`; an adopted proxy is updated in its own project",
    ],
    [
      "a name no proxy can have",
      { adopt: { gatewayId: "projects/bank-prod/locations/us-central1/gateways/SWP_1" } },
      "`adopt.gatewayId` names the gateway `SWP_1`, which is no Secure Web Proxy name (lowercase letters, digits and `-`, at most 63)",
    ],
    [
      "no gateway security policy",
      { gatewaySecurityPolicyId: undefined },
      "`gatewaySecurityPolicyId` must name the adopted proxy's gateway security policy: without it the component creates a new policy and the proxy loses its rules; `gcloud network-services gateways describe` shows it as `gatewaySecurityPolicy`",
    ],
  ];

  let bad = 0;
  it.each(cases)("refuses %s", async (...row) => {
    const [, overrides, message] = row;
    const name = `bad-adopt-${bad++}`;
    const error = thrownBy(() => new SecureWebProxyMtls(name, adopting(gatewayId("swp-prod"), overrides)));
    expect(error.problems.map((p) => `\`${p.path}\` ${p.message}`)).toContain(message);
    expect(error.problems.map((p) => p.rule)).toContain("gcp.swp.adopt");
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith(`${name}-`))).toEqual([]);
  });

  it("refuses a non-boolean protect (another language's value)", () => {
    const error = thrownBy(
      () =>
        new SecureWebProxyMtls(
          "bad-protect",
          adopting(gatewayId("swp-prod"), { adopt: { gatewayId: gatewayId("swp-prod"), protect: "yes" as never } }),
        ),
    );
    expect(error.message).toContain("`adopt.protect`");
  });
});
