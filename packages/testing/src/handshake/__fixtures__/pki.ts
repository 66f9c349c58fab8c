/**
 * Test-only certificate surgery for the handshake and GCP-rule tests (the PKI builders live in x509/test-pki). Lives in __fixtures__ so it is type-checked with the tests but never shipped in dist.
 */
import * as crypto from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import * as asn1x509 from "@peculiar/asn1-x509";
import { decodePem, encodePem } from "../../x509";

export * from "../../x509/test-pki";

/**
 * Re-signs a certificate after editing its TBS: the x509 module always signs with SHA-256+ and cannot emit
 * nameConstraints, so SHA-1 signatures and constrained CAs are made here.
 */
export function resign(
  pem: string,
  signer: crypto.KeyObject,
  opts: { hash: string; signatureOid: string; addExtensions?: asn1x509.Extension[] },
): string {
  const cert = AsnConvert.parse(decodePem(pem, "CERTIFICATE"), asn1x509.Certificate);
  const tbs = cert.tbsCertificate;
  const algorithm = new asn1x509.AlgorithmIdentifier({ algorithm: opts.signatureOid });
  tbs.signature = algorithm;
  if (opts.addExtensions) {
    tbs.extensions = new asn1x509.Extensions([...(tbs.extensions ?? []), ...opts.addExtensions]);
  }
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = crypto.sign(opts.hash, tbsDer, signer);
  const signed = new asn1x509.Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: signature.buffer.slice(
      signature.byteOffset,
      signature.byteOffset + signature.length,
    ) as ArrayBuffer,
  });
  return encodePem("CERTIFICATE", Buffer.from(AsnConvert.serialize(signed)));
}

/** A nameConstraints extension permitting `count` DNS subtrees. */
export function dnsNameConstraints(count: number): asn1x509.Extension {
  const subtrees = Array.from(
    { length: count },
    (_, i) => new asn1x509.GeneralSubtree({ base: new asn1x509.GeneralName({ dNSName: `zone${i}.example.test` }) }),
  );
  const nc = new asn1x509.NameConstraints({ permittedSubtrees: new asn1x509.GeneralSubtrees(subtrees) });
  return new asn1x509.Extension({
    extnID: asn1x509.id_ce_nameConstraints,
    critical: true,
    extnValue: new OctetString(AsnConvert.serialize(nc)),
  });
}
