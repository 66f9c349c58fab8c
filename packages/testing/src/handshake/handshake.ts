import type * as crypto from "node:crypto";
import * as net from "node:net";
import * as tls from "node:tls";
import { AsnConvert } from "@peculiar/asn1-schema";
import * as asn1x509 from "@peculiar/asn1-x509";
import { createCertificate, encodePem, generateKey, inspectCertificate, privateKeyPem } from "../x509";
import { OID } from "../x509/oids";
import { checkClientChain } from "@gcp-mtls/rules";
import { gcpReasonFor } from "./gcp-rules";

/** `strict` = REJECT_INVALID / AllowValidOnly; `permissive` = ALLOW_INVALID_OR_MISSING_CLIENT_CERT / AllowInsecureFallback. */
export type ValidationMode = "strict" | "permissive";

/** The identity a peer certificate carries, as a server (or a gateway) would read it. */
export interface PeerIdentity {
  readonly uriSans: string[];
  readonly dnsSans: string[];
  readonly commonName?: string;
}

/** A certificate, its key and the intermediates sent after it. */
export interface TlsCredential {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly chainPems?: readonly string[];
}

export interface HandshakeOptions {
  /** Trust anchors (root CA PEMs) the server validates clients against — a TrustConfig's trustAnchors / the ConfigMaps' ca.crt. */
  readonly trustAnchors: readonly string[];
  /** Intermediate CA PEMs known to the server (TrustConfig intermediateCas): used for chain building, not trusted as anchors. */
  readonly intermediates?: readonly string[];
  /**
   * The server's own certificate. It only matters when the client verifies it (`clientTrust`).
   * @default - an ephemeral ECDSA P-256 self-signed certificate for `localhost`
   */
  readonly server?: TlsCredential;
  /** The client's leaf + key and any intermediates it sends; omit for "no certificate". */
  readonly client?: TlsCredential;
  /** @default "strict" */
  readonly mode?: ValidationMode;
  /** SNI the client sends; the client verifies the server certificate against it when `clientTrust` is given. */
  readonly servername?: string;
  /** CA PEMs the client uses to verify the server; when given, a server certificate failing verification is reported. */
  readonly clientTrust?: readonly string[];
  /** Also apply Google Cloud's client-certificate rules (default true): a chain OpenSSL accepts but GCP rejects is reported as rejected with the GCP reason. */
  readonly gcpRules?: boolean;
  /** Upper bound for the whole exchange; exceeding it rejects the promise (a hang is a harness bug, not a verdict). @default 10000 */
  readonly timeoutMs?: number;
}

export interface HandshakeResult {
  /** The connection was admitted by the server (always when the TLS handshake completes in permissive mode). */
  readonly accepted: boolean;
  /** The client certificate was verified (OpenSSL and, with `gcpRules`, Google Cloud's rules). */
  readonly verified: boolean;
  /** Why the client was not verified: an OpenSSL/node code (`CERT_HAS_EXPIRED`, `NO_CERTIFICATE`, …) or a GCP rule code. */
  readonly reason?: string;
  /** The Google Cloud log reason `reason` corresponds to. */
  readonly gcpReason?: string;
  /** Human-readable explanation of `reason` (the GCP rule message, or what OpenSSL did). */
  readonly detail?: string;
  /** What the server saw (also in permissive mode when a certificate was sent). */
  readonly identity?: PeerIdentity;
  /** Client-side verification of the server (only when `clientTrust` was given). */
  readonly serverVerified?: boolean;
  readonly serverError?: string;
  readonly protocol?: string;
}

/** A Gateway API BackendTLSPolicy `validation.subjectAltNames` entry. */
export type BackendSubjectAltName =
  { readonly type: "Hostname"; readonly hostname: string } | { readonly type: "URI"; readonly uri: string };

export interface ServerVerificationOptions {
  readonly caPems: readonly string[];
  readonly server: TlsCredential;
  readonly hostname: string;
  readonly subjectAltNames?: readonly BackendSubjectAltName[];
  /** @default 10000 */
  readonly timeoutMs?: number;
}

export interface ServerVerificationResult {
  readonly accepted: boolean;
  readonly reason?: string;
  readonly presented: PeerIdentity;
}

/** Node's code for a certificate that does not match the expected hostname. */
export const HOSTNAME_MISMATCH = "ERR_TLS_CERT_ALTNAME_INVALID";
/** None of a BackendTLSPolicy's subjectAltNames is in the backend certificate. */
export const SUBJECT_ALT_NAME_MISMATCH = "SUBJECT_ALT_NAME_MISMATCH";

const LOOPBACK = "127.0.0.1";
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs a real TLS handshake on loopback between a server that requests a client certificate and a client, and
 * reports what the server concluded — the way a Google Cloud load balancer (or a GKE Gateway) with a TrustConfig
 * would. The server never aborts the handshake itself: OpenSSL would then give it no reason (the peer just sees
 * ECONNRESET), so it admits every connection and judges `authorized` / `authorizationError` afterwards.
 */
export async function mtlsHandshake(opts: HandshakeOptions): Promise<HandshakeResult> {
  const mode = opts.mode ?? "strict";
  const gcpRules = opts.gcpRules ?? true;
  const run = await runTls(
    {
      key: serverCredential(opts).privateKeyPem,
      cert: joinPems(serverCredential(opts)),
      // Intermediates only help building chains: without X509_V_FLAG_PARTIAL_CHAIN OpenSSL still needs a self-signed
      // anchor at the top, which is exactly the TrustConfig semantics of intermediateCas.
      ca: [...opts.trustAnchors, ...(opts.intermediates ?? [])],
      requestCert: true,
      rejectUnauthorized: false,
    },
    {
      ...sni(opts.servername),
      ...(opts.client ? { cert: joinPems(opts.client), key: opts.client.privateKeyPem } : {}),
      ...(opts.clientTrust ? { ca: [...opts.clientTrust] } : {}),
      rejectUnauthorized: false,
      // Identity is checked below with the same rules as serverVerification, so the handshake itself never aborts.
      checkServerIdentity: () => undefined,
    },
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );

  const serverSide = opts.clientTrust ? judgeServer(run.client, run.clientError, opts.servername) : {};
  const server = run.server;
  if (!server) {
    // The TLS layer itself failed (e.g. ERR_SSL_WRONG_CURVE for a P-224 client key under TLS 1.2): nobody is admitted.
    const code = run.serverTlsError ?? run.clientError ?? "HANDSHAKE_FAILED";
    const keyViolation = gcpRules ? unusableKeyViolation(opts) : undefined;
    const reason = keyViolation?.rule ?? code;
    return {
      accepted: false,
      verified: false,
      reason,
      gcpReason: keyViolation?.reason ?? gcpReasonFor(reason),
      detail: keyViolation
        ? `${keyViolation.message} (TLS handshake failed with ${code})`
        : `TLS handshake failed: ${code}`,
      ...serverSide,
    };
  }

  const identity = server.peer ? identityOf(server.peer) : undefined;
  let reason: string | undefined;
  let gcpReason: string | undefined;
  let detail: string | undefined;
  if (!server.peer) {
    // With rejectUnauthorized:false OpenSSL reports a missing certificate as UNABLE_TO_GET_ISSUER_CERT; only the empty
    // peer certificate tells the two apart.
    reason = "NO_CERTIFICATE";
    detail = "The client sent no certificate.";
    if (opts.client) {
      // A configured certificate that never reached the server: OpenSSL silently sends none when it cannot sign with
      // the key under the negotiated TLS 1.3 signature algorithms (P-224 has none). Name the key as the cause.
      const keyViolation = gcpRules ? unusableKeyViolation(opts) : undefined;
      if (keyViolation) {
        reason = keyViolation.rule;
        gcpReason = keyViolation.reason;
        detail = `${keyViolation.message} (the TLS client could not use the key and sent no certificate)`;
      } else {
        detail = "The client was configured with a certificate but the TLS stack sent none.";
      }
    }
  } else if (!server.authorized) {
    reason = server.authorizationError ?? "CERT_UNTRUSTED";
    detail = `OpenSSL rejected the client chain: ${reason}`;
    // node names only part of OpenSSL's verify errors; the rest arrive as UNSPECIFIED. An issuer without keyCertSign
    // is one (`openssl verify` reports errors 79 "invalid CA certificate" and 32 "key usage does not include
    // certificate signing"). The GCP rules know the precise cause, so let them name it.
    const first = reason === "UNSPECIFIED" && gcpRules ? gcpViolations(opts, server.peer)[0] : undefined;
    if (first) {
      reason = first.rule;
      gcpReason = first.reason;
      detail = `${first.message} (OpenSSL reported UNSPECIFIED)`;
    }
  } else if (gcpRules) {
    const first = gcpViolations(opts, server.peer)[0];
    if (first) {
      reason = first.rule;
      gcpReason = first.reason;
      detail = first.message;
    }
  }
  const verified = reason === undefined;
  return {
    accepted: verified || mode === "permissive",
    verified,
    ...(reason !== undefined ? { reason, gcpReason: gcpReason ?? gcpReasonFor(reason), detail } : {}),
    ...(identity ? { identity } : {}),
    ...serverSide,
    ...(server.protocol ? { protocol: server.protocol } : {}),
  };
}

/**
 * Backend TLS (Gateway → backend): the gateway verifies the backend's certificate against `caPems`, sending `hostname`
 * as SNI. Without `subjectAltNames` the certificate must match `hostname` (DNS SANs, wildcards for one label, no CN
 * fallback); with them — as in a Gateway API BackendTLSPolicy — it must carry at least one of them instead.
 */
export async function serverVerification(opts: ServerVerificationOptions): Promise<ServerVerificationResult> {
  const run = await runTls(
    { key: opts.server.privateKeyPem, cert: joinPems(opts.server) },
    { ...sni(opts.hostname), ca: [...opts.caPems], rejectUnauthorized: false, checkServerIdentity: () => undefined },
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  const peer = run.client?.peer;
  if (!run.client || !peer) {
    return {
      accepted: false,
      reason: run.clientError ?? run.serverTlsError ?? "HANDSHAKE_FAILED",
      presented: { uriSans: [], dnsSans: [] },
    };
  }
  const presented = identityOf(peer);
  if (!run.client.authorized) {
    return { accepted: false, reason: run.client.authorizationError ?? "CERT_UNTRUSTED", presented };
  }
  const sans = opts.subjectAltNames ?? [];
  if (sans.length > 0) {
    const ok = sans.some((san) =>
      san.type === "URI" ? presented.uriSans.includes(san.uri) : hostnameMatches(san.hostname, peer),
    );
    return ok ? { accepted: true, presented } : { accepted: false, reason: SUBJECT_ALT_NAME_MISMATCH, presented };
  }
  return hostnameMatches(opts.hostname, peer)
    ? { accepted: true, presented }
    : { accepted: false, reason: HOSTNAME_MISMATCH, presented };
}

// --- the loopback exchange ----------------------------------------------------------------------------------------

interface SideObservation {
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly peer?: crypto.X509Certificate;
  readonly protocol?: string;
}

interface TlsRun {
  server?: SideObservation;
  /** The server saw the handshake fail (`tlsClientError`). */
  serverTlsError?: string;
  client?: SideObservation;
  clientError?: string;
}

/**
 * One connection between a fresh server on 127.0.0.1:0 and a client. Resolves once both sides have reached a verdict
 * (server: secureConnection or tlsClientError; client: secureConnect, error or close), and only after every socket is
 * destroyed and the server closed, so no handle outlives the call.
 */
function runTls(
  serverOptions: tls.TlsOptions,
  clientOptions: tls.ConnectionOptions,
  timeoutMs: number,
): Promise<TlsRun> {
  return new Promise<TlsRun>((resolve, reject) => {
    const run: TlsRun = {};
    const sockets = new Set<net.Socket>();
    let client: tls.TLSSocket | undefined;
    let serverDone = false;
    let clientDone = false;
    let finished = false;

    let server: tls.Server;
    try {
      server = tls.createServer(serverOptions);
    } catch (err) {
      reject(err as Error);
      return;
    }
    const timer = setTimeout(
      () => finish(new Error(`TLS handshake on loopback did not complete within ${timeoutMs} ms`)),
      timeoutMs,
    );

    function finish(err?: Error): void {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      client?.destroy();
      for (const s of sockets) s.destroy();
      server.close(() => (err ? reject(err) : resolve(run)));
    }
    const settle = () => {
      if (serverDone && clientDone) finish();
    };

    server.on("connection", (socket: net.Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined); // surfaced through tlsClientError; must not become an uncaught error
    });
    server.on("secureConnection", (socket: tls.TLSSocket) => {
      socket.on("error", () => undefined);
      run.server = {
        authorized: socket.authorized,
        authorizationError: errorCode(socket.authorizationError),
        peer: socket.getPeerX509Certificate(),
        protocol: socket.getProtocol() ?? undefined,
      };
      serverDone = true;
      settle();
    });
    server.on("tlsClientError", (err) => {
      run.serverTlsError ??= errorCode(err);
      serverDone = true;
      settle();
    });
    server.on("error", (err) => finish(err));

    // Loopback only: the helper must never reach beyond this machine.
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as net.AddressInfo;
      try {
        client = tls.connect({ ...clientOptions, host: LOOPBACK, port });
      } catch (err) {
        finish(err as Error);
        return;
      }
      const socket = client;
      socket.on("secureConnect", () => {
        run.client = {
          authorized: socket.authorized,
          authorizationError: errorCode(socket.authorizationError),
          peer: socket.getPeerX509Certificate(),
          protocol: socket.getProtocol() ?? undefined,
        };
        clientDone = true;
        settle();
      });
      socket.on("error", (err) => {
        run.clientError ??= errorCode(err);
        clientDone = true;
        settle();
      });
      socket.on("close", () => {
        clientDone = true;
        settle();
      });
      socket.resume();
    });
  });
}

// --- helpers ----------------------------------------------------------------------------------------------------------

function joinPems(credential: TlsCredential): string {
  return [credential.certificatePem, ...(credential.chainPems ?? [])].map((p) => p.trim() + "\n").join("");
}

/** SNI must be a DNS name (RFC 6066): node warns and ignores IP literals, so leave it out for them. */
function sni(servername: string | undefined): { servername?: string } {
  return servername !== undefined && net.isIP(servername) === 0 ? { servername } : {};
}

function errorCode(err: Error | string | null | undefined): string | undefined {
  if (err == null) return undefined;
  if (typeof err === "string") return err;
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

/**
 * GCP's verdict on the chain the server received: the leaf as seen on the wire, the intermediates the client was told
 * to send (node exposes no "as sent" chain: getPeerCertificate(true) mixes in certificates from the trust store).
 */
function gcpViolations(opts: HandshakeOptions, peer: crypto.X509Certificate) {
  return checkClientChain({
    leafPem: encodePem("CERTIFICATE", peer.raw),
    intermediatesPems: opts.client?.chainPems,
    trustAnchors: opts.trustAnchors,
    trustConfigIntermediates: opts.intermediates,
  });
}

/** The first key-algorithm violation of the configured client leaf, when that explains a certificate never sent. */
function unusableKeyViolation(opts: HandshakeOptions) {
  if (!opts.client) return undefined;
  return checkClientChain({
    leafPem: opts.client.certificatePem,
    intermediatesPems: opts.client.chainPems,
    trustAnchors: opts.trustAnchors,
    trustConfigIntermediates: opts.intermediates,
  }).find((v) => v.rule === "cert.key.algorithm");
}

function judgeServer(
  client: SideObservation | undefined,
  clientError: string | undefined,
  servername: string | undefined,
): { serverVerified: boolean; serverError?: string } {
  if (!client?.peer) return { serverVerified: false, serverError: clientError ?? "HANDSHAKE_FAILED" };
  if (!client.authorized) return { serverVerified: false, serverError: client.authorizationError ?? "CERT_UNTRUSTED" };
  if (servername !== undefined && !hostnameMatches(servername, client.peer)) {
    return { serverVerified: false, serverError: HOSTNAME_MISMATCH };
  }
  return { serverVerified: true };
}

/**
 * RFC 6125 matching against DNS SANs (IP SANs for an IP literal): case-insensitive, a wildcard only as the whole
 * left-most label and covering exactly one label. The CN is ignored, as modern verifiers (Go, Envoy, node ≥ 17 when
 * SANs exist) do.
 */
function hostnameMatches(hostname: string, cert: crypto.X509Certificate): boolean {
  const sans = identityOf(cert);
  if (net.isIP(hostname) !== 0) return cert.checkIP(hostname) !== undefined;
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return sans.dnsSans.some((san) => {
    const pattern = san.toLowerCase().replace(/\.$/, "");
    if (pattern === host) return true;
    if (!pattern.startsWith("*.")) return false;
    const suffix = pattern.slice(1); // ".example.com"
    const label = host.slice(0, host.length - suffix.length);
    return host.endsWith(suffix) && label.length > 0 && !label.includes(".");
  });
}

/** Identity from the raw DER, parsed by the x509 module rather than node's lossy string form. */
function identityOf(cert: crypto.X509Certificate): PeerIdentity {
  try {
    const info = inspectCertificate(encodePem("CERTIFICATE", cert.raw));
    return {
      uriSans: info.sans.uri,
      dnsSans: info.sans.dns,
      ...(info.subject.commonName !== undefined ? { commonName: info.subject.commonName } : {}),
    };
  } catch {
    // inspectCertificate refuses key types the tls provider cannot make (Ed448, DSA…); names do not depend on the key.
    return identityFromAsn1(cert.raw);
  }
}

function identityFromAsn1(der: Buffer): PeerIdentity {
  const tbs = AsnConvert.parse(der, asn1x509.Certificate).tbsCertificate;
  const uriSans: string[] = [];
  const dnsSans: string[] = [];
  const san = tbs.extensions?.find((e) => e.extnID === asn1x509.id_ce_subjectAltName);
  if (san) {
    for (const gn of AsnConvert.parse(san.extnValue.buffer, asn1x509.SubjectAlternativeName)) {
      if (gn.uniformResourceIdentifier !== undefined) uriSans.push(gn.uniformResourceIdentifier);
      if (gn.dNSName !== undefined) dnsSans.push(gn.dNSName);
    }
  }
  const cn = [...tbs.subject].flatMap((rdn) => [...rdn]).find((a) => a.type === OID.commonName);
  return { uriSans, dnsSans, ...(cn ? { commonName: cn.value.toString() } : {}) };
}

let ephemeralServer: TlsCredential | undefined;

/** The given server credential, or one self-signed localhost certificate made once per process. */
function serverCredential(opts: HandshakeOptions): TlsCredential {
  if (opts.server) return opts.server;
  if (!ephemeralServer) {
    const key = generateKey({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    const now = Date.now();
    const certificatePem = createCertificate(
      {
        subject: { commonName: "localhost" },
        publicKey: key.publicKey,
        notBefore: new Date(now - 3_600_000),
        notAfter: new Date(now + 24 * 3_600_000),
        dnsNames: ["localhost"],
        allowedUses: ["digital_signature", "server_auth"],
      },
      { self: key.privateKey },
    );
    ephemeralServer = { certificatePem, privateKeyPem: privateKeyPem(key) };
  }
  return ephemeralServer;
}
