/**
 * The API server on Deno 2, the same fetch handler as scripts/start-api.ts on Node (the worker stays on Node):
 *   deno run --allow-net --allow-env --allow-read --allow-sys --unstable-no-legacy-abort scripts/start-api-deno.ts
 * npm packages come from node_modules (package.json, no deno.json). --unstable-no-legacy-abort: request.signal
 * aborts only when a client goes away, not after every response.
 */
import { createApi } from '../api/yoga.ts';
import { installProcessGuard } from '../core/observability/process-guard.ts';
import { loadConfig } from './config.ts';
import { apiSettings, openApiDeps } from './lib/api-deps.ts';
import { runMain } from './lib/run-main.ts';
import { apiStopWithinMs } from './lib/serve-api.ts';

type DenoServer = { finished: Promise<void>; shutdown(): Promise<void> };
declare const Deno: {
  serve(
    options: { port: number; hostname?: string; onListen?: (address: { port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): DenoServer;
};

async function start(): Promise<() => Promise<void>> {
  const config = loadConfig(process.env);
  const deps = await openApiDeps(config);
  const api = createApi(deps, apiSettings(config));
  const server = Deno.serve(
    {
      port: config.port,
      onListen: ({ port }) =>
        deps.logger.info(
          { port },
          `Outbound API (Deno): GraphQL and GraphiQL at http://localhost:${port}/graphql`,
        ),
    },
    (request, info) => api.fetch(request, { clientAddress: info.remoteAddr.hostname }),
  );
  return async () => {
    api.closeSubscriptions();
    await server.shutdown();
    await deps.close();
  };
}

installProcessGuard('api');
runMain(start, { stopWithinMs: apiStopWithinMs });
