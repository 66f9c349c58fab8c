import { validateManifest } from "./models";

const gateway = (spec: Record<string, unknown>) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "gw", namespace: "infra", annotations: { "networking.gke.io/certmap": "m" } },
  spec,
});
const listeners = [
  { name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ name: "cert" }] } },
];
const ca = { group: "", kind: "ConfigMap", name: "ca" };

describe("validateManifest", () => {
  it("accepts the upstream frontend validation shape", async () => {
    const spec = {
      gatewayClassName: "gke-l7-global-external-managed",
      listeners,
      tls: {
        frontend: {
          default: { validation: { caCertificateRefs: [ca], mode: "AllowValidOnly" } },
          perPort: [{ port: 443, tls: { validation: { caCertificateRefs: [ca] } } }],
        },
      },
    };
    expect(await validateManifest(gateway(spec))).toEqual([]);
  });

  it("flags the GKE guide's `tls.frontendValidation`, which no upstream release has", async () => {
    const spec = {
      gatewayClassName: "gke-l7-global-external-managed",
      listeners,
      tls: { frontendValidation: { default: { caCertificateRefs: [ca] } } },
    };
    expect(await validateManifest(gateway(spec))).toEqual([
      { path: ".spec.tls.frontendValidation", message: "unknown field (not in the resource's schema)" },
    ]);
  });

  it("reports the model validator's findings (types, enums, limits)", async () => {
    const spec = {
      gatewayClassName: "x",
      listeners: [{ name: "https", port: 70000, protocol: "HTTPS" }],
      tls: { frontend: { default: { validation: { caCertificateRefs: [ca], mode: "Sometimes" } } } },
    };
    const problems = await validateManifest(gateway(spec));
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([".spec.listeners.0.port", ".spec.tls.frontend.default.validation.mode"]),
    );
  });

  it("walks nested metadata, maps and core kinds", async () => {
    expect(
      await validateManifest({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "ca", labels: { a: "b" } },
        data: { "ca.crt": "x" },
      }),
    ).toEqual([]);
    expect(
      await validateManifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ca", labes: {} }, data: {} }),
    ).toEqual([{ path: ".metadata.labes", message: "unknown field (not in the resource's schema)" }]);
    const policy = {
      apiVersion: "networking.gke.io/v1",
      kind: "GCPGatewayPolicy",
      metadata: { name: "p" },
      spec: {
        default: { sslPolicy: "strict" },
        targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" },
      },
    };
    expect(await validateManifest(policy)).toEqual([]);
  });
});

describe("CEL rules of the upstream CRDs", () => {
  it("refuses Terminate without certificateRefs or options, duplicate listeners and per-port ports", async () => {
    const spec = {
      gatewayClassName: "gke-l7-global-external-managed",
      listeners: [
        { name: "a", port: 443, protocol: "HTTPS", tls: { mode: "Terminate" } },
        { name: "a", port: 443, protocol: "HTTPS" },
        { name: "http", port: 80, protocol: "HTTP", tls: { mode: "Terminate", options: { x: "y" } } },
      ],
      tls: {
        frontend: {
          default: {},
          perPort: [
            { port: 443, tls: {} },
            { port: 443, tls: {} },
          ],
        },
      },
    };
    expect((await validateManifest(gateway(spec))).map((p) => p.message)).toEqual(
      expect.arrayContaining([
        "certificateRefs or options must be specified when mode is Terminate",
        "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
        "Listener name must be unique within the Gateway",
        "Combination of port, protocol and hostname must be unique for each listener",
        "Port for TLS configuration must be unique within the Gateway",
      ]),
    );
  });

  it("enforces BackendTLSPolicy's CA source and SAN type rules", async () => {
    const policy = (validation: Record<string, unknown>) => ({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "BackendTLSPolicy",
      metadata: { name: "p" },
      spec: {
        targetRefs: [{ group: "", kind: "Service", name: "s" }],
        validation: { hostname: "backend.example.com", ...validation },
      },
    });
    expect((await validateManifest(policy({}))).map((p) => p.message)).toEqual([
      "must specify either CACertificateRefs or WellKnownCACertificates",
    ]);
    const both = policy({
      caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca" }],
      wellKnownCACertificates: "System",
    });
    expect((await validateManifest(both)).map((p) => p.message)).toEqual([
      "must not contain both CACertificateRefs and WellKnownCACertificates",
    ]);
    const badSan = policy({
      wellKnownCACertificates: "System",
      subjectAltNames: [{ type: "URI", hostname: "x.example" }],
    });
    expect((await validateManifest(badSan)).map((p) => p.message)).toEqual([
      "SubjectAltName element must not contain Hostname, if Type is not set to Hostname",
      "SubjectAltName element must contain URI, if Type is set to URI",
    ]);
  });
});
