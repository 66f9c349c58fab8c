/**
 * The certificate rule set (`checkClientChain` of `@gcp-mtls/rules`) against OpenSSL, on a generated case matrix.
 *
 * One valid chain (root → intermediate → client leaf, ECDSA P-256, the leaf carrying a DNS, a URI and an IP SAN), and
 * one case per defect that changes exactly one property of it (a few boundary controls and a few rows beyond the
 * defect list are marked "extra"). Each row states (a) the catalogue rule ids `checkClientChain` reports, exact and
 * sorted; (b) OpenSSL's verdict, `result.reason` of a real node:tls `mtlsHandshake` with `gcpRules: false` (so the
 * verdict is OpenSSL's alone; node names some verify errors only `UNSPECIFIED`, the X509 error number is in the row's
 * comment); (c) whether the two agree. Both columns are then measured and asserted.
 *
 * Catalogue entries exercised: cert.validity.current, cert.leaf.client-auth-eku, cert.leaf.forbidden-eku,
 * cert.leaf.not-ca, cert.leaf.not-self-signed, cert.ca.client-auth-eku, cert.ca.key-cert-sign,
 * cert.ca.basic-constraints, cert.ca.subject-key-id, cert.ca.name-constraints-count, cert.chain.path-length,
 * cert.chain.name-constraints, cert.chain.authority-key-id, cert.chain.signature, cert.chain.depth,
 * cert.chain.client-size, cert.key.algorithm, cert.signature.algorithm, cert.leaf.key-usage,
 * cert.extensions.unhandled-critical, cert.anchor.self-signed (packages/rules/src/catalogue/certificates.ts).
 *
 * The invariant: every chain OpenSSL rejects, the rules reject too (they are never more lenient than OpenSSL); rows
 * where that fails are flagged `knownGap` and named. The cases the rules reject but OpenSSL accepts (Google Cloud
 * stricter than OpenSSL) are pinned as an exact list.
 */
import { checkClientChain, type RuleId } from "@gcp-mtls/rules";
import { generateKey, mtlsHandshake, OID, subjectKeyIdFor, type KeyMaterial } from "@gcp-mtls/testing";
import {
  dnsNameConstraints,
  expired,
  makeClient,
  makeIntermediate,
  makeRoot,
  makeSelfSigned,
  notYetValid,
  P256,
  resign,
  type CertOptions,
  type Issued,
} from "../../packages/testing/src/handshake/__fixtures__/pki";

/** What the client presents and what the TrustConfig holds. */
interface Scenario {
  readonly leaf: Issued;
  /** Intermediates the client sends after its leaf. */
  readonly sent: readonly string[];
  readonly anchors: readonly string[];
  /** The TrustConfig's intermediateCas. */
  readonly trustIntermediates?: readonly string[];
}

const ACCEPTED = "accepted";
/** `accepted`, or the code OpenSSL (through node) rejects the chain with. */
type Verdict = typeof ACCEPTED | (string & {});

interface Row {
  readonly name: string;
  readonly build: () => Scenario;
  /** (a) what `checkClientChain` reports: rule ids, exact and sorted. */
  readonly rules: readonly RuleId[];
  /** (b) OpenSSL's verdict. */
  readonly openssl: Verdict;
  /** (c) both accept, or both reject. */
  readonly agree: boolean;
  /** OpenSSL rejects and the rules do not: a gap in the rule set, named here. */
  readonly knownGap?: string;
}

// --- the valid chain, built once in beforeAll ----------------------------------------------------------------------

const LEAF_NAMES = {
  dnsNames: ["client.allowed.example.com"],
  uris: ["spiffe://allowed.example.org/ns/default/sa/client"],
  ipAddresses: ["10.1.2.3"],
};

let rootKey: KeyMaterial;
let intKey: KeyMaterial;
let leafKey: KeyMaterial;
let otherKey: KeyMaterial;
let rsa1024: KeyMaterial;
let root: Issued;
let int: Issued;
let leaf: Issued;

/** The valid scenario, with one part replaced. */
const valid = (change: Partial<Scenario> = {}): Scenario => ({
  leaf,
  sent: [int.pem],
  anchors: [root.pem],
  ...change,
});

/** The valid leaf's options (key, names), with `change` applied. */
const leafOpts = (change: CertOptions = {}): CertOptions => ({
  key: leafKey,
  ...change,
  template: { ...LEAF_NAMES, ...change.template },
});

/** The valid chain with another leaf under the valid intermediate. */
const withLeaf = (change: CertOptions) => valid({ leaf: makeClient(int, "client", leafOpts(change)) });

/**
 * The valid chain with the intermediate re-issued (same name and key, so the valid leaf still verifies under it).
 */
const withIntermediate = (change: CertOptions) =>
  valid({ sent: [makeIntermediate(root, "Issuing CA", { key: intKey, ...change }).pem] });

/** A new intermediate (its own key or SKID) and the valid leaf's twin issued by it. */
const underIntermediate = (ca: Issued): Scenario =>
  valid({ leaf: makeClient(ca, "client", leafOpts()), sent: [ca.pem] });

/** root → `count` intermediates → leaf; the client sends the intermediates, nearest first. */
function chainOfDepth(count: number): Scenario {
  const cas = [root];
  for (let i = 1; i <= count; i++) cas.push(makeIntermediate(cas[i - 1]!, `CA ${i}`));
  const sent = cas.map((c) => c.pem).slice(1);
  return valid({ leaf: makeClient(cas[count]!, "client", leafOpts()), sent: sent.reverse() });
}

/** The valid intermediate followed by `extra` unrelated CAs (one shared key: only the count matters). */
function sendingIntermediates(extra: number): Scenario {
  const key = generateKey(P256);
  const spares = Array.from({ length: extra }, (_, i) => makeIntermediate(root, `Spare CA ${i + 1}`, { key }).pem);
  return valid({ sent: [int.pem, ...spares] });
}

const excludedDns = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ dns: `blocked${i + 1}.example.net` }));

// --- the matrix -----------------------------------------------------------------------------------------------------

const ROWS: readonly Row[] = [
  { name: "valid chain", build: () => valid(), rules: [], openssl: ACCEPTED, agree: true },

  // Validity.
  {
    name: "expired leaf",
    build: () => withLeaf(expired()),
    rules: ["cert.validity.current"],
    openssl: "CERT_HAS_EXPIRED",
    agree: true,
  },
  {
    name: "not-yet-valid leaf",
    build: () => withLeaf(notYetValid()),
    rules: ["cert.validity.current"],
    openssl: "CERT_NOT_YET_VALID",
    agree: true,
  },
  {
    name: "expired intermediate",
    build: () => withIntermediate(expired()),
    rules: ["cert.validity.current"],
    openssl: "CERT_HAS_EXPIRED",
    agree: true,
  },
  {
    name: "not-yet-valid intermediate (extra)",
    build: () => withIntermediate(notYetValid()),
    rules: ["cert.validity.current"],
    openssl: "CERT_NOT_YET_VALID",
    agree: true,
  },
  {
    name: "expired root",
    build: () => valid({ anchors: [makeRoot("Root CA", { key: rootKey, ...expired() }).pem] }),
    rules: ["cert.validity.current"],
    openssl: "CERT_HAS_EXPIRED",
    agree: true,
  },

  // Leaf usages and basic constraints.
  {
    name: "leaf without EKU",
    build: () => withLeaf({ template: { allowedUses: ["digital_signature"] } }),
    rules: ["cert.leaf.client-auth-eku"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    name: "serverAuth-only leaf",
    build: () => withLeaf({ template: { allowedUses: ["digital_signature", "server_auth"] } }),
    rules: ["cert.leaf.client-auth-eku"],
    openssl: "INVALID_PURPOSE",
    agree: true,
  },
  {
    name: "clientAuth + codeSigning leaf",
    build: () => withLeaf({ template: { allowedUses: ["digital_signature", "client_auth", "code_signing"] } }),
    rules: ["cert.leaf.forbidden-eku"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    // OpenSSL's sslclient purpose needs digitalSignature in a leaf's keyUsage (X509 error 26).
    name: "leaf keyUsage keyEncipherment only (extra)",
    build: () => withLeaf({ template: { allowedUses: ["key_encipherment", "client_auth"] } }),
    rules: ["cert.leaf.key-usage"],
    openssl: "INVALID_PURPOSE",
    agree: true,
  },
  {
    name: "CA:TRUE leaf",
    build: () => withLeaf({ template: { isCa: true } }),
    rules: ["cert.leaf.not-ca"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    // X509 error 34 "unhandled critical extension"; node reports it as UNSPECIFIED.
    name: "leaf with an unknown critical extension (extra)",
    build: () => {
      const base = makeClient(int, "client", leafOpts());
      const unknown = Object.assign(dnsNameConstraints(1), { extnID: "1.3.6.1.4.1.55555.1" });
      const pem = resign(base.pem, intKey.privateKey, {
        hash: "sha256",
        signatureOid: OID.ecdsaWithSha256,
        addExtensions: [unknown],
      });
      return valid({ leaf: { ...base, pem } });
    },
    rules: ["cert.extensions.unhandled-critical"],
    openssl: "UNSPECIFIED",
    agree: true,
  },

  // The intermediate as a CA.
  {
    name: "intermediate with serverAuth-only EKU",
    build: () => withIntermediate({ template: { allowedUses: ["cert_signing", "crl_signing", "server_auth"] } }),
    rules: ["cert.ca.client-auth-eku"],
    openssl: "INVALID_PURPOSE",
    agree: true,
  },
  {
    // X509 errors 79 "invalid CA certificate" and 32 "key usage does not include certificate signing".
    name: "intermediate without keyCertSign",
    build: () => withIntermediate({ template: { allowedUses: ["crl_signing"] } }),
    rules: ["cert.ca.key-cert-sign"],
    openssl: "UNSPECIFIED",
    agree: true,
  },
  {
    name: "intermediate CA:FALSE",
    build: () => withIntermediate({ template: { isCa: false, subjectKeyId: subjectKeyIdFor(intKey.publicKey) } }),
    rules: ["cert.ca.basic-constraints"],
    openssl: "INVALID_PURPOSE",
    agree: true,
  },
  {
    name: "intermediate without basicConstraints (extra)",
    build: () => withIntermediate({ template: { basicConstraints: false } }),
    rules: ["cert.ca.basic-constraints"],
    openssl: "INVALID_CA",
    agree: true,
  },
  {
    name: "pathlen:0 intermediate issuing an intermediate",
    build: () => {
      const zero = makeIntermediate(root, "Zero CA", { template: { maxPathLength: 0, maxPathLenZero: true } });
      const below = makeIntermediate(zero, "Issuing CA", { key: intKey });
      return valid({ sent: [below.pem, zero.pem] });
    },
    rules: ["cert.chain.path-length"],
    openssl: "PATH_LENGTH_EXCEEDED",
    agree: true,
  },
  {
    name: "root pathlen:0 with one intermediate",
    build: () =>
      valid({
        anchors: [makeRoot("Root CA", { key: rootKey, template: { maxPathLength: 0, maxPathLenZero: true } }).pem],
      }),
    rules: ["cert.chain.path-length"],
    openssl: "PATH_LENGTH_EXCEEDED",
    agree: true,
  },

  // Name constraints on the intermediate (the leaf keeps its names). X509 errors 47 "permitted subtree violation" and
  // 48 "excluded subtree violation", both UNSPECIFIED in node.
  {
    name: "DNS SAN outside a permitted DNS subtree",
    build: () => withIntermediate({ template: { nameConstraints: { permitted: [{ dns: "permitted.example.net" }] } } }),
    rules: ["cert.chain.name-constraints"],
    openssl: "UNSPECIFIED",
    agree: true,
  },
  {
    name: "URI SAN outside a permitted URI subtree",
    build: () => withIntermediate({ template: { nameConstraints: { permitted: [{ uri: "permitted.example.net" }] } } }),
    rules: ["cert.chain.name-constraints"],
    openssl: "UNSPECIFIED",
    agree: true,
  },
  {
    name: "DNS SAN in an excluded DNS subtree",
    build: () => withIntermediate({ template: { nameConstraints: { excluded: [{ dns: "allowed.example.com" }] } } }),
    rules: ["cert.chain.name-constraints"],
    openssl: "UNSPECIFIED",
    agree: true,
  },
  {
    name: "IP SAN in an excluded IP range",
    build: () => withIntermediate({ template: { nameConstraints: { excluded: [{ ip: "10.0.0.0/8" }] } } }),
    rules: ["cert.chain.name-constraints"],
    openssl: "UNSPECIFIED",
    agree: true,
  },
  {
    name: "10 name constraints on the intermediate (boundary)",
    build: () => withIntermediate({ template: { nameConstraints: { excluded: excludedDns(10) } } }),
    rules: [],
    openssl: ACCEPTED,
    agree: true,
  },
  {
    name: "11 name constraints on the intermediate",
    build: () => withIntermediate({ template: { nameConstraints: { excluded: excludedDns(11) } } }),
    rules: ["cert.ca.name-constraints-count"],
    openssl: ACCEPTED,
    agree: false,
  },

  // Keys and signatures.
  {
    // Accepted at node's default security level 1.
    name: "RSA-1024 leaf",
    build: () => withLeaf({ key: rsa1024 }),
    rules: ["cert.key.algorithm"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    name: "RSA-1024 intermediate",
    build: () => underIntermediate(makeIntermediate(root, "Issuing CA", { key: rsa1024 })),
    rules: ["cert.key.algorithm"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    name: "P-521 leaf",
    build: () => withLeaf({ key: { algorithm: "ECDSA", ecdsaCurve: "P521" } }),
    rules: ["cert.key.algorithm"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    // TLS 1.3 has no signature scheme for P-224: the client silently sends no certificate.
    name: "P-224 leaf (extra)",
    build: () => withLeaf({ key: { algorithm: "ECDSA", ecdsaCurve: "P224" } }),
    rules: ["cert.key.algorithm"],
    openssl: "NO_CERTIFICATE",
    agree: true,
  },
  {
    name: "Ed25519 leaf",
    build: () => withLeaf({ key: { algorithm: "ED25519" } }),
    rules: ["cert.key.algorithm"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    // Not a server verdict: node's client refuses to LOAD a SHA-1-signed certificate at the default security level
    // (tls.connect throws before connecting), so no node client can even present one.
    name: "SHA-1-signed leaf (the node client refuses to load it)",
    build: () => {
      const base = makeClient(int, "client", leafOpts());
      const pem = resign(base.pem, intKey.privateKey, { hash: "sha1", signatureOid: OID.ecdsaWithSha1 });
      return valid({ leaf: { ...base, pem } });
    },
    rules: ["cert.signature.algorithm"],
    openssl: "ERR_SSL_CA_MD_TOO_WEAK",
    agree: true,
  },
  {
    // X509 error 68 "CA signature digest algorithm too weak". The client sends only its leaf: a node client cannot
    // load a SHA-1 intermediate either.
    name: "SHA-1-signed intermediate held in the trust store",
    build: () =>
      valid({
        sent: [],
        trustIntermediates: [resign(int.pem, rootKey.privateKey, { hash: "sha1", signatureOid: OID.ecdsaWithSha1 })],
      }),
    rules: ["cert.signature.algorithm"],
    openssl: "UNSPECIFIED",
    agree: true,
  },

  // Key identifiers and signatures on the path.
  {
    name: "leaf without AKID",
    build: () => valid({ leaf: makeClient({ ...int.issuer, subjectKeyId: undefined }, "client", leafOpts()) }),
    rules: ["cert.chain.authority-key-id"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    name: "leaf AKID ≠ issuer SKID",
    build: () =>
      valid({ leaf: makeClient({ ...int.issuer, subjectKeyId: Buffer.alloc(20, 1) }, "client", leafOpts()) }),
    rules: ["cert.chain.authority-key-id"],
    openssl: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    agree: true,
  },
  {
    // Its leaf then has no AKID either (Go and the x509 module copy the issuer's SKID into the AKID).
    name: "intermediate without SKID",
    build: () =>
      underIntermediate(makeIntermediate(root, "Issuing CA", { key: intKey, template: { omitSubjectKeyId: true } })),
    rules: ["cert.ca.subject-key-id", "cert.chain.authority-key-id"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    // Issuer name and AKID of the real intermediate, signature by another key.
    name: "leaf signed by another key under the issuer's name",
    build: () => valid({ leaf: makeClient({ ...int.issuer, privateKey: otherKey.privateKey }, "client", leafOpts()) }),
    rules: ["cert.chain.signature"],
    openssl: "CERT_SIGNATURE_FAILURE",
    agree: true,
  },

  // Depth, self-signed leaves, trust.
  { name: "chain depth 10 (boundary)", build: () => chainOfDepth(8), rules: [], openssl: ACCEPTED, agree: true },
  {
    name: "chain depth 11",
    build: () => chainOfDepth(9),
    rules: ["cert.chain.depth"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    name: "self-signed leaf",
    build: () => valid({ leaf: makeSelfSigned("client", leafOpts()) }),
    rules: ["cert.leaf.not-self-signed"],
    openssl: "DEPTH_ZERO_SELF_SIGNED_CERT",
    agree: true,
  },
  {
    name: "self-signed leaf that is itself a trust anchor (extra)",
    build: () => {
      const self = makeSelfSigned("client", leafOpts());
      return valid({ leaf: self, sent: [], anchors: [self.pem] });
    },
    rules: ["cert.leaf.not-self-signed"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    // The client sends its whole chain; the TrustConfig trusts another root.
    name: "untrusted root",
    build: () => valid({ sent: [int.pem, root.pem], anchors: [makeRoot("Other Root CA").pem] }),
    rules: ["cert.chain.signature"],
    openssl: "SELF_SIGNED_CERT_IN_CHAIN",
    agree: true,
  },
  {
    // OpenSSL runs without X509_V_FLAG_PARTIAL_CHAIN: a trust anchor must be self-signed.
    name: "intermediate as the only trust anchor (extra)",
    build: () => valid({ anchors: [int.pem] }),
    rules: ["cert.anchor.self-signed"],
    openssl: "UNABLE_TO_GET_ISSUER_CERT",
    agree: true,
  },
  {
    name: "missing intermediate",
    build: () => valid({ sent: [] }),
    rules: ["cert.chain.signature"],
    openssl: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    agree: true,
  },

  // What the client sends.
  {
    name: "10 intermediates sent (boundary)",
    build: () => sendingIntermediates(9),
    rules: [],
    openssl: ACCEPTED,
    agree: true,
  },
  {
    name: "11 intermediates sent",
    build: () => sendingIntermediates(10),
    rules: ["cert.chain.client-size"],
    openssl: ACCEPTED,
    agree: false,
  },
  {
    // 18.6 KB of DER (leaf with 220 padding DNS SANs + the intermediate); OpenSSL's own limit is far larger.
    name: "more than 16 KB sent",
    build: () => {
      const padding = Array.from({ length: 220 }, (_, i) => `${"p".repeat(56)}${i}.allowed.example.com`);
      return withLeaf({ template: { dnsNames: [...LEAF_NAMES.dnsNames, ...padding] } });
    },
    rules: ["cert.chain.client-size"],
    openssl: ACCEPTED,
    agree: false,
  },
];

// --- measuring ------------------------------------------------------------------------------------------------------

interface Observed {
  readonly rules: string[];
  readonly openssl: Verdict;
}

const observed = new Map<string, Observed>();
const measured = (row: Row) => observed.get(row.name)!;

async function opensslVerdict(s: Scenario): Promise<Verdict> {
  try {
    const result = await mtlsHandshake({
      trustAnchors: s.anchors,
      intermediates: s.trustIntermediates,
      client: { certificatePem: s.leaf.pem, privateKeyPem: s.leaf.keyPem, chainPems: s.sent },
      mode: "strict",
      gcpRules: false,
    });
    return result.verified ? ACCEPTED : (result.reason ?? "(rejected without a reason)");
  } catch (e) {
    // tls.connect throws before connecting: the client cannot load its certificate.
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

beforeAll(async () => {
  [rootKey, intKey, leafKey, otherKey] = [P256, P256, P256, P256].map(generateKey);
  // The one RSA key: only where the size is the point (the RSA-1024 leaf and intermediate).
  rsa1024 = generateKey({ algorithm: "RSA", rsaBits: 1024 });
  root = makeRoot("Root CA", { key: rootKey });
  int = makeIntermediate(root, "Issuing CA", { key: intKey });
  leaf = makeClient(int, "client", leafOpts());
  const built = ROWS.map((row) => ({ row, scenario: row.build() }));
  await Promise.all(
    built.map(async ({ row, scenario }) => {
      const rules = checkClientChain({
        leafPem: scenario.leaf.pem,
        intermediatesPems: scenario.sent,
        trustAnchors: scenario.anchors,
        trustConfigIntermediates: scenario.trustIntermediates,
      })
        .map((v) => v.rule)
        .sort();
      observed.set(row.name, { rules, openssl: await opensslVerdict(scenario) });
    }),
  );
}, 30_000);

// --- assertions -----------------------------------------------------------------------------------------------------

describe("checkClientChain against OpenSSL, one defect at a time", () => {
  it("states a consistent table: unique names, sorted rule ids, `agree` matching both columns, gaps flagged", () => {
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
    for (const row of ROWS) {
      expect([row.name, [...row.rules].sort()]).toEqual([row.name, row.rules]);
      expect([row.name, row.agree]).toEqual([row.name, row.rules.length > 0 === (row.openssl !== ACCEPTED)]);
      const gap = row.rules.length === 0 && row.openssl !== ACCEPTED;
      expect([row.name, row.knownGap !== undefined]).toEqual([row.name, gap]);
    }
  });

  it.each(ROWS)("$name → rules $rules, OpenSSL $openssl", (row) => {
    expect(measured(row)).toEqual({ rules: row.rules, openssl: row.openssl });
  });

  it("never lets through a chain OpenSSL rejects (except the flagged gaps)", () => {
    const lenient = ROWS.filter((r) => measured(r).openssl !== ACCEPTED && measured(r).rules.length === 0);
    expect(lenient.map((r) => r.name)).toEqual(ROWS.filter((r) => r.knownGap !== undefined).map((r) => r.name));
  });

  it("rejects exactly these chains OpenSSL accepts: Google Cloud is stricter than OpenSSL", () => {
    const stricter = ROWS.filter((r) => measured(r).openssl === ACCEPTED && measured(r).rules.length > 0);
    expect(stricter.map((r) => r.name)).toEqual([
      "leaf without EKU",
      "clientAuth + codeSigning leaf",
      "CA:TRUE leaf",
      "11 name constraints on the intermediate",
      "RSA-1024 leaf",
      "RSA-1024 intermediate",
      "P-521 leaf",
      "Ed25519 leaf",
      "leaf without AKID",
      "intermediate without SKID",
      "chain depth 11",
      "self-signed leaf that is itself a trust anchor (extra)",
      "11 intermediates sent",
      "more than 16 KB sent",
    ]);
  });
});
