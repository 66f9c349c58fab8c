import * as pulumi from "@pulumi/pulumi";
import { proveEnvironment } from "@gcp-mtls/plan";
import { awaitOutput, validateManifest, type MockEnvironment } from "@gcp-mtls/testing";
import { REPO_ROOT, runExample } from "./example";
import { manifestOf } from "./gke-gateway-mtls";
import { policyViolations } from "./policy";

type Program = typeof import("../../packages/environment/index", { with: { "resolution-mode": "require" } });

export interface Expectations {
  readonly counts: Record<string, number>;
  readonly project: string;
  readonly region: string;
  readonly workloads: string[];
  readonly swpMode: string;
  readonly gatewayMode: string;
  readonly curve: string;
  readonly permissive: boolean;
  /** Where the PKI lives (`Pulumi.<stack>.yaml` `pki`). */
  readonly pki: "tls" | "ca-service";
}

/** The root program planned for one stack: pinned counts, stack-driven values, manifests, secrecy and the proof. */
export function describeEnvironment(stack: string, expected: Expectations): void {
  describe(`root program (${stack})`, () => {
    let env: MockEnvironment;
    let program: Program;
    let warn: jest.SpyInstance;
    beforeAll(async () => {
      warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
      ({ env, program } = await runExample<Program>(REPO_ROOT, stack));
      await awaitOutput(program.proxyGatewayId);
      await awaitOutput(program.trustStore);
      await env.settled();
    });
    afterAll(() => warn.mockRestore());

    it("would deploy: the emulated Google Cloud APIs, API server and controllers refuse nothing", () => {
      expect(env.failures).toEqual([]);
    });

    it("passes the policy pack with zero violations under the stack's config (packages/policy/config)", async () => {
      expect(await policyViolations(env, stack)).toEqual([]);
    });

    it("is judged by the pack: under the prod config a permissive stack's modes are violations", async () => {
      const strict = await policyViolations(env, "prod");
      const policies = [...new Set(strict.map((v) => v.split(" ")[0]))].sort();
      expect(policies).toEqual(
        expected.permissive ? ["gateway-client-validation", "server-tls-policy-validation"] : [],
      );
    });

    it("creates exactly the pinned resources, by type", () => {
      expect(env.countByType()).toEqual(expected.counts);
      env.assertNoDuplicates();
    });

    it("takes everything that differs between environments from the stack", async () => {
      expect(await awaitOutput(program.proxyGatewayId)).toMatch(
        new RegExp(`^projects/${expected.project}/locations/${expected.region}/gateways/`),
      );
      expect(env.byName("egress-server-tls-policy").inputs.mtlsPolicy.clientValidationMode).toBe(expected.swpMode);
      expect(env.byName("edge-gateway").inputs.spec.tls.frontend.default.validation.mode).toBe(expected.gatewayMode);
      for (const key of env.byType("tls:index/privateKey:PrivateKey"))
        expect(key.inputs.ecdsaCurve).toBe(expected.curve);
      for (const ca of env
        .byType("gcp:certificateauthority/authority:Authority")
        .filter((a) => a.name.startsWith("pki-")))
        expect(ca.inputs.keySpec.algorithm).toBe(`EC_${expected.curve}_SHA${expected.curve.slice(1)}`);
      // With CA Service the workloads hold their own certificates: the stack has none to hand out.
      expect(Object.keys(await awaitOutput(program.workloadCertificates)).sort()).toEqual(
        expected.pki === "tls" ? [...expected.workloads].sort() : [],
      );
      expect(warn.mock.calls.length > 0).toBe(expected.permissive);
    });

    if (expected.pki === "tls") {
      it("keeps every private key secret", async () => {
        expect(await pulumi.isSecret(program.workloadPrivateKeys)).toBe(true);
        for (const r of env.byType("tls:index/certRequest:CertRequest"))
          expect(r.secretInputs).toContain("privateKeyPem");
      });
    } else {
      it("holds no private key: not in any input, output or stack output (CA Service, Certificate Manager and the workloads hold them)", async () => {
        expect(await awaitOutput(program.workloadPrivateKeys)).toEqual({});
        expect(env.resources.filter((r) => r.type.startsWith("tls:"))).toEqual([]);
        const text = JSON.stringify(env.resources.map((r) => [r.inputs, r.outputs]));
        expect(text).not.toMatch(/PRIVATE KEY/);
        expect(JSON.stringify(await awaitOutput(program.trustStore))).not.toMatch(/PRIVATE KEY/);
        // The servers' certificates are Google-managed, issued by the issuing pool through issuance configs.
        for (const cert of env.byType("gcp:certificatemanager/certificate:Certificate")) {
          expect(cert.inputs.selfManaged).toBeUndefined();
          expect(cert.inputs.managed.issuanceConfig).toMatch(/\/certificateIssuanceConfigs\//);
          expect(cert.outputs.managed.state).toBe("ACTIVE");
        }
      });
    }

    it("renders every Kubernetes object valid for the upstream CRDs", async () => {
      for (const r of env.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
        expect({ name: r.name, problems: await validateManifest(manifestOf(r) as any) }).toEqual({
          name: r.name,
          problems: [],
        });
      }
    });

    it("proves itself offline: every identity verified and authorized, impostors refused", async () => {
      const rows = await proveEnvironment(env);
      expect(rows.filter((r) => !r.ok)).toEqual([]);
      const proxyRows = rows.filter(
        (r) => r.component === "SecureWebProxyMtls egress" && !r.client.startsWith("impostor"),
      );
      expect(proxyRows.map((r) => r.handshake)).toEqual(expected.workloads.map(() => "verified"));
      // With CA Service every identity's leaf comes from a CSR the proof sends as the workload would.
      for (const row of proxyRows) expect(row.client.includes("(CSR → ")).toBe(expected.pki === "ca-service");
      expect(rows.filter((r) => r.client.startsWith("impostor"))).toHaveLength(2);
    });
  });
}
