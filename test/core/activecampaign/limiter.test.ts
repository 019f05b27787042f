import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  type AccountLimits,
  budgetsOf,
  createPostgresRateLimiter,
  documentedLimits,
  type RequestKind,
  slotIntervals,
  slotTolerances,
} from '../../../core/activecampaign/rate-limiter.ts';
import { createDb } from '../../../db/client.ts';
import { seededRandom } from '../../../fake-activecampaign/clock-and-chance.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../../fake-activecampaign/index.ts';
import { SlidingWindow } from '../../../fake-activecampaign/rate-limiter.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  bulkThroughputRatio,
  clientFor,
  exportBatches,
  isBulk,
  makeBatches,
  makeContacts,
} from './exporter.ts';

const listId = 7;
let database: TestDatabase;
let fake: FakeActiveCampaign | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A "worker": its own postgres.js pool and limiter instance; they share only the database. */
function openWorker(scale: number) {
  const db = createDb(database.url, { max: 2 });
  return { limiter: createPostgresRateLimiter(db.sql, documentedLimits, scale), close: db.close };
}

type WorkerResult = { batchIds: string[]; started: number; finished: number };

/** export-worker.ts as a child process: `ready` once connected, `go()` starts it, `result` when it is done. */
function startExportWorker(env: Record<string, string>) {
  const script = fileURLToPath(new URL('./export-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last));
      else reject(new Error(`export worker exited ${code}:\n${out}`));
    });
  });
  // A worker that dies before it is ready fails the test through `result`, not a hang on `ready`.
  return { ready: Promise.race([ready, result.then(() => {})]), go: () => child.stdin.end('go\n'), result };
}

const emailsOf = (batches: Array<Array<{ email: string }>>) => batches.flat().map((c) => c.email);

describe('the spacing (a simulation against the fake’s own sliding windows)', () => {
  /**
   * The reservation of reserve_rate_slots() replayed in memory: each sender asks for its next request as
   * soon as the previous one is done (an export's shape: bulk import, then a poll), arrivals land up to
   * `jitterMs` after their slot; the fake's windows must never refuse one.
   */
  function simulate(
    limits: AccountLimits,
    scale: number,
    senders: number,
    jitterMs: number,
    batches: number,
    random: () => number,
  ) {
    const intervals = slotIntervals(limits, scale);
    const tolerances = slotTolerances(limits, scale);
    const next: Record<RequestKind, number> = { general: 0, bulk: 0, bulkSingle: 0 };
    const reserve = (kind: RequestKind, now: number) => {
      const keys = budgetsOf(kind);
      const slot = Math.max(now, ...keys.map((k) => next[k] - tolerances[k]));
      for (const k of keys) next[k] = Math.max(next[k], slot) + intervals[k];
      return slot;
    };
    const arrivals: Array<{ at: number; kind: RequestKind }> = [];
    const senderList = Array.from({ length: senders }, () => ({ free: 0, kind: 'bulk' as RequestKind }));
    for (let r = 0; r < 2 * batches; r++) {
      // The database serves reservations in time order: the sender that is free first asks first.
      const sender = senderList.reduce((a, b) => (b.free < a.free ? b : a));
      const slot = reserve(sender.kind, sender.free);
      const at = slot + random() * jitterMs;
      arrivals.push({ at, kind: sender.kind });
      sender.free = at + random() * 0.3 * intervals.bulk; // answer time
      sender.kind = sender.kind === 'bulk' ? 'general' : 'bulk';
    }
    arrivals.sort((a, b) => a.at - b.at);
    const general = new SlidingWindow(limits.requestsPerSecond, 1000 / scale);
    const bulk = new SlidingWindow(limits.bulkPerMinute, 60_000 / scale);
    let refused = 0;
    for (const { at, kind } of arrivals) {
      if (general.waitMs(at) > 0 || (kind === 'bulk' && bulk.waitMs(at) > 0)) refused++;
      general.commit(at);
      if (kind === 'bulk') bulk.commit(at);
    }
    const bulkTimes = arrivals.filter((a) => a.kind === 'bulk').map((a) => a.at);
    const span = Math.max(...bulkTimes) - Math.min(...bulkTimes);
    return { refused, ratio: ((bulkTimes.length - 1) * 60_000) / scale / 100 / span };
  }

  test.each([1, 20, 60])('scale %i: no refusal with arrivals jittered by up to 100 ms / scale', (scale) => {
    // Seeded jitter: a failure names the seed that draws the same arrivals again.
    const seed = Number(process.env.OUTBOUND_TEST_SEED) || Math.floor(Math.random() * 2 ** 31);
    for (const senders of [1, 2, 4, 8]) {
      const random = seededRandom(seed + senders);
      const { refused, ratio } = simulate(documentedLimits, scale, senders, 100 / scale, 600, random);
      expect(refused, `seed ${seed}, ${senders} senders`).toBe(0);
      // The bound is the bulk limit (less the one spare slot a minute), not the general one. With more
      // senders than that, polls queued between imports start to hold them back (about 0.92 with 4).
      if (senders <= 2) expect(ratio, `seed ${seed}, ${senders} senders`).toBeGreaterThan(0.95);
    }
  });

  test('the bulk budget is the bound of an export: two general requests per import fit in the general one', () => {
    const intervals = slotIntervals(documentedLimits, 1);
    expect(2 * intervals.general).toBeLessThan(intervals.bulk);
  });
});

describe('against the fake, through Postgres', () => {
  test('full speed, two workers (pools) in one process: no 429, no bulk-limit 400, every member there', async () => {
    // Scale 5: here the fake shares its event loop with both senders, and under a loaded CI machine a
    // stall of either delays the other by more than a 10-times-faster window left room for (seen once).
    const scale = 5;
    fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: ['key'], lists: [listId] }] });
    const account = fake.account('key');
    const workers = [openWorker(scale), openWorker(scale)];
    const batches = [makeBatches(40, 250, 'one', listId), makeBatches(40, 250, 'two', listId)];
    try {
      await Promise.all(
        workers.map((w, i) =>
          exportBatches(clientFor(fake as FakeActiveCampaign, 'key', w.limiter), batches[i] ?? []),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    const log = account.requests();
    const bad = log.findIndex((r) => r.status !== 200);
    if (bad >= 0) console.info(JSON.stringify(log.slice(Math.max(0, bad - 8), bad + 2), null, 0));
    expect(account.violations().over429).toBe(0);
    expect(log.filter((r) => r.status !== 200)).toEqual([]);
    expect(account.listMembers(listId).map((m) => m.email)).toEqual(emailsOf(batches.flat()).sort());
    expect(account.contactsReceived()).toBe(80 * 250);
    console.info(
      `limiter, 2 pools, scale ${scale}: bulk throughput / bound = ${bulkThroughputRatio(log, scale).toFixed(3)}`,
    );
  });

  test('paced, as the push sends: each slot reserved while the request before is on its way, no 429 and every member there', async () => {
    const scale = 5;
    fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: ['key'], lists: [listId] }] });
    const account = fake.account('key');
    const worker = openWorker(scale);
    const batches = makeBatches(40, 250, 'paced', listId);
    try {
      await exportBatches(clientFor(fake, 'key', worker.limiter), batches, { paced: true });
    } finally {
      await worker.close();
    }
    const log = account.requests();
    expect(account.violations().over429).toBe(0);
    expect(log.filter((r) => r.status !== 200)).toEqual([]);
    expect(account.listMembers(listId).map((m) => m.email)).toEqual(emailsOf(batches).sort());
    expect(account.contactsReceived()).toBe(40 * 250);
    console.info(
      `limiter, paced, scale ${scale}: bulk throughput / bound = ${bulkThroughputRatio(log, scale).toFixed(3)}`,
    );
  });

  test('a slot reserved ahead is never sooner than asked; one the request missed is given up, not used late', async () => {
    const worker = openWorker(1);
    try {
      const started = performance.now();
      const ahead = await worker.limiter.reserve(`ahead-${started}`, 'general', 40);
      expect(ahead.due - started).toBeGreaterThanOrEqual(40);

      const account = `missed-${started}`;
      const missed = worker.limiter.reserve(account, 'general', 0);
      await new Promise((r) => setTimeout(r, 100)); // twice the 50 ms a wake-up may be late at scale 1
      const acquiring = performance.now();
      await worker.limiter.acquire(account, 'general', undefined, missed);
      // Used late, it would return at once; given up, the request waits for the next slot (275 ms on).
      expect(performance.now() - acquiring).toBeGreaterThan(100);
    } finally {
      await worker.close();
    }
  });

  test('two worker processes exporting to one account together stay under the limit', async () => {
    // Scale 5: a 20 ms jitter budget covers the in-process fake's event-loop delays when CI is busy
    // (at scale 10 a stall of the test process cost a 429 once in a while).
    const scale = 5;
    fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: ['key'], lists: [listId] }] });
    const account = fake.account('key');
    const workers = ['procA', 'procB'].map((prefix) =>
      startExportWorker({
        DATABASE_URL: database.url,
        AC_BASE_URL: `${fake?.url}/api/3`,
        AC_ACCOUNT: fake?.host ?? '',
        AC_KEY: 'key',
        SCALE: String(scale),
        BATCHES: '30',
        BATCH_SIZE: '250',
        PREFIX: prefix,
        LIST_ID: String(listId),
      }),
    );
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const [a, b] = await Promise.all(workers.map((w) => w.result));
    if (!a || !b) throw new Error('two results expected');
    // They ran side by side, not one after the other.
    expect(Math.max(a.started, b.started)).toBeLessThan(Math.min(a.finished, b.finished));
    const log = account.requests();
    expect(account.violations().over429).toBe(0);
    expect(log.filter((r) => r.status !== 200)).toEqual([]);
    const expected = [
      ...emailsOf(makeBatches(30, 250, 'procA', listId)),
      ...emailsOf(makeBatches(30, 250, 'procB', listId)),
    ];
    expect(account.listMembers(listId).map((m) => m.email)).toEqual(expected.sort());
    expect(a.batchIds.length + b.batchIds.length).toBe(60);
    console.info(
      `limiter, 2 processes, scale ${scale}: bulk throughput / bound = ${bulkThroughputRatio(log, scale).toFixed(3)}`,
    );
  });

  test('a 429 storm mid-export: Retry-After is honoured by every worker, then the export completes', async () => {
    // Scale 5, as above: at scale 20 a busy CI machine once saw a third 429 here (which kind, unknown).
    const scale = 5;
    const stormMs = 1_000;
    fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: ['key'], lists: [listId] }] });
    const account = fake.account('key');
    const workers = [openWorker(scale), openWorker(scale)];
    const batches = [makeBatches(20, 50, 'one', listId), makeBatches(20, 50, 'two', listId)];
    let stormAt = 0;
    const storm = setTimeout(() => {
      stormAt = Date.now();
      account.setFaults({ rateLimitStormMs: stormMs });
    }, 400);
    try {
      await Promise.all(
        workers.map((w, i) =>
          exportBatches(clientFor(fake as FakeActiveCampaign, 'key', w.limiter), batches[i] ?? []),
        ),
      );
    } finally {
      clearTimeout(storm);
      await Promise.all(workers.map((w) => w.close()));
    }
    const log = account.requests();
    const refused = log.filter((r) => r.status === 429);
    if (refused.length > workers.length)
      console.info(JSON.stringify(log.filter((r) => r.at >= stormAt - 100)));
    // None of the rate window: every refusal was the storm's.
    expect(account.violations().over429).toBe(0);
    // One refusal per worker at most (the request each had in flight): all of them then waited it out.
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(workers.length);
    // `at` is when a request arrived, in milliseconds: one that arrived and was admitted within the
    // storm's first millisecond, before the storm began, shares its `at`.
    const resumed = log.filter((r) => r.at > stormAt && r.status === 200);
    expect(Math.min(...resumed.map((r) => r.at))).toBeGreaterThanOrEqual(stormAt + stormMs - 5);
    expect(account.listMembers(listId).map((m) => m.email)).toEqual(emailsOf(batches.flat()).sort());
  });

  test('single-contact imports keep to their own 20 a minute', async () => {
    const scale = 60;
    fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: ['key'], lists: [listId] }] });
    const account = fake.account('key');
    const worker = openWorker(scale);
    try {
      const client = clientFor(fake, 'key', worker.limiter);
      const singles = Array.from({ length: 26 }, (_, i) => makeContacts(1, `single${i}-`, listId));
      await exportBatches(client, singles);
    } finally {
      await worker.close();
    }
    expect(account.requests().filter((r) => isBulk(r) && r.status !== 200)).toEqual([]);
    expect(account.violations().over429).toBe(0);
    expect(account.listMembers(listId)).toHaveLength(26);
  });
});
