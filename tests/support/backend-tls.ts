import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  makeRoot,
  makeServer,
  serverVerification,
  validateManifest,
  type MockEnvironment,
} from "@gcp-mtls/testing";
import { runExample } from "./example";
import { manifestOf } from "./gke-gateway-mtls";
import { policyViolations } from "./policy";

type Program = typeof import("../../examples/backend-tls/index", { with: { "resolution-mode": "require" } });

export interface Expectations {
  readonly namespace: string;
  readonly region: string;
  readonly iapClientId: string;
  readonly iapClientSecretName: string;
}

/** The pinned inventory, validity and offline proof of examples/backend-tls for one stack. */
export function describeBackendTlsExample(stack: string, expected: Expectations): void {
  describe(`examples/backend-tls (${stack})`, () => {
    let env: MockEnvironment;
    let program: Program;

    beforeAll(async () => {
      ({ env, program } = await runExample<Program>("backend-tls", stack));
      await awaitOutput(program.manifests);
      await env.settled();
    });

    it("would deploy: the emulated Google Cloud APIs, API server and controllers refuse nothing", () => {
      expect(env.failures).toEqual([]);
    });

    it("passes the policy pack with zero violations under the stack's config (packages/policy/config)", async () => {
      expect(await policyViolations(env, stack)).toEqual([]);
    });

    it("creates the pinned inventory", () => {
      expect(env.countByType()).toEqual({
        "gcp-mtls:index:BackendTlsPolicy": 2,
        "gcp-mtls:index:CertificateChain": 3,
        // the global edge and the regional internal Gateway
        "gcp-mtls:index:GatewayFrontendMtls": 2,
        "gcp:certificatemanager/certificate:Certificate": 2,
        "gcp:certificatemanager/certificateMap:CertificateMap": 1,
        "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": 1,
        "gcp:certificatemanager/trustConfig:TrustConfig": 2,
        "gcp:compute/securityPolicy:SecurityPolicy": 1,
        "kubernetes:core/v1:ConfigMap": 3,
        "kubernetes:core/v1:Service": 2,
        "kubernetes:gateway.networking.k8s.io/v1:BackendTLSPolicy": 2,
        "kubernetes:gateway.networking.k8s.io/v1:Gateway": 2,
        // one per Gateway: GKE reports a BackendTLSPolicy on a Gateway only through a route to its Service
        "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": 2,
        "kubernetes:networking.gke.io/v1:GCPBackendPolicy": 1,
        // 3 roots, 1 intermediate, 4 leaves (store, store internal, store-v1, store-v2).
        "tls:index/certRequest:CertRequest": 5,
        "tls:index/locallySignedCert:LocallySignedCert": 5,
        "tls:index/privateKey:PrivateKey": 8,
        "tls:index/selfSignedCert:SelfSignedCert": 3,
      });
      env.assertNoDuplicates();
    });

    it("renders every Kubernetes object valid for the upstream CRDs and their CEL rules", async () => {
      for (const r of env.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
        expect({ name: r.name, problems: await validateManifest(manifestOf(r) as any) }).toEqual({
          name: r.name,
          problems: [],
        });
      }
    });

    it("speaks HTTPS to the Pods and verifies store-v1 by CA, SNI and SPIFFE SAN, protected by Cloud Armor and IAP", () => {
      expect(env.byName("store-v1", "kubernetes:core/v1:Service").inputs.spec.ports).toEqual([
        { name: "https", port: 8443, targetPort: 8443, appProtocol: "HTTPS" },
      ]);
      const v1 = env.byName("store-v1-policy").inputs;
      expect(v1.metadata.namespace).toBe(expected.namespace);
      expect(v1.spec.targetRefs).toEqual([{ group: "", kind: "Service", name: "store-v1", sectionName: "https" }]);
      expect(v1.spec.validation).toMatchObject({
        hostname: "store-v1.store.svc",
        subjectAltNames: [{ type: "URI", uri: "spiffe://store.example/ns/store/sa/store-v1" }],
      });
      expect(env.byName("store-v1-backend-policy-store-v1").inputs.spec.default).toEqual({
        securityPolicy: env.byName("store-v1-security-policy").outputs.name,
        iap: {
          enabled: true,
          clientID: expected.iapClientId,
          oauth2ClientSecret: { name: expected.iapClientSecretName },
        },
      });
    });

    it("reports the controller's conditions per Gateway as an output (the guide's verify step)", async () => {
      expect(await awaitOutput(program.v1Conditions)).toEqual({
        [`${expected.namespace}/external-http`]: expect.objectContaining({ Accepted: "True", ResolvedRefs: "True" }),
      });
    });

    it("gives store-v2 one TrustConfig name in global and the regional Gateway's region", () => {
      const tcs = env
        .byType("gcp:certificatemanager/trustConfig:TrustConfig")
        .map((t) => [t.inputs.location, t.inputs.name]);
      expect(tcs.sort()).toEqual(
        [
          [expected.region, "store-backend-cas"],
          ["global", "store-backend-cas"],
        ].sort(),
      );
      expect(env.byName("store-v2-policy").inputs.spec.options).toEqual({
        "networking.gke.io/backend-trust-config": "store-backend-cas",
      });
    });

    it("lets the Gateway reach the real store-v1 and refuses an impostor backend", async () => {
      const ca = env.byName("store-v1-ca-root").inputs.data["ca.crt"];
      const validation = env.byName("store-v1-policy").inputs.spec.validation;
      const [certificatePem, ...chainPems] = (await awaitOutput(program.storeV1ChainPem)).match(
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
      )!;
      const real = {
        certificatePem: certificatePem!,
        privateKeyPem: await awaitOutput(program.storeV1KeyPem),
        chainPems,
      };
      expect(
        await serverVerification({
          caPems: [ca],
          server: real,
          hostname: validation.hostname,
          subjectAltNames: validation.subjectAltNames,
        }),
      ).toMatchObject({ accepted: true });
      const impostor = makeServer(makeRoot("Impostor"), "store-v1", {
        template: { dnsNames: ["store-v1.store.svc"], uris: ["spiffe://store.example/ns/store/sa/store-v1"] },
      });
      const refused = await serverVerification({
        caPems: [ca],
        server: { certificatePem: impostor.pem, privateKeyPem: impostor.keyPem },
        hostname: validation.hostname,
        subjectAltNames: validation.subjectAltNames,
      });
      expect(refused.accepted).toBe(false);
      expect(await pulumi.isSecret(program.storeV1KeyPem)).toBe(true);
    });
  });
}
