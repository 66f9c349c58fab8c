import { X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { CaConfigMapData } from "../certificate-chain/certificate-chain";
import { CERTIFICATE_LIMITS, checkCertificate, type CertificateRole } from "@gcp-mtls/rules";
import { ArgumentError } from "./format";
import { normaliseSinglePem } from "./pem";

export type TrustRole = "trust anchor" | "intermediate CA" | "allowlisted certificate";

const ROLES: Record<TrustRole, CertificateRole> = {
  "trust anchor": "anchor",
  "intermediate CA": "intermediate",
  "allowlisted certificate": "allowlisted",
};

/**
 * Checks one trust-store entry whose value is known with Google Cloud's certificate rules (`@gcp-mtls/rules`): exactly
 * one certificate within the size limit, and for anchors and intermediates a CA that Google Cloud accepts in that role.
 * Returns the normalised PEM; throws an {@link ArgumentError} with every violation under `path`.
 */
export function checkTrustPem(path: string, pem: string, role: TrustRole): string {
  const violations = checkCertificate(pem, ROLES[role]);
  if (violations.length > 0) {
    throw new ArgumentError(violations.map((v) => ({ path, message: v.message, rule: v.rule })));
  }
  return normaliseSinglePem(pem);
}

/** Checks the sizes of a trust store whose entry counts are known. */
export function checkTrustStoreCounts(path: string, anchors: number, intermediates: number): void {
  if (
    intermediates > CERTIFICATE_LIMITS.trustStoreIntermediates ||
    anchors + intermediates > CERTIFICATE_LIMITS.trustStoreCertificates
  ) {
    throw new ArgumentError([
      {
        path,
        rule: "cert.trust-store.counts",
        message:
          `has ${anchors} trust anchors and ${intermediates} intermediate CAs; a Certificate Manager trust store holds at most ` +
          `${CERTIFICATE_LIMITS.trustStoreCertificates} certificates, of which at most ${CERTIFICATE_LIMITS.trustStoreIntermediates} ` +
          "intermediates: split the PKI or trust fewer CAs",
      },
    ]);
  }
}

/** Fingerprint for duplicate detection across entries. */
export function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** Runs a check on a value known only at deploy time: an {@link ArgumentError} becomes a ResourceError on `owner`. */
export function checkOn<T>(owner: pulumi.Resource, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof ArgumentError) throw new pulumi.ResourceError(e.message, owner);
    throw e;
  }
}

/**
 * One PEM ready for a trust store or a ConfigMap: a value known at construction was checked by the component's
 * validation and is only normalised (no Output is created); an Output gets the full {@link checkTrustPem} once known.
 */
export function checkedTrustPem(
  owner: pulumi.Resource,
  path: string,
  pem: pulumi.Input<string>,
  role: TrustRole,
): pulumi.Input<string> {
  if (typeof pem === "string") return normaliseSinglePem(pem);
  return pulumi.output(pem).apply((value) => checkOn(owner, () => checkTrustPem(path, value, role)));
}

/** ConfigMap data: `ca.crt` known now or at deploy time. */
export type CaData = CaConfigMapData | { readonly "ca.crt": pulumi.Input<string> };
