import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Account } from './account.ts';
import { type FakeClock, realClock, seededRandom } from './clock-and-chance.ts';
import { createRequestHandler } from './server.ts';
import type { FakeAccountInit, FakeActiveCampaign } from './types.ts';

export { type FakeClock, manualClock } from './clock-and-chance.ts';
export type {
  FakeAccount,
  FakeAccountInit,
  FakeActiveCampaign,
  FakeDeviations,
  FakeFaults,
  FakeFieldInit,
  FakeLimits,
  FakeListInit,
  FakeMember,
  FakeStats,
  RecordedRequest,
} from './types.ts';

export type StartOptions = {
  /** 0 (default) = a free port. */
  port?: number;
  /** Time scale: every window, delay and processing time is divided by it. Default 1. */
  scale?: number;
  accounts?: FakeAccountInit[];
  /** The time of the rate windows and 429 storms; default real time (see manualClock). */
  clock?: FakeClock;
  /** Seeds the injected faults' draws (account n draws from seed + n); default a random seed, see `seed`. */
  seed?: number;
};

/** Starts a fake ActiveCampaign on 127.0.0.1 that behaves as activecampaign-api.md describes. */
export async function startFakeActiveCampaign(options: StartOptions = {}): Promise<FakeActiveCampaign> {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`scale must be a positive number: ${scale}`);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const accounts = new Map<string, Account>();
  const all: Account[] = [];

  const addAccount = (init: FakeAccountInit): Account => {
    if (init.apiKeys.length === 0) throw new Error('An account needs at least one API key');
    for (const key of init.apiKeys) {
      if (!key) throw new Error('API keys must not be empty');
      if (accounts.has(key)) throw new Error('This API key already belongs to an account');
    }
    const account = new Account(init, scale, options.clock ?? realClock, seededRandom(seed + all.length));
    for (const key of init.apiKeys) accounts.set(key, account);
    all.push(account);
    return account;
  };
  for (const init of options.accounts ?? []) addAccount(init);

  const server = createServer(createRequestHandler(accounts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    scale,
    seed,
    addAccount,
    account(apiKey: string) {
      const account = accounts.get(apiKey);
      if (!account) throw new Error('No fake ActiveCampaign account has this API key');
      return account;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const account of all) account.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
