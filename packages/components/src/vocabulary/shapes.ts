import { CaServiceChain } from "../ca-service-chain/ca-service-chain";
import { CertificateChain } from "../certificate-chain/certificate-chain";
import { S, type Shape } from "../internal/shape";

/** The runtime shapes of the vocabulary (see `../internal/shape.ts`). A `CertificateChain` is taken as it is. */
export const ISSUED_LEAF_REF_SHAPE: Shape = S.object(
  {
    certificatePem: S.input,
    privateKeyPem: S.input,
    chainPem: S.input,
    usages: S.array(S.string),
    dnsNames: S.array(S.string),
    uris: S.array(S.string),
    commonName: S.string,
  },
  ["certificatePem", "privateKeyPem", "chainPem"],
);

export const CERTIFICATE_CHAIN_REF_SHAPE: Shape = S.object(
  {
    rootCertificatePem: S.input,
    intermediateCertificatePems: S.inputList,
    leaves: S.record(ISSUED_LEAF_REF_SHAPE),
  },
  ["rootCertificatePem"],
  (v) => v instanceof CertificateChain || v instanceof CaServiceChain,
);

export const TRUST_SOURCE_SHAPE: Shape = S.object({
  chain: CERTIFICATE_CHAIN_REF_SHAPE,
  trustAnchorPems: S.record(S.input),
  intermediateCaPems: S.record(S.input),
});

export const PROXY_ONLY_SUBNET_SHAPE: Shape = S.object({ network: S.input, ipCidrRange: S.string }, [
  "network",
  "ipCidrRange",
]);

export const REJECTED_CERTIFICATE_ALERT_SHAPE: Shape = S.object({
  threshold: S.integer,
  notificationChannels: S.array(S.input),
  reasonField: S.string,
});
