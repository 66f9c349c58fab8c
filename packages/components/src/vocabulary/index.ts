import type * as pulumi from "@pulumi/pulumi";
import type { LeafUsage } from "../certificate-chain/types";

// The shared vocabulary of the components: the shapes in which one component's result is another's argument. Each
// is an interface of plain values and Inputs, so the Pulumi schema describes it for every language; in TypeScript a
// component instance that has these properties is passed as it is (`chain: pki`, `frontends: [edge]`).

/** A leaf certificate with its key, as a server certificate or as an identity. A `CertificateChain` leaf is one. */
export interface IssuedLeafRef {
  /** The leaf certificate (PEM). */
  readonly certificatePem: pulumi.Input<string>;
  /** Its private key (PEM); treated as a secret. */
  readonly privateKeyPem: pulumi.Input<string>;
  /** The leaf followed by its intermediates (PEM): what a server presents. */
  readonly chainPem: pulumi.Input<string>;
  /** What it is for; a server certificate needs `server`. @default ["client"] */
  readonly usages?: LeafUsage[];
  /** Its DNS SANs (the hostnames a server certificate serves). @default [] */
  readonly dnsNames?: string[];
  /** Its URI SANs (a workload identity). @default [] */
  readonly uris?: string[];
  /** Its subject common name. @default - none */
  readonly commonName?: string;
}

/**
 * A PKI to trust and to take certificates from: its root, its intermediates and its leaves. A `CertificateChain` is
 * one (pass it as it is); from another PKI, give the PEMs.
 */
export interface CertificateChainRef {
  /** The root CA certificate (PEM): the trust anchor. */
  readonly rootCertificatePem: pulumi.Input<string>;
  /** The intermediate CA certificates below the root, top-down (PEM, one per entry). @default [] */
  readonly intermediateCertificatePems?: pulumi.Input<pulumi.Input<string>[]>;
  /** Leaves by key: server certificates are named by key (`leaf`), identities are checked against them. @default {} */
  readonly leaves?: Record<string, IssuedLeafRef>;
}

/** A Service that a Gateway's route sends traffic to. */
export interface RoutedService {
  readonly name: string;
  readonly namespace: string;
}

/**
 * A Gateway modelled by a `GatewayFrontendMtls` (pass the component as it is): its class, location, name and the
 * Services its routes send traffic to.
 */
export interface FrontendRef {
  /** `spec.gatewayClassName`. */
  readonly gatewayClassName: string;
  /** The region of a regional class. @default - none (global) */
  readonly region?: string;
  /** `metadata.name` of the Gateway. */
  readonly gatewayNameValue: string;
  /** `metadata.namespace` of the Gateway. */
  readonly gatewayNamespaceValue: string;
  /** Services its routes send traffic to. @default [] */
  readonly routedServices?: RoutedService[];
}
