import { createServer } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import type { HealthRoutes } from '../../core/observability/health.ts';
import { listenOrExplain } from './listen-or-explain.ts';

/** The worker's HTTP server: `/healthz`, `/readyz`, `/metrics`; anything else is 404. */
export async function startWorkerHttp(port: number, routes: HealthRoutes) {
  const server = createServer(
    createServerAdapter(
      async (request: Request) => (await routes(request)) ?? new Response('Not found', { status: 404 }),
    ),
  );
  await listenOrExplain(server, port, 'OUTBOUND_WORKER_HTTP_PORT');
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
