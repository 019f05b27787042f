import { type AddressInfo, connect as connectTcp, createServer, type Socket } from 'node:net';

export type PgProxy = {
  /** The database URL through the proxy. */
  url: string;
  /**
   * Stops passing on what the server sends over connections that ran LISTEN (the server's NOTIFY waits in
   * the socket, as behind a stalled network path); returns how many it froze.
   */
  freezeListeners(): number;
  close(): Promise<void>;
};

/** A TCP proxy in front of the Postgres of `databaseUrl`, whose LISTEN connections can be frozen. */
export async function startPgProxy(databaseUrl: string): Promise<PgProxy> {
  const target = new URL(databaseUrl);
  const connections: Array<{ client: Socket; server: Socket; listens: boolean }> = [];
  const proxy = createServer((client) => {
    const server = connectTcp(Number(target.port || 5432), target.hostname);
    const connection = { client, server, listens: false };
    connections.push(connection);
    client.on('data', (data: Buffer) => {
      if (/listen\s+"/i.test(data.toString('latin1'))) connection.listens = true;
    });
    client.pipe(server);
    server.pipe(client);
    for (const socket of [client, server]) {
      socket.on('error', () => {
        client.destroy();
        server.destroy();
      });
      socket.on('close', () => (socket === client ? server : client).end());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as AddressInfo).port);
  return {
    url: url.toString(),
    freezeListeners() {
      const listeners = connections.filter((c) => c.listens && !c.client.destroyed);
      for (const { client, server } of listeners) {
        server.unpipe(client);
        server.pause();
      }
      return listeners.length;
    },
    async close() {
      for (const { client, server } of connections) {
        client.destroy();
        server.destroy();
      }
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
