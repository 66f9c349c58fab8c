import * as pulumi from "@pulumi/pulumi";
import { CertificateChain, type TrustStoreValues } from "../certificate-chain/certificate-chain";
import type { CertificateChainRef, IssuedLeafRef } from "../vocabulary";
import { checkOn, checkTrustPem } from "./trust";

/**
 * Reading a {@link CertificateChainRef}: a `CertificateChain` built in this program gives its values as they are (it
 * checked them when it was built, and the leaves' arguments are known); any other value is checked entry by entry
 * once it resolves, under the argument path.
 */

/** The root, normalised as trust anchors and `ca.crt` hold it. */
export function rootCaPemOf(owner: pulumi.Resource, path: string, ref: CertificateChainRef): pulumi.Output<string> {
  if (ref instanceof CertificateChain) return ref.rootCaPem;
  return pulumi
    .output(ref.rootCertificatePem)
    .apply((pem) => checkOn(owner, () => checkTrustPem(`${path}.rootCertificatePem`, pem, "trust anchor")));
}

/** `trustStores[0]` of a TrustConfig: the root as anchor, every intermediate as intermediate CA. */
export function trustStoreOf(
  owner: pulumi.Resource,
  path: string,
  ref: CertificateChainRef,
): pulumi.Output<TrustStoreValues> {
  if (ref instanceof CertificateChain) return ref.trustStore;
  return pulumi
    .all([rootCaPemOf(owner, path, ref), pulumi.output(ref.intermediateCertificatePems ?? [])])
    .apply(([root, intermediates]) => ({
      trustAnchors: [{ pemCertificate: root }],
      intermediateCas: [...intermediates].map((pem, i) => ({
        pemCertificate: checkOn(owner, () =>
          checkTrustPem(`${path}.intermediateCertificatePems[${i}]`, pem, "intermediate CA"),
        ),
      })),
    }));
}

/** How many intermediates, when that is known before deployment. */
export function intermediateCountOf(ref: CertificateChainRef): number | undefined {
  if (ref instanceof CertificateChain) return Object.keys(ref.intermediates).length;
  const pems = ref.intermediateCertificatePems;
  return pems === undefined ? 0 : Array.isArray(pems) ? pems.length : undefined;
}

/** The leaves by key (none when the reference gives none). */
export function leavesOf(ref: CertificateChainRef): Record<string, IssuedLeafRef> {
  return ref.leaves ?? {};
}

/**
 * Checks what is known now of a reference that is no `CertificateChain` of this program: PEMs given as strings are
 * judged before any resource exists (Outputs when they resolve, by {@link trustStoreOf}).
 */
export function checkChainRef(path: string, ref: CertificateChainRef): void {
  if (ref instanceof CertificateChain) return;
  if (typeof ref.rootCertificatePem === "string") {
    checkTrustPem(`${path}.rootCertificatePem`, ref.rootCertificatePem, "trust anchor");
  }
  const intermediates = ref.intermediateCertificatePems;
  if (Array.isArray(intermediates)) {
    intermediates.forEach((pem, i) => {
      if (typeof pem === "string") checkTrustPem(`${path}.intermediateCertificatePems[${i}]`, pem, "intermediate CA");
    });
  }
}
