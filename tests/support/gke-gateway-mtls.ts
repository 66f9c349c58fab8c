import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  mtlsHandshake,
  validateManifest,
  type MockEnvironment,
  type RecordedResource,
} from "@gcp-mtls/testing";
import { runExample } from "./example";
import { policyViolations } from "./policy";

type Program = typeof import("../../examples/gke-gateway-mtls/index", { with: { "resolution-mode": "require" } });

export interface Expectations {
  readonly project: string;
  readonly namespace: string;
  readonly mode: "AllowValidOnly" | "AllowInsecureFallback";
  readonly minTlsVersion: string;
}

/** What the Kubernetes provider would send for a recorded Kubernetes resource. */
export function manifestOf(r: RecordedResource): Record<string, any> {
  const { apiVersion, kind, metadata, spec, data } = r.inputs;
  const name = metadata?.name ?? r.outputs.metadata?.name;
  return Object.fromEntries(
    Object.entries({ apiVersion, kind, metadata: { ...metadata, name }, spec, data }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

/** The pinned inventory, the manifests' validity and the offline proof of examples/gke-gateway-mtls for one stack. */
export function describeGatewayExample(stack: string, expected: Expectations): void {
  describe(`examples/gke-gateway-mtls (${stack})`, () => {
    let env: MockEnvironment;
    let program: Program;
    let warn: jest.SpyInstance;

    beforeAll(async () => {
      warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
      ({ env, program } = await runExample<Program>("gke-gateway-mtls", stack));
      await awaitOutput(program.manifests);
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
        "gcp-mtls:index:CertificateChain": 3,
        "gcp-mtls:index:GatewayFrontendMtls": 1,
        "gcp:certificatemanager/certificate:Certificate": 2,
        "gcp:certificatemanager/certificateMap:CertificateMap": 1,
        "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": 2,
        "gcp:compute/sSLPolicy:SSLPolicy": 1,
        "kubernetes:core/v1:ConfigMap": 2,
        "kubernetes:gateway.networking.k8s.io/v1:Gateway": 1,
        "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": 1,
        "kubernetes:networking.gke.io/v1:GCPGatewayPolicy": 1,
        // 3 roots, 1 intermediate, 4 leaves (store, foo, checkout-app, acme).
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

    it("takes namespace, validation mode and TLS version from the stack", () => {
      const gateway = env.byName("store-gateway").inputs;
      expect(gateway.metadata.namespace).toBe(expected.namespace);
      expect(gateway.spec.tls.frontend.default.validation.mode).toBe(expected.mode);
      expect(env.byName("store-ssl-policy").inputs.minTlsVersion).toBe(expected.minTlsVersion);
      expect(env.byName("store-external").inputs.spec.parentRefs).toEqual([
        { name: "external-http", namespace: expected.namespace },
      ]);
      expect(warn.mock.calls.some(([m]) => String(m).includes("frontend mTLS fallback"))).toBe(
        expected.mode === "AllowInsecureFallback",
      );
      expect(env.byName("store-cert-map-entry-store-example-com").inputs.certificates).toEqual([
        env.byName("store-cert-store").id,
      ]);
    });

    it("verifies store clients on 443 and partners on 8443, each against its own CA", async () => {
      const caFor = (name: string) => env.byName(name).inputs.data["ca.crt"] as string;
      const [leaf, ...chainPems] = (await awaitOutput(program.checkoutChainPem)).match(
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
      )!;
      const checkout = { certificatePem: leaf!, privateKeyPem: await awaitOutput(program.checkoutKeyPem), chainPems };
      const partner = {
        certificatePem: await awaitOutput(program.partnerCertificatePem),
        privateKeyPem: await awaitOutput(program.partnerKeyPem),
      };
      expect(await mtlsHandshake({ trustAnchors: [caFor("store-ca-root")], client: checkout })).toMatchObject({
        accepted: true,
        verified: true,
      });
      expect(await mtlsHandshake({ trustAnchors: [caFor("store-ca-8443-root")], client: partner })).toMatchObject({
        accepted: true,
        verified: true,
      });
      expect(await mtlsHandshake({ trustAnchors: [caFor("store-ca-root")], client: partner })).toMatchObject({
        verified: false,
        accepted: false,
      });
      expect(await mtlsHandshake({ trustAnchors: [caFor("store-ca-8443-root")], client: checkout })).toMatchObject({
        verified: false,
        accepted: false,
      });
    });
  });
}
