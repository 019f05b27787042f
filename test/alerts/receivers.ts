import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Received = {
  body: string;
  json: Record<string, any>;
  headers: Record<string, string | string[] | undefined>;
};

/** Checks `Outbound-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function verifySignature(header: string, body: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * An HTTP receiver on 127.0.0.1: answers 503 to the first `failFirst` requests, then 204 to bodies whose
 * signature verifies under `secret` (when set); `accepted` holds what it took. It can be stopped and
 * started again on the same port.
 */
export async function startReceiver(options: { failFirst?: number } = {}) {
  const state = { secret: null as string | null, failFirst: options.failFirst ?? 0, requests: 0 };
  const accepted: Received[] = [];
  const badSignatures: string[] = [];
  let server: Server;
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          state.requests += 1;
          const body = Buffer.concat(chunks).toString('utf8');
          if (state.requests <= state.failFirst) return res.writeHead(503).end();
          const signature = String(req.headers['outbound-signature'] ?? '');
          if (state.secret && !verifySignature(signature, body, state.secret)) {
            badSignatures.push(signature);
            return res.writeHead(401).end();
          }
          accepted.push({ body, json: JSON.parse(body), headers: req.headers });
          res.writeHead(204).end();
        });
      });
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  return {
    state,
    accepted,
    badSignatures,
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/hook`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    start: () => listen(port),
  };
}

export type Mail = { from: string; to: string[]; raw: string };

/** An SMTP sink on 127.0.0.1 (no auth, no TLS): every message it receives lands in `mails`. */
export async function startSmtpSink() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
  });
  return {
    mails,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
