import * as pulumi from "@pulumi/pulumi";
import { proveEnvironment } from "@gcp-mtls/plan";
import { awaitOutput, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";
import { CaServiceChain, gkeWorkloadIdentity, managedWorkloadIdentity, SecureWebProxyMtls } from "@gcp-mtls/components";

// Every way a workload gets a CA Service certificate with no key in Pulumi state, proven at the proxy with live
// handshakes: a GKE Pod's and a Compute Engine VM's managed workload identity (Google requests it, REFLECTED_SPIFFE,
// under the fleet's or the VM pool's createForSelf grant), and a workload that requests its own with a CSR, confined by
// its template. The proof asks the emulated CA Service as each of them would, and nothing else can be asked for.

const NUMBER = "123456789012";
const GKE = gkeWorkloadIdentity("bank-prod", "payments", "processor");
const VM = managedWorkloadIdentity(`bank-vms.global.${NUMBER}.workload.id.goog`, "batch", "settlement");
const CSR = "spiffe://bank.example/ns/agents/sa/research";
const NOBODY = "spiffe://bank.example/ns/agents/sa/unknown";

describe("CA Service identities at the proxy: managed (GKE, Compute Engine) and requested", () => {
  let env: MockEnvironment;
  beforeAll(async () => {
    jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    env = await setupMocks({ gcpProject: "bank-prod" });
    const pki = new CaServiceChain("pki", {
      location: "us-central1",
      root: { subject: { commonName: "Bank Root CA" } },
      issuing: { subject: { commonName: "Bank Issuing CA" } },
      issuancePolicy: { uriPrefixes: ["spiffe://bank.example/"] },
      gkeWorkloadIdentities: { projectId: "bank-prod", projectNumber: NUMBER },
      computeWorkloadIdentities: { poolId: "bank-vms", projectNumber: NUMBER },
      // Certificate Manager's agent holds an unconditioned requester grant: the proof must never ask as it.
      certificateManagerIssuance: { locations: ["us-central1"] },
      certificateRequesters: {
        research: { member: "serviceAccount:research@bank-prod.iam.gserviceaccount.com", identities: [CSR] },
      },
    });
    const swp = new SecureWebProxyMtls("egress", {
      region: "us-central1",
      network: "projects/bank-prod/global/networks/egress",
      subnetwork: "projects/bank-prod/regions/us-central1/subnetworks/workloads",
      trust: { chain: pki },
      serverCertificateIds: ["projects/bank-prod/locations/us-central1/certificates/swp"],
      allow: {
        pods: { identity: GKE, hosts: ["api.payments.example"] },
        vms: { identity: VM, hosts: ["api.settlement.example"] },
        research: { identity: CSR, hosts: ["api.openai.com"] },
        // Allowed by the proxy, but nobody may be issued it: no grant covers it.
        unknown: { identity: NOBODY, hosts: ["api.unknown.example"] },
      },
    });
    await awaitOutput(swp.gatewayId);
    await env.settled();
  });

  it("deploys: the emulated APIs refuse nothing", () => {
    expect(env.failures).toEqual([]);
  });

  it("proves each identity with a certificate the emulated CA Service issued as it would in the project", async () => {
    const rows = await proveEnvironment(env);
    const row = (identity: string) => rows.find((r) => r.client.startsWith(identity))!;
    expect([row(GKE).ok, row(GKE).handshake, row(GKE).seen]).toEqual([true, "verified", GKE]);
    expect(row(GKE).client).toMatch(/\(managed identity → pki-issuing-pool/);
    expect([row(VM).ok, row(VM).handshake, row(VM).seen]).toEqual([true, "verified", VM]);
    expect(row(VM).client).toMatch(/\(managed identity → pki-issuing-pool/);
    expect([row(CSR).ok, row(CSR).handshake, row(CSR).seen]).toEqual([true, "verified", CSR]);
    expect(row(CSR).client).toMatch(/\(CSR → pki-issuing-pool-[0-9a-f]+ with pki-template-research/);
    // No grant lets anyone be issued the fourth identity: the proof cannot make one up.
    expect([row(NOBODY).ok, row(NOBODY).skipped]).toEqual([true, "its leaf is issued outside this plan"]);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
  });
});
