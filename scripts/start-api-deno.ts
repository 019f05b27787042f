/**
 * The API server on Deno 2: `deno run --allow-all scripts/start-api-deno.ts` (npm packages come from
 * node_modules; the same fetch handler as scripts/start-api.ts on Node). The worker stays on Node.
 */
import { createApi } from '../api/yoga.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openApiDeps } from './lib/api-deps.ts';

type DenoServer = { finished: Promise<void>; shutdown(): Promise<void> };
declare const Deno: {
  serve(
    options: { port: number; hostname?: string; onListen?: (address: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): DenoServer;
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): never;
};

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  Deno.exit(1);
}
const deps = await openApiDeps(config);
const api = createApi(deps);
const server = Deno.serve(
  {
    port: config.port,
    onListen: ({ port }) =>
      console.log(`Outbound API (Deno): GraphQL and GraphiQL at http://localhost:${port}/graphql`),
  },
  api.fetch,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.shutdown();
  await deps.close();
  Deno.exit(0);
};
Deno.addSignalListener('SIGINT', stop);
Deno.addSignalListener('SIGTERM', stop);
