import * as crypto from "node:crypto";
import {
  createCertificate,
  createCertificateRequest,
  describeKey,
  generateKey,
  issuerFromPem,
  parseCertificateRequest,
  parsePrivateKey,
  privateKeyOpenssh,
  privateKeyPem,
  privateKeyPemPkcs8,
  publicKeyFingerprintMd5,
  publicKeyFingerprintSha256,
  publicKeyOpenssh,
  publicKeyPem,
  spkiDer,
  subjectKeyIdFor,
  inspectCertificate,
  type DistinguishedName,
  type KeyMaterial,
  type TlsEcdsaCurve,
  type TlsKeyAlgorithm,
} from "../x509";
import { containsUnknown, secretValue } from "./values";
import { tlsProviderHoursProblem, type Problem } from "@gcp-mtls/rules";

/** Type tokens of the `@pulumi/tls` resources this emulator implements. */
export const TLS_TYPES = {
  privateKey: "tls:index/privateKey:PrivateKey",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  certRequest: "tls:index/certRequest:CertRequest",
  locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

export const TLS_INVOKES = {
  getPublicKey: "tls:index/getPublicKey:getPublicKey",
  getCertificate: "tls:index/getCertificate:getCertificate",
} as const;

export interface EmulatedResource {
  readonly id: string;
  readonly state: Record<string, unknown>;
  /** Why a real create would fail (recorded as a deployment failure). */
  readonly problems?: readonly Problem[];
}

/**
 * Emulates terraform-provider-tls (behind `@pulumi/tls` 5.x) with real keys and X.509: the provider's defaults
 * (P224 curve, RSA 2048), PEM types, secrets, `allowedUses` names and Go's certificate semantics.
 * `inputs` are plain (secrets unwrapped); secret outputs come back wrapped, since the mock monitor ignores
 * `additionalSecretOutputs`. Returns state without computed outputs while any needed input is unknown (preview).
 */
export class TlsEmulator {
  /**
   * @param now clock for NotBefore/NotAfter and renewal
   * @param preview like a real `pulumi preview`: resources to create get no computed outputs (they show as unknown)
   */
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly preview = false,
  ) {}

  handles(type: string): boolean {
    return (Object.values(TLS_TYPES) as string[]).includes(type);
  }

  create(type: string, name: string, inputs: Record<string, any>): EmulatedResource {
    if (this.preview) return { id: "", state: { ...inputs } };
    // Rule pulumi-tls.validity-range: past this the provider's Go time.Duration wraps (common_cert.go) and the
    // certificate gets another expiry; the emulator fails the create rather than invent the wrapped time.
    const problems: Problem[] = [];
    for (const field of ["validityPeriodHours", "earlyRenewalHours"]) {
      const hours = inputs[field];
      const problem = typeof hours === "number" ? tlsProviderHoursProblem(Math.abs(hours)) : undefined;
      if (problem) problems.push({ path: field, message: `${hours} ${problem}`, rule: "pulumi-tls.validity-range" });
    }
    if (problems.length > 0) return { id: `${name}-id`, state: { ...inputs }, problems };
    switch (type) {
      case TLS_TYPES.privateKey:
        return this.privateKey(name, inputs);
      case TLS_TYPES.selfSignedCert:
        return this.selfSignedCert(name, inputs);
      case TLS_TYPES.certRequest:
        return this.certRequest(name, inputs);
      case TLS_TYPES.locallySignedCert:
        return this.locallySignedCert(name, inputs);
      default:
        throw new Error(`TlsEmulator does not implement ${type}`);
    }
  }

  invoke(token: string, inputs: Record<string, any>): Record<string, unknown> | undefined {
    if (token === TLS_INVOKES.getPublicKey) {
      const source = inputs.privateKeyPem ?? inputs.privateKeyOpenssh;
      if (typeof source !== "string")
        throw new Error(`${token}: privateKeyPem is required (openssh input not emulated)`);
      const key = parsePrivateKey(source);
      return {
        algorithm: key.algorithm,
        id: keyId(key),
        privateKeyPem: source,
        publicKeyPem: publicKeyPem(key),
        publicKeyOpenssh: publicKeyOpenssh(key),
        publicKeyFingerprintMd5: publicKeyFingerprintMd5(key),
        publicKeyFingerprintSha256: publicKeyFingerprintSha256(key),
      };
    }
    if (token === TLS_INVOKES.getCertificate) {
      if (typeof inputs.content !== "string") {
        throw new Error(`${token}: only \`content\` is emulated offline (a \`url\` would need the network)`);
      }
      const certs = inputs.content.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
      return {
        content: inputs.content,
        id: crypto.createHash("sha1").update(inputs.content).digest("hex"),
        certificates: certs.map((pem: string) => {
          const info = inspectCertificate(pem);
          return {
            certPem: info.pem,
            isCa: info.basicConstraints?.ca ?? false,
            issuer: info.issuerText,
            subject: info.subjectText,
            serialNumber: info.serialNumber,
            notBefore: info.notBefore.toISOString(),
            notAfter: info.notAfter.toISOString(),
            publicKeyAlgorithm: info.publicKey.algorithm,
            signatureAlgorithm: info.signatureAlgorithm,
            sha1Fingerprint: crypto.createHash("sha1").update(info.der).digest("hex"),
            version: 3,
          };
        }),
      };
    }
    return undefined;
  }

  private privateKey(name: string, inputs: Record<string, any>): EmulatedResource {
    const algorithm = inputs.algorithm as TlsKeyAlgorithm;
    const ecdsaCurve = (inputs.ecdsaCurve ?? "P224") as TlsEcdsaCurve;
    const rsaBits = (inputs.rsaBits ?? 2048) as number;
    const base = { ...inputs, ecdsaCurve, rsaBits };
    if (containsUnknown([algorithm, inputs.ecdsaCurve, inputs.rsaBits])) return { id: `${name}-id`, state: base };
    if (!["RSA", "ECDSA", "ED25519"].includes(algorithm)) {
      throw new Error(`tls.PrivateKey ${name}: algorithm must be one of RSA, ECDSA, ED25519, got ${algorithm}`);
    }
    if (algorithm === "ECDSA" && !["P224", "P256", "P384", "P521"].includes(ecdsaCurve)) {
      throw new Error(`tls.PrivateKey ${name}: ecdsaCurve must be one of P224, P256, P384, P521, got ${ecdsaCurve}`);
    }
    const key = generateKey({ algorithm, ecdsaCurve, rsaBits });
    return {
      id: keyId(key),
      state: {
        ...base,
        privateKeyPem: secretValue(privateKeyPem(key)),
        privateKeyPemPkcs8: secretValue(privateKeyPemPkcs8(key)),
        privateKeyOpenssh: secretValue(privateKeyOpenssh(key)),
        publicKeyPem: publicKeyPem(key),
        publicKeyOpenssh: publicKeyOpenssh(key),
        publicKeyFingerprintMd5: publicKeyFingerprintMd5(key),
        publicKeyFingerprintSha256: publicKeyFingerprintSha256(key),
      },
    };
  }

  private selfSignedCert(name: string, inputs: Record<string, any>): EmulatedResource {
    const base = certDefaults(inputs, true);
    if (containsUnknown(inputs))
      return { id: `${name}-id`, state: { ...base, privateKeyPem: secretValue(inputs.privateKeyPem) } };
    const key = parsePrivateKey(requireString(inputs.privateKeyPem, name, "privateKeyPem"));
    const subject = subjectOf(inputs.subject);
    if (base.isCaCertificate && isEmptySubject(subject)) {
      throw new Error(
        `tls.SelfSignedCert ${name}: Invalid Certificate Subject: must contain at least one Distinguished Name when creating Certificate Authority (CA)`,
      );
    }
    // The provider sets the template SKID (CA or setSubjectKeyId) before reading it back as the parent's SKID.
    const ownSkid = base.isCaCertificate || base.setSubjectKeyId ? subjectKeyIdOf(key) : undefined;
    if (base.setAuthorityKeyId && !ownSkid) {
      throw new Error(
        `tls.SelfSignedCert ${name}: Invalid Certificate Authority: Could not determine Authority Key Identifier`,
      );
    }
    const times = this.validity(base.validityPeriodHours, base.earlyRenewalHours);
    const serial = randomSerial();
    const certPem = createCertificate(
      {
        subject,
        publicKey: key.publicKey,
        notBefore: times.notBefore,
        notAfter: times.notAfter,
        serialNumber: serial,
        allowedUses: base.allowedUses,
        isCa: base.isCaCertificate,
        maxPathLength: base.maxPathLength,
        dnsNames: inputs.dnsNames,
        uris: inputs.uris,
        ipAddresses: inputs.ipAddresses,
        subjectKeyId: ownSkid,
        // Self-signed: the parent is the template itself, so the AKID (when asked) is the certificate's own SKID.
        authorityKeyId: base.setAuthorityKeyId ? ownSkid : undefined,
      },
      { self: key.privateKey },
    );
    return {
      id: serial.toString(10),
      state: {
        ...base,
        privateKeyPem: secretValue(inputs.privateKeyPem),
        certPem,
        keyAlgorithm: key.algorithm,
        ...times.outputs,
      },
    };
  }

  private certRequest(name: string, inputs: Record<string, any>): EmulatedResource {
    const base = { ...inputs };
    if (containsUnknown(inputs))
      return { id: `${name}-id`, state: { ...base, privateKeyPem: secretValue(inputs.privateKeyPem) } };
    const key = parsePrivateKey(requireString(inputs.privateKeyPem, name, "privateKeyPem"));
    const certRequestPem = createCertificateRequest(subjectOf(inputs.subject), key.privateKey, {
      dnsNames: inputs.dnsNames,
      uris: inputs.uris,
      ipAddresses: inputs.ipAddresses,
    });
    return {
      id: crypto.createHash("sha1").update(certRequestPem).digest("hex"),
      state: { ...base, privateKeyPem: secretValue(inputs.privateKeyPem), certRequestPem, keyAlgorithm: key.algorithm },
    };
  }

  private locallySignedCert(name: string, inputs: Record<string, any>): EmulatedResource {
    const base = certDefaults(inputs, false);
    if (containsUnknown(inputs)) {
      return { id: `${name}-id`, state: { ...base, caPrivateKeyPem: secretValue(inputs.caPrivateKeyPem) } };
    }
    const csr = parseCertificateRequest(requireString(inputs.certRequestPem, name, "certRequestPem"));
    const caKey = parsePrivateKey(requireString(inputs.caPrivateKeyPem, name, "caPrivateKeyPem"));
    const caCertPem = requireString(inputs.caCertPem, name, "caCertPem");
    const issuer = issuerFromPem(caCertPem, caKey.privateKey);
    const publicKey = describeKey(csr.publicKey, csr.publicKey);
    if (base.isCaCertificate && isEmptySubject(csr.subject)) {
      throw new Error(
        `tls.LocallySignedCert ${name}: Invalid Certificate Subject: must contain at least one Distinguished Name when creating Certificate Authority (CA)`,
      );
    }
    const times = this.validity(base.validityPeriodHours, base.earlyRenewalHours);
    const serial = randomSerial();
    // Go re-encodes the CSR subject from its parsed pkix.Name, which keeps no ExtraNames: emailAddress is dropped.
    const { emailAddress: _dropped, ...subject } = csr.subject;
    const certPem = createCertificate(
      {
        subject,
        publicKey: publicKey.publicKey,
        notBefore: times.notBefore,
        notAfter: times.notAfter,
        serialNumber: serial,
        allowedUses: base.allowedUses,
        isCa: base.isCaCertificate,
        maxPathLength: base.maxPathLength,
        dnsNames: csr.dnsNames,
        uris: csr.uris,
        ipAddresses: csr.ipAddresses,
        subjectKeyId: base.setSubjectKeyId || base.isCaCertificate ? subjectKeyIdOf(publicKey) : undefined,
      },
      issuer,
    );
    return {
      id: serial.toString(10),
      state: {
        ...base,
        caPrivateKeyPem: secretValue(inputs.caPrivateKeyPem),
        caKeyAlgorithm: caKey.algorithm,
        certPem,
        ...times.outputs,
      },
    };
  }

  private validity(validityPeriodHours: number, earlyRenewalHours: number) {
    const now = this.now();
    const notBefore = new Date(now.getTime());
    const notAfter = new Date(now.getTime() + validityPeriodHours * 3_600_000);
    const renewAt = notAfter.getTime() - earlyRenewalHours * 3_600_000;
    return {
      notBefore,
      notAfter,
      outputs: {
        validityStartTime: goTime(notBefore),
        validityEndTime: goTime(notAfter),
        readyForRenewal: now.getTime() >= renewAt,
      },
    };
  }
}

function certDefaults(inputs: Record<string, any>, selfSigned: boolean) {
  const base: Record<string, any> = {
    ...inputs,
    allowedUses: inputs.allowedUses ?? [],
    earlyRenewalHours: inputs.earlyRenewalHours ?? 0,
    isCaCertificate: inputs.isCaCertificate ?? false,
    setSubjectKeyId: inputs.setSubjectKeyId ?? false,
    maxPathLength: inputs.maxPathLength ?? -1,
  };
  if (selfSigned) base.setAuthorityKeyId = inputs.setAuthorityKeyId ?? false;
  return base as Record<string, any> & {
    allowedUses: string[];
    earlyRenewalHours: number;
    validityPeriodHours: number;
    isCaCertificate: boolean;
    setSubjectKeyId: boolean;
    setAuthorityKeyId?: boolean;
    maxPathLength: number;
  };
}

function subjectOf(subject: Record<string, any> | undefined): DistinguishedName {
  if (!subject) return {};
  return {
    commonName: subject.commonName,
    organization: subject.organization,
    organizationalUnit: subject.organizationalUnit,
    country: subject.country,
    province: subject.province,
    locality: subject.locality,
    streetAddresses: subject.streetAddresses,
    postalCode: subject.postalCode,
    serialNumber: subject.serialNumber,
    emailAddress: subject.emailAddress,
  };
}

function isEmptySubject(s: DistinguishedName): boolean {
  return Object.values(s).every((v) => v === undefined || v === "" || (Array.isArray(v) && v.length === 0));
}

function requireString(v: unknown, name: string, field: string): string {
  if (typeof v !== "string" || v === "") throw new Error(`tls resource ${name}: \`${field}\` is required`);
  return v;
}

function subjectKeyIdOf(key: KeyMaterial): Buffer {
  return subjectKeyIdFor(key.publicKey);
}

function randomSerial(): bigint {
  return BigInt("0x" + crypto.randomBytes(16).toString("hex"));
}

function keyId(key: KeyMaterial): string {
  return crypto.createHash("sha1").update(spkiDer(key.publicKey)).digest("hex");
}

/**
 * A time as terraform-provider-tls stores `validity_*_time`: Go's `time.Time.MarshalText` (RFC 3339 with
 * nanoseconds, trailing zeros of the fraction dropped: `2027-01-30T00:00:00Z`, `…00:00.12Z`), internal/provider/common_cert.go.
 */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits === "" ? "Z" : `.${digits}Z`));
}
