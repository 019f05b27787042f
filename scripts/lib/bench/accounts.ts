import { createServer } from 'node:net';
import { type EntryPoint, startEntryPoint } from '../entry-point.ts';
import { freePort } from '../free-port.ts';

/** One ActiveCampaign account on the fake: its own host (its own rate budget) and key. */
export type FakeAccountRef = { n: number; host: string; key: string };

export type FakeAccounts = {
  entry: EntryPoint;
  accounts: FakeAccountRef[];
  /** GET /__fake/<path> of one account (stats, requests…). */
  control<T = unknown>(account: FakeAccountRef, path: string): Promise<T>;
};

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first of `count` consecutive TCP ports on 127.0.0.1 that were all free a moment ago. */
export async function consecutiveFreePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count - 1 > 65535) continue;
    let free = true;
    for (let port = base + 1; port < base + count && free; port++) free = await portIsFree(port);
    if (free) return base;
  }
  throw new Error(`found no ${count} consecutive free ports`);
}

/**
 * `npm run fake:activecampaign -- --accounts K` on K consecutive ports: account n (from 1) on port
 * base + n − 1, with the key `${key}-n` (the key itself when K = 1). Lists 7; limits `scale`× faster.
 */
export async function startFakeAccounts(options: {
  count: number;
  key: string;
  scale: number;
  unthrottled: boolean;
}): Promise<FakeAccounts> {
  const { count, key } = options;
  const base = await consecutiveFreePorts(count);
  const accounts = Array.from({ length: count }, (_, i) => ({
    n: i + 1,
    host: `127.0.0.1:${base + i}`,
    key: count === 1 ? key : `${key}-${i + 1}`,
  }));
  const entry = await startEntryPoint(
    'scripts/fake-activecampaign.ts',
    [
      '--port',
      String(base),
      '--accounts',
      String(count),
      '--key',
      key,
      '--lists',
      '7',
      '--scale',
      String(options.scale),
      ...(options.unthrottled ? ['--unthrottled'] : []),
    ],
    {},
    // The accounts start in order, each with its line: the last one's means all listen.
    `listening on http://${accounts.at(-1)?.host} `,
  );
  return {
    entry,
    accounts,
    control: async <T>(account: FakeAccountRef, path: string) => {
      const response = await fetch(`http://${account.host}/__fake/${path}`, {
        headers: { 'Api-Token': account.key },
      });
      if (!response.ok) throw new Error(`fake ${account.host} /__fake/${path}: HTTP ${response.status}`);
      return (await response.json()) as T;
    },
  };
}

/**
 * What the fake's accounts received: each account's 429 answers (in account order) and the requests by
 * route, all accounts together (e.g. `POST /import/bulk_import`).
 */
export async function fakeTraffic(
  fake: FakeAccounts,
): Promise<{ requests429: number[]; requestsByRoute: Record<string, number> }> {
  const requests429: number[] = [];
  const requestsByRoute: Record<string, number> = {};
  for (const account of fake.accounts) {
    const stats = await fake.control<{ over429: number }>(account, 'stats');
    requests429.push(stats.over429);
    for (const { method, path } of await fake.control<Array<{ method: string; path: string }>>(
      account,
      'requests',
    )) {
      const route = `${method} ${path.replace('/api/3', '')}`;
      requestsByRoute[route] = (requestsByRoute[route] ?? 0) + 1;
    }
  }
  return { requests429, requestsByRoute };
}
