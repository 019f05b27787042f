import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { type Client, call, clientFor, contacts, importAndWait } from './test-helpers.ts';

let fake: FakeActiveCampaign;
let ac: Client;
const key = 'api-key';

// Every test gets a fake of its own: tests add contacts, tags and fields, and count what the account holds.
beforeEach(async () => {
  fake = await startFakeActiveCampaign({
    scale: 20,
    accounts: [
      {
        apiKeys: [key, 'second-key'],
        lists: [{ id: 7, name: 'Newsletter' }, 8, ...Array.from({ length: 120 }, (_, i) => 100 + i)],
        fields: [
          { id: 1, title: 'Tier' },
          { id: 2, title: 'City', type: 'dropdown', perstag: 'TOWN' },
        ],
        unthrottled: true,
      },
      { apiKeys: ['broke'], paymentRequired: true },
    ],
  });
  ac = clientFor(fake, key);
  // 150 contacts: 1..100 subscribed to list 7, 101..150 to list 8.
  await importAndWait(ac, contacts(100, { subscribe: [{ listid: 7 }] }));
  await importAndWait(
    ac,
    contacts(50, { subscribe: [{ listid: 8 }] }).map((c, i) => ({
      ...c,
      email: `user${101 + i}@example.com`,
    })),
  );
});
afterEach(() => fake.close());

describe('auth', () => {
  test('a missing, unknown or differently cased key is 403 {"message":"Forbidden"}', async () => {
    for (const k of [undefined, '', 'nope', 'API-KEY', `${key}x`]) {
      const answer = await call(fake, k, 'GET', '/api/3/users/me');
      expect(answer.status).toBe(403);
      expect(answer.json).toEqual({ message: 'Forbidden' });
    }
  });

  test('every key of the account works; a payment problem answers 402', async () => {
    expect((await call(fake, 'second-key', 'GET', '/api/3/users/me')).status).toBe(200);
    expect((await call(fake, 'broke', 'GET', '/api/3/users/me')).status).toBe(402);
  });

  test('unknown routes are 404', async () => {
    expect((await ac.get('/api/3/nothing')).status).toBe(404);
    expect((await ac.get('/api/2/users/me')).status).toBe(404);
  });

  test('the root, opened in a browser without a key, says what the fake is and how to call it', async () => {
    for (const path of ['/', '/api/3']) {
      const response = await fetch(`${fake.url}${path}`);
      expect(response.status).toBe(200);
      const index = (await response.json()) as { name: string; routes: string[]; example: string };
      expect(index.name).toMatch(/Fake ActiveCampaign/);
      expect(index.routes).toContain('POST /api/3/import/bulk_import');
      expect(index.example).toMatch(/Api-Token/);
    }
  });
});

test('users/me', async () => {
  const answer = await ac.get('/api/3/users/me');
  expect(answer.status).toBe(200);
  expect(answer.json.user).toMatchObject({
    id: '1',
    email: expect.any(String),
    username: expect.any(String),
  });
});

describe('lists', () => {
  test('pagination: default 20, at most 100, string ids and string meta.total', async () => {
    const first = await ac.get('/api/3/lists');
    expect(first.json.lists).toHaveLength(20);
    expect(first.json.meta.total).toBe('122');
    expect(first.json.lists[0]).toMatchObject({ id: '7', name: 'Newsletter', stringid: 'newsletter' });
    expect(first.json.lists[1]).toMatchObject({ id: '8', name: 'List 8' });
    const capped = await ac.get('/api/3/lists?limit=500');
    expect(capped.json.lists).toHaveLength(100);
    const rest = await ac.get('/api/3/lists?limit=100&offset=100');
    expect(rest.json.lists.map((l: { id: string }) => l.id)).toEqual(
      Array.from({ length: 22 }, (_, i) => String(198 + i)),
    );
  });

  test('one list, and the documented 404', async () => {
    const found = await ac.get('/api/3/lists/7');
    expect(found.status).toBe(200);
    expect(found.json.list).toMatchObject({ id: '7', name: 'Newsletter', stringid: 'newsletter' });
    const missing = await ac.get('/api/3/lists/9');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: 'No Result found for _List with id 9' });
  });
});

test('fields: shape and pagination', async () => {
  const answer = await ac.get('/api/3/fields?limit=100');
  expect(answer.json.meta.total).toBe('2');
  expect(answer.json.fields).toEqual([
    expect.objectContaining({ id: '1', title: 'Tier', type: 'text', perstag: 'TIER' }),
    expect.objectContaining({ id: '2', title: 'City', type: 'dropdown', perstag: 'TOWN' }),
  ]);
  expect(
    (await ac.get('/api/3/fields?limit=1&offset=1')).json.fields.map((f: { id: string }) => f.id),
  ).toEqual(['2']);
});

describe('GET contacts', () => {
  const ids = (answer: { json: { contacts: Array<{ id: string }> } }) =>
    answer.json.contacts.map((c) => c.id);

  test('the email filter is exact and case-insensitive; ids are strings', async () => {
    const answer = await ac.get(`/api/3/contacts?email=${encodeURIComponent('USER42@Example.COM')}`);
    expect(answer.json.meta.total).toBe('1');
    expect(answer.json.contacts).toEqual([
      expect.objectContaining({ id: '42', email: 'user42@example.com' }),
    ]);
    const none = await ac.get('/api/3/contacts?email=user4@example.co');
    expect(none.json).toMatchObject({ contacts: [], meta: { total: '0' } });
  });

  test('an unknown filter is ignored: the answer is unfiltered', async () => {
    const answer = await ac.get('/api/3/contacts?emial=user42@example.com');
    expect(answer.json.meta.total).toBe('150');
    expect(ids(answer)).toHaveLength(20);
    expect(ids(answer)[0]).toBe('1');
  });

  test('pagination: limit at most 100, offset, id_greater, orders[id]', async () => {
    const capped = await ac.get('/api/3/contacts?limit=1000');
    expect(ids(capped)).toHaveLength(100);
    expect(capped.json.meta.total).toBe('150');
    expect(ids(await ac.get('/api/3/contacts?limit=100&offset=100'))).toEqual(
      Array.from({ length: 50 }, (_, i) => String(101 + i)),
    );
    const after = await ac.get('/api/3/contacts?id_greater=140&orders[id]=ASC&limit=100');
    expect(ids(after)).toEqual(Array.from({ length: 10 }, (_, i) => String(141 + i)));
    expect(after.json.meta.total).toBe('10');
    expect(ids(await ac.get('/api/3/contacts?orders%5Bid%5D=DESC&limit=2'))).toEqual(['150', '149']);
  });

  test('listid, with an optional list status', async () => {
    fake.account(key).unsubscribeAsContact('user3@example.com', 7);
    const all = await ac.get('/api/3/contacts?listid=7&limit=100');
    expect(all.json.meta.total).toBe('100');
    const subscribed = await ac.get('/api/3/contacts?listid=7&status=1&limit=100');
    expect(subscribed.json.meta.total).toBe('99');
    expect(ids(subscribed)).not.toContain('3');
    const unsubscribed = await ac.get('/api/3/contacts?listid=7&status=2');
    expect(ids(unsubscribed)).toEqual(['3']);
    const list8 = await ac.get('/api/3/contacts?listid=8&id_greater=145');
    expect(ids(list8)).toEqual(['146', '147', '148', '149', '150']);
    expect((await ac.get('/api/3/contacts?listid=8&email=user1@example.com')).json.meta.total).toBe('0');
    expect((await ac.get('/api/3/contacts?listid=555')).json.meta.total).toBe('0');
  });
});

describe('contact/sync', () => {
  test('creates (201) then updates (200) by email, case-insensitively', async () => {
    const created = await ac.post('/api/3/contact/sync', {
      contact: { email: 'Sync@Example.com', firstName: 'Syn', fieldValues: [{ field: '1', value: 'gold' }] },
    });
    expect(created.status).toBe(201);
    expect(created.json.contact).toMatchObject({ id: '151', email: 'Sync@Example.com', firstName: 'Syn' });
    expect(created.json.fieldValues).toEqual([
      expect.objectContaining({ contact: '151', field: '1', value: 'gold' }),
    ]);
    const updated = await ac.post('/api/3/contact/sync', {
      contact: { email: 'sync@example.com', lastName: 'C' },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.contact).toMatchObject({ id: '151', firstName: 'Syn', lastName: 'C' });
  });

  test('an invalid email is 422 with the documented body; unknown fields are 422', async () => {
    const invalid = await ac.post('/api/3/contact/sync', { contact: { email: 'no-at-sign.example.com' } });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toEqual({
      errors: [
        {
          title: 'Contact Email Address is not valid.',
          detail: '',
          code: 'email_invalid',
          source: { pointer: '/data/attributes/email' },
        },
      ],
    });
    const field = await ac.post('/api/3/contact/sync', {
      contact: { email: 'f@example.com', fieldValues: [{ field: 99, value: 'x' }] },
    });
    expect(field.status).toBe(422);
    expect((await ac.get('/api/3/contacts?email=f@example.com')).json.meta.total).toBe('0');
  });
});

describe('contactLists', () => {
  test('status 2 unsubscribes (recorded as by the API), status 1 subscribes', async () => {
    const answer = await ac.post('/api/3/contactLists', {
      contactList: { list: 8, contact: 101, status: 2 },
    });
    expect(answer.status).toBe(201);
    expect(answer.json.contactList).toMatchObject({ list: '8', contact: '101', status: '2' });
    const member = () =>
      fake
        .account(key)
        .listMembers(8)
        .find((m) => m.email === 'user101@example.com');
    expect(member()).toMatchObject({ status: 'unsubscribed', unsubscribedBy: 'api' });
    await ac.post('/api/3/contactLists', { contactList: { list: '8', contact: '101', status: '1' } });
    expect(member()?.status).toBe('subscribed');
    expect(member()?.unsubscribedBy).toBeUndefined();
    expect(fake.account(key).resubscriptionsOfSelfUnsubscribed()).toBe(0);
  });

  test('re-subscribing someone who unsubscribed themselves works, but is counted', async () => {
    const account = fake.account(key);
    account.unsubscribeAsContact('user102@example.com', 8);
    await ac.post('/api/3/contactLists', { contactList: { list: 8, contact: 102, status: 1 } });
    expect(account.listMembers(8).find((m) => m.email === 'user102@example.com')?.status).toBe('subscribed');
    expect(account.resubscriptionsOfSelfUnsubscribed()).toBe(1);
  });

  test('an unknown contact or list is 404; a bad status is 422', async () => {
    expect(
      (await ac.post('/api/3/contactLists', { contactList: { list: 8, contact: 9999, status: 1 } })).status,
    ).toBe(404);
    expect(
      (await ac.post('/api/3/contactLists', { contactList: { list: 9, contact: 1, status: 1 } })).status,
    ).toBe(404);
    expect(
      (await ac.post('/api/3/contactLists', { contactList: { list: 8, contact: 1, status: 3 } })).status,
    ).toBe(422);
  });
});

test('requests are recorded: method, path without query, status, time, duration, contacts; never the key', async () => {
  const account = fake.account(key);
  account.clearRequests();
  const before = Date.now();
  await ac.get('/api/3/lists/7?x=1');
  await ac.bulk(contacts(3));
  await ac.get('/api/3/lists/9');
  const recorded = account.requests();
  expect(recorded.map((r) => [r.method, r.path, r.status, r.contacts])).toEqual([
    ['GET', '/api/3/lists/7', 200, undefined],
    ['POST', '/api/3/import/bulk_import', 200, 3],
    ['GET', '/api/3/lists/9', 404, undefined],
  ]);
  for (const r of recorded) {
    expect(r.at).toBeGreaterThanOrEqual(before);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  }
  expect(JSON.stringify(recorded)).not.toContain(key);
});
