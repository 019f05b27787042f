import { afterEach, describe, expect, test } from 'vitest';
import {
  type FakeAccountInit,
  type FakeActiveCampaign,
  startFakeActiveCampaign,
} from '../../fake-activecampaign/index.ts';
import {
  type Client,
  call,
  clientFor,
  completed,
  contacts,
  importAndWait,
  type Json,
  sleep,
} from './test-helpers.ts';

let fake: FakeActiveCampaign | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(init: Partial<FakeAccountInit> = {}, scale = 20): Promise<Client> {
  fake = await startFakeActiveCampaign({
    scale,
    accounts: [
      { apiKeys: ['k'], lists: [7, 8], fields: [{ id: 1, title: 'Tier' }], unthrottled: true, ...init },
    ],
  });
  return clientFor(fake, 'k');
}

const account = () => {
  if (!fake) throw new Error('no fake');
  return fake.account('k');
};

const validationMessage = expect.stringMatching(
  /^JSON payload did not pass validation\. .*The import was not queued for processing\.$/,
);

describe('request validation (all or nothing)', () => {
  test('a valid request is queued', async () => {
    const ac = await start();
    const answer = await ac.bulk(contacts(250));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      success: 1,
      queued_contacts: 250,
      batchId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      message: 'Contact import queued',
    });
    expect(account().contactsReceived()).toBe(250);
  });

  test('malformed bodies, 0 or more than 250 contacts are 400 with a general failure reason', async () => {
    await start();
    const post = (body: string) =>
      call(fake as FakeActiveCampaign, 'k', 'POST', '/api/3/import/bulk_import', body);
    const bodies = [
      'not json',
      '{}',
      '{"contacts":{}}',
      '[]',
      '{"contacts":[]}',
      JSON.stringify({ contacts: contacts(251) }),
    ];
    for (const body of bodies) {
      const answer = await post(body);
      expect(answer.status, body.slice(0, 30)).toBe(400);
      expect(answer.json).toEqual({
        success: 0,
        message: validationMessage,
        failureReasons: [expect.any(String)],
      });
    }
    expect(account().contactsReceived()).toBe(0);
  });

  test('the raw body must be under 400,000 bytes', async () => {
    await start();
    const sized = (bytes: number) => {
      const make = (pad: number) =>
        JSON.stringify({
          contacts: [{ email: 'big@example.com', fields: [{ id: 1, value: 'x'.repeat(pad) }] }],
        });
      const body = make(bytes - make(0).length);
      expect(Buffer.byteLength(body)).toBe(bytes);
      return call(fake as FakeActiveCampaign, 'k', 'POST', '/api/3/import/bulk_import', body);
    };
    const over = await sized(400_000);
    expect(over.status).toBe(400);
    expect(over.json.failureReasons[0]).toContain('400000 bytes');
    expect((await sized(399_999)).status).toBe(200);
  });

  test('one invalid contact rejects the whole request; failures name 1-based contact indices', async () => {
    const ac = await start();
    const batch = [
      { email: 'ok1@example.com', subscribe: [{ listid: 7 }] },
      { email: 'bad@example' },
      { email: 'ok2@example.com' },
      { email: 'ok3@example.com', subscribe: [{ listid: 99 }] },
      { email: 'ok4@example.com', fields: [{ id: 42, value: 'x' }] },
      { first_name: 'No email' },
    ];
    const answer = await ac.bulk(batch);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      success: 0,
      message: validationMessage,
      failureReasons: [
        { contact: 2, failureReason: "Field 'email' incorrect format" },
        { contact: 4, failureReason: expect.stringContaining('99') },
        { contact: 5, failureReason: expect.stringContaining('42') },
        { contact: 6, failureReason: expect.stringContaining("'email'") },
      ],
    });
    await sleep(150);
    expect(account().contactCount()).toBe(0);
    expect(account().contactsReceived()).toBe(0);
  });

  test('the documented email rules, and only those', async () => {
    const ac = await start();
    const invalid = [
      '@example.com',
      'a"b@example.com',
      'a(b@example.com',
      'a)b@example.com',
      'a,b@example.com',
      'a:b@example.com',
      'a;b@example.com',
      'a<b@example.com',
      'a>b@example.com',
      'a[b@example.com',
      'a\\b@example.com',
      'a]b@example.com',
      'a@b@example.com',
      'example.com',
      'a@example',
      'a@example.c',
      'a@example.c0m',
      'a@example.com.',
    ];
    for (const email of invalid) {
      const answer = await ac.bulk([{ email: 'fine@example.com' }, { email }]);
      expect(answer.json.failureReasons, email).toEqual([
        { contact: 2, failureReason: "Field 'email' incorrect format" },
      ]);
    }
    const valid = ["o'brien+tag@mail.example.co.uk", 'a@b.cd', 'A.B-C_D@EXAMPLE.MUSEUM', 'x y@example.com'];
    expect((await ac.bulk(valid.map((email) => ({ email })))).status).toBe(200);
  });
});

describe('asynchronous processing', () => {
  test('import/info goes false → waiting → active → completed, all scaled; contacts appear at completion', async () => {
    const ac = await start({}, 2); // 1 s of `false` → 500 ms, waiting → 750 ms, completion at 2000 / 2 = 1000 ms
    const started = performance.now();
    const queued = await ac.bulk(contacts(3, { subscribe: [{ listid: 7 }] }));
    expect(account().listMembers(7)).toEqual([]);
    const seen: Array<{ status: unknown; at: number }> = [];
    let last: Json;
    while (performance.now() - started < 5000) {
      // Read before the poll: if the poll still says "not completed", nothing may have been applied then.
      const contactsBefore = account().contactCount();
      last = (await ac.get(`/api/3/import/info?batchId=${queued.json.batchId}`)).json;
      if (seen.at(-1)?.status !== last.status)
        seen.push({ status: last.status, at: performance.now() - started });
      if (last.status === 'completed') break;
      expect(contactsBefore).toBe(0);
      await sleep(5);
    }
    const timeline = JSON.stringify(seen);
    expect(
      seen.map((s) => s.status),
      timeline,
    ).toEqual([false, 'waiting', 'active', 'completed']);
    expect(seen[1]?.at, timeline).toBeGreaterThanOrEqual(495);
    expect(seen[2]?.at, timeline).toBeGreaterThanOrEqual(745);
    expect(seen[3]?.at, timeline).toBeGreaterThanOrEqual(995);
    expect(seen[3]?.at, timeline).toBeLessThan(3000);
    expect(last).toEqual({ status: 'completed', success: ['1', '2', '3'], failure: [] });
    expect(
      account()
        .listMembers(7)
        .map((m) => [m.contactId, m.email, m.status]),
    ).toEqual([
      ['1', 'user1@example.com', 'subscribed'],
      ['2', 'user2@example.com', 'subscribed'],
      ['3', 'user3@example.com', 'subscribed'],
    ]);
  });

  test('contacts are visible once the batch completes, without polling import/info', async () => {
    const ac = await start({ importProcessingMs: 200 }, 1);
    await ac.bulk(contacts(2, { subscribe: [{ listid: 8 }] }));
    await sleep(400);
    expect((await ac.get('/api/3/contacts?listid=8')).json.meta.total).toBe('2');
  });

  test('an unknown batch id (or one of another account) is 404', async () => {
    fake = await startFakeActiveCampaign({
      scale: 20,
      accounts: [
        { apiKeys: ['k'], unthrottled: true },
        { apiKeys: ['other'], unthrottled: true },
      ],
    });
    const queued = await clientFor(fake, 'k').bulk(contacts(2));
    expect(
      (await clientFor(fake, 'other').get(`/api/3/import/info?batchId=${queued.json.batchId}`)).status,
    ).toBe(404);
    expect((await clientFor(fake, 'k').get('/api/3/import/info?batchId=nope')).status).toBe(404);
  });

  test('daily totals count accepted imports', async () => {
    const ac = await start();
    await ac.bulk(contacts(3));
    await ac.bulk(contacts(2));
    await ac.bulk([{ email: 'bad' }]);
    const totals = (await ac.get('/api/3/import/bulk_import')).json;
    expect(totals).toEqual({
      dailyTotals: { date: new Date().toISOString().slice(0, 10), requests: '2', contacts: '5' },
    });
  });
});

describe('what a completed import does', () => {
  test('upsert by case-insensitive email: the first email spelling stays, given data overwrites', async () => {
    const ac = await start();
    const first = await importAndWait(ac, [
      {
        email: 'Ada@Example.com',
        first_name: 'Ada',
        last_name: 'L',
        phone: '1',
        fields: [{ id: 1, value: 'gold' }],
      },
    ]);
    expect(first).toEqual({ status: 'completed', success: ['1'], failure: [] });
    const second = await importAndWait(ac, [
      {
        email: 'ada@example.COM',
        last_name: 'Lovelace',
        fields: [{ id: '1', value: 'platinum' }],
        subscribe: [{ listid: 7 }],
      },
    ]);
    expect(second.success).toEqual(['1']);
    expect(account().listMembers(7)).toEqual([
      {
        contactId: '1',
        email: 'Ada@Example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        phone: '1',
        fields: { '1': 'platinum' },
        status: 'subscribed',
      },
    ]);
    expect(account().contactCount()).toBe(1);
  });

  test('duplicate emails in one request: the last one wins', async () => {
    const ac = await start();
    const result = await importAndWait(ac, [
      { email: 'dup@example.com', first_name: 'First', subscribe: [{ listid: 7 }] },
      { email: 'other@example.com' },
      { email: 'DUP@example.com', first_name: 'Last', subscribe: [{ listid: 8 }] },
    ]);
    expect(result.success).toHaveLength(2);
    expect(account().contactCount()).toBe(2);
    expect(account().listMembers(7)).toEqual([]);
    expect(
      account()
        .listMembers(8)
        .map((m) => [m.email, m.firstName]),
    ).toEqual([['DUP@example.com', 'Last']]);
    expect(account().contactsReceived()).toBe(3);
  });

  test('excluded emails are failures and never created', async () => {
    const ac = await start({ excluded: ['Blocked@example.com'] });
    account().exclude('later@EXAMPLE.com');
    const result = await importAndWait(ac, [
      { email: 'blocked@example.com', subscribe: [{ listid: 7 }] },
      { email: 'ok@example.com', subscribe: [{ listid: 7 }] },
      { email: 'Later@example.com', subscribe: [{ listid: 7 }] },
    ]);
    expect(result).toEqual({
      status: 'completed',
      success: ['1'],
      failure: ['blocked@example.com', 'Later@example.com'],
    });
    expect(account().contactCount()).toBe(1);
    expect(
      account()
        .listMembers(7)
        .map((m) => m.email),
    ).toEqual(['ok@example.com']);
  });

  test('an unsubscribed contact is never re-subscribed by an import and is reported as a failure', async () => {
    const ac = await start();
    await importAndWait(ac, contacts(3, { subscribe: [{ listid: 7 }, { listid: 8 }] }));
    account().unsubscribeAsContact('USER1@example.com', 7);
    await importAndWait(ac, [{ email: 'user2@example.com', unsubscribe: [{ listid: 7 }] }]);
    const result = await importAndWait(ac, [
      ...contacts(3, { first_name: 'Again', subscribe: [{ listid: 7 }, { listid: 8 }] }),
      { email: 'new@example.com', subscribe: [{ listid: 7 }] },
    ]);
    expect(result.success).toEqual(['3', '4']);
    expect(result.failure).toEqual(['user1@example.com', 'user2@example.com']);
    expect(
      account()
        .listMembers(7)
        .map((m) => [m.email, m.status, m.unsubscribedBy, m.firstName]),
    ).toEqual([
      ['new@example.com', 'subscribed', undefined, ''],
      ['user1@example.com', 'unsubscribed', 'contact', 'Again'],
      ['user2@example.com', 'unsubscribed', 'api', 'Again'],
      ['user3@example.com', 'subscribed', undefined, 'Again'],
    ]);
    expect(
      account()
        .listMembers(8)
        .every((m) => m.status === 'subscribed'),
    ).toBe(true);
    expect(account().resubscriptionsOfSelfUnsubscribed()).toBe(0);
  });

  test('a contact who unsubscribed before ever being imported stays unsubscribed', async () => {
    const ac = await start();
    account().unsubscribeAsContact('early@example.com', 7);
    const result = await importAndWait(ac, [{ email: 'early@example.com', subscribe: [{ listid: 7 }] }]);
    expect(result.failure).toEqual(['early@example.com']);
    expect(account().listMembers(7)).toMatchObject([{ email: 'early@example.com', status: 'unsubscribed' }]);
  });

  test('new contacts over the contact limit are failures; existing ones are still updated', async () => {
    const ac = await start({ contactLimit: 3 });
    await importAndWait(ac, contacts(2));
    const result = await importAndWait(ac, [
      { email: 'user1@example.com', first_name: 'Updated', subscribe: [{ listid: 7 }] },
      { email: 'a@example.com', subscribe: [{ listid: 7 }] },
      { email: 'b@example.com', subscribe: [{ listid: 7 }] },
      { email: 'c@example.com', subscribe: [{ listid: 7 }] },
    ]);
    expect(result.success).toEqual(['1', '3']);
    expect(result.failure).toEqual(['b@example.com', 'c@example.com']);
    expect(account().contactCount()).toBe(3);
    expect(
      account()
        .listMembers(7)
        .map((m) => [m.email, m.firstName]),
    ).toEqual([
      ['a@example.com', ''],
      ['user1@example.com', 'Updated'],
    ]);
  });

  test('a list deleted while its import was queued makes those contacts failures', async () => {
    const ac = await start();
    const queued = await ac.bulk(contacts(2, { subscribe: [{ listid: 8 }] }));
    account().deleteList(8);
    const result = await completed(ac, queued.json.batchId);
    expect(result.failure).toEqual(['user1@example.com', 'user2@example.com']);
    expect((await ac.get('/api/3/lists/8')).status).toBe(404);
  });
});
