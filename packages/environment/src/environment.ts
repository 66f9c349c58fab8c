import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  BackendTlsPolicy,
  CaServiceChain,
  CertificateChain,
  GatewayFrontendMtls,
  SecureWebProxyMtls,
  withHttpsAppProtocol,
  type CaKeyAlgorithm,
  type CertificateManagerCertificateArgs,
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

  const regional = config.gatewayClass !== "gke-l7-global-external-managed";
  const proxyHost = `swp.${config.region}.${config.trustDomain}`;
  const pkiOf = config.pki === "ca-service" ? caServicePki : tlsPki;
  const { trust, proxyCertificate, edgeCertificate, outputs } = pkiOf(config, prefix, {
    spiffe,
    backendIdentity,
    backendHost,
    edgeKey,
    proxyHost,
    regional,
    rotation,
  });

  const egress = new SecureWebProxyMtls(`${prefix}egress`, {
    project: config.project,
    region: config.region,
    network: config.network,
    subnetwork: config.subnetwork,
    clientValidationMode: config.swpValidationMode,
    trust,
    ...proxyCertificate,
    allow: Object.fromEntries(
      Object.entries(config.workloads).map(([name, w]) => [
        name,
        { identity: spiffe(w.path), hosts: w.hosts, ...(w.methods ? { methods: w.methods as HttpMethod[] } : {}) },
      ]),
    ),
    rejectedCertificateAlert: { threshold: config.alertThreshold },
  });

  const edge = new GatewayFrontendMtls(`${prefix}edge`, {
    project: config.project,
    ...(regional ? { region: config.region } : {}),
    namespace: config.namespace,
    gatewayName: "edge",
    gatewayClassName: config.gatewayClass,
    listeners: config.edgeHostnames.map((host) => ({ name: edgeKey(host), hostname: host })),
    certificateManager: {
      certificates: Object.fromEntries(config.edgeHostnames.map((host) => [hostKey(host), edgeCertificate(host)])),
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
    // The backend's certificate comes from the same PKI: during a CA rotation it may already be the next CA's.
    trust,
  });

  return {
    proxyGatewayId: egress.gatewayId,
    proxyAddresses: egress.addresses,
    proxyPrincipals: egress.principals,
    edgeGatewayName: edge.gatewayName,
    edgeNamespace: edge.gatewayNamespace,
    edgeListeners: edge.listenerNames,
    backendPolicy: backend.policyName,
    ...outputs,
  };
}

interface PkiContext {
  readonly spiffe: (path: string) => string;
  readonly backendIdentity: string;
  readonly backendHost: string;
  readonly edgeKey: (host: string) => string;
  readonly proxyHost: string;
  readonly regional: boolean;
  readonly rotation: [string, string][];
}

/** Dev: a `CertificateChain` (@pulumi/tls): every key, the CAs' too, is in state (as secrets). */
function tlsPki(config: EnvironmentConfig, prefix: string, c: PkiContext) {
  const leaf = (args: LeafCertificateArgs): LeafCertificateArgs => ({
    keyAlgorithm: config.keyAlgorithm,
    validityHours: config.leafValidityHours,
    ...args,
  });
  const leaves: Record<string, LeafCertificateArgs> = {
    ...Object.fromEntries(
      Object.entries(config.workloads).map(([name, w]) => [
        name,
        leaf({ uris: [c.spiffe(w.path)], subject: { commonName: name } }),
      ]),
    ),
    proxy: leaf({ usages: ["server"], dnsNames: [c.proxyHost] }),
    ...Object.fromEntries(
      config.edgeHostnames.map((host) => [c.edgeKey(host), leaf({ usages: ["server"], dnsNames: [host] })]),
    ),
    [config.backend.service]: leaf({ usages: ["server"], dnsNames: [c.backendHost], uris: [c.backendIdentity] }),
  };
  // One PKI per environment: workload identities (clients), the proxy, the edge and the backend (servers). A CA
  // rotation adds the next generation's chain beside it (the README's runbook, the same four phases as CA Service):
  // STAGED creates it, TRUSTED trusts its root too, ISSUING moves every leaf to it, RETIRED drops the current chain.
  const chainOf = (generation: string | undefined, withLeaves: boolean) =>
    new CertificateChain(`${prefix}pki${generation !== undefined ? `-${generation}` : ""}`, {
      root: {
        subject: {
          commonName: `${config.trustDomain} root CA${generation !== undefined ? ` ${generation}` : ""}`,
          organization: config.project,
        },
        keyAlgorithm: config.keyAlgorithm,
      },
      intermediates: [
        {
          key: "issuing",
          subject: {
            commonName: `${config.trustDomain} issuing CA${generation !== undefined ? ` ${generation}` : ""}`,
            organization: config.project,
          },
          keyAlgorithm: config.keyAlgorithm,
        },
      ],
      leaves: withLeaves ? leaves : {},
    });
  const phase = config.caRotation?.phase;
  const current = phase === "RETIRED" ? undefined : chainOf(config.caGeneration, phase !== "ISSUING");
  const next =
    config.caRotation !== undefined
      ? chainOf(config.caRotation.generation, phase === "ISSUING" || phase === "RETIRED")
      : undefined;
  const pki = (phase === "ISSUING" || phase === "RETIRED" ? next : current)!;
  const overlap = phase === "TRUSTED" || phase === "ISSUING";
  // One trust source for the proxy, the Gateway and the backend: the current chain (the next once retired), the next
  // generation's root during the overlap (its issuing CA too, for the TrustConfig), and any roots the stack adds.
  const anchor = current ?? next!;
  const trust = {
    chain: !overlap
      ? anchor
      : {
          rootCertificatePem: anchor.rootCertificatePem,
          intermediateCertificatePems: pulumi
            .all([anchor.intermediateCertificatePems, next!.intermediateCertificatePems])
            .apply(([a, b]) => [...a, ...b]),
        },
    trustAnchorPems: {
      ...Object.fromEntries(c.rotation),
      ...(overlap ? { [config.caRotation!.generation]: next!.rootCertificatePem } : {}),
    },
  };
  return {
    pki,
    trust,
    proxyCertificate: { serverCertificate: { chain: pki, leaf: "proxy" } },
    edgeCertificate: (host: string): CertificateManagerCertificateArgs => ({
      material: { chain: pki, leaf: c.edgeKey(host) },
    }),
    outputs: {
      trustStore: pki.trustStore,
      workloadCertificates: pulumi.output(
        Object.fromEntries(Object.keys(config.workloads).map((name) => [name, pki.leaves[name]!.chainPem])),
      ),
      workloadPrivateKeys: pulumi.secret(
        pulumi.output(
          Object.fromEntries(Object.keys(config.workloads).map((name) => [name, pki.leaves[name]!.privateKeyPem])),
        ),
      ),
      // No CA Service pool: @pulumi/tls signs the leaves (a stack output cannot be left undefined without a warning).
      issuingPool: pulumi.output("none (pki: tls)"),
    },
  };
}

/** The CA Service key of each leaf key algorithm the stack may choose (RSA 2048 is no CA key: CaKeyAlgorithm). */
const CA_KEYS: Record<string, CaKeyAlgorithm | undefined> = {
  ECDSA_P256: "EC_P256_SHA256",
  ECDSA_P384: "EC_P384_SHA384",
  RSA_3072: "RSA_PKCS1_3072_SHA256",
  RSA_4096: "RSA_PKCS1_4096_SHA256",
};

/**
 * Prod: a `CaServiceChain`. CA Service holds the CA keys, Certificate Manager holds the servers' (the proxy's and the
 * edge's certificates are Google-managed, issued by the issuing pool), and each workload requests its own certificate
 * with a CSR as its Kubernetes service account (Workload Identity Federation for GKE), so no private key is in state.
 */
function caServicePki(config: EnvironmentConfig, prefix: string, c: PkiContext) {
  const keyAlgorithm = CA_KEYS[config.keyAlgorithm];
  const number = gcp.organizations.getProjectOutput({ projectId: config.project }).number;
  // The GKE principal of a Kubernetes service account (https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity):
  // `subject/ns/<namespace>/sa/<name>` in the project's `<project>.svc.id.goog` pool.
  const ksa = (path: string) =>
    pulumi.interpolate`principal://iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/${config.project}.svc.id.goog/subject/${path}`;
  // Each confined to its own SANs (a template per requester, and a pool grant conditioned on it).
  const requesters = {
    ...Object.fromEntries(
      Object.entries(config.workloads).map(([name, w]) => [
        name,
        { member: ksa(w.path), identities: [c.spiffe(w.path)] },
      ]),
    ),
    [config.backend.service]: {
      member: ksa(`ns/${config.namespace}/sa/${config.backend.service}`),
      identities: [c.backendIdentity, c.backendHost],
    },
  };
  const ca = (role: string, generation?: string) => ({
    subject: {
      commonName: `${config.trustDomain} ${role} CA${generation !== undefined ? ` ${generation}` : ""}`,
      organization: config.project,
    },
    ...(keyAlgorithm !== undefined ? { keyAlgorithm } : {}),
  });
  const issuanceLocations = c.regional ? [config.region] : ["global", config.region];
  const pki = new CaServiceChain(`${prefix}pki`, {
    project: config.project,
    location: config.region,
    root: ca("root", config.caGeneration),
    issuing: ca("issuing", config.caGeneration),
    ...(config.caGeneration !== undefined ? { generation: config.caGeneration } : {}),
    ...(config.caRotation !== undefined
      ? {
          rotation: {
            generation: config.caRotation.generation,
            phase: config.caRotation.phase,
            root: ca("root", config.caRotation.generation),
            issuing: ca("issuing", config.caRotation.generation),
          },
        }
      : {}),
    // Workload identities under the trust domain, servers under it or in the backend's namespace.
    issuancePolicy: {
      uriPrefixes: [`spiffe://${config.trustDomain}/`],
      dnsSuffixes: [`.${config.trustDomain}`, `.${config.namespace}.svc`],
    },
    certificateManagerIssuance: { locations: issuanceLocations },
    certificateRequesters: requesters,
  });
  const trust = {
    chain: pki,
    trustAnchorPems: { ...Object.fromEntries(c.rotation), ...pki.rotationTrustAnchorPems },
  };
  const edgeConfig = pki.issuanceConfigIds[c.regional ? config.region : "global"]!;
  return {
    pki,
    trust,
    // The proxy's certificate: regional, Google-managed, issued by the pool (rule gcp.certificatemanager.private-issuance).
    proxyCertificate: {
      privateServerCertificate: { domains: [c.proxyHost], issuanceConfig: pki.issuanceConfigIds[config.region]! },
    },
    edgeCertificate: (host: string): CertificateManagerCertificateArgs => ({
      googleManaged: { domains: [host], issuanceConfig: edgeConfig },
    }),
    outputs: {
      trustStore: pulumi.all([pki.rootCertificatePem, pki.intermediateCertificatePems]).apply(([root, ints]) => ({
        trustAnchors: [{ pemCertificate: root }],
        intermediateCas: ints.map((pem) => ({ pemCertificate: pem })),
      })),
      // Workloads hold their own keys and certificates (they request them from the issuing pool).
      workloadCertificates: pulumi.output({} as Record<string, string>),
      // Empty: no workload key exists outside its workload (kept a secret map, the shape of the tls stack's output).
      workloadPrivateKeys: pulumi.secret(pulumi.output({} as Record<string, string>)),
      issuingPool: pki.issuingPoolId,
    },
  };
}
