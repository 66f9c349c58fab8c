import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  BackendTlsPolicy,
  CertificateChain,
  GatewayFrontendMtls,
  SecureWebProxyMtls,
  withHttpsAppProtocol,
  type HttpMethod,
  type LeafCertificateArgs,
} from "@gcp-mtls/components";
import type { EnvironmentConfig } from "./config";

/** A stable key for a host name (≤ 30 characters: long names end in a hash, so two never collide). */
export function hostKey(host: string): string {
  const s = host.replace(/^\*\./, "wildcard.").replace(/\./g, "-");
  return s.length <= 30 ? s : `${s.slice(0, 22)}-${createHash("sha256").update(host).digest("hex").slice(0, 7)}`;
}

/**
 * One environment: its PKI, the egress proxy, the GKE edge and verified TLS to the backend. `prefix` prefixes every
 * Pulumi name, so several environments can share one program (the benchmarks do).
 */
export function deployEnvironment(config: EnvironmentConfig, prefix = "") {
  const spiffe = (path: string) => `spiffe://${config.trustDomain}/${path}`;
  const backendIdentity = spiffe(`ns/${config.namespace}/sa/${config.backend.service}`);
  const backendHost = `${config.backend.service}.${config.namespace}.svc`;
  const edgeKey = (host: string) => `edge-${hostKey(host)}`;
  const rotation = Object.entries(config.rotationTrustAnchors ?? {}).sort(([a], [b]) => a.localeCompare(b));

  const leaf = (args: LeafCertificateArgs): LeafCertificateArgs => ({
    keyAlgorithm: config.keyAlgorithm,
    validityHours: config.leafValidityHours,
    ...args,
  });
  const leaves: Record<string, LeafCertificateArgs> = {
    ...Object.fromEntries(
      Object.entries(config.workloads).map(([name, w]) => [
        name,
        leaf({ uris: [spiffe(w.path)], subject: { commonName: name } }),
      ]),
    ),
    proxy: leaf({ usages: ["server"], dnsNames: [`swp.${config.region}.${config.trustDomain}`] }),
    ...Object.fromEntries(
      config.edgeHostnames.map((host) => [edgeKey(host), leaf({ usages: ["server"], dnsNames: [host] })]),
    ),
    [config.backend.service]: leaf({ usages: ["server"], dnsNames: [backendHost], uris: [backendIdentity] }),
  };

  // One PKI per environment: workload identities (clients), the proxy, the edge and the backend (servers).
  const pki = new CertificateChain(`${prefix}pki`, {
    root: {
      subject: { commonName: `${config.trustDomain} root CA`, organization: config.project },
      keyAlgorithm: config.keyAlgorithm,
    },
    intermediates: [
      {
        key: "issuing",
        subject: { commonName: `${config.trustDomain} issuing CA`, organization: config.project },
        keyAlgorithm: config.keyAlgorithm,
      },
    ],
    leaves,
  });

  // One trust source for the proxy and the Gateway: the chain, plus the next roots during a CA rotation.
  const trust = { chain: pki, ...(rotation.length > 0 ? { trustAnchorPems: Object.fromEntries(rotation) } : {}) };
  const egress = new SecureWebProxyMtls(`${prefix}egress`, {
    project: config.project,
    region: config.region,
    network: config.network,
    subnetwork: config.subnetwork,
    clientValidationMode: config.swpValidationMode,
    trust,
    serverCertificate: { chain: pki, leaf: "proxy" },
    allow: Object.fromEntries(
      Object.entries(config.workloads).map(([name, w]) => [
        name,
        { identity: spiffe(w.path), hosts: w.hosts, ...(w.methods ? { methods: w.methods as HttpMethod[] } : {}) },
      ]),
    ),
    rejectedCertificateAlert: { threshold: config.alertThreshold },
  });

  const regional = config.gatewayClass !== "gke-l7-global-external-managed";
  const edge = new GatewayFrontendMtls(`${prefix}edge`, {
    project: config.project,
    ...(regional ? { region: config.region } : {}),
    namespace: config.namespace,
    gatewayName: "edge",
    gatewayClassName: config.gatewayClass,
    listeners: config.edgeHostnames.map((host) => ({ name: edgeKey(host), hostname: host })),
    certificateManager: {
      certificates: Object.fromEntries(
        config.edgeHostnames.map((host) => [hostKey(host), { material: { chain: pki, leaf: edgeKey(host) } }]),
      ),
    },
    clientValidation: {
      trust,
      mode: config.gatewayValidationMode,
    },
    // The edge's route to the backend: without it GKE never reports the BackendTLSPolicy on this Gateway.
    routes: { backend: { backends: [{ service: config.backend.service, port: config.backend.port }] } },
    // MODERN with TLS 1.2, RESTRICTED with TLS 1.3 (the only profile Compute accepts with it).
    sslPolicy: { minTlsVersion: config.minTlsVersion },
  });

  new k8s.core.v1.Service(`${prefix}${config.backend.service}`, {
    metadata: { name: config.backend.service, namespace: config.namespace },
    spec: {
      selector: { app: config.backend.service },
      ports: withHttpsAppProtocol([{ name: "https", port: config.backend.port, targetPort: config.backend.port }]),
    },
  });
  // No dependsOn on the Service: the policy names it; its waitFor holds `up` until the controller resolves it.
  const backend = new BackendTlsPolicy(`${prefix}backend`, {
    project: config.project,
    namespace: config.namespace,
    policyName: `${config.backend.service}-tls`,
    targets: [{ name: config.backend.service }],
    frontends: [edge],
    hostname: backendHost,
    subjectAltNames: [{ type: "URI", uri: backendIdentity }],
    trust: { chain: pki },
  });

  return {
    proxyGatewayId: egress.gatewayId,
    proxyAddresses: egress.addresses,
    proxyPrincipals: egress.principals,
    edgeGatewayName: edge.gatewayName,
    edgeNamespace: edge.gatewayNamespace,
    edgeListeners: edge.listenerNames,
    backendPolicy: backend.policyName,
    trustStore: pki.trustStore,
    workloadCertificates: pulumi.output(
      Object.fromEntries(Object.keys(config.workloads).map((name) => [name, pki.leaves[name]!.chainPem])),
    ),
    workloadPrivateKeys: pulumi.secret(
      pulumi.output(
        Object.fromEntries(Object.keys(config.workloads).map((name) => [name, pki.leaves[name]!.privateKeyPem])),
      ),
    ),
  };
}
