import { afterEach, describe, expect, test } from 'vitest';
import {
  type FakeActiveCampaign,
  manualClock,
  type StartOptions,
  startFakeActiveCampaign,
} from '../../fake-activecampaign/index.ts';
import { call, clientFor, contacts } from './test-helpers.ts';

let fake: FakeActiveCampaign | undefined;
// The windows read this clock: it moves only when a test advances it, so a busy machine cannot move a
// request into the next window, and no test waits for one to pass.
let clock: ReturnType<typeof manualClock>;
async function start(options: StartOptions): Promise<FakeActiveCampaign> {
  clock = manualClock(1_000_000);
  const started = await startFakeActiveCampaign({ ...options, clock });
  fake = started;
  return started;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const statuses = (answers: Array<{ status: number }>) => answers.map((a) => a.status).sort();

describe('general limit: requests per second per account', () => {
  test('the 6th request inside the (scaled) second is 429 with Retry-After and RateLimit headers', async () => {
    const fake = await start({ scale: 4, accounts: [{ apiKeys: ['k'] }] });
    const ac = clientFor(fake, 'k');
    const answers = await Promise.all(Array.from({ length: 6 }, () => ac.get('/api/3/users/me')));
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = answers.find((a) => a.status === 429);
    const retryAfter = Number(refused?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(0.25); // the 1 s window divided by scale 4
    expect(retryAfter).not.toBe(Math.round(retryAfter)); // fractional when scaled
    expect(refused?.headers.get('ratelimit-limit')).toBe('5');
    expect(refused?.headers.get('ratelimit-remaining')).toBe('0');
    expect(fake.account('k').violations()).toEqual({ over429: 1 });
    clock.advance(retryAfter * 1000 - 1);
    expect((await ac.get('/api/3/users/me')).status).toBe(429);
    clock.advance(1);
    expect((await ac.get('/api/3/users/me')).status).toBe(200);
  });

  test('refused requests do not use up the window (it slides over accepted requests only)', async () => {
    const fake = await start({
      scale: 1,
      accounts: [{ apiKeys: ['k'], limits: { requestsPerSecond: 2 } }],
    });
    const ac = clientFor(fake, 'k');
    expect(statuses([await ac.get('/api/3/users/me'), await ac.get('/api/3/users/me')])).toEqual([200, 200]);
    const refused = await ac.get('/api/3/users/me');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    clock.advance(500);
    for (let i = 0; i < 10; i++) expect((await ac.get('/api/3/users/me')).status).toBe(429);
    // Had the refused requests been counted, the window (1 s) would now be full until 1.5 s.
    clock.advance(500);
    expect((await ac.get('/api/3/users/me')).status).toBe(200);
    expect(fake.account('k').violations().over429).toBe(11);
  });

  test('all keys of an account share one budget; another account has its own', async () => {
    const fake = await start({
      scale: 4,
      accounts: [{ apiKeys: ['a1', 'a2'] }, { apiKeys: ['b'] }],
    });
    const f = fake;
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => call(f, 'a1', 'GET', '/api/3/users/me')),
      ...Array.from({ length: 4 }, () => call(f, 'a2', 'GET', '/api/3/users/me')),
    ]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const other = await Promise.all(Array.from({ length: 5 }, () => call(f, 'b', 'GET', '/api/3/users/me')));
    expect(statuses(other)).toEqual([200, 200, 200, 200, 200]);
  });

  test('at scale 1 Retry-After is whole seconds', async () => {
    const fake = await start({ accounts: [{ apiKeys: ['k'] }] });
    const ac = clientFor(fake, 'k');
    const answers = await Promise.all(Array.from({ length: 7 }, () => ac.get('/api/3/lists')));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.headers.get('retry-after')).toBe('1');
  });

  test('an unthrottled account has no limits at all', async () => {
    const fake = await start({ accounts: [{ apiKeys: ['k'], unthrottled: true, lists: [7] }] });
    const ac = clientFor(fake, 'k');
    const answers = await Promise.all(Array.from({ length: 60 }, () => ac.get('/api/3/users/me')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const imports = await Promise.all(Array.from({ length: 30 }, () => ac.bulk(contacts(1))));
    expect(imports.every((a) => a.status === 200)).toBe(true);
    expect(fake.account('k').violations().over429).toBe(0);
  });
});

describe('bulk import limits', () => {
  const rateLimitBody = (limit: number) => ({
    success: 0,
    message: 'Rate limit exceeded.',
    failureReasons: [`Up to ${limit} imports may be requested per minute. Please wait and try again.`],
  });

  test('multi- and single-contact imports have separate per-minute budgets; over them is the documented 400', async () => {
    const fake = await start({
      accounts: [
        { apiKeys: ['k'], limits: { requestsPerSecond: 1000, bulkPerMinute: 3, singleBulkPerMinute: 2 } },
      ],
    });
    const ac = clientFor(fake, 'k');
    for (let i = 0; i < 3; i++) expect((await ac.bulk(contacts(2))).status).toBe(200);
    const overMulti = await ac.bulk(contacts(250));
    expect(overMulti.status).toBe(400);
    expect(overMulti.json).toEqual(rateLimitBody(3));
    expect(overMulti.headers.get('retry-after')).toBeNull();
    for (let i = 0; i < 2; i++) expect((await ac.bulk(contacts(1))).status).toBe(200);
    const overSingle = await ac.bulk(contacts(1));
    expect(overSingle.status).toBe(400);
    expect(overSingle.json).toEqual(rateLimitBody(2));
    expect(fake.account('k').contactsReceived()).toBe(3 * 2 + 2);
    expect(fake.account('k').violations().over429).toBe(2);
  });

  test('the default is 100 multi-contact imports per minute, with the documented message', async () => {
    const fake = await start({
      accounts: [{ apiKeys: ['k'], limits: { requestsPerSecond: 10_000 } }],
    });
    const ac = clientFor(fake, 'k');
    for (let i = 0; i < 100; i++) expect((await ac.bulk(contacts(2))).status).toBe(200);
    const over = await ac.bulk(contacts(2));
    expect(over.status).toBe(400);
    expect(over.json).toEqual({
      success: 0,
      message: 'Rate limit exceeded.',
      failureReasons: ['Up to 100 imports may be requested per minute. Please wait and try again.'],
    });
  });

  test('the general limit is checked first', async () => {
    const fake = await start({
      accounts: [{ apiKeys: ['k'], limits: { requestsPerSecond: 1, bulkPerMinute: 1 } }],
    });
    const ac = clientFor(fake, 'k');
    expect((await ac.bulk(contacts(2))).status).toBe(200);
    expect((await ac.bulk(contacts(2))).status).toBe(429);
  });

  test('the minute window is scaled too: at scale 240 it lasts 250 ms', async () => {
    const fake = await start({
      scale: 240,
      accounts: [{ apiKeys: ['k'], limits: { requestsPerSecond: 10_000, bulkPerMinute: 2 } }],
    });
    const ac = clientFor(fake, 'k');
    expect((await ac.bulk(contacts(2))).status).toBe(200);
    expect((await ac.bulk(contacts(2))).status).toBe(200);
    expect((await ac.bulk(contacts(2))).status).toBe(400);
    clock.advance(249);
    expect((await ac.bulk(contacts(2))).status).toBe(400);
    clock.advance(1);
    expect((await ac.bulk(contacts(2))).status).toBe(200);
  });
});
