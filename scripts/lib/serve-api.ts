import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import type { Api } from '../../api/yoga.ts';
import { listenOrExplain } from './listen-or-explain.ts';

/** How long requests in flight get to finish once the API stops; then their connections are cut. */
export const apiRequestGraceMs = 10_000;
/** The API process exits within this of SIGTERM, whatever Postgres and Temporal do (docs/operations.md, "Stopping and starting"). */
export const apiStopWithinMs = 20_000;

/**
 * How long an idle keep-alive connection stays open: longer than the idle timeouts of load balancers
 * and HTTP clients (60 s is common), so the API is never the side that closes a connection just as a
 * client sends its next request on it (Node's 5 s default loses that race on a busy machine).
 */
export const apiKeepAliveMs = 65_000;

/** The API on Node's HTTP server, each request with its peer's address; resolves once it listens. */
export async function serveApi(api: Api, port: number, hostname?: string): Promise<Server> {
  const server = createServer(
    { keepAliveTimeout: apiKeepAliveMs, headersTimeout: apiKeepAliveMs + 1000 },
    createServerAdapter<{ req: IncomingMessage }>((request, { req }) =>
      api.fetch(request, { clientAddress: req.socket.remoteAddress }),
    ),
  );
  await listenOrExplain(server, port, 'PORT', hostname);
  return server;
}

/**
 * Stops accepting connections, ends the open subscriptions, lets requests in flight finish (idle
 * keep-alive connections close as they become idle) and resolves when none is left; past
 * `graceMs` the remaining connections are cut.
 */
export async function stopServingApi(server: Server, api: Api, graceMs = apiRequestGraceMs): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  api.closeSubscriptions();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(cut);
  }
}
