import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  evaluateAuthzPolicies,
  makeClient,
  makeRoot,
  mtlsHandshake,
  type MockEnvironment,
  type RecordedResource,
} from "@gcp-mtls/testing";
import { runExample } from "./example";
import { policyViolations } from "./policy";

type Program = typeof import("../../examples/swp-mtls-agents/index", { with: { "resolution-mode": "require" } });

export interface Expectations {
  readonly project: string;
  readonly region: string;
  readonly mode: "REJECT_INVALID" | "ALLOW_INVALID_OR_MISSING_CLIENT_CERT";
  readonly trustDomain: string;
}

/** The pinned inventory and the offline proof of examples/swp-mtls-agents for one stack. */
export function describeSwpExample(stack: string, expected: Expectations): void {
  describe(`examples/swp-mtls-agents (${stack})`, () => {
    let env: MockEnvironment;
    let program: Program;
    let warn: jest.SpyInstance;
    const byType = (t: string) => env.resources.filter((r) => r.type === t);

    beforeAll(async () => {
      warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
      ({ env, program } = await runExample<Program>("swp-mtls-agents", stack));
      await awaitOutput(program.gatewayId);
      await env.settled();
    });
    afterAll(() => warn.mockRestore());

    it("would deploy: the emulated Google Cloud APIs, API server and controllers refuse nothing", () => {
      expect(env.failures).toEqual([]);
    });

    it("passes the policy pack with zero violations under the stack's config (packages/policy/config)", async () => {
      expect(await policyViolations(env, stack)).toEqual([]);
    });

    it("creates the pinned inventory", () => {
      expect(env.countByType()).toEqual({
        "gcp-mtls:index:CertificateChain": 1,
        "gcp-mtls:index:SecureWebProxyMtls": 1,
        "gcp:certificateauthority/authority:Authority": 1,
        "gcp:certificateauthority/caPool:CaPool": 1,
        "gcp:certificateauthority/caPoolIamMember:CaPoolIamMember": 1,
        "gcp:certificatemanager/certificate:Certificate": 1,
        "gcp:certificatemanager/trustConfig:TrustConfig": 1,
        "gcp:logging/metric:Metric": 1,
        "gcp:monitoring/alertPolicy:AlertPolicy": 1,
        "gcp:networksecurity/authzPolicy:AuthzPolicy": 2,
        "gcp:networksecurity/gatewaySecurityPolicy:GatewaySecurityPolicy": 1,
        "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy": 1,
        "gcp:networksecurity/tlsInspectionPolicy:TlsInspectionPolicy": 1,
        "gcp:networkservices/gateway:Gateway": 1,
        "gcp:projects/serviceIdentity:ServiceIdentity": 1,
        "tls:index/certRequest:CertRequest": 4,
        "tls:index/locallySignedCert:LocallySignedCert": 4,
        "tls:index/privateKey:PrivateKey": 5,
        "tls:index/selfSignedCert:SelfSignedCert": 1,
      });
      env.assertNoDuplicates();
    });

    it("takes project, region and validation mode from the stack", async () => {
      expect(await awaitOutput(program.gatewayId)).toMatch(
        new RegExp(`^projects/${expected.project}/locations/${expected.region}/gateways/egress-gateway-[0-9a-f]{7}$`),
      );
      expect(
        byType("gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy")[0]!.inputs.mtlsPolicy.clientValidationMode,
      ).toBe(expected.mode);
      const warned = warn.mock.calls.some(([message]) =>
        String(message).includes("ALLOW_INVALID_OR_MISSING_CLIENT_CERT lets every connection"),
      );
      expect(warned).toBe(expected.mode === "ALLOW_INVALID_OR_MISSING_CLIENT_CERT");
      expect(Object.values(await awaitOutput(pulumi.output(program.principals))).map((p) => p.identity)).toEqual([
        `spiffe://${expected.trustDomain}/ns/payments/sa/processor`,
        `spiffe://${expected.trustDomain}/ns/agents/sa/research`,
      ]);
    });

    it("keeps the workloads' keys secret", async () => {
      expect(await pulumi.isSecret(program.paymentProcessorKeyPem)).toBe(true);
      expect(await pulumi.isSecret(program.researchAgentKeyPem)).toBe(true);
    });

    describe("offline proof", () => {
      let policies: RecordedResource[];
      let anchors: string[];
      let intermediates: string[];
      beforeAll(() => {
        policies = byType("gcp:networksecurity/authzPolicy:AuthzPolicy");
        const store = byType("gcp:certificatemanager/trustConfig:TrustConfig")[0]!.inputs.trustStores[0];
        anchors = store.trustAnchors.map((a: any) => a.pemCertificate);
        intermediates = store.intermediateCas.map((a: any) => a.pemCertificate);
      });

      async function request(
        client: { certificatePem: string; privateKeyPem: string; chainPems?: string[] },
        host: string,
      ) {
        const handshake = await mtlsHandshake({
          trustAnchors: anchors,
          intermediates,
          client,
          mode: expected.mode === "REJECT_INVALID" ? "strict" : "permissive",
        });
        return {
          handshake,
          decision: evaluateAuthzPolicies(policies, {
            identity: handshake.identity,
            verified: handshake.verified,
            host,
          }),
        };
      }
      async function workload(chainPem: pulumi.Output<string>, keyPem: pulumi.Output<string>) {
        const [certificatePem, ...chainPems] = (await awaitOutput(chainPem)).match(
          /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
        )!;
        return { certificatePem: certificatePem!, privateKeyPem: await awaitOutput(keyPem), chainPems };
      }

      it("lets each workload reach only its own destinations", async () => {
        const payments = await workload(program.paymentProcessorChainPem, program.paymentProcessorKeyPem);
        const agent = await workload(program.researchAgentChainPem, program.researchAgentKeyPem);
        const cases: [typeof payments, string, boolean][] = [
          [payments, "api.financial-gateway.example", true],
          [payments, "api.openai.com", false],
          [agent, "api.openai.com", true],
          [agent, "generativelanguage.googleapis.com", true],
          [agent, "api.financial-gateway.example", false],
        ];
        for (const [client, host, allowed] of cases) {
          const { handshake, decision } = await request(client, host);
          expect(handshake).toMatchObject({ accepted: true, verified: true });
          expect({ host, allowed: decision.allowed }).toEqual({ host, allowed });
        }
      });

      it("stops an impostor claiming the payment processor's identity", async () => {
        const impostor = makeClient(makeRoot("Impostor Root"), "payment-processor", {
          template: { uris: [`spiffe://${expected.trustDomain}/ns/payments/sa/processor`] },
        });
        const { handshake, decision } = await request(
          { certificatePem: impostor.pem, privateKeyPem: impostor.keyPem },
          "api.financial-gateway.example",
        );
        expect(handshake.verified).toBe(false);
        // Strict: refused at the handshake. Permissive (dev): admitted unverified, and no ALLOW policy matches it.
        expect(handshake.accepted).toBe(expected.mode !== "REJECT_INVALID");
        expect(decision.allowed).toBe(false);
      });
    });
  });
}
