import { afterEach, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { call, clientFor, completed } from './test-helpers.ts';

let fake: FakeActiveCampaign | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start() {
  fake = await startFakeActiveCampaign({
    scale: 20,
    accounts: [{ apiKeys: ['k'], lists: [7], unthrottled: true, excluded: ['blocked@example.com'] }],
  });
  fake.account('k').unsubscribeAsContact('gone@example.com', 7);
  return clientFor(fake, 'k');
}

test('bulk import applies tags (creating unknown ones), records exclude_automations; contact tags can be listed and removed', async () => {
  const ac = await start();
  expect(
    (await ac.post('/api/3/tags', { tag: { tag: 'vip', tagType: 'contact', description: '' } })).status,
  ).toBe(201);
  const body = {
    contacts: [
      { email: 'a@example.com', tags: ['VIP', 'spring'], subscribe: [{ listid: 7 }] },
      { email: 'b@example.com', tags: ['spring'], subscribe: [{ listid: 7 }] },
    ],
    exclude_automations: true,
  };
  const queued = await call(fake as FakeActiveCampaign, 'k', 'POST', '/api/3/import/bulk_import', body);
  expect(queued.status).toBe(200);
  await completed(ac, queued.json.batchId);
  const account = (fake as FakeActiveCampaign).account('k');
  expect(account.contactTags('a@example.com')).toEqual(['spring', 'vip']);
  expect(account.importAutomationFlags()).toEqual([true]);
  const control = await ac.get('/__fake/imports/exclude-automations');
  expect(control.json).toEqual([true]);

  const tags = await ac.get('/api/3/tags?search=spr');
  expect(tags.json.tags.map((t: { tag: string }) => t.tag)).toEqual(['spring']);
  expect(tags.json.meta.total).toBe('1');
  expect((await ac.post('/api/3/tags', { tag: { tag: 'Spring' } })).status).toBe(422);

  const [member] = account.listMembers(7).filter((m) => m.email === 'a@example.com');
  const listed = await ac.get(`/api/3/contacts/${member?.contactId}/contactTags`);
  expect(listed.status).toBe(200);
  expect(listed.json.contactTags).toHaveLength(2);
  const vipId = (await ac.get('/api/3/tags?search=vip')).json.tags[0].id;
  const vip = listed.json.contactTags.find((ct: { tag: string }) => ct.tag === vipId);
  expect((await ac.delete(`/api/3/contactTags/${vip.id}`)).status).toBe(200);
  expect(account.contactTags('a@example.com')).toEqual(['spring']);
  const added = await ac.post('/api/3/contactTags', {
    contactTag: { contact: member?.contactId, tag: vipId },
  });
  expect(added.status).toBe(201);
  expect(account.contactTags('a@example.com')).toEqual(['spring', 'vip']);
});

/** What ActiveCampaign documents an import/info answer to carry (developers.activecampaign.com/reference/bulk-import-status-info). */
const documentedInfoKeys = ['failure', 'status', 'success'];

test('by default a completed import names its failed emails only, as documented; the contacts tell why', async () => {
  const ac = await start();
  const queued = await ac.bulk([
    { email: 'ok@example.com', subscribe: [{ listid: 7 }] },
    { email: 'gone@example.com', subscribe: [{ listid: 7 }] },
    { email: 'blocked@example.com', subscribe: [{ listid: 7 }] },
  ]);
  const info = await completed(ac, queued.json.batchId);
  expect(Object.keys(info).sort()).toEqual(documentedInfoKeys);
  expect(info.failure).toEqual(['gone@example.com', 'blocked@example.com']);
  expect(info.success).toEqual([expect.stringMatching(/^[0-9]+$/)]);

  const gone = (await ac.get('/api/3/contacts?email=gone%40example.com')).json.contacts[0];
  const lists = await ac.get(`/api/3/contacts/${gone.id}/contactLists`);
  expect(lists.status).toBe(200);
  expect(lists.json.contactLists).toEqual([expect.objectContaining({ list: '7', status: '2' })]);
  expect((await ac.get('/api/3/contacts?email=blocked%40example.com')).json.contacts).toEqual([]);
  expect((await ac.get('/api/3/contacts/999/contactLists')).status).toBe(404);
});

test('with the importFailureReasons deviation (and only then) import/info adds a reason per failed email', async () => {
  const ac = await start();
  expect((await ac.put('/__fake/deviations', { importFailureReasons: 'yes' })).status).toBe(400);
  expect((await ac.put('/__fake/deviations', { importFailureReasons: true })).status).toBe(204);
  const queued = await ac.bulk([
    { email: 'gone@example.com', subscribe: [{ listid: 7 }] },
    { email: 'blocked@example.com', subscribe: [{ listid: 7 }] },
  ]);
  const info = await completed(ac, queued.json.batchId);
  expect(info.failureReasons).toEqual([
    { email: 'gone@example.com', failureReason: expect.stringMatching(/unsubscribed/i) },
    { email: 'blocked@example.com', failureReason: expect.stringMatching(/exclusion list/i) },
  ]);
});

test('a contact can be deleted; it is gone from lookups and lists', async () => {
  const ac = await start();
  const queued = await ac.bulk([
    { email: 'x@example.com', subscribe: [{ listid: 7 }] },
    { email: 'y@example.com', subscribe: [{ listid: 7 }] },
  ]);
  await completed(ac, queued.json.batchId);
  const x = (await ac.get('/api/3/contacts?email=x%40example.com')).json.contacts[0];
  expect((await ac.delete(`/api/3/contacts/${x.id}`)).status).toBe(200);
  expect((await ac.delete(`/api/3/contacts/${x.id}`)).status).toBe(404);
  expect((await ac.get('/api/3/contacts?email=x%40example.com')).json.contacts).toEqual([]);
  const members = (fake as FakeActiveCampaign)
    .account('k')
    .listMembers(7)
    .map((m) => m.email);
  expect(members).not.toContain('x@example.com');
  expect(members).toContain('y@example.com');
});

test('an import holding a failing email ends failed as a whole and imports nobody', async () => {
  const ac = await start();
  expect((await ac.post('/__fake/failing-imports', { email: 'Poison@example.com' })).status).toBe(204);
  const queued = await ac.bulk([
    { email: 'fine@example.com', subscribe: [{ listid: 7 }] },
    { email: 'poison@example.com', subscribe: [{ listid: 7 }] },
  ]);
  const deadline = Date.now() + 10_000;
  let info = (await ac.get(`/api/3/import/info?batchId=${queued.json.batchId}`)).json;
  while (info.status !== 'failed' && Date.now() < deadline) {
    expect(info.status).not.toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 10));
    info = (await ac.get(`/api/3/import/info?batchId=${queued.json.batchId}`)).json;
  }
  expect(info.status).toBe('failed');
  expect(
    (fake as FakeActiveCampaign)
      .account('k')
      .listMembers(7)
      .map((m) => m.email),
  ).toEqual(['gone@example.com']);
});

test('over the plan contact limit the new contact is among the failed emails and does not exist', async () => {
  fake = await startFakeActiveCampaign({
    scale: 20,
    accounts: [{ apiKeys: ['k'], lists: [7], unthrottled: true, contactLimit: 1 }],
  });
  const ac = clientFor(fake, 'k');
  const queued = await ac.bulk([
    { email: 'one@example.com', subscribe: [{ listid: 7 }] },
    { email: 'two@example.com', subscribe: [{ listid: 7 }] },
  ]);
  const info = await completed(ac, queued.json.batchId);
  expect(Object.keys(info).sort()).toEqual(documentedInfoKeys);
  expect(info.failure).toEqual(['two@example.com']);
  expect((await ac.get('/api/3/contacts?email=two%40example.com')).json.contacts).toEqual([]);
});
