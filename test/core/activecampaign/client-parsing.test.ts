import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { classify, parseRetryAfter } from '../../../core/activecampaign/classify.ts';
import { ActiveCampaignClient } from '../../../core/activecampaign/client.ts';
import { unlimitedRateLimiter } from '../../../core/activecampaign/rate-limiter.ts';
import { countingLimiter } from './exporter.ts';

/**
 * Answers the real API gives that the fake does not (it always sends one spelling): a scripted stub
 * server, one answer per request in order.
 */
type Scripted = { status: number; body?: unknown; text?: string; headers?: Record<string, string> };
let script: Scripted[] = [];
let seen: Array<{ method: string; url: string; body: string }> = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const answer = script.shift() ?? { status: 500, text: 'no script' };
      const text = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
      res.writeHead(answer.status, {
        ...(answer.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...answer.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/3`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script = [];
  seen = [];
});

function client(limiter = unlimitedRateLimiter, maxAttempts = 5) {
  return new ActiveCampaignClient({ baseUrl, apiKey: 'k', account: 'stub', limiter, maxAttempts });
}

describe('tolerant parsing', () => {
  test('bulk import: "Success" spelling, numeric queued_contacts; the body is snake_case with the key header', async () => {
    script = [{ status: 200, body: { Success: 1, queued_contacts: '2', batchId: 'b-1' } }];
    const result = await client().bulkImport([
      { email: 'a@example.com', first_name: 'A' },
      { email: 'b@example.com' },
    ]);
    expect(result).toEqual({ batchId: 'b-1', queued: 2 });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      contacts: [{ email: 'a@example.com', first_name: 'A' }, { email: 'b@example.com' }],
      exclude_automations: false,
    });
  });

  test('a 200 without a batch id is a retryable Unavailable', async () => {
    script = [{ status: 200, body: { success: 0 } }];
    await expect(
      client(unlimitedRateLimiter, 1).bulkImport([{ email: 'a@example.com' }]),
    ).rejects.toMatchObject({
      kind: 'Unavailable',
      retryable: true,
    });
  });

  test('import/info: status false is queued; numeric ids become strings; undocumented fields are ignored', async () => {
    script = [
      { status: 200, body: { status: false } },
      {
        status: 200,
        body: {
          status: 'completed',
          success: [12, '13'],
          failure: ['X@example.com', 'y@example.com'],
          failureReasons: [{ email: 'X@example.com', failureReason: 'on exclusion list' }, 'general'],
        },
      },
    ];
    expect(await client().importInfo('b')).toEqual({ status: 'queued', success: [], failure: [] });
    expect(await client().importInfo('b')).toEqual({
      status: 'completed',
      success: ['12', '13'],
      failure: ['X@example.com', 'y@example.com'],
    });
    expect(seen[0]?.url).toBe('/api/3/import/info?batchId=b');
  });

  test('fields: numeric meta.total, several pages; a missing total pages on until a short page', async () => {
    const page = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ id: from + i, title: `F${from + i}` }));
    script = [
      { status: 200, body: { fields: page(100, 1), meta: { total: 130 } } },
      { status: 200, body: { fields: page(30, 101), meta: { total: 130 } } },
    ];
    const fields = await client().fields();
    expect(fields).toHaveLength(130);
    expect(fields[129]).toEqual({ id: '130', title: 'F130', type: '', perstag: '', options: [] });
    script = [
      { status: 200, body: { fields: page(100, 1) } },
      { status: 200, body: { fields: [] } },
    ];
    expect(await client().fields()).toHaveLength(100);
    expect(seen.at(-1)?.url).toBe('/api/3/fields?limit=100&offset=100');
  });

  test('fields: sideloaded fieldOptions of every page; tags page with the search passed on', async () => {
    script = [
      {
        status: 200,
        body: {
          fields: Array.from({ length: 100 }, (_, i) => ({ id: i + 1, title: `F${i + 1}`, type: 'text' })),
          fieldOptions: [],
          meta: { total: '101' },
        },
      },
      {
        status: 200,
        body: {
          fields: [{ id: '101', title: 'Tier', type: 'dropdown' }],
          fieldOptions: [
            { field: '101', value: 'gold', label: 'Gold' },
            { field: '101', value: 'silver', label: 'Silver' },
          ],
          meta: { total: '101' },
        },
      },
    ];
    const fields = await client().fields();
    expect(fields[100]).toEqual({
      id: '101',
      title: 'Tier',
      type: 'dropdown',
      perstag: '',
      options: ['gold', 'silver'],
    });
    script = [
      { status: 200, body: { tags: [{ id: 3, tag: 'vip', tagType: 'contact' }], meta: { total: '1' } } },
    ];
    expect(await client().tags('vip')).toEqual([{ id: '3', name: 'vip' }]);
    expect(seen.at(-1)?.url).toBe('/api/3/tags?search=vip&limit=100&offset=0');
  });

  test('findContactByEmail checks the email: an ignored filter returning others is no match', async () => {
    script = [
      { status: 200, body: { contacts: [{ id: '5', email: 'other@example.com' }], meta: { total: '1' } } },
    ];
    expect(await client().findContactByEmail('Ada@example.com')).toBeNull();
    script = [
      { status: 200, body: { contacts: [{ id: '6', email: 'ada@EXAMPLE.com' }], meta: { total: '1' } } },
    ];
    expect(await client().findContactByEmail('Ada@example.com')).toEqual({
      id: '6',
      email: 'ada@EXAMPLE.com',
    });
  });

  test('403 with no body and no content type is CredentialsRejected', async () => {
    script = [{ status: 403 }];
    await expect(client().me()).rejects.toMatchObject({ kind: 'CredentialsRejected', retryable: false });
    expect(seen).toHaveLength(1);
  });

  test('403 with an errors[] body is CredentialsRejected', async () => {
    script = [{ status: 403, body: { errors: [{ title: 'You do not have permission' }] } }];
    await expect(client().me()).rejects.toMatchObject({ kind: 'CredentialsRejected' });
  });

  test('a 503 with Retry-After is waited out by the whole account (backOff), then retried', async () => {
    script = [
      { status: 503, text: 'busy', headers: { 'Retry-After': '0.05' } },
      { status: 200, body: { user: { id: 1 } } },
    ];
    const counting = countingLimiter(unlimitedRateLimiter);
    const started = performance.now();
    expect(await client(counting.limiter).me()).toEqual({ id: '1' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(counting.backOffs.map((b) => [b.kind, b.ms])).toEqual([['general', 50]]);
  });

  test('a 429 waits its Retry-After; RateLimit-Remaining 0 on a success holds the account for a window; both headers are read', async () => {
    script = [
      {
        status: 429,
        body: { message: 'Too Many Requests' },
        headers: { 'Retry-After': '0.04', 'RateLimit-Limit': '5', 'RateLimit-Remaining': '0' },
      },
      {
        status: 200,
        body: { user: { id: 1 } },
        headers: { 'RateLimit-Limit': '5', 'RateLimit-Remaining': '0' },
      },
      {
        status: 200,
        body: { user: { id: 1 } },
        headers: { 'RateLimit-Limit': '5', 'RateLimit-Remaining': '3' },
      },
    ];
    const counting = countingLimiter(unlimitedRateLimiter);
    const heard: Array<{ limit?: number; remaining?: number }> = [];
    const c = new ActiveCampaignClient({
      baseUrl,
      apiKey: 'k',
      account: 'stub',
      limiter: counting.limiter,
      rateWindowMs: 250,
      onRateHeaders: (h) => heard.push(h),
    });
    const started = performance.now();
    expect(await c.me()).toEqual({ id: '1' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(await c.me()).toEqual({ id: '1' });
    expect(counting.backOffs.map((b) => [b.kind, b.ms])).toEqual([
      ['general', 40],
      ['general', 250],
    ]);
    expect(heard).toEqual([
      { limit: 5, remaining: 0 },
      { limit: 5, remaining: 0 },
      { limit: 5, remaining: 3 },
    ]);
  });

  test('a bulk rate-limit 400 backs off the bulk budget of its own kind', async () => {
    const limited = {
      status: 400,
      body: {
        success: 0,
        message: 'Rate limit exceeded.',
        failureReasons: ['Up to 20 imports may be requested per minute.'],
      },
    };
    script = [limited, { status: 200, body: { success: 1, queued_contacts: 1, batchId: 'b' } }];
    const counting = countingLimiter(unlimitedRateLimiter);
    const c = new ActiveCampaignClient({
      baseUrl,
      apiKey: 'k',
      account: 'stub',
      limiter: counting.limiter,
      rateLimitPauseMs: 10,
    });
    await c.bulkImport([{ email: 'a@example.com' }]);
    expect(counting.acquired).toEqual({ general: 0, bulk: 0, bulkSingle: 2 });
    expect(counting.backOffs.map((b) => [b.kind, b.ms])).toEqual([['bulkSingle', 10]]);
  });
});

describe('classify', () => {
  test.each([
    [401, 'CredentialsRejected', false],
    [403, 'CredentialsRejected', false],
    [402, 'PaymentRequired', false],
    [404, 'NotFound', false],
    [410, 'NotFound', false],
    [400, 'Validation', false],
    [413, 'Validation', false],
    [422, 'Validation', false],
    [405, 'Validation', false],
    [408, 'Unavailable', true],
    [429, 'RateLimited', true],
    [500, 'Unavailable', true],
    [502, 'Unavailable', true],
    [503, 'Unavailable', true],
    [504, 'Unavailable', true],
  ] as const)('HTTP %i is %s (retryable: %s)', (status, kind, retryable) => {
    const error = classify('GET /x', status, null, null);
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.details.status).toBe(status);
  });

  test('a 400 is a rate limit by its message or by its general reason', () => {
    expect(classify('POST /import/bulk_import', 400, null, { message: 'Rate limit exceeded.' }).kind).toBe(
      'RateLimited',
    );
    const byReason = {
      success: 0,
      failureReasons: ['Up to 100 imports may be requested per minute. Please wait.'],
    };
    expect(classify('POST /import/bulk_import', 400, null, byReason).kind).toBe('RateLimited');
    const validation = {
      success: 0,
      failureReasons: [{ contact: 3, failureReason: "Field 'email' incorrect format" }, 'general'],
    };
    expect(classify('POST /import/bulk_import', 400, null, validation).details.failures).toEqual([
      { contact: 3, reason: "Field 'email' incorrect format" },
      { reason: 'general' },
    ]);
  });

  test('Retry-After: seconds, fractions, HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.017')).toBe(17);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(classify('GET /x', 429, '3', null).details.retryAfterMs).toBe(3000);
  });
});
