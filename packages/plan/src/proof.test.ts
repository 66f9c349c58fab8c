import { MockEnvironment, makeRoot, makeSelfSigned, makeServer, type RecordedResource } from "@gcp-mtls/testing";
import { proveEnvironment } from "./proof";

// A Gateway component as the plan records it: its ConfigMaps (auto-named) and the Gateway manifest referencing them.
function gatewayEnvironment(frontend: Record<string, unknown>): MockEnvironment {
  const env = new MockEnvironment({ project: "p", stack: "s", preview: false });
  const component = "urn:pulumi:s::p::gcp-mtls:index:GatewayFrontendMtls::edge";
  const record = (r: Partial<RecordedResource> & Pick<RecordedResource, "urn" | "type" | "name">) =>
    env.record({
      custom: true,
      inputs: {},
      secretInputs: [],
      outputs: {},
      secretOutputs: [],
      dependencies: [],
      propertyDependencies: {},
      replaceOnChanges: [],
      deleteBeforeReplace: false,
      protect: false,
      ...r,
    });
  record({ urn: component, type: "gcp-mtls:index:GatewayFrontendMtls", name: "edge", custom: false });
  const configMap = (name: string, pem: string, namespace = "edge") =>
    record({
      urn: `urn:pulumi:s::p::gcp-mtls:index:GatewayFrontendMtls$kubernetes:core/v1:ConfigMap::${name}`,
      type: "kubernetes:core/v1:ConfigMap",
      name,
      parent: component,
      inputs: { metadata: { namespace }, data: { "ca.crt": pem } },
      outputs: { metadata: { name: `${name}-x1`, namespace } },
    });
  configMap("edge-ca-root", makeRoot("Default Root").pem);
  configMap("edge-ca-8443-root", makeRoot("Partner Root").pem);
  record({
    urn: "urn:pulumi:s::p::gcp-mtls:index:GatewayFrontendMtls$kubernetes:gateway.networking.k8s.io/v1:Gateway::edge-gateway",
    type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    name: "edge-gateway",
    parent: component,
    inputs: { metadata: { name: "edge", namespace: "edge" }, spec: { tls: { frontend } } },
  });
  return env;
}

const refs = (...names: string[]) => names.map((name) => ({ group: "", kind: "ConfigMap", name }));

describe("proveEnvironment on a Gateway's client validation", () => {
  it("proves the default and each port against their own ConfigMaps and mode", async () => {
    const env = gatewayEnvironment({
      default: { validation: { caCertificateRefs: refs("edge-ca-root-x1"), mode: "AllowInsecureFallback" } },
      perPort: [{ port: 8443, tls: { validation: { caCertificateRefs: refs("edge-ca-8443-root-x1") } } }],
    });
    const rows = await proveEnvironment(env);
    expect(rows.map((r) => [r.ok, r.component, r.client, r.handshake, r.skipped])).toEqual([
      [true, "GatewayFrontendMtls edge", "-", "-", "no client leaf of this plan chains to its CAs"],
      [true, "GatewayFrontendMtls edge", "impostor (foreign root)", "admitted unverified (permissive)", undefined],
      [true, "GatewayFrontendMtls edge :8443", "-", "-", "no client leaf of this plan chains to its CAs"],
      [
        true,
        "GatewayFrontendMtls edge :8443",
        "impostor (foreign root)",
        "rejected UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        undefined,
      ],
    ]);
  });

  it("fails a reference to a ConfigMap the plan does not hold (wrong name or namespace), keeping the others", async () => {
    const env = gatewayEnvironment({
      default: {
        validation: {
          caCertificateRefs: [
            ...refs("edge-ca-root-x1", "edge-ca-gone"),
            { group: "", kind: "ConfigMap", name: "edge-ca-8443-root-x1", namespace: "trust" },
          ],
        },
      },
    });
    const rows = await proveEnvironment(env);
    expect(rows.filter((r) => !r.ok).map((r) => r.client)).toEqual([
      "(caCertificateRefs edge/edge-ca-gone: no such ConfigMap in the plan)",
      "(caCertificateRefs trust/edge-ca-8443-root-x1: no such ConfigMap in the plan)",
    ]);
    expect(rows.filter((r) => r.ok).map((r) => r.skipped ?? r.client)).toEqual([
      "no client leaf of this plan chains to its CAs",
      "impostor (foreign root)",
    ]);
  });
});

describe("proveEnvironment says what it skipped", () => {
  it("a Gateway without client validation in its manifest is a skipped row, not left out", async () => {
    const env = gatewayEnvironment({});
    // No `frontend` at all: replace the manifest's tls.
    env.byName("edge-gateway").inputs.spec = {};
    const rows = await proveEnvironment(env);
    expect(rows).toEqual([
      {
        component: "GatewayFrontendMtls edge",
        client: "-",
        handshake: "-",
        seen: "-",
        authorization: "-",
        ok: true,
        skipped: "no client validation in Gateway edge/edge (server TLS only)",
      },
    ]);
  });

  it("a proxy whose ServerTlsPolicy names a TrustConfig the plan does not hold is a skipped row", async () => {
    const env = new MockEnvironment({ project: "p", stack: "s", preview: false });
    const record = (r: Partial<RecordedResource> & Pick<RecordedResource, "urn" | "type" | "name">) =>
      env.record({
        custom: true,
        inputs: {},
        secretInputs: [],
        outputs: {},
        secretOutputs: [],
        dependencies: [],
        propertyDependencies: {},
        replaceOnChanges: [],
        deleteBeforeReplace: false,
        protect: false,
        ...r,
      });
    // Hand-wired: no component, only the upstream resources.
    const policy = "projects/p/locations/us-central1/serverTlsPolicies/stp";
    record({
      urn: "urn:pulumi:s::p::gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy::stp",
      type: "gcp:networksecurity/serverTlsPolicy:ServerTlsPolicy",
      name: "stp",
      inputs: {
        mtlsPolicy: {
          clientValidationMode: "REJECT_INVALID",
          clientValidationTrustConfig: "projects/123/locations/us-central1/trustConfigs/elsewhere",
        },
      },
      id: policy,
    });
    record({
      urn: "urn:pulumi:s::p::gcp:networkservices/gateway:Gateway::egress",
      type: "gcp:networkservices/gateway:Gateway",
      name: "egress",
      inputs: { type: "SECURE_WEB_GATEWAY", serverTlsPolicy: policy },
      id: "projects/p/locations/us-central1/gateways/egress",
    });
    const rows = await proveEnvironment(env);
    expect(rows.map((r) => [r.component, r.skipped])).toEqual([
      ["Secure Web Proxy egress", "no TrustConfig in this plan (its trust is configured elsewhere)"],
    ]);
  });
});

// The guide's verify step, `curl --resolve HOST:443:ADDRESS --cacert ROOT https://HOST`, as a handshake: the listener's
// server certificate, served with SNI = its hostname, must chain to a root of the plan and carry the hostname.
describe("proveEnvironment on a Gateway's server certificates", () => {
  function serverTlsEnvironment(certificateHost: string, selfSigned = false): MockEnvironment {
    const env = new MockEnvironment({ project: "p", stack: "s", preview: false });
    const record = (r: Partial<RecordedResource> & Pick<RecordedResource, "urn" | "type" | "name">) =>
      env.record({
        custom: true,
        inputs: {},
        secretInputs: [],
        outputs: {},
        secretOutputs: [],
        dependencies: [],
        propertyDependencies: {},
        replaceOnChanges: [],
        deleteBeforeReplace: false,
        protect: false,
        ...r,
      });
    const root = makeRoot("Store Root");
    const server = selfSigned
      ? makeSelfSigned(certificateHost, { template: { dnsNames: [certificateHost], allowedUses: ["server_auth"] } })
      : makeServer(root, certificateHost, { template: { dnsNames: [certificateHost] } });
    record({
      urn: "urn:pulumi:s::p::tls:index/selfSignedCert:SelfSignedCert::root",
      type: "tls:index/selfSignedCert:SelfSignedCert",
      name: "root",
      inputs: { isCaCertificate: true },
      outputs: { certPem: root.pem },
    });
    record({
      urn: "urn:pulumi:s::p::kubernetes:core/v1:Secret::store-example-com",
      type: "kubernetes:core/v1:Secret",
      name: "store-example-com",
      inputs: {
        metadata: { name: "store-example-com", namespace: "store" },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": server.pem, "tls.key": server.keyPem },
      },
    });
    record({
      urn: "urn:pulumi:s::p::kubernetes:gateway.networking.k8s.io/v1:Gateway::external-http",
      type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      name: "external-http",
      inputs: {
        metadata: { name: "external-http", namespace: "store" },
        spec: {
          gatewayClassName: "gke-l7-global-external-managed",
          listeners: [
            {
              name: "https",
              protocol: "HTTPS",
              port: 443,
              hostname: "store.example.com",
              tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: "store-example-com" }] },
            },
            { name: "http", protocol: "HTTP", port: 80 },
          ],
        },
      },
    });
    return env;
  }

  it("verifies the Secret's certificate for the listener's hostname, and says the Gateway validates no client", async () => {
    const rows = await proveEnvironment(serverTlsEnvironment("store.example.com"));
    expect(rows.map((r) => [r.ok, r.component, r.client, r.handshake, r.seen, r.skipped])).toEqual([
      [
        true,
        "Gateway external-http https",
        "curl https://store.example.com:443 (SNI store.example.com)",
        "server verified (Secret store-example-com)",
        "store.example.com",
        undefined,
      ],
      [
        true,
        "Gateway external-http",
        "-",
        "-",
        "-",
        "no client validation in Gateway store/external-http (server TLS only)",
      ],
    ]);
  });

  it("verifies the guide's self-signed server certificate against itself (its own --cacert)", async () => {
    const rows = await proveEnvironment(serverTlsEnvironment("store.example.com", true));
    expect(rows[0]).toMatchObject({ ok: true, handshake: "server verified (Secret store-example-com)" });
  });

  it("fails a listener whose certificate is for another name (curl would refuse it)", async () => {
    const rows = await proveEnvironment(serverTlsEnvironment("other.example.com"));
    expect(rows[0]).toMatchObject({
      ok: false,
      component: "Gateway external-http https",
      handshake: "REFUSED ERR_TLS_CERT_ALTNAME_INVALID",
      seen: "other.example.com",
    });
  });
});
