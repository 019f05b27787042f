import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ActiveCampaignError } from '../../../core/activecampaign/errors.ts';
import {
  createPostgresRateLimiter,
  documentedLimits,
  unlimitedRateLimiter,
} from '../../../core/activecampaign/rate-limiter.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../../fake-activecampaign/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { clientFor, countingLimiter, isBulk, makeContacts } from './exporter.ts';

const scale = 40;
let database: TestDatabase;
let fake: FakeActiveCampaign;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
// Every test gets a fake of its own and an empty limiter: tests count the requests and contacts an account got.
beforeEach(async () => {
  await database.sql`truncate rate_limit_slots`;
  fake = await startFakeActiveCampaign({
    scale,
    accounts: [
      { apiKeys: ['key'], lists: [7], fields: [{ id: 1, title: 'Tier' }] },
      { apiKeys: ['broke'], lists: [7], paymentRequired: true },
      { apiKeys: ['tight'], lists: [7], limits: { bulkPerMinute: 1 } },
    ],
  });
});
afterEach(() => fake.close());

function setUp(apiKey: string, options: Parameters<typeof clientFor>[3] = {}) {
  const counting = countingLimiter(createPostgresRateLimiter(database.sql, documentedLimits, scale));
  return { client: clientFor(fake, apiKey, counting.limiter, options), ...counting };
}

/** The error a call fails with, and how long it took to fail. */
async function failure(call: Promise<unknown>): Promise<{ error: ActiveCampaignError; ms: number }> {
  const started = performance.now();
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActiveCampaignError);
  return { error: error as ActiveCampaignError, ms: performance.now() - started };
}

describe('permanent failures fail at once, without retries', () => {
  test('403: a key ActiveCampaign does not know is CredentialsRejected after one attempt', async () => {
    const { client, acquired } = setUp('revoked-key');
    const { error, ms } = await failure(client.me());
    expect(error).toMatchObject({ kind: 'CredentialsRejected', retryable: false, details: { status: 403 } });
    expect(error.message).toBe('ActiveCampaign rejected the API key (403 on GET /users/me).');
    expect(error.message).not.toContain('revoked-key');
    expect(acquired.general).toBe(1);
    expect(ms).toBeLessThan(1000);
  });

  test('403 on a bulk import: one attempt, nothing queued', async () => {
    const { client, acquired } = setUp('revoked-key');
    const { error } = await failure(client.bulkImport(makeContacts(3, 'x', 7)));
    expect(error.kind).toBe('CredentialsRejected');
    expect(acquired.bulk).toBe(1);
    expect(fake.account('key').contactsReceived()).toBe(0);
  });

  test('404: a missing list is NotFound after one request (the fake logged exactly one)', async () => {
    const { client } = setUp('key');
    const { error, ms } = await failure(client.getList('99'));
    expect(error).toMatchObject({ kind: 'NotFound', retryable: false, details: { status: 404 } });
    expect(error.message).toBe('GET /lists/99 was not found on ActiveCampaign (404).');
    expect(
      fake
        .account('key')
        .requests()
        .map((r) => [r.path, r.status]),
    ).toEqual([['/api/3/lists/99', 404]]);
    expect(ms).toBeLessThan(1000);
  });

  test('404: an unknown import batch is NotFound', async () => {
    const { client } = setUp('key');
    const { error } = await failure(client.importInfo('no-such-batch'));
    expect(error.kind).toBe('NotFound');
    expect(fake.account('key').requests()).toHaveLength(1);
  });

  test('402: a payment problem is PaymentRequired after one request', async () => {
    const { client } = setUp('broke');
    const { error } = await failure(client.bulkImport(makeContacts(3, 'x', 7)));
    expect(error).toMatchObject({ kind: 'PaymentRequired', retryable: false, details: { status: 402 } });
    expect(error.message).toContain('payment problem');
    expect(
      fake
        .account('broke')
        .requests()
        .map((r) => r.status),
    ).toEqual([402]);
  });

  test('validation 400: all-or-nothing, one request, failures name the contacts (1-based)', async () => {
    const { client } = setUp('key');
    const contacts = makeContacts(4, 'v', 7);
    contacts[1] = { email: 'not-an-email', subscribe: [{ listid: 7 }] };
    contacts[3] = { email: 'a@b.c', subscribe: [{ listid: 7 }] };
    const { error } = await failure(client.bulkImport(contacts));
    expect(error).toMatchObject({ kind: 'Validation', retryable: false, details: { status: 400 } });
    expect(error.details.failures?.map((f) => f.contact)).toEqual([2, 4]);
    expect(error.message).not.toContain('not-an-email');
    expect(fake.account('key').requests().filter(isBulk)).toHaveLength(1);
    expect(fake.account('key').contactsReceived()).toBe(0);
  });

  test('validation 422 on contact/sync is Validation', async () => {
    const { client } = setUp('key');
    const { error } = await failure(client.syncContact({ email: 'nope' }));
    expect(error).toMatchObject({ kind: 'Validation', retryable: false, details: { status: 422 } });
    expect(fake.account('key').requests()).toHaveLength(1);
  });
});

describe('transient failures are retryable (seen with maxAttempts 1, so the first error surfaces)', () => {
  test('429 carries Retry-After', async () => {
    fake.account('key').setFaults({ rateLimitStormMs: 500 });
    const { client } = setUp('key', { maxAttempts: 1 });
    const { error } = await failure(client.me());
    expect(error).toMatchObject({ kind: 'RateLimited', retryable: true, details: { status: 429 } });
    expect(error.details.retryAfterMs).toBeGreaterThan(0);
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(500);
  });

  test('the bulk import limit (400 "Rate limit exceeded.") is RateLimited, not Validation', async () => {
    // Without our limiter, a second multi-contact import inside the (scaled) minute hits the 1/min limit.
    const client = clientFor(fake, 'tight', unlimitedRateLimiter, { maxAttempts: 1 });
    await client.bulkImport(makeContacts(2, 'rl', 7));
    const { error } = await failure(client.bulkImport(makeContacts(2, 'rl', 7, 2)));
    expect(error).toMatchObject({ kind: 'RateLimited', retryable: true, details: { status: 400 } });
  });

  test('5xx with an HTML body is Unavailable', async () => {
    fake.account('key').setFaults({ errorRate: 1 });
    const { client } = setUp('key', { maxAttempts: 1 });
    const { error } = await failure(client.getList('7'));
    expect(error).toMatchObject({ kind: 'Unavailable', retryable: true });
    expect([500, 502, 503]).toContain(error.details.status);
  });

  test('a connection reset is Network', async () => {
    fake.account('key').setFaults({ dropConnectionRate: 1 });
    const { client } = setUp('key', { maxAttempts: 1 });
    const { error } = await failure(client.me());
    expect(error).toMatchObject({ kind: 'Network', retryable: true });
    expect(error.message).toBe('GET /users/me failed (connection error).');
  });

  test('a timeout is Network', async () => {
    fake.account('key').setFaults({ latencyMs: 300 });
    const { client } = setUp('key', { maxAttempts: 1, timeoutMs: 50 });
    const { error } = await failure(client.me());
    expect(error).toMatchObject({ kind: 'Network', retryable: true });
    expect(error.message).toBe('GET /users/me timed out.');
  });

  test('with attempts left, 5xx answers are retried until one succeeds', async () => {
    fake.account('key').setFaults({ errorRate: 1 });
    const { client, acquired } = setUp('key', { maxAttempts: 10 });
    setTimeout(() => fake.account('key').setFaults({}), 250);
    expect(await client.getList('7')).toEqual({ id: '7', name: expect.any(String) });
    expect(acquired.general).toBeGreaterThan(1);
    const statuses = fake
      .account('key')
      .requests()
      .map((r) => r.status);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, -1).every((s) => s >= 500)).toBe(true);
  });

  test('an abort (the activity was cancelled) ends the waits at once with the abort reason', async () => {
    fake.account('key').setFaults({ errorRate: 1 });
    const controller = new AbortController();
    const { client } = setUp('key', { maxAttempts: 100, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    await expect(client.me()).rejects.toThrow('cancelled');
  });
});

test('typed reads: lists, fields, contacts, daily totals (string ids and totals)', async () => {
  const { client } = setUp('key');
  expect(await client.lists()).toEqual([{ id: '7', name: expect.any(String) }]);
  expect(await client.fields()).toEqual([
    { id: '1', title: 'Tier', type: expect.any(String), perstag: expect.any(String), options: [] },
  ]);
  const created = await client.syncContact({ email: 'Ada@Example.com', firstName: 'Ada' });
  expect(created.id).toMatch(/^\d+$/);
  expect(await client.findContactByEmail('ada@example.com')).toEqual(created);
  await client.setListStatus('7', created.id, 1);
  expect(await client.contacts({ listId: '7' })).toEqual({ items: [created], total: 1 });
  expect(await client.findContactByEmail('ada@example.com', { listId: '7', status: 2 })).toBeNull();
  await client.bulkImport(makeContacts(3, 'totals', 7));
  expect(await client.bulkImportTotals()).toMatchObject({ requests: 1, contacts: 3 });
});
