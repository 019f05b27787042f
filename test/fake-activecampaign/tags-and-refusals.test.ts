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

test('a completed import names the reason of each refused contact', async () => {
  const ac = await start();
  const queued = await ac.bulk([
    { email: 'ok@example.com', subscribe: [{ listid: 7 }] },
    { email: 'gone@example.com', subscribe: [{ listid: 7 }] },
    { email: 'blocked@example.com', subscribe: [{ listid: 7 }] },
  ]);
  const info = await completed(ac, queued.json.batchId);
  expect(info.failure).toEqual(['gone@example.com', 'blocked@example.com']);
  expect(info.failureReasons).toEqual([
    { email: 'gone@example.com', failureReason: expect.stringMatching(/unsubscribed/i) },
    { email: 'blocked@example.com', failureReason: expect.stringMatching(/exclusion list/i) },
  ]);
});

test('over the plan contact limit is a refusal with its own reason', async () => {
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
  expect(info.failureReasons).toEqual([
    { email: 'two@example.com', failureReason: expect.stringMatching(/contact limit/i) },
  ]);
});
