import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import type { Api } from '../../api/yoga.ts';

/** The API on Node's HTTP server, each request with its peer's address; resolves once it listens. */
export async function serveApi(api: Api, port: number, hostname?: string): Promise<Server> {
  const server = createServer(
    createServerAdapter<{ req: IncomingMessage }>((request, { req }) =>
      api.fetch(request, { clientAddress: req.socket.remoteAddress }),
    ),
  );
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  return server;
}
