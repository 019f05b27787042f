import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createPostgresRateLimiter, documentedLimits } from '../../../core/activecampaign/rate-limiter.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../../fake-activecampaign/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { clientFor, countingLimiter, exportBatches, isBulk, makeBatches } from './exporter.ts';

const scale = 40;
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

/** A fresh fake per test: its host (a new port) is a new account for the shared limiter table. */
async function start() {
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: ['key'], lists: [listId] }] });
  const counting = countingLimiter(createPostgresRateLimiter(database.sql, documentedLimits, scale));
  return { fake, account: fake.account('key'), ...counting };
}

test('batches pushed through 5xx, dropped connections, latency and a 429 storm end with exactly the right members, each sent once plus its retries', async () => {
  const { fake, account, limiter, acquired } = await start();
  account.setFaults({ errorRate: 0.15, dropConnectionRate: 0.1, latencyMs: 2, rateLimitStormMs: 400 });
  const client = clientFor(fake, 'key', limiter, { maxAttempts: 12 });
  const size = 40;
  const batches = makeBatches(24, size, 'faulty', listId);

  const { results } = await exportBatches(client, batches);

  const expected = batches.flat().map((c) => c.email);
  const members = account.listMembers(listId);
  expect(members.map((m) => m.email).sort()).toEqual([...expected].sort());
  expect(members.every((m) => m.status === 'subscribed')).toBe(true);
  expect([...results.values()].every((r) => r.success.length === size && r.failure.length === 0)).toBe(true);

  const log = account.requests();
  const bulk = log.filter(isBulk);
  const failedBulk = bulk.filter((r) => r.status !== 200);
  // The faults did strike, and each batch was accepted exactly once.
  expect(log.some((r) => r.status === 429)).toBe(true);
  expect(log.some((r) => r.status >= 500)).toBe(true);
  expect(log.some((r) => r.status === 0)).toBe(true);
  expect(bulk.filter((r) => r.status === 200)).toHaveLength(batches.length);
  // Every attempt reached the fake once, and every attempt beyond a batch's first answered a failure.
  expect(bulk).toHaveLength(acquired.bulk);
  expect(acquired.bulk).toBe(batches.length + failedBulk.length);
  // Contacts the fake took in twice came from a connection dropped after the import was queued.
  const extra = account.contactsReceived() - expected.length;
  const droppedBulk = bulk.filter((r) => r.status === 0).length;
  expect(extra % size).toBe(0);
  expect(extra / size).toBeLessThanOrEqual(droppedBulk);
  expect(account.violations().over429).toBe(0);
});

test('a timed-out import is retried; the fake queued both, the list holds each contact once', async () => {
  const { fake, account, limiter, acquired } = await start();
  account.setFaults({ latencyMs: 250 });
  const client = clientFor(fake, 'key', limiter, { timeoutMs: 100 });
  const [batch = []] = makeBatches(1, 20, 'slow', listId);
  const clearing = setTimeout(() => account.setFaults({}), 150);
  try {
    await exportBatches(client, [batch]);
  } finally {
    clearTimeout(clearing);
  }
  expect(acquired.bulk).toBe(2);
  expect(account.requests().filter(isBulk)).toHaveLength(2);
  // The first request was processed after the client gave up on it: a retry requires sending it again.
  expect(account.contactsReceived()).toBe(40);
  expect(account.listMembers(listId).map((m) => m.email)).toEqual(batch.map((c) => c.email).sort());
});

test('a dropped connection on import/info is retried without re-sending the import', async () => {
  const { fake, account, limiter, acquired } = await start();
  const client = clientFor(fake, 'key', limiter);
  const { batchId } = await client.bulkImport(makeBatches(1, 5, 'drop', listId)[0] ?? []);
  account.setFaults({ dropConnectionRate: 1 });
  const clearing = setTimeout(() => account.setFaults({}), 100);
  const info = await client.importInfo(batchId).finally(() => clearTimeout(clearing));
  expect(['queued', 'waiting', 'active', 'completed']).toContain(info.status);
  expect(acquired.bulk).toBe(1);
  expect(account.contactsReceived()).toBe(5);
  expect(
    account.requests().filter((r) => r.path === '/api/3/import/info' && r.status === 0).length,
  ).toBeGreaterThan(0);
});
