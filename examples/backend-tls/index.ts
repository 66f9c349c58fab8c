import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BackendTlsPolicy, CertificateChain, GatewayFrontendMtls, withHttpsAppProtocol } from "@gcp-mtls/components";

const config = new pulumi.Config();
const namespace = config.require("namespace");
const region = config.require("region");

// The store's edge (as in examples/gke-gateway-mtls, reduced to one listener).
const edgePki = new CertificateChain("edge", {
  root: { subject: { commonName: "Store Edge Root" } },
  leaves: { store: { usages: ["server"], dnsNames: ["store.example.com"] } },
});
const edge = new GatewayFrontendMtls("store", {
  namespace,
  gatewayName: "external-http",
  gatewayClassName: "gke-l7-global-external-managed",
  listeners: [{ name: "store-https", hostname: "store.example.com" }],
  certificateManager: { certificates: { store: { material: { chain: edgePki, leaf: "store" } } } },
  clientValidation: { trust: { chain: edgePki } },
  // The guide's store-external route, split between the two versions: GKE reports a BackendTLSPolicy on a Gateway
  // only once a route of that Gateway sends traffic to its Service.
  routes: {
    store: {
      backends: [
        { service: "store-v1", port: 8443, weight: 90 },
        { service: "store-v2", port: 8443, weight: 10 },
      ],
    },
  },
});

// A regional internal Gateway serving store-v2 to the other teams in the region.
const internalPki = new CertificateChain("internal", {
  root: { subject: { commonName: "Store Internal Root" } },
  leaves: { store: { usages: ["server"], dnsNames: ["store.internal.example.com"] } },
});
const internal = new GatewayFrontendMtls("store-internal", {
  region,
  namespace,
  gatewayName: "internal-http",
  gatewayClassName: "gke-l7-rilb",
  listeners: [{ name: "store-https", hostname: "store.internal.example.com" }],
  certificateManager: { certificates: { store: { material: { chain: internalPki, leaf: "store" } } } },
  clientValidation: { trust: { chain: internalPki } },
  routes: { store: { backends: [{ service: "store-v2", port: 8443 }] } },
});

// The backends' own PKI: each Pod serves a certificate with the Service's DNS name and its SPIFFE ID.
const backendPki = new CertificateChain("backends", {
  root: { subject: { commonName: "Store Backend Root" } },
  intermediates: [{ key: "mesh", subject: { commonName: "Store Backend Mesh CA" } }],
  leaves: {
    "store-v1": {
      usages: ["server"],
      dnsNames: ["store-v1.store.svc"],
      uris: ["spiffe://store.example/ns/store/sa/store-v1"],
    },
    "store-v2": { usages: ["server"], dnsNames: ["store-v2.store.svc"] },
  },
});

// appProtocol: HTTPS makes the load balancer speak TLS to the Pods; the policies below make it verify them.
const service = (name: string) =>
  new k8s.core.v1.Service(name, {
    metadata: { name, namespace },
    spec: {
      selector: { app: "store", version: name.slice(-2) },
      ports: withHttpsAppProtocol([{ name: "https", port: 8443, targetPort: 8443 }]),
    },
  });
service("store-v1");
service("store-v2");

// store-v1: ConfigMap CA, SNI + SPIFFE SAN, Cloud Armor and IAP, behind the global edge Gateway. No dependsOn on the
// Service: the policy names it, and its waitFor holds `up` until the controller has resolved it.
const v1Policy = new BackendTlsPolicy("store-v1", {
  namespace,
  targets: [{ name: "store-v1", sectionName: "https" }],
  frontends: [edge],
  hostname: "store-v1.store.svc",
  subjectAltNames: [{ type: "URI", uri: "spiffe://store.example/ns/store/sa/store-v1" }],
  trust: { chain: backendPki },
  cloudArmor: {},
  iap: { clientId: config.require("iapClientId"), clientSecretName: config.require("iapClientSecretName") },
});

// store-v2: served by the global Gateway and a regional internal one: one TrustConfig name, two locations.
const v2Policy = new BackendTlsPolicy("store-v2", {
  namespace,
  targets: [{ name: "store-v2" }],
  frontends: [edge, internal],
  hostname: "store-v2.store.svc",
  trust: { chain: backendPki },
  trustConfig: { name: "store-backend-cas" },
});

export const v1PolicyName = v1Policy.policyName;
export const v1ConfigMaps = v1Policy.configMapNames;
export const v1SecurityPolicy = v1Policy.securityPolicyName;
// The guide's verify step: Accepted and ResolvedRefs per Gateway the policy is attached through.
export const v1Conditions = v1Policy.ancestorConditions;
export const v2TrustConfigIds = pulumi.all(v2Policy.trustConfigIds);
export const manifests = pulumi.all([v1Policy.manifests, v2Policy.manifests]).apply(([a, b]) => [...a, ...b]);
/** What the store-v1 Pods serve (the key is secret). */
export const storeV1ChainPem = backendPki.leaves["store-v1"]!.chainPem;
export const storeV1KeyPem = backendPki.leaves["store-v1"]!.privateKeyPem;
