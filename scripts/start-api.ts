import { createServer } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import { createApi } from '../api/yoga.ts';
import { loadConfig } from './config.ts';
import { openApiDeps } from './lib/api-deps.ts';
import { runMain } from './lib/run-main.ts';

runMain(async () => {
  const config = loadConfig();
  const deps = await openApiDeps(config);
  const api = createApi(deps);
  const server = createServer(createServerAdapter(api.fetch));
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  deps.logger.info(
    { port: config.port },
    `Outbound API: GraphQL and GraphiQL at http://localhost:${config.port}/graphql; /healthz, /readyz, /metrics`,
  );
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await deps.close();
  };
});
