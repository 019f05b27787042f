import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import {
  type FakeAccount,
  type FakeActiveCampaign,
  manualClock,
  startFakeActiveCampaign,
} from '../../fake-activecampaign/index.ts';
import { type Client, clientFor, completed, contacts } from './test-helpers.ts';

let fake: FakeActiveCampaign;
let ac: Client;
let account: FakeAccount;
// Storms read this clock: it moves when a test says, so a busy machine cannot end one early.
const clock = manualClock();

beforeAll(async () => {
  fake = await startFakeActiveCampaign({
    scale: 20,
    clock,
    seed: Number(process.env.OUTBOUND_TEST_SEED) || undefined,
    accounts: [{ apiKeys: ['calm'], lists: [7], unthrottled: true }],
  });
});
afterAll(() => fake.close());
// Each test faults an account of its own: the contacts, requests and storms it counts are its own.
let accounts = 0;
beforeEach(() => {
  const key = `k${++accounts}`;
  account = fake.addAccount({ apiKeys: [key], lists: [7], unthrottled: true });
  ac = clientFor(fake, key);
});

test('latency is added to every response; {} clears it', async () => {
  account.setFaults({ latencyMs: 300 });
  let started = performance.now();
  expect((await ac.get('/api/3/users/me')).status).toBe(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  expect(account.requests()[0]?.durationMs).toBeGreaterThanOrEqual(295);
  account.setFaults({});
  started = performance.now();
  await ac.get('/api/3/users/me');
  expect(performance.now() - started).toBeLessThan(200);
});

test('errorRate 1: every request is a 500, 502 or 503 with a non-JSON body, and nothing is processed', async () => {
  account.setFaults({ errorRate: 1 });
  const answers = [];
  for (let i = 0; i < 30; i++) answers.push(await ac.bulk(contacts(2)));
  const codes = new Set(answers.map((a) => a.status));
  expect([...codes].every((s) => [500, 502, 503].includes(s))).toBe(true);
  expect(codes.size, `seed ${fake.seed}`).toBeGreaterThan(1);
  expect(answers[0]?.headers.get('content-type')).toContain('text/html');
  expect((await ac.get('/api/3/lists/7')).status).toBeGreaterThanOrEqual(500);
  expect(account.contactsReceived()).toBe(0);
  expect(account.requests().every((r) => r.status >= 500)).toBe(true);
});

test('errorRate 0.5 fails about half of the requests', async () => {
  account.setFaults({ errorRate: 0.5 });
  let errors = 0;
  for (let i = 0; i < 200; i++) if ((await ac.get('/api/3/users/me')).status >= 500) errors++;
  expect(errors, `seed ${fake.seed}`).toBeGreaterThan(60);
  expect(errors, `seed ${fake.seed}`).toBeLessThan(140);
});

test('a 429 storm answers every request with Retry-After until it ends; it is not a client violation', async () => {
  account.setFaults({ rateLimitStormMs: 300 });
  const refused = await ac.get('/api/3/users/me');
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(0.3); // real milliseconds: the storm is not scaled
  expect((await ac.bulk(contacts(2))).status).toBe(429);
  expect(account.contactsReceived()).toBe(0);
  clock.advance(retryAfter * 1000 - 1);
  expect((await ac.get('/api/3/users/me')).status).toBe(429);
  clock.advance(1);
  expect((await ac.get('/api/3/users/me')).status).toBe(200);
  expect(account.violations().over429).toBe(0);
});

test('dropped connections: the socket closes without an answer', async () => {
  account.setFaults({ dropConnectionRate: 1 });
  await expect(ac.get('/api/3/users/me')).rejects.toThrow();
  expect(account.requests().map((r) => r.status)).toEqual([0]);
});

test('dropped bulk imports: about half were queued before the connection dropped', async () => {
  account.setFaults({ dropConnectionRate: 1 });
  const results = await Promise.allSettled(
    Array.from({ length: 40 }, (_, i) => ac.bulk(contacts(2, {}, `d${i}-`))),
  );
  expect(results.every((r) => r.status === 'rejected')).toBe(true);
  const queued = account.contactsReceived() / 2;
  expect(queued, `seed ${fake.seed}`).toBeGreaterThan(5);
  expect(queued, `seed ${fake.seed}`).toBeLessThan(35);
  account.setFaults({});
  // The queued imports complete (in 100 ms at scale 20): each lands.
  await expect.poll(() => account.contactCount(), { timeout: 30_000 }).toBe(queued * 2);
});

test('stuckBatches: the next N accepted imports stay active forever', async () => {
  account.setFaults({ stuckBatches: 1 });
  const stuck = await ac.bulk(contacts(2, { subscribe: [{ listid: 7 }] }, 'stuck'));
  const normal = await ac.bulk(contacts(2, { subscribe: [{ listid: 7 }] }, 'normal'));
  // Accepted after the stuck one and as quick to process: were the first not stuck, it would be done too.
  expect((await completed(ac, normal.json.batchId)).success).toHaveLength(2);
  const info = await ac.get(`/api/3/import/info?batchId=${stuck.json.batchId}`);
  expect(info.json).toEqual({ status: 'active' });
  expect(account.listMembers(7).map((m) => m.email)).not.toContain('stuck1@example.com');
});

test('faults belong to one account', async () => {
  account.setFaults({ errorRate: 1 });
  expect((await clientFor(fake, 'calm').get('/api/3/users/me')).status).toBe(200);
  expect((await ac.get('/api/3/users/me')).status).toBeGreaterThanOrEqual(500);
});

test('invalid faults are refused', () => {
  expect(() => account.setFaults({ errorRate: 2 })).toThrow();
  expect(() => account.setFaults({ latencyMs: -1 })).toThrow();
});
