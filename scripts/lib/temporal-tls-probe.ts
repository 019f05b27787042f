import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import type { TemporalTls } from './temporal-settings.ts';

/**
 * One TLS handshake with Temporal's frontend, as the SDK would make it (same CA, client certificate and
 * server name), to say in plain words why a TLS connection fails: the SDK's own errors say only
 * "Failed to connect before the deadline" (the client) or a Rust debug string (the worker).
 */
export type TlsProbeResult =
  | { ok: true }
  /** Inconclusive (unreachable, slow): the SDK's own connection attempt reports it. */
  | { ok: false; kind: 'unreachable'; detail: string }
  | { ok: false; kind: 'untrusted' | 'name' | 'expired' | 'client-refused' | 'not-tls'; detail: string };

const untrusted = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);
const expired = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
/** Alerts a server sends when it refuses the client's certificate (or its absence). */
const refusalAlerts =
  /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR)$/;
const notTls = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

/** The HTTP/2 connection preface and an empty SETTINGS frame: a gRPC server answers with its SETTINGS. */
const h2Preface = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]),
]);

export function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(at + 1)) };
}

export function probeTemporalTls(address: string, tls: TemporalTls | undefined, timeoutMs = 5_000) {
  const { host, port } = splitAddress(address);
  const serverName = tls?.serverName ?? (isIP(host) ? undefined : host);
  return new Promise<TlsProbeResult>((resolve) => {
    let handshaken = false;
    let socket: TLSSocket;
    const done = (result: TlsProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // After the handshake, TLS 1.3 servers refuse a client certificate with an alert that comes later:
    // wait for the server's first HTTP/2 frame (or that alert) before calling the handshake good.
    const timer = setTimeout(
      () => done(handshaken ? { ok: true } : { ok: false, kind: 'unreachable', detail: 'no answer' }),
      timeoutMs,
    );
    socket = connect({
      host,
      port,
      servername: serverName,
      ca: tls?.serverCaCert,
      cert: tls?.clientCert,
      key: tls?.clientKey,
      ALPNProtocols: ['h2'],
    });
    // A server that checks the client's certificate after the handshake (Node's, some proxies) closes
    // the connection without an alert: with a certificate presented and nothing answered, that is why.
    const closedEarly = (): TlsProbeResult | undefined =>
      handshaken && tls?.clientCert
        ? { ok: false, kind: 'client-refused', detail: 'closed right after the TLS handshake' }
        : undefined;
    socket.once('secureConnect', () => {
      handshaken = true;
      socket.write(h2Preface);
    });
    socket.once('data', () => done({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException & { reason?: string }) => {
      const code = error.code ?? '';
      if (untrusted.has(code)) done({ ok: false, kind: 'untrusted', detail: code });
      else if (expired.has(code)) done({ ok: false, kind: 'expired', detail: code });
      else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
        done({ ok: false, kind: 'name', detail: error.reason ?? error.message });
      else if (refusalAlerts.test(code)) done({ ok: false, kind: 'client-refused', detail: code });
      else if (notTls.has(code)) done({ ok: false, kind: 'not-tls', detail: code });
      else done(closedEarly() ?? { ok: false, kind: 'unreachable', detail: code || error.message });
    });
    socket.once('close', () =>
      done(closedEarly() ?? { ok: false, kind: 'unreachable', detail: 'the server closed the connection' }),
    );
  });
}
