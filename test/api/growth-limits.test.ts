import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ImportFileError, importProfiles } from '../../core/profiles/profiles-import.ts';
import { ATTRIBUTE_NAMES_KEY } from '../../core/profiles/store.ts';
import { loadConfig } from '../../scripts/config.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { expectRejected, tokenFor, upsertProfilesDoc } from './helpers.ts';

const limits = { maxAttributesPerProfile: 5, maxAttributeNames: 8 };
let outbound: Outbound;
let viewer: string;
let dir: string;

beforeAll(async () => {
  outbound = await startOutbound({
    worker: false,
    profileLimits: limits,
    maxSubscriptionsPerUser: 2,
    maxSubscriptionsPerProcess: 3,
  });
  viewer = await tokenFor(outbound, 'VIEWER');
  dir = await mkdtemp(join(tmpdir(), 'growth-limits-'));
});

afterAll(async () => {
  await outbound?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const attributes = (prefix: string, count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i + 1}`, 'x']));
const storedCount = async () => (await outbound.sql`select count(*)::int as n from profiles`)[0]?.n;
const attributeNames = async () =>
  (await outbound.gql<{ profileAttributes: string[] }>('{ profileAttributes }')).profileAttributes;

describe('profile attributes', () => {
  beforeEach(async () => {
    await outbound.sql`truncate profiles`;
    await outbound.sql`delete from settings where key = ${ATTRIBUTE_NAMES_KEY}`;
  });

  test(`at most ${limits.maxAttributesPerProfile} attribute keys per profile`, async () => {
    const result = await outbound.graphql(upsertProfilesDoc, {
      p: [
        { customerId: 'ok', attributes: attributes('A', 5) },
        { customerId: 'wide', attributes: attributes('A', 6) },
      ],
    });
    expectRejected(result, {
      code: 'BAD_USER_INPUT',
      field: 'profiles[1].attributes',
      message: /at most 5 attributes per profile \(got 6\)/,
    });
    expect(await storedCount()).toBe(0);
  });

  test(`at most ${limits.maxAttributeNames} distinct attribute names overall, counted before anything is written`, async () => {
    // In one call, with nothing cached yet.
    const together = await outbound.graphql(upsertProfilesDoc, {
      p: [
        { customerId: 'a', attributes: attributes('A', 5) },
        { customerId: 'b', attributes: attributes('B', 4) },
      ],
    });
    expectRejected(together, { code: 'BAD_USER_INPUT', field: 'profiles', message: /at most 8 distinct/ });
    expect(await storedCount()).toBe(0);

    await outbound.gql(upsertProfilesDoc, { p: [{ customerId: 'a', attributes: attributes('A', 5) }] });
    expect(await attributeNames()).toHaveLength(5);
    // Across calls, against the names profiles already have.
    const later = await outbound.graphql(upsertProfilesDoc, {
      p: [{ customerId: 'b', attributes: attributes('B', 4) }],
    });
    expectRejected(later, { code: 'BAD_USER_INPUT', field: 'profiles', message: /would make 9/ });
    expect(await storedCount()).toBe(1);
    expect(await attributeNames()).toHaveLength(5);

    await outbound.gql(upsertProfilesDoc, { p: [{ customerId: 'b', attributes: attributes('B', 3) }] });
    // Names already known never count twice.
    await outbound.gql(upsertProfilesDoc, {
      p: [{ customerId: 'c', attributes: { ...attributes('A', 2), ...attributes('B', 3) } }],
    });
    expect(await attributeNames()).toHaveLength(8);
  });

  test('the CLI import keeps to the same limits and imports nothing past them', async () => {
    const ndjson = join(dir, 'names.ndjson');
    await writeFile(
      ndjson,
      [
        JSON.stringify({ customerId: 'n1', attributes: attributes('A', 5) }),
        JSON.stringify({ customerId: 'n2', attributes: attributes('A', 6) }),
        JSON.stringify({ customerId: 'n3', attributes: attributes('B', 4) }),
      ].join('\n'),
    );
    const error = await importProfiles(outbound.sql, ndjson, { limits }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/at most 8 distinct attribute names/);
    expect(await storedCount()).toBe(0);

    const csv = join(dir, 'wide.csv');
    await writeFile(csv, `customer_id,${Object.keys(attributes('A', 6)).join(',')}\nc1,1,2,3,4,5,6\n`);
    await expect(importProfiles(outbound.sql, csv, { limits })).rejects.toThrow(/at most 5 attributes/);

    await writeFile(ndjson, JSON.stringify({ customerId: 'n1', attributes: attributes('A', 6) }));
    const result = await importProfiles(outbound.sql, ndjson, { limits });
    expect(result).toMatchObject({
      imported: 0,
      badRows: [{ line: 1, reason: expect.stringMatching(/at most 5/) }],
    });
  });
});

describe('subscriptions', () => {
  const progressDoc = 'subscription($id: ID!) { exportRunProgress(id: $id) { status } }';
  let runId: string;

  beforeAll(async () => {
    const [admin] = await outbound.sql<
      { id: string }[]
    >`select id from users where email = 'admin@outbound.test'`;
    const [connection] = await outbound.sql<{ id: string }[]>`
      insert into connections (display_name, api_host, api_key_tail, privacy_accepted_by, privacy_accepted_at, export_user_id)
      values ('c', 'example.api-us1.com', 'abcd', ${admin?.id ?? ''}, now(), ${admin?.id ?? ''}) returning id`;
    const [exported] = await outbound.sql<{ id: string }[]>`
      insert into exports (name, connection_id, list_id, segment_ids, mapping, created_by)
      values ('e', ${connection?.id ?? ''}, '7', '{}', ${JSON.stringify({ email: 'Email', fields: [] })}::jsonb, ${admin?.id ?? ''})
      returning id`;
    const [run] = await outbound.sql<{ id: string }[]>`
      insert into export_runs (export_id, trigger, status, workflow_id)
      values (${exported?.id ?? ''}, 'ON_DEMAND', 'RUNNING', 'export-test') returning id`;
    runId = run?.id ?? '';
  });

  /** Opens an SSE stream and reads its first event: the run, or the error that refused the stream. */
  async function open(token: string) {
    const response = await outbound.api.fetch(
      new Request('http://outbound.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query: progressDoc, variables: { id: runId } }),
      }),
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    let data: string | undefined;
    while (data === undefined) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended without an event: ${text}`);
      text += decoder.decode(value, { stream: true });
      data = /^data: (.+)$/m.exec(text)?.[1];
    }
    const first = JSON.parse(data) as {
      data?: { exportRunProgress: { status: string } } | null;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
    return { first, close: () => reader.cancel() };
  }

  test('at most 2 streams per user and 3 per process; a closed stream frees its slot', async () => {
    const one = await open(viewer);
    const two = await open(viewer);
    expect([one.first, two.first]).toEqual([
      { data: { exportRunProgress: { status: 'RUNNING' } } },
      { data: { exportRunProgress: { status: 'RUNNING' } } },
    ]);
    const third = await open(viewer);
    expect(third.first.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect(third.first.errors?.[0]?.message).toMatch(/OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER/);

    const adminOne = await open(outbound.adminToken);
    expect(adminOne.first.data?.exportRunProgress.status).toBe('RUNNING');
    const adminTwo = await open(outbound.adminToken);
    expect(adminTwo.first.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect(adminTwo.first.errors?.[0]?.message).toMatch(/OUTBOUND_MAX_SUBSCRIPTIONS_PER_PROCESS/);

    await one.close();
    // The slot comes back when the server sees the stream closed: try until it has.
    let again = await open(viewer);
    for (let attempt = 0; again.first.errors && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open(viewer);
    }
    expect(again.first.data?.exportRunProgress.status).toBe('RUNNING');
    await Promise.all([two.close(), again.close(), adminOne.close()]);
  });
});

describe('configuration', () => {
  test('reads the limits from the environment, and refuses malformed values', () => {
    const env = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/outbound',
      OUTBOUND_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
    };
    expect(loadConfig(env)).toMatchObject({
      profileLimits: { maxAttributesPerProfile: 200, maxAttributeNames: 2000 },
      maxSubscriptionsPerUser: 10,
      maxSubscriptionsPerProcess: 500,
    });
    expect(
      loadConfig({
        ...env,
        OUTBOUND_MAX_ATTRIBUTES_PER_PROFILE: '50',
        OUTBOUND_MAX_ATTRIBUTE_NAMES: '300',
        OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER: '3',
        OUTBOUND_MAX_SUBSCRIPTIONS_PER_PROCESS: '40',
      }),
    ).toMatchObject({
      profileLimits: { maxAttributesPerProfile: 50, maxAttributeNames: 300 },
      maxSubscriptionsPerUser: 3,
      maxSubscriptionsPerProcess: 40,
    });
    expect(() => loadConfig({ ...env, OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER: '0' })).toThrow(
      /OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER=0 is not valid/,
    );
  });
});
