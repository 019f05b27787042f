/**
 * The API server on Deno 2, the same fetch handler as scripts/start-api.ts on Node (the worker stays on Node):
 *   deno run --allow-net --allow-env --allow-read --allow-sys --unstable-no-legacy-abort scripts/start-api-deno.ts
 * npm packages come from node_modules (package.json, no deno.json). --unstable-no-legacy-abort: request.signal
 * aborts only when a client goes away, not after every response.
 */
import './lib/stop-signals.ts';
import { createApi } from '../api/yoga.ts';
import { installProcessGuard } from '../core/observability/process-guard.ts';
import { ConfigError, loadConfig } from './config.ts';
import { apiSettings, openApiDeps } from './lib/api-deps.ts';
import { checkPostgres } from './lib/check-postgres.ts';
import { runMain } from './lib/run-main.ts';
import { apiStopWithinMs } from './lib/serve-api.ts';

type DenoServer = { finished: Promise<void>; shutdown(): Promise<void> };
declare const Deno: {
  serve(
    options: { port: number; hostname?: string; onListen?: (address: { port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): DenoServer;
};

/** Deno.serve throws AddrInUse at once when the port is taken: say which variable sets it. */
function serveOrExplain(port: number, serve: () => DenoServer): DenoServer {
  try {
    return serve();
  } catch (error) {
    if ((error as Error).name !== 'AddrInUse') throw error;
    throw new ConfigError(
      `Outbound cannot start:\n  - port ${port} is in use by another process: set PORT to a free port`,
    );
  }
}

async function start(): Promise<() => Promise<void>> {
  const config = loadConfig(process.env);
  const deps = await openApiDeps(config);
  await checkPostgres(deps.sql, config.databaseUrl).catch(async (error) => {
    await deps.close();
    throw error;
  });
  const api = createApi(deps, apiSettings(config));
  const server = serveOrExplain(config.port, () =>
    Deno.serve(
      {
        port: config.port,
        onListen: ({ port }) =>
          deps.logger.info(
            { port },
            `Outbound API (Deno): GraphQL and GraphiQL at http://localhost:${port}/graphql`,
          ),
      },
      (request, info) => api.fetch(request, { clientAddress: info.remoteAddr.hostname }),
    ),
  );
  return async () => {
    api.closeSubscriptions();
    await server.shutdown();
    await deps.close();
  };
}

installProcessGuard('api');
runMain(start, { stopWithinMs: apiStopWithinMs });
