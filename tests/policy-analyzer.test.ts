import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { policyProps, runPolicyPack } from "@gcp-mtls/policy/testing";
import { REPO_ROOT } from "./support/example";

// The pack as `pulumi preview --policy-pack packages/policy` runs it: the built entry point serving @pulumi/policy's
// gRPC Analyzer. The same resources go to the real server (Analyze per resource, AnalyzeStack once) and to
// `runPolicyPack`: the jest helper must report exactly what the policy runtime reports.
const PACK = path.join(REPO_ROOT, "packages", "policy");
const fromPolicy = (id: string) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(
    require.resolve(id, { paths: [path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [PACK] }))] }),
  );
const grpc = fromPolicy("@grpc/grpc-js");
const rpc = fromPolicy("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const proto = fromPolicy("@pulumi/pulumi/proto/analyzer_pb.js");
const { Struct } = fromPolicy("google-protobuf/google/protobuf/struct_pb.js");
const LEVELS: Record<number, string> = {
  [proto.EnforcementLevel.ADVISORY]: "advisory",
  [proto.EnforcementLevel.MANDATORY]: "mandatory",
  [proto.EnforcementLevel.DISABLED]: "disabled",
};

let env: MockEnvironment;
let server: ChildProcess;
let client: any;

beforeAll(async () => {
  env = await setupMocks({ gcpProject: "bank-prod" });
  // Deliberately wrong hand-wired resources (see packages/policy/src/policies.test.ts), and a clean one.
  new gcp.networkservices.Gateway("swp-bare", {
    name: "swp-bare",
    location: "us-central1",
    type: "SECURE_WEB_GATEWAY",
    routingMode: "NEXT_HOP_ROUTING_MODE",
    ports: [443],
    network: "projects/bank-prod/global/networks/egress",
    subnetwork: "projects/bank-prod/regions/us-central1/subnetworks/workloads",
    gatewaySecurityPolicy: "projects/bank-prod/locations/us-central1/gatewaySecurityPolicies/egress",
  });
  new gcp.networksecurity.ServerTlsPolicy("stp-loose", {
    location: "us-central1",
    mtlsPolicy: {
      clientValidationMode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
      clientValidationTrustConfig: "projects/1/locations/us-east1/trustConfigs/t",
    },
  });
  new gcp.compute.SSLPolicy("ssl-13", { minTlsVersion: "TLS_1_3", profile: "MODERN" });
  const gateway = (name: string, className: string) =>
    new k8s.apiextensions.CustomResource(name, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name, namespace: "shop" },
      spec: {
        gatewayClassName: className,
        listeners: [{ name: "https", protocol: "HTTPS", port: 443, tls: { certificateRefs: [{ name: "tls" }] } }],
      },
    });
  gateway("gw-global", "gke-l7-global-external-managed");
  gateway("gw-regional", "gke-l7-regional-external-managed");
  for (const [name, parent] of [
    ["r1", "gw-global"],
    ["r2", "gw-regional"],
  ]) {
    new k8s.apiextensions.CustomResource(name!, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name, namespace: "shop" },
      spec: { parentRefs: [{ name: parent }], rules: [{ backendRefs: [{ name: "payments", port: 443 }] }] },
    });
  }
  new k8s.apiextensions.CustomResource("armor", {
    apiVersion: "networking.gke.io/v1",
    kind: "GCPBackendPolicy",
    metadata: { name: "armor", namespace: "shop" },
    spec: { default: { securityPolicy: "edge" }, targetRef: { group: "", kind: "Service", name: "payments" } },
  });
  await env.settled();

  // Started as the policy analyzer plugin starts a Node.js pack: in its directory (the version comes from its
  // package.json), printing the port it serves on.
  server = spawn(process.execPath, ["-e", "require('./dist/index.js')"], {
    cwd: PACK,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    server.stdout!.on("data", (d) => {
      out += String(d);
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    server.stderr!.on("data", (d) => (err += String(d)));
    server.on("exit", (code) => reject(new Error(`the pack exited (${code}): ${err}`)));
  });
  client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  server?.kill();
});

const call = <T>(method: string, request: unknown): Promise<T> =>
  new Promise((resolve, reject) => client[method](request, (e: Error | null, r: T) => (e ? reject(e) : resolve(r))));

function analyzerResource<T>(Type: new () => T, r: (typeof env.resources)[number]): T {
  const resource: any = new Type();
  resource.setType(r.type);
  resource.setUrn(r.urn);
  resource.setName(r.name);
  resource.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(policyProps(r)))));
  const options = new proto.AnalyzerResourceOptions();
  options.setProtect(r.protect);
  resource.setOptions(options);
  return resource;
}

describe("the pack served by @pulumi/policy, and runPolicyPack", () => {
  it("report the same violations, with the same enforcement, for every resource and the stack", async () => {
    const served: string[] = [];
    const custom = env.resources.filter((r) => r.custom);
    for (const r of custom) {
      const response: any = await call("analyze", analyzerResource(proto.AnalyzeRequest, r));
      for (const d of response.getDiagnosticsList())
        served.push(`${d.getPolicyname()} ${LEVELS[d.getEnforcementlevel()]} ${d.getUrn() || r.urn} ${d.getMessage()}`);
    }
    const stack = new proto.AnalyzeStackRequest();
    stack.setResourcesList(custom.map((r) => analyzerResource(proto.AnalyzerResource, r)));
    const response: any = await call("analyzeStack", stack);
    for (const d of response.getDiagnosticsList())
      served.push(`${d.getPolicyname()} ${LEVELS[d.getEnforcementlevel()]} ${d.getUrn()} ${d.getMessage()}`);

    const harness = (await runPolicyPack(env.resources)).map(
      (v) => `${v.policy} ${v.enforcementLevel} ${v.urn} ${v.message}`,
    );
    expect(served.sort()).toEqual(harness.sort());
    // Not vacuous: each deliberately wrong resource is reported.
    const policies = [...new Set(served.map((s) => s.split(" ")[0]))].sort();
    expect(policies).toEqual([
      "cloud-armor-scope",
      "gateway-client-validation",
      "gcp-api-constraints",
      "server-tls-policy-validation",
      "swp-frontend-mtls",
    ]);
  });

  it("describes itself to the engine: name, version, mandatory by default, every policy with its config schema", async () => {
    const info: any = await call(
      "getAnalyzerInfo",
      new (fromPolicy("google-protobuf/google/protobuf/empty_pb.js").Empty)(),
    );
    expect(info.getName()).toBe("gcp-mtls");
    expect(info.getVersion()).toBe("0.1.0");
    const policies = info.getPoliciesList().map((p: any) => [p.getName(), LEVELS[p.getEnforcementlevel()]]);
    expect(policies.map((p: string[]) => p[0]).sort()).toEqual([
      "authz-exact-principals",
      "authz-fails-open",
      "backend-tls-targets",
      "ca-configmap-certificates",
      "ca-requester-confinement",
      "cloud-armor-scope",
      "frontend-trust-config-location",
      "gateway-client-validation",
      "gcp-api-constraints",
      "iap-oauth-client",
      "server-certificates",
      "server-tls-policy-validation",
      "ssl-policy-min-tls",
      "swp-frontend-mtls",
      "tls-validity-range",
      "trust-store-certificates",
    ]);
    expect(new Set(policies.map((p: string[]) => p[1]))).toEqual(new Set(["mandatory"]));
  });
});
