/**
 * The longest certificate lifetime (and early-renewal window) terraform-provider-tls can compute. It sets
 * `NotAfter = NotBefore.Add(time.Duration(validityPeriodHours) * time.Hour)` and the renewal point with
 * `time.Duration(-earlyRenewalHours) * time.Hour` (internal/provider/common_cert.go, createCertificate and
 * modifyPlanIfCertificateReadyForRenewal): a Go `time.Duration` counts int64 nanoseconds, so beyond
 * ⌊(2⁶³ − 1) / 3.6·10¹²⌋ = 2,562,047 hours (≈ 292 years) the product overflows and wraps silently, giving a
 * certificate whose expiry is not the one asked for. Rule `pulumi-tls.validity-range`.
 */
export const MAX_TLS_PROVIDER_HOURS = 2_562_047;

/** Why `hours` is no lifetime the tls provider computes faithfully, or undefined when it is one. */
export function tlsProviderHoursProblem(hours: number): string | undefined {
  return hours > MAX_TLS_PROVIDER_HOURS
    ? `exceeds ${MAX_TLS_PROVIDER_HOURS} hours (≈ 292 years), beyond which the tls provider's Go duration overflows and the certificate gets another expiry`
    : undefined;
}
