import './lib/stop-signals.ts';
import { createApi } from '../api/yoga.ts';
import { installProcessGuard } from '../core/observability/process-guard.ts';
import { loadConfig } from './config.ts';
import { apiSettings, openApiDeps } from './lib/api-deps.ts';
import { checkPostgres } from './lib/check-postgres.ts';
import { runMain } from './lib/run-main.ts';
import { apiStopWithinMs, serveApi, stopServingApi } from './lib/serve-api.ts';

installProcessGuard('api');
runMain(
  async () => {
    const config = loadConfig();
    const deps = await openApiDeps(config);
    await checkPostgres(deps.sql, config.databaseUrl).catch(async (error) => {
      await deps.close();
      throw error;
    });
    const api = createApi(deps, apiSettings(config));
    const server = await serveApi(api, config.port);
    deps.logger.info(
      { port: config.port },
      `Outbound API: GraphQL and GraphiQL at http://localhost:${config.port}/graphql; /healthz, /readyz, /metrics`,
    );
    return async () => {
      deps.logger.info('Stopping: no new connections; requests in flight finish, subscriptions end');
      await stopServingApi(server, api);
      await deps.close();
      deps.logger.info('Outbound API stopped');
    };
  },
  { stopWithinMs: apiStopWithinMs },
);
