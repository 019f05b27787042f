import http from 'node:http';
import https from 'node:https';
import { publicAddressLookup } from '../network/outbound-hosts.ts';

/** Kept-alive connections, closed after 4 s idle (sooner when the server's Keep-Alive says so). */
const agents: Record<string, http.Agent> = {
  'http:': new http.Agent({ keepAlive: true, timeout: 4_000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 4_000 }),
};

export type ExchangeRequest = {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the request, and the answer while it is being read. */
  signal: AbortSignal;
};

/** `rateLimit`: the RateLimit-Limit / RateLimit-Remaining headers, where the answer carries them. */
export type Answer = {
  status: number;
  retryAfter: string | null;
  rateLimit: { limit?: number; remaining?: number };
  text: string;
};

function headerNumber(value: string | string[] | undefined): number | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * One HTTP request and its whole answer as text. node:http rather than fetch: fetch took about seven
 * times the CPU per bulk import (web streams around every body), CPU the push needs for mapping.
 */
export function exchange(url: URL, request: ExchangeRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { method, body, signal } = request;
    const headers =
      body === undefined
        ? request.headers
        : { ...request.headers, 'Content-Length': String(Buffer.byteLength(body)) };
    // Plain http is only ever used for the hosts listed as insecure (the fake); https connects to public
    // addresses only.
    const secure = url.protocol === 'https:';
    const options = {
      method,
      headers,
      signal,
      agent: agents[url.protocol],
      ...(secure && { lookup: publicAddressLookup }),
    };
    const sent = (secure ? https : http).request(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: response.headers['retry-after'] ?? null,
          rateLimit: {
            limit: headerNumber(response.headers['ratelimit-limit']),
            remaining: headerNumber(response.headers['ratelimit-remaining']),
          },
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('close', () => {
        if (!response.complete) reject(new Error('The connection closed before the whole answer came.'));
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}
