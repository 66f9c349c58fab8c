import * as pulumi from "@pulumi/pulumi";
import { CertificateChain, SecureWebProxyMtls, type ClientValidationMode } from "@gcp-mtls/components";

const config = new pulumi.Config();
const region = new pulumi.Config("gcp").require("region");
const trustDomain = config.require("trustDomain");
const paymentsId = `spiffe://${trustDomain}/ns/payments/sa/processor`;
const agentId = `spiffe://${trustDomain}/ns/agents/sa/research`;

// One PKI for the workloads and the proxy's own certificate.
const pki = new CertificateChain("workloads", {
  root: { subject: { commonName: "Bank Workload Root CA", organization: "Bank" } },
  intermediates: [{ key: "issuing", subject: { commonName: "Bank Workload Issuing CA", organization: "Bank" } }],
  leaves: {
    "payment-processor": { uris: [paymentsId], subject: { commonName: "payment-processor" } },
    "research-agent": { uris: [agentId], subject: { commonName: "research-agent" } },
    proxy: { usages: ["server"], dnsNames: [`swp.${region}.${trustDomain}`] },
  },
});

const proxy = new SecureWebProxyMtls("egress", {
  region,
  network: config.require("network"),
  subnetwork: config.require("subnetwork"),
  clientValidationMode: config.require("clientValidationMode") as ClientValidationMode,
  trust: { chain: pki },
  serverCertificate: { chain: pki, leaf: "proxy" },
  allow: {
    "payment-processor": { identity: paymentsId, hosts: [config.require("financialGatewayHost")] },
    "research-agent": {
      identity: agentId,
      hosts: config.requireObject<string[]>("modelApiHosts"),
      methods: ["GET", "POST"],
    },
  },
  rejectedCertificateAlert: { threshold: 5 },
});

export const gatewayId = proxy.gatewayId;
export const proxyAddresses = proxy.addresses;
export const principals = proxy.principals;
/** Give each workload its certificate, chain and key (secret), e.g. through Secret Manager. */
export const paymentProcessorChainPem = pki.leaves["payment-processor"]!.chainPem;
export const paymentProcessorKeyPem = pki.leaves["payment-processor"]!.privateKeyPem;
export const researchAgentChainPem = pki.leaves["research-agent"]!.chainPem;
export const researchAgentKeyPem = pki.leaves["research-agent"]!.privateKeyPem;
/** Clients trust the proxy's certificate through this root. */
export const rootCertificatePem = pki.rootCertificatePem;
