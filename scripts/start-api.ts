import { createApi } from '../api/yoga.ts';
import { loadConfig } from './config.ts';
import { apiSettings, openApiDeps } from './lib/api-deps.ts';
import { runMain } from './lib/run-main.ts';
import { serveApi } from './lib/serve-api.ts';

runMain(async () => {
  const config = loadConfig();
  const deps = await openApiDeps(config);
  const server = await serveApi(createApi(deps, apiSettings(config)), config.port);
  deps.logger.info(
    { port: config.port },
    `Outbound API: GraphQL and GraphiQL at http://localhost:${config.port}/graphql; /healthz, /readyz, /metrics`,
  );
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await deps.close();
  };
});
