import * as pulumi from "@pulumi/pulumi";
import {
  awaitOutput,
  evaluateWaitFor,
  makeClient,
  makeRoot,
  makeServer,
  mtlsHandshake,
  setupMocks,
  validateManifest,
  type MockEnvironment,
  type RecordedResource,
} from "@gcp-mtls/testing";
import { CertificateChain } from "../certificate-chain";
import { GatewayFrontendMtls, type GatewayFrontendMtlsArgs } from "./index";
import type { RuleId } from "@gcp-mtls/rules";
import { thrownBy } from "../internal/__fixtures__/thrown";

const T = {
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  grant: "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant",
  gcpPolicy: "kubernetes:networking.gke.io/v1:GCPGatewayPolicy",
  configMap: "kubernetes:core/v1:ConfigMap",
  secret: "kubernetes:core/v1:Secret",
  cert: "gcp:certificatemanager/certificate:Certificate",
  map: "gcp:certificatemanager/certificateMap:CertificateMap",
  entry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  trustConfig: "gcp:certificatemanager/trustConfig:TrustConfig",
  sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
  route: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  regionSslPolicy: "gcp:compute/regionSslPolicy:RegionSslPolicy",
  sslCert: "gcp:compute/sSLCertificate:SSLCertificate",
  regionSslCert: "gcp:compute/regionSslCertificate:RegionSslCertificate",
};

let env: MockEnvironment;
let pki: CertificateChain;
let partners: CertificateChain;
beforeAll(async () => {
  env = await setupMocks({ gcpProject: "shop-prod" });
  pki = new CertificateChain("edge", {
    root: { subject: { commonName: "Shop Client Root" } },
    intermediates: [{ key: "clients", subject: { commonName: "Shop Client CA" } }],
    leaves: {
      store: { usages: ["server"], dnsNames: ["store.example.com"] },
      foo: { usages: ["server"], dnsNames: ["foo.example.com"] },
      pos: { uris: ["spiffe://shop.example/pos/terminal-1"], subject: { commonName: "terminal-1" } },
    },
  });
  partners = new CertificateChain("partners", {
    root: { subject: { commonName: "Partner Root" } },
    leaves: { acme: { dnsNames: ["acme.partners.example"] } },
  });
});

async function childrenOf(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
  await env.settled();
  return env.children(await awaitOutput(component.urn));
}

/** What the Kubernetes provider would send: the recorded inputs of a Kubernetes resource. */
function manifestOf(r: RecordedResource): Record<string, any> {
  const { apiVersion, kind, metadata, spec, data, stringData, type } = r.inputs;
  return Object.fromEntries(
    Object.entries({
      apiVersion,
      kind,
      metadata: { ...metadata, name: metadata?.name ?? r.outputs.metadata?.name },
      spec,
      data,
      stringData,
      type,
    }).filter(([, v]) => v !== undefined),
  );
}

async function expectValid(children: RecordedResource[]): Promise<void> {
  for (const r of children.filter((c) => c.type.startsWith("kubernetes:"))) {
    expect({ name: r.name, problems: await validateManifest(manifestOf(r) as any) }).toEqual({
      name: r.name,
      problems: [],
    });
  }
}

function storeArgs(overrides: Partial<GatewayFrontendMtlsArgs> = {}): GatewayFrontendMtlsArgs {
  return {
    namespace: "shop",
    gatewayName: "store-gateway",
    gatewayClassName: "gke-l7-global-external-managed",
    listeners: [
      { name: "store-https", hostname: "store.example.com" },
      { name: "foo-https", hostname: "foo.example.com" },
      { name: "partner-https", port: 8443, hostname: "store.example.com" },
    ],
    certificateManager: {
      certificates: {
        store: { material: { chain: pki, leaf: "store" } },
        foo: { material: { chain: pki, leaf: "foo" } },
      },
    },
    clientValidation: {
      trust: { chain: pki },
      perPort: [{ port: 8443, trust: { chain: partners } }],
    },
    sslPolicy: {},
    ...overrides,
  };
}

/** Programmed, and each listener's references resolved (pulumi-k8s.wait-for, k8s.gateway-api.listener-resolved-refs). */
const gatewayWaitFor = (...listeners: string[]) =>
  JSON.stringify([
    "condition=Programmed",
    ...listeners.map(
      (l) => `jsonpath={.status.listeners[?(@.name=="${l}")].conditions[?(@.type=="ResolvedRefs")].status}=True`,
    ),
  ]);

describe("GatewayFrontendMtls: global Gateway, Certificate Manager map, Gateway API client validation", () => {
  let gw: GatewayFrontendMtls;
  let children: RecordedResource[];
  const one = (type: string) => {
    const found = children.filter((c) => c.type === type);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    gw = new GatewayFrontendMtls("store", storeArgs());
    await awaitOutput(gw.manifests);
    children = await childrenOf(gw);
  });

  it("creates exactly the certificates, map, entries, ConfigMaps, SSL policy and Gateway", () => {
    expect(children.map((c) => `${c.type} ${c.name}`).sort()).toEqual(
      [
        `${T.cert} store-cert-store`,
        `${T.cert} store-cert-foo`,
        `${T.map} store-cert-map`,
        `${T.entry} store-cert-map-entry-store-example-com`,
        `${T.entry} store-cert-map-entry-foo-example-com`,
        `${T.configMap} store-ca-root`,
        `${T.configMap} store-ca-8443-root`,
        `${T.sslPolicy} store-ssl-policy`,
        `${T.gcpPolicy} store-gateway-policy`,
        `${T.gateway} store-gateway`,
      ].sort(),
    );
    for (const c of children) expect(c.urn).toContain(`::gcp-mtls:index:GatewayFrontendMtls$${c.type}::${c.name}`);
  });

  it("renders the upstream Gateway: certmap annotation, listeners without tls, spec.tls.frontend default + perPort", () => {
    const g = one(T.gateway).inputs;
    const cmDefault = env.byName("store-ca-root").outputs.metadata.name;
    const cmPort = env.byName("store-ca-8443-root").outputs.metadata.name;
    expect(g.apiVersion).toBe("gateway.networking.k8s.io/v1");
    expect(g.metadata).toEqual({
      name: "store-gateway",
      namespace: "shop",
      annotations: {
        "networking.gke.io/certmap": one(T.map).outputs.name,
        "pulumi.com/waitFor": gatewayWaitFor("store-https", "foo-https", "partner-https"),
        "pulumi.com/timeoutSeconds": "1200",
      },
    });
    expect(g.spec).toEqual({
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [
        {
          name: "store-https",
          protocol: "HTTPS",
          port: 443,
          hostname: "store.example.com",
          allowedRoutes: { namespaces: { from: "Same" } },
        },
        {
          name: "foo-https",
          protocol: "HTTPS",
          port: 443,
          hostname: "foo.example.com",
          allowedRoutes: { namespaces: { from: "Same" } },
        },
        {
          name: "partner-https",
          protocol: "HTTPS",
          port: 8443,
          hostname: "store.example.com",
          allowedRoutes: { namespaces: { from: "Same" } },
        },
      ],
      tls: {
        frontend: {
          default: {
            validation: {
              caCertificateRefs: [{ group: "", kind: "ConfigMap", name: cmDefault }],
              mode: "AllowValidOnly",
            },
          },
          perPort: [
            {
              port: 8443,
              tls: {
                validation: {
                  caCertificateRefs: [{ group: "", kind: "ConfigMap", name: cmPort }],
                  mode: "AllowValidOnly",
                },
              },
            },
          ],
        },
      },
    });
  });

  it("puts one root certificate under ca.crt in each ConfigMap, in the Gateway's namespace", async () => {
    expect(env.byName("store-ca-root").inputs).toMatchObject({
      metadata: { namespace: "shop" },
      data: { "ca.crt": await awaitOutput(pki.rootCertificatePem) },
    });
    expect(env.byName("store-ca-8443-root").inputs.data).toEqual({
      "ca.crt": await awaitOutput(partners.rootCertificatePem),
    });
  });

  it("maps each hostname to its certificate in the global certificate map", () => {
    const entries = children.filter((c) => c.type === T.entry);
    expect(entries.map((e) => [e.inputs.hostname, e.inputs.map, e.inputs.certificates])).toEqual(
      expect.arrayContaining([
        ["store.example.com", one(T.map).outputs.name, [env.byName("store-cert-store").id]],
        ["foo.example.com", one(T.map).outputs.name, [env.byName("store-cert-foo").id]],
      ]),
    );
    expect(env.byName("store-cert-store").inputs).toMatchObject({ location: "global", scope: "DEFAULT" });
    expect(env.byName("store-cert-store").secretInputs).toContain("selfManaged");
  });

  it("attaches a TLS 1.2 MODERN SSL policy through a GCPGatewayPolicy targeting the Gateway", () => {
    expect(one(T.sslPolicy).inputs).toMatchObject({ minTlsVersion: "TLS_1_2", profile: "MODERN" });
    expect(one(T.gcpPolicy).inputs).toMatchObject({
      apiVersion: "networking.gke.io/v1",
      kind: "GCPGatewayPolicy",
      metadata: { namespace: "shop" },
      spec: {
        default: { sslPolicy: one(T.sslPolicy).outputs.name },
        targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "store-gateway" },
      },
    });
  });

  it("renders manifests that pass the models' validate(), the schema's field names and the upstream CEL rules", async () => {
    await expectValid(children);
    for (const m of await awaitOutput(gw.manifests)) expect(await validateManifest(m as any)).toEqual([]);
  });

  it("outputs names for HTTPRoute parentRefs and the wiring", async () => {
    expect(await awaitOutput(gw.gatewayName)).toBe("store-gateway");
    expect(await awaitOutput(gw.gatewayNamespace)).toBe("shop");
    expect(gw.listenerNames).toEqual(["store-https", "foo-https", "partner-https"]);
    expect((await awaitOutput(gw.configMapNames)).length).toBe(2);
    expect(await awaitOutput(gw.certificateMapId!)).toBe(one(T.map).id);
  });

  it("waits for Programmed=True and every listener's ResolvedRefs at deploy time, against sample statuses", () => {
    const annotation = one(T.gateway).inputs.metadata.annotations["pulumi.com/waitFor"];
    const status = (programmed: string, resolved: Record<string, string>) => ({
      status: {
        conditions: [
          { type: "Accepted", status: "True" },
          { type: "Programmed", status: programmed },
        ],
        listeners: Object.entries(resolved).map(([name, ok]) => ({
          name,
          conditions: [{ type: "ResolvedRefs", status: ok }],
        })),
      },
    });
    const all = { "store-https": "True", "foo-https": "True", "partner-https": "True" };
    expect(evaluateWaitFor(annotation, status("True", all)).satisfied).toBe(true);
    expect(evaluateWaitFor(annotation, status("False", all)).satisfied).toBe(false);
    // Programmed while a listener's CA reference is broken: the controller says so on the listener only.
    expect(evaluateWaitFor(annotation, status("True", { ...all, "partner-https": "False" })).satisfied).toBe(false);
  });

  it("was programmed in the emulated cluster: address, listeners resolved, client validation read back", async () => {
    expect(one(T.gateway).failure).toBeUndefined();
    expect(await awaitOutput(gw.address)).toMatch(/^34\.\d+\.\d+\.\d+$/);
    expect(await awaitOutput(gw.clientValidationApplied)).toBe(true);
    const live = one(T.gateway).outputs;
    expect(live.status.conditions.find((c: any) => c.type === "Programmed").status).toBe("True");
    expect(
      live.status.listeners.map((l: any) => l.conditions.find((c: any) => c.type === "ResolvedRefs").status),
    ).toEqual(["True", "True", "True"]);
  });
});

describe("offline proof: the ConfigMap CA in a live handshake", () => {
  it("accepts the chain's client leaf and rejects a foreign one, strict and fallback", async () => {
    const gw = new GatewayFrontendMtls("proof", storeArgs({ gatewayName: "proof", sslPolicy: undefined }));
    await awaitOutput(gw.manifests);
    const ca = env.byName("proof-ca-root").inputs.data["ca.crt"];
    const [leaf, ...chainPems] = (await awaitOutput(pki.leaves.pos!.chainPem)).match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
    )!;
    const client = {
      certificatePem: leaf!,
      privateKeyPem: await awaitOutput(pki.leaves.pos!.privateKeyPem),
      chainPems,
    };
    const foreign = makeClient(makeRoot("Elsewhere"), "terminal-1");
    const foreignClient = { certificatePem: foreign.pem, privateKeyPem: foreign.keyPem };
    expect(await mtlsHandshake({ trustAnchors: [ca], client })).toMatchObject({
      accepted: true,
      verified: true,
      identity: { uriSans: ["spiffe://shop.example/pos/terminal-1"] },
    });
    expect(await mtlsHandshake({ trustAnchors: [ca], client: foreignClient })).toMatchObject({
      accepted: false,
      verified: false,
    });
    expect(await mtlsHandshake({ trustAnchors: [ca], client: foreignClient, mode: "permissive" })).toMatchObject({
      accepted: true,
      verified: false,
    });
  });
});

describe("other certificate and validation modes", () => {
  it("regional internal Gateway: Kubernetes TLS Secret + TrustConfig in the region, fallback warned", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    const gw = new GatewayFrontendMtls("internal", {
      region: "us-central1",
      namespace: "payments",
      gatewayClassName: "gke-l7-rilb",
      listeners: [{ name: "https", hostname: "store.example.com" }],
      tlsSecret: { material: { chain: pki, leaf: "store" } },
      clientValidation: { trust: { chain: pki }, mode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT", trustConfig: {} },
    });
    await awaitOutput(gw.manifests);
    const children = await childrenOf(gw);
    expect(children.map((c) => c.type).sort()).toEqual([T.gateway, T.secret, T.trustConfig].sort());
    const secret = children.find((c) => c.type === T.secret)!;
    expect(secret.inputs).toMatchObject({ type: "kubernetes.io/tls", metadata: { namespace: "payments" } });
    expect(secret.secretInputs).toContain("stringData");
    expect(secret.inputs.stringData["tls.crt"]).toBe(await awaitOutput(pki.leaves.store!.chainPem));
    const tc = children.find((c) => c.type === T.trustConfig)!;
    expect(tc.inputs.location).toBe("us-central1");
    expect(tc.inputs.trustStores).toEqual([await awaitOutput(pki.trustStore)]);
    const g = children.find((c) => c.type === T.gateway)!.inputs;
    expect(g.metadata.annotations).toMatchObject({
      "networking.gke.io/frontend-trust-config": tc.outputs.name,
      "networking.gke.io/allow-invalid-or-missing-client-cert": "true",
    });
    expect(g.spec.tls).toBeUndefined();
    expect(g.spec.listeners[0].tls).toEqual({
      mode: "Terminate",
      certificateRefs: [{ group: "", kind: "Secret", name: secret.outputs.metadata.name }],
    });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("admits clients with an invalid or missing certificate"),
      gw,
    );
    warn.mockRestore();
    await expectValid(children);
  });

  it("global Gateway: Google-managed Compute certificates, created outside GKE, named in the listener option", async () => {
    const gw = new GatewayFrontendMtls("managed", {
      namespace: "shop",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "store.example.com" }],
      preSharedCertificates: { googleManagedNames: ["store-managed"], existingNames: ["store-self"] },
      clientValidation: { trust: { chain: pki } },
    });
    await awaitOutput(gw.manifests);
    const children = await childrenOf(gw);
    expect(children.some((c) => c.type === T.sslCert || c.type === T.regionSslCert)).toBe(false);
    expect(children.find((c) => c.type === T.gateway)!.inputs.spec.listeners[0].tls).toEqual({
      mode: "Terminate",
      options: { "networking.gke.io/pre-shared-certs": "store-self,store-managed" },
    });
    await expectValid(children);
  });

  it("regional external Gateway: pre-shared regional SSL certificates (created + existing) in the listener option", async () => {
    const gw = new GatewayFrontendMtls("preshared", {
      region: "europe-west1",
      gatewayClassName: "gke-l7-regional-external-managed",
      listeners: [{ name: "https" }],
      preSharedCertificates: { material: { chain: pki, leaf: "store" }, existingNames: ["store-existing"] },
      clientValidation: { trust: { chain: pki } },
      // TLS 1.3 without a profile: RESTRICTED, the only one Compute accepts with it.
      sslPolicy: { minTlsVersion: "TLS_1_3" },
    });
    await awaitOutput(gw.manifests);
    const children = await childrenOf(gw);
    const cert = children.find((c) => c.type === T.regionSslCert)!;
    expect(cert.inputs.region).toBe("europe-west1");
    expect(cert.secretInputs).toContain("privateKey");
    const listener = children.find((c) => c.type === T.gateway)!.inputs.spec.listeners[0];
    expect(listener.tls).toEqual({
      mode: "Terminate",
      options: { "networking.gke.io/pre-shared-certs": `${cert.outputs.name},store-existing` },
    });
    expect(children.find((c) => c.type === T.regionSslPolicy)!.inputs).toMatchObject({
      region: "europe-west1",
      minTlsVersion: "TLS_1_3",
      profile: "RESTRICTED",
    });
    await expectValid(children);
  });

  it("regional Gateway: regional Certificate Manager certificates in cert-manager-certs", async () => {
    const gw = new GatewayFrontendMtls("regional-cm", {
      region: "us-east4",
      gatewayClassName: "gke-l7-rilb",
      listeners: [{ name: "https" }],
      certificateManager: {
        certificates: { store: { material: { chain: pki, leaf: "store" } } },
        existingCertificateNames: ["legacy"],
      },
      clientValidation: { trust: { chain: pki } },
    });
    await awaitOutput(gw.manifests);
    const children = await childrenOf(gw);
    const cert = children.find((c) => c.type === T.cert)!;
    expect(cert.inputs.location).toBe("us-east4");
    expect(children.find((c) => c.type === T.gateway)!.inputs.spec.listeners[0].tls).toEqual({
      mode: "Terminate",
      options: { "networking.gke.io/cert-manager-certs": `${cert.outputs.name},legacy` },
    });
    expect(children.some((c) => c.type === T.map)).toBe(false);
    await expectValid(children);
  });

  it("an HTTP listener (for a redirect) stands beside the HTTPS ones: no TLS, no certificate, no route of ours", async () => {
    const gw = new GatewayFrontendMtls(
      "with-http",
      storeArgs({
        gatewayName: "with-http",
        listeners: [
          { name: "store-https", hostname: "store.example.com" },
          { name: "partner-https", port: 8443, hostname: "store.example.com" },
          { name: "store-http", protocol: "HTTP", hostname: "store.example.com" },
        ],
        certificateManager: { certificates: { store: { material: { chain: pki, leaf: "store" } } } },
        routes: { store: { backends: [{ service: "store-v1", port: 8080 }] } },
      }),
    );
    await awaitOutput(gw.manifests);
    const children = await childrenOf(gw);
    const listeners = children.find((c) => c.type === T.gateway)!.inputs.spec.listeners;
    expect(listeners.map((l: any) => [l.name, l.protocol, l.port, l.tls === undefined])).toEqual([
      ["store-https", "HTTPS", 443, true], // the certificate map annotation serves it
      ["partner-https", "HTTPS", 8443, true],
      ["store-http", "HTTP", 80, true],
    ]);
    // The route names the HTTPS listeners: without a sectionName it would attach to the HTTP one too.
    const route = children.find((c) => c.type === T.route)!;
    expect(route.inputs.spec.parentRefs.map((r: any) => r.sectionName)).toEqual(["store-https", "partner-https"]);
    // One map entry for the hostname: the HTTP listener needs no certificate.
    expect(children.filter((c) => c.type === T.entry)).toHaveLength(1);
    await expectValid(children);
  });

  it("ConfigMaps in another namespace get a ReferenceGrant and namespaced refs", async () => {
    const rotating = makeRoot("Previous Shop Root");
    const gw = new GatewayFrontendMtls("shared-ca", {
      namespace: "shop",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "store.example.com" }],
      // An existing object may be named by an Output (e.g. another stack's output).
      tlsSecret: { existingSecretName: pulumi.output("store-tls") },
      clientValidation: {
        trust: { chain: pki, trustAnchorPems: { "previous-root": rotating.pem } },
        configMapNamespace: "trust",
      },
    });
    await awaitOutput(gw.manifests);
    const children = await childrenOf(gw);
    const grant = children.find((c) => c.type === T.grant)!;
    const names = children
      .filter((c) => c.type === T.configMap)
      .map((c) => c.outputs.metadata.name)
      .sort();
    expect(grant.inputs.metadata.namespace).toBe("trust");
    expect(grant.inputs.spec.from).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "shop" },
    ]);
    expect(grant.inputs.spec.to.map((t: any) => t.name).sort()).toEqual(names);
    const refs = children.find((c) => c.type === T.gateway)!.inputs.spec.tls.frontend.default.validation
      .caCertificateRefs;
    expect(refs).toHaveLength(2);
    for (const ref of refs) expect(ref).toMatchObject({ group: "", kind: "ConfigMap", namespace: "trust" });
    expect(children.find((c) => c.type === T.gateway)!.inputs.spec.listeners[0].tls.certificateRefs).toEqual([
      { group: "", kind: "Secret", name: "store-tls" },
    ]);
    await expectValid(children);
  });

  it("creates the guide's routes: one HTTPRoute per key, from its listeners to Service ports, each waiting for acceptance", async () => {
    const gw = new GatewayFrontendMtls(
      "routed",
      storeArgs({
        gatewayName: "routed",
        sslPolicy: undefined,
        routes: {
          store: { listeners: ["store-https"], backends: [{ service: "store-v1", port: 8080 }] },
          foo: { name: "foo", pathPrefix: "/api", backends: [{ service: "foo-v1", port: 8080, weight: 3 }] },
        },
      }),
    );
    await awaitOutput(gw.manifests);
    const routes = (await childrenOf(gw)).filter((c) => c.type === T.route);
    expect(routes.map((r) => r.name).sort()).toEqual(["routed-route-foo", "routed-route-store"]);
    const store = routes.find((r) => r.name === "routed-route-store")!.inputs;
    expect(store.metadata).toEqual({
      name: "routed-store",
      namespace: "shop",
      annotations: {
        "pulumi.com/waitFor": JSON.stringify([
          'jsonpath={.status.parents[?(@.parentRef.name=="routed" && @.parentRef.sectionName=="store-https")].conditions[?(@.type=="Accepted")].status}=True',
        ]),
        "pulumi.com/timeoutSeconds": "1200",
      },
    });
    expect(store.spec).toEqual({
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "routed", sectionName: "store-https" }],
      hostnames: ["store.example.com"],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: [{ group: "", kind: "Service", name: "store-v1", port: 8080 }],
        },
      ],
    });
    const foo = routes.find((r) => r.name === "routed-route-foo")!.inputs;
    expect(foo.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "routed" }]);
    expect(foo.spec.hostnames).toEqual(["store.example.com", "foo.example.com"]);
    expect(foo.spec.rules[0].backendRefs[0].weight).toBe(3);
    expect(gw.routedServices).toEqual([
      { namespace: "shop", name: "store-v1", port: 8080 },
      { namespace: "shop", name: "foo-v1", port: 8080 },
    ]);
    // The emulated controller accepted both on the Gateway.
    for (const r of routes) {
      expect(r.failure).toBeUndefined();
      expect(r.outputs.status.parents.every((p: any) => p.conditions[0].status === "True")).toBe(true);
    }
    for (const r of routes)
      expect(
        await validateManifest({
          apiVersion: r.inputs.apiVersion,
          kind: r.inputs.kind,
          metadata: r.inputs.metadata,
          spec: r.inputs.spec,
        }),
      ).toEqual([]);
  });

  it("can turn the deploy-time wait off or lengthen it", async () => {
    const off = new GatewayFrontendMtls(
      "no-wait",
      storeArgs({ gatewayName: "no-wait", sslPolicy: undefined, deployTimeVerification: { enabled: false } }),
    );
    const slow = new GatewayFrontendMtls(
      "slow-wait",
      storeArgs({ gatewayName: "slow-wait", sslPolicy: undefined, deployTimeVerification: { timeoutSeconds: 3600 } }),
    );
    const [a, b] = [(await awaitOutput(off.manifests))[0] as any, (await awaitOutput(slow.manifests))[0] as any];
    expect(a.metadata.annotations["pulumi.com/waitFor"]).toBeUndefined();
    expect(b.metadata.annotations).toMatchObject({
      "pulumi.com/waitFor": gatewayWaitFor("store-https", "foo-https", "partner-https"),
      "pulumi.com/timeoutSeconds": "3600",
    });
  });
});

describe("guardrails: refused before any resource exists, with the argument, the value and the fix", () => {
  const leafPem = makeClient(makeRoot("r"), "leaf").pem;
  const two = makeRoot("a").pem + makeRoot("b").pem;
  const nine = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`ca${i}`, makeRoot(`ca${i}`).pem]));
  const issuing = makeRoot("Server Issuing");
  const server = makeServer(issuing, "store.example.com", { template: { dnsNames: ["store.example.com"] } });
  const otherKey = makeServer(issuing, "other.example.com");
  const eightMore = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, makeRoot(`p${i}`).pem]));
  const cases: [string, Partial<GatewayFrontendMtlsArgs>, string, RuleId?][] = [
    [
      // cert.server.key-matches
      "server certificate PEM with another key",
      {
        certificateManager: undefined,
        tlsSecret: { material: { certificatePem: server.pem, privateKeyPem: otherKey.keyPem } },
      },
      "`tlsSecret.material.privateKeyPem` is not the key of the certificate's leaf (the first certificate of `certificatePem`); pass the leaf's own key",
      "cert.server.key-matches",
    ],
    [
      // cert.leaf.server-auth-eku
      "client-only certificate PEM as the server certificate",
      {
        certificateManager: undefined,
        tlsSecret: { material: { certificatePem: leafPem, privateKeyPem: server.keyPem } },
      },
      "`tlsSecret.material.certificatePem` (CN=leaf) has extendedKeyUsage [client_auth] without serverAuth, so TLS clients refuse it as a server certificate; issue it with serverAuth",
    ],
    [
      // Compute Engine Google-managed certificates are global resources only.
      "Google-managed Compute certificates on a regional class",
      {
        region: "us-central1",
        gatewayClassName: "gke-l7-rilb",
        certificateManager: undefined,
        preSharedCertificates: { googleManagedNames: ["store-managed"] },
      },
      "`preSharedCertificates.googleManagedNames` names Compute Engine Google-managed certificates, which are global resources that regional load balancers cannot use, but `gke-l7-rilb` is a regional class: use Certificate Manager Google-managed certificates (`certificateManager`) instead",
      "gcp.compute.managed-ssl-certificate",
    ],
    [
      // gcp.compute.target-proxy-certificates
      "sixteen pre-shared certificates",
      {
        certificateManager: undefined,
        preSharedCertificates: { existingNames: Array.from({ length: 16 }, (_, i) => `cert-${i}`) },
      },
      "`preSharedCertificates` names 16 SSL certificates; a load balancer's target proxy references at most 15: use Certificate Manager for more",
      "gcp.compute.target-proxy-certificates",
    ],
    [
      // k8s.gateway-api.limits: a ReferenceGrant lists at most 16 `to` entries
      "seventeen CA ConfigMaps in another namespace",
      {
        listeners: [
          { name: "store-https", hostname: "store.example.com" },
          { name: "partner-https", port: 8443, hostname: "store.example.com" },
          { name: "more-https", port: 9443, hostname: "store.example.com" },
        ],
        clientValidation: {
          configMapNamespace: "pki",
          trust: { trustAnchorPems: nine },
          perPort: [
            { port: 8443, trust: { trustAnchorPems: eightMore } },
            { port: 9443, trust: { trustAnchorPems: { last: makeRoot("last").pem } } },
          ],
        },
      },
      "`clientValidation.configMapNamespace` `pki` would hold 17 CA ConfigMaps, and the ReferenceGrant that lets the Gateway read them lists at most 16: trust fewer CAs across namespaces, or keep the ConfigMaps in the Gateway's namespace",
      "k8s.gateway-api.limits",
    ],
    [
      "unsupported class",
      { gatewayClassName: "gke-l7-gxlb" as never },
      "`gatewayClassName` `gke-l7-gxlb` does not support frontend mTLS; use one of gke-l7-global-external-managed, gke-l7-regional-external-managed, gke-l7-rilb",
      "gke.frontend-mtls.classes",
    ],
    [
      "the ManagedCertificate annotation (Ingress only)",
      { annotations: { "networking.gke.io/managed-certificates": "store-cert" } },
      "`annotations` sets `networking.gke.io/managed-certificates`, which the GKE Gateway controller does not support (ManagedCertificate is an Ingress feature): give the certificates through `certificateManager` or `preSharedCertificates`",
      "gke.certificates.managed-certificate",
    ],
    [
      "HTTP listeners only",
      { listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
      "`listeners` has no HTTPS listener: client certificates are validated on HTTPS listeners only; add one (an HTTP listener may stand beside it, for redirects)",
    ],
    [
      "a TCP listener",
      {
        listeners: [
          { name: "https", hostname: "store.example.com" },
          { name: "tcp", port: 5432, protocol: "TCP" },
        ],
      },
      "`listeners[1].protocol` is `TCP`; a frontend mTLS Gateway serves `HTTPS` listeners (client certificates are validated there) and `HTTP` ones for redirects: serve this protocol from another Gateway",
    ],
    [
      "TLS options on an HTTP listener",
      {
        listeners: [
          { name: "https", hostname: "store.example.com" },
          { name: "http", protocol: "HTTP", tlsOptions: { a: "b" } },
        ],
      },
      "`listeners[1].tlsOptions` is set on an HTTP listener, which has no TLS (the Gateway API refuses `tls` on HTTP listeners): remove it",
      "k8s.gateway-api.cel",
    ],
    [
      "a route through the HTTP listener",
      {
        listeners: [
          { name: "https", hostname: "store.example.com" },
          { name: "http", protocol: "HTTP", hostname: "store.example.com" },
        ],
        routes: { store: { listeners: ["http"], backends: [{ service: "store", port: 8080 }] } },
      },
      '`routes.store.listeners[0]` `http` is an HTTP listener: the route would reach its Services without client validation; attach it to HTTPS listeners (`["https"]`)',
    ],
    [
      "passthrough listener",
      { listeners: [{ name: "tls", tlsMode: "Passthrough" }] },
      "`listeners[0].tlsMode` is `Passthrough`; frontend mTLS needs the Gateway to terminate TLS: use `Terminate`",
    ],
    [
      "no server certificate",
      { certificateManager: undefined },
      "Exactly one of [tlsSecret], [preSharedCertificates] and [certificateManager] must be set, got none; it provides the Gateway's server certificate",
    ],
    [
      "two server certificate sources",
      { tlsSecret: { existingSecretName: "s" } },
      "Exactly one of [tlsSecret], [preSharedCertificates] and [certificateManager] must be set, got [tlsSecret], [certificateManager]; it provides the Gateway's server certificate",
    ],
    [
      "certmap annotation with certificateRefs",
      {
        certificateManager: undefined,
        tlsSecret: { existingSecretName: "s" },
        annotations: { "networking.gke.io/certmap": "m" },
      },
      "`annotations` sets `networking.gke.io/certmap` while [tlsSecret] makes the listeners use `tls.certificateRefs`; GKE treats the two together as an error: use one source of server certificates",
      "gke.certificates.certmap",
    ],
    [
      "certmap on a regional class",
      {
        gatewayClassName: "gke-l7-rilb",
        region: "us-central1",
        certificateManager: { existingCertificateMapName: "m" },
      },
      "`certificateManager.existingCertificateMapName` is set on the regional class `gke-l7-rilb`; certificate maps serve global Gateways only: use `existingCertificateNames`",
      "gke.certificates.certmap",
    ],
    [
      "cert-manager-certs on a global class",
      {
        listeners: [
          { name: "https", hostname: "store.example.com", tlsOptions: { "networking.gke.io/cert-manager-certs": "c" } },
        ],
      },
      "`listeners[0].tlsOptions` sets `networking.gke.io/cert-manager-certs` on a global Gateway; it works for regional classes only: use a certificate map (`certificateManager`)",
      "gke.certificates.cert-manager-certs",
    ],
    [
      "per-port overrides with TrustConfig trust",
      {
        clientValidation: {
          trust: { trustAnchorPems: { t: makeRoot("t").pem } },
          perPort: [{ port: 8443, trust: { trustAnchorPems: { u: makeRoot("u").pem } } }],
          trustConfig: {},
        },
      },
      "`clientValidation.perPort` applies to ConfigMap trust, but `clientValidation.trustConfig` puts the trust in a TrustConfig, which the Gateway applies to every listener; remove one of them",
    ],
    [
      "trust given with validation disabled",
      { clientValidation: { trust: { trustAnchorPems: { t: makeRoot("t-off").pem } }, mode: "DISABLED" } },
      "`clientValidation.trust` is set, but `clientValidation.mode` is `DISABLED` (server TLS only: no client certificate is validated); remove it, or validate clients with `REJECT_INVALID`",
    ],
    [
      "a Gateway API spelling of the mode",
      {
        clientValidation: { trust: { trustAnchorPems: { t: makeRoot("t-gw").pem } }, mode: "AllowValidOnly" as never },
      },
      "`clientValidation.mode` must be `REJECT_INVALID`, `ALLOW_INVALID_OR_MISSING_CLIENT_CERT` or `DISABLED` (server TLS only), got `AllowValidOnly`",
    ],
    [
      "no CA to trust",
      { clientValidation: { trust: {} } },
      "`clientValidation.trust` trusts no CA, so every certificate would be rejected: set `chain` to the PKI that issues the certificates, or `trustAnchorPems` to its root CAs",
    ],
    [
      "intermediates in ConfigMap trust",
      { clientValidation: { trust: { chain: pki, intermediateCaPems: { i: makeRoot("i").pem } } } },
      "`clientValidation.trust.intermediateCaPems` cannot be delivered: a `caCertificateRefs` ConfigMap holds the CA a chain ends at, and the peer sends its intermediates; remove it, or trust through a TrustConfig (`trustConfig`)",
    ],
    [
      "per-port override for an unused port",
      {
        clientValidation: {
          trust: { trustAnchorPems: { a: makeRoot("x").pem } },
          perPort: [{ port: 9443, trust: { trustAnchorPems: { b: makeRoot("y").pem } } }],
        },
      },
      "`clientValidation.perPort[0].port` 9443 is not used by any listener (ports: `[443,8443]`); an override for it would never apply",
    ],
    [
      "duplicated per-port override",
      {
        clientValidation: {
          trust: { trustAnchorPems: { a: makeRoot("x2").pem } },
          perPort: [
            { port: 8443, trust: { trustAnchorPems: { b: makeRoot("y2").pem } } },
            { port: 8443, trust: { trustAnchorPems: { c: makeRoot("z2").pem } } },
          ],
        },
      },
      "`clientValidation.perPort[1].port` 8443 is already overridden by `perPort[0]`; one override per port",
    ],
    [
      "TrustConfig location ≠ class location",
      {
        clientValidation: {
          trust: { trustAnchorPems: { t: makeRoot("t2").pem } },
          trustConfig: { location: "us-central1" },
        },
      },
      "`clientValidation.trustConfig.location` is `us-central1`, but the TrustConfig must be in the Gateway's location `global` (`gke-l7-global-external-managed`); set it to `global` or leave it out",
      "gke.frontend-mtls.trust-config-annotation",
    ],
    [
      "ConfigMap with several certificates",
      { clientValidation: { trust: { trustAnchorPems: { bundle: two } } } },
      "`clientValidation.trust.trustAnchorPems.bundle` must hold exactly one PEM certificate, found 2 certificate(s) among 2 PEM block(s) (CERTIFICATE); put one certificate per entry",
    ],
    [
      "ConfigMap with no certificate",
      { clientValidation: { trust: { trustAnchorPems: { empty: "not a pem" } } } },
      "`clientValidation.trust.trustAnchorPems.empty` must hold exactly one PEM certificate, found 0 certificate(s) among 0 PEM block(s); put one certificate per entry",
    ],
    [
      "leaf as trust anchor",
      { clientValidation: { trust: { trustAnchorPems: { leaf: leafPem } } } },
      "`clientValidation.trust.trustAnchorPems.leaf` (CN=leaf) is not a CA certificate (basicConstraints CA:FALSE); pass the root or intermediate CA that issues the certificates instead",
    ],
    [
      "more than 8 CA refs",
      {
        clientValidation: {
          trust: { trustAnchorPems: { ...nine, extra: makeRoot("extra").pem } },
        },
      },
      "`clientValidation.trust` gives 9 CA certificates, more than the 8 `caCertificateRefs` a validation block holds (Gateway API v1.5 CRDs); trust fewer roots, or trust through a TrustConfig (`clientValidation.trustConfig`)",
      "k8s.gateway-api.limits",
    ],
    [
      "hostname without certificate",
      { listeners: [{ name: "https", hostname: "bar.example.com" }] },
      '`listeners[0].hostname` `bar.example.com` is not covered by any `certificateManager.certificates` entry (hostnames: `["store.example.com","foo.example.com"]`); add a certificate for it',
    ],
    [
      "duplicate listener",
      {
        listeners: [
          { name: "a", hostname: "store.example.com" },
          { name: "b", hostname: "store.example.com" },
        ],
      },
      "`listeners[1]` has the same port 443 and hostname `store.example.com` as `listeners[0]`; each listener needs a distinct port or hostname",
    ],
    [
      "regional class without region",
      { gatewayClassName: "gke-l7-rilb" },
      "`region` is required for the regional class `gke-l7-rilb`: its certificates and trust config live in that region",
    ],
    [
      "weak SSL policy",
      { sslPolicy: { profile: "COMPATIBLE" as never } },
      "`sslPolicy.profile` must be `MODERN` or `RESTRICTED`, got `COMPATIBLE`; COMPATIBLE allows weak ciphers",
    ],
    [
      // Rule gcp.compute.ssl-policy.tls13-restricted (magic-modules compute/SslPolicy.yaml, minTlsVersion).
      "TLS 1.3 with the MODERN profile",
      { sslPolicy: { minTlsVersion: "TLS_1_3", profile: "MODERN" } },
      '`sslPolicy.profile` must be `RESTRICTED` when `minTlsVersion` is `TLS_1_3`, got `MODERN`; the Compute API refuses TLS 1.3 with any other profile: set `profile: "RESTRICTED"` or leave it out',
    ],
    [
      "material with a leaf but no chain",
      { certificateManager: { certificates: { pos: { material: { chain: undefined as never, leaf: "pos" } } } } },
      "`certificateManager.certificates.pos.material` needs both `chain` and `leaf`",
    ],
  ];

  let bad = 0;
  it.each(cases)("%s", async (...row) => {
    // A rest parameter: with a fourth named one, jest would take rows without a rule for callback-style tests.
    const [, overrides, message, rule] = row;
    const name = `bad-${bad++}`;
    const error = thrownBy(() => new GatewayFrontendMtls(name, storeArgs(overrides)));
    expect(() => {
      throw error;
    }).toThrow(message);
    // Upstream constraints name their catalogue rule.
    if (rule !== undefined) expect(error.problems.map((p) => p.rule)).toContain(rule);
    // Registration is asynchronous: only once it has settled does "no child was created" mean anything.
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith(`${name}-`))).toEqual([]);
  });

  it("refuses ConfigMap keys that would name a per-port ConfigMap", () => {
    expect(
      () =>
        new GatewayFrontendMtls(
          "clash",
          storeArgs({
            clientValidation: {
              trust: { trustAnchorPems: { "8443-root": makeRoot("x3").pem } },
              perPort: [{ port: 8443, trust: { chain: partners } }],
            },
          }),
        ),
    ).toThrow(
      "`clientValidation.perPort[0].trust.chain` would name its ConfigMap like `clientValidation.trust.trustAnchorPems.8443-root` (`<name>-ca-8443-root`); choose another key",
    );
  });

  it("names certificate map entries of look-alike hostnames apart", async () => {
    const chain = new CertificateChain("lookalike", {
      root: { subject: { commonName: "Look-alike Root" } },
      leaves: { a: { usages: ["server"], dnsNames: ["a-b.example.com", "a.b.example.com"] } },
    });
    const gw = new GatewayFrontendMtls("lookalike", {
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [
        { name: "one", hostname: "a-b.example.com" },
        { name: "two", hostname: "a.b.example.com" },
      ],
      certificateManager: { certificates: { a: { material: { chain, leaf: "a" } } } },
      clientValidation: { trust: { chain } },
    });
    await awaitOutput(gw.manifests);
    const entries = (await childrenOf(gw)).filter((c) => c.type === T.entry);
    expect(entries.map((e) => e.name)).toHaveLength(2);
    expect(new Set(entries.map((e) => e.name)).size).toBe(2);
    for (const e of entries) expect(e.name).toMatch(/^lookalike-cert-map-entry-[a-z0-9-]+-[0-9a-f]{7}$/);
    env.assertNoDuplicates();
  });

  it("refuses a client-only leaf as a server certificate", () => {
    expect(
      () =>
        new GatewayFrontendMtls(
          "bad-leaf",
          storeArgs({ certificateManager: { certificates: { pos: { material: { chain: pki, leaf: "pos" } } } } }),
        ),
    ).toThrow(
      '`certificateManager.certificates.pos.material.leaf` `pos` is a client-only certificate (no serverAuth); issue it with `usages: ["server"]`',
    );
  });
});

describe("read-back of the client validation (k8s.gateway-api.frontend-validation-version, pulumi-k8s.live-outputs)", () => {
  const run = async (version: string) => {
    const own = await setupMocks({ gatewayApi: { version, channel: "standard" } });
    const pki = new CertificateChain("pki", {
      root: { subject: { commonName: "Root" } },
      leaves: { edge: { usages: ["server"], dnsNames: ["edge.example.com"] } },
    });
    const gw = new GatewayFrontendMtls("edge", {
      namespace: "edge",
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [{ name: "https", hostname: "edge.example.com" }],
      certificateManager: { certificates: { edge: { material: { chain: pki, leaf: "edge" } } } },
      clientValidation: { trust: { chain: pki } },
    });
    let applied: unknown;
    await awaitOutput(gw.clientValidationApplied, 10_000).then(
      (v) => (applied = v),
      (e: Error) => (applied = e.message),
    );
    await own.settled().catch(() => undefined);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const live = own.byName("edge-gateway").outputs;
    return {
      applied,
      liveTls: live.spec?.tls ?? null,
      deploymentErrors: [...new Set(own.deferredErrors.map((e) => e.message))],
    };
  };
  it("passes on v1.5.0 CRDs, where the live Gateway keeps its validation", async () => {
    const result = await run("v1.5.0");
    expect(result.applied).toBe(true);
    expect(result.liveTls).toMatchObject({ frontend: { default: { validation: { mode: "AllowValidOnly" } } } });
    expect(result.deploymentErrors).toEqual([]);
  });
});
