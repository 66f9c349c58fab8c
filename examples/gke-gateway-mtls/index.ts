import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  CertificateChain,
  GatewayFrontendMtls,
  type ClientValidationMode,
  type SslPolicyArgs,
} from "@gcp-mtls/components";

const config = new pulumi.Config();
const namespace = config.require("namespace");

// The store's server certificates, and the CAs its clients' certificates chain to.
const serving = new CertificateChain("serving", {
  root: { subject: { commonName: "Store Serving Root", organization: "example" } },
  leaves: {
    store: {
      usages: ["server"],
      dnsNames: ["store.example.com"],
      subject: { commonName: "store.example.com", organization: "example" },
    },
    foo: {
      usages: ["server"],
      dnsNames: ["foo.example.com"],
      subject: { commonName: "foo.example.com", organization: "example" },
    },
  },
});
const clients = new CertificateChain("clients", {
  root: { subject: { commonName: "Store Clients Root" } },
  intermediates: [{ key: "issuing", subject: { commonName: "Store Clients Issuing CA" } }],
  leaves: {
    "checkout-app": { uris: ["spiffe://example.com/store/checkout"], subject: { commonName: "checkout-app" } },
  },
});
const partners = new CertificateChain("partners", {
  root: { subject: { commonName: "Partner Clients Root" } },
  leaves: { acme: { dnsNames: ["acme.partners.example.com"], subject: { commonName: "acme" } } },
});

const gateway = new GatewayFrontendMtls("store", {
  namespace,
  gatewayName: "external-http",
  gatewayClassName: "gke-l7-global-external-managed",
  listeners: [
    { name: "store-https", hostname: "store.example.com" },
    { name: "foo-https", hostname: "foo.example.com" },
    { name: "partner-https", port: 8443, hostname: "store.example.com" },
  ],
  certificateManager: {
    certificates: {
      store: { material: { chain: serving, leaf: "store" } },
      foo: { material: { chain: serving, leaf: "foo" } },
    },
  },
  clientValidation: {
    trust: { chain: clients },
    mode: config.require("clientValidationMode") as ClientValidationMode,
    perPort: [{ port: 8443, trust: { chain: partners } }],
  },
  // MODERN with TLS 1.2, RESTRICTED with TLS 1.3 (the only profile Compute accepts with it).
  sslPolicy: { minTlsVersion: config.require("minTlsVersion") as SslPolicyArgs["minTlsVersion"] },
});

// The guide's route: store.example.com → store-v1:8080.
const route = new k8s.apiextensions.CustomResource("store-external", {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "store-external", namespace, labels: { gateway: "external-http" } },
  spec: {
    parentRefs: [{ name: gateway.gatewayName, namespace: gateway.gatewayNamespace }],
    hostnames: ["store.example.com"],
    rules: [{ backendRefs: [{ name: "store-v1", port: 8080 }] }],
  },
});

export const gatewayName = gateway.gatewayName;
export const listeners = gateway.listenerNames;
export const certificateMapId = gateway.certificateMapId;
export const caConfigMaps = gateway.configMapNames;
export const routeName = route.metadata.name;
export const manifests = gateway.manifests;
/** For a test client: its chain and (secret) key. */
export const checkoutChainPem = clients.leaves["checkout-app"]!.chainPem;
export const checkoutKeyPem = clients.leaves["checkout-app"]!.privateKeyPem;
export const partnerCertificatePem = partners.leaves.acme!.certificatePem;
export const partnerKeyPem = partners.leaves.acme!.privateKeyPem;
