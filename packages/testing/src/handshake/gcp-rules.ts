/**
 * Google Cloud's certificate rules live in `@gcp-mtls/rules` (one rule set for the components and the harness);
 * this module maps what OpenSSL reports in a handshake to the reason Google Cloud logs for the same failure.
 */
export { checkClientChain, checkCertificate, checkTrustStore, type CertificateViolation } from "@gcp-mtls/rules";

/**
 * OpenSSL verification codes (as node reports them in `authorizationError` / `err.code`) mapped to the reason Google
 * Cloud logs for the same failure. Codes not listed map to `client_cert_validation_failed`, GCP's catch-all for a chain
 * that does not validate against the TrustConfig.
 */
export const GCP_REASON_BY_OPENSSL_CODE: Readonly<Record<string, string>> = {
  NO_CERTIFICATE: "client_cert_not_provided",
  INVALID_PURPOSE: "client_cert_chain_invalid_eku",
  CERT_CHAIN_TOO_LONG: "client_cert_pki_too_large",
  ERR_SSL_WRONG_CURVE: "client_cert_unsupported_elliptic_curve_key",
};

/** The GCP log reason for an OpenSSL / node code. */
export function gcpReasonFor(code: string): string {
  return GCP_REASON_BY_OPENSSL_CODE[code] ?? "client_cert_validation_failed";
}
