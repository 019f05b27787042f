import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export type PostgresProxy = {
  /** `127.0.0.1:port`: the database URL's host for the processes whose Postgres can be cut. */
  host: string;
  port: number;
  /**
   * Stands in for a Postgres restart: every connection through the proxy is closed now (as Postgres closes
   * them when it stops), and for `ms` each new one is reset at once (the port stays bound, so the proxy
   * can never lose it to someone else).
   */
  cut(ms: number): void;
  /** Whether the database is away (a cut not yet over). */
  isCut(): boolean;
  /** Connections dropped by cuts, and new ones refused during them. */
  dropped(): number;
  refused(): number;
  close(): Promise<void>;
};

/** A TCP proxy before a Postgres server, which the campaign cuts to restart "Postgres" without touching it. */
export async function startPostgresProxy(target: { host: string; port: number }): Promise<PostgresProxy> {
  /** Each connection through the proxy: the client's socket and the one to Postgres. */
  const open = new Set<[Socket, Socket]>();
  let cutUntil = 0;
  let dropped = 0;
  let refused = 0;
  const server = createServer((client) => {
    if (Date.now() < cutUntil) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    open.add(pair);
    const end = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    cut(ms) {
      cutUntil = Math.max(cutUntil, Date.now() + ms);
      for (const pair of open) {
        open.delete(pair);
        dropped++;
        for (const socket of pair) socket.destroy();
      }
    },
    isCut: () => Date.now() < cutUntil,
    dropped: () => dropped,
    refused: () => refused,
    async close() {
      for (const pair of open) for (const socket of pair) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
