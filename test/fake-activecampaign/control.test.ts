import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { type Client, call, clientFor, contacts, importAndWait, sleep } from './test-helpers.ts';

let fake: FakeActiveCampaign;
let ac: Client;
let key: string;
let accounts = 0;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale: 20 });
});
afterAll(() => fake.close());
// Each test has an account of its own: the contact ids, requests and stats it reads are its own.
beforeEach(() => {
  key = `k${++accounts}`;
  fake.addAccount({ apiKeys: [key], lists: [7], fields: [{ id: 1, title: 'Tier' }], unthrottled: true });
  ac = clientFor(fake, key);
});

test('control routes need a known Api-Token', async () => {
  expect((await call(fake, undefined, 'GET', '/__fake/stats')).status).toBe(403);
  expect((await call(fake, 'nope', 'GET', '/__fake/stats')).status).toBe(403);
  expect((await ac.get('/__fake/nothing')).status).toBe(404);
});

test('lists, members, unsubscribe, requests and stats over HTTP', async () => {
  expect((await ac.post('/__fake/lists', { id: 12, name: 'VIP' })).status).toBe(201);
  expect((await ac.get('/api/3/lists/12')).json.list.name).toBe('VIP');
  expect((await ac.post('/__fake/lists', { id: 12, name: 'again' })).status).toBe(400);

  await importAndWait(ac, contacts(2, { subscribe: [{ listid: 12 }], fields: [{ id: 1, value: 'gold' }] }));
  expect((await ac.post('/__fake/unsubscribe', { email: 'user2@example.com', listId: 12 })).status).toBe(204);
  expect((await ac.post('/__fake/unsubscribe', { email: 'user2@example.com', listId: 99 })).status).toBe(400);
  const members = await ac.get('/__fake/lists/12/members');
  expect(members.json).toEqual([
    {
      contactId: '1',
      email: 'user1@example.com',
      firstName: '',
      lastName: '',
      phone: '',
      fields: { '1': 'gold' },
      status: 'subscribed',
    },
    {
      contactId: '2',
      email: 'user2@example.com',
      firstName: '',
      lastName: '',
      phone: '',
      fields: { '1': 'gold' },
      status: 'unsubscribed',
      unsubscribedBy: 'contact',
    },
  ]);
  await ac.post('/api/3/contactLists', { contactList: { list: 12, contact: 2, status: 1 } });

  const requests = await ac.get('/__fake/requests');
  expect(requests.json.map((r: { path: string }) => r.path)).toContain('/api/3/contactLists');
  expect(requests.json.some((r: { path: string }) => r.path.startsWith('/__fake'))).toBe(false);
  const stats = await ac.get('/__fake/stats');
  expect(stats.json).toEqual({
    contactCount: 2,
    contactsReceived: 2,
    requests: requests.json.length,
    over429: 0,
    resubscriptionsOfSelfUnsubscribed: 1,
  });
  expect((await ac.delete('/__fake/requests')).status).toBe(204);
  expect((await ac.get('/__fake/requests')).json).toEqual([]);
  expect(fake.account(key).requests()).toEqual([]);

  expect((await ac.delete('/__fake/lists/12')).status).toBe(204);
  expect((await ac.get('/api/3/lists/12')).status).toBe(404);
});

test('faults and exclusions over HTTP', async () => {
  expect((await ac.put('/__fake/faults', { errorRate: 1 })).status).toBe(204);
  expect((await ac.get('/api/3/users/me')).status).toBeGreaterThanOrEqual(500);
  expect((await ac.put('/__fake/faults', {})).status).toBe(204);
  expect((await ac.get('/api/3/users/me')).status).toBe(200);
  expect((await ac.put('/__fake/faults', { errorRate: 'lots' })).status).toBe(400);
  expect((await ac.put('/__fake/faults', { nonsense: 1 })).status).toBe(400);

  expect((await ac.post('/__fake/exclusions', { email: 'gone@example.com' })).status).toBe(204);
  const result = await importAndWait(ac, [{ email: 'gone@example.com' }]);
  expect(result.failure).toEqual(['gone@example.com']);
  await sleep(1);
});

test('in-process control: unknown keys and lists are errors', () => {
  expect(() => fake.account('nope')).toThrow();
  expect(() => fake.account(key).deleteList(404)).toThrow();
  expect(() => fake.addAccount({ apiKeys: [key] })).toThrow();
  expect(fake.account(key).listMembers(404)).toEqual([]);
});
