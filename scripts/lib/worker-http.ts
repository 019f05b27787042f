import { createServer } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import type { HealthRoutes } from '../../core/observability/health.ts';

/** The worker's HTTP server: `/healthz`, `/readyz`, `/metrics`; anything else is 404. */
export async function startWorkerHttp(port: number, routes: HealthRoutes) {
  const server = createServer(
    createServerAdapter(
      async (request: Request) => (await routes(request)) ?? new Response('Not found', { status: 404 }),
    ),
  );
  await new Promise<void>((resolve) => server.listen(port, resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
