import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { ActiveCampaignClient } from '../../../core/activecampaign/client.ts';
import { unlimitedRateLimiter } from '../../../core/activecampaign/rate-limiter.ts';
import type { BulkContact } from '../../../core/activecampaign/types.ts';
import { planChunks } from '../../../core/export-run/chunk-plan.ts';
import type { MappedProfile } from '../../../core/export-run/contact-mapper.ts';
import { sendChunk } from '../../../core/export-run/send-chunk.ts';
import {
  type FakeAccount,
  type FakeActiveCampaign,
  startFakeActiveCampaign,
} from '../../../fake-activecampaign/index.ts';

let fake: FakeActiveCampaign;
let account: FakeAccount;
let client: ActiveCampaignClient;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({
    scale: 50,
    accounts: [
      // The request sequence is the subject here; the rate windows have their own tests.
      { apiKeys: ['key'], lists: [7], fields: [{ id: 1, title: 'Tier' }], unthrottled: true },
    ],
  });
  account = fake.account('key');
  client = new ActiveCampaignClient({
    baseUrl: `${fake.url}/api/3`,
    apiKey: 'key',
    account: fake.host,
    limiter: unlimitedRateLimiter,
  });
});
afterAll(() => fake.close());
beforeEach(() => account.clearRequests());

const mapped = (i: number, contact: Partial<BulkContact> = {}): MappedProfile => ({
  customerId: `c${i}`,
  contact: { email: `send${i}@example.com`, subscribe: [{ listid: 7 }], ...contact },
  json: JSON.stringify({ email: `send${i}@example.com`, subscribe: [{ listid: 7 }], ...contact }),
  change: 'add',
  hash: `h${i}`,
  previousEmail: null,
  contactId: null,
});

async function completed(batchId: string) {
  for (;;) {
    const info = await client.importInfo(batchId);
    if (info.status === 'completed') return info;
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a validation 400 drops the contacts it names (recorded as rejected) and resends the rest once', async () => {
  const profiles = Array.from({ length: 6 }, (_, i) => mapped(i));
  // Contacts the local checks cannot catch: a custom field the account does not have.
  profiles[1] = mapped(1, { fields: [{ id: 99, value: 'x' }] });
  profiles[4] = mapped(4, { fields: [{ id: 98, value: 'y' }] });
  const [chunk] = planChunks(profiles);
  if (!chunk) throw new Error('one chunk expected');

  const batchId = await sendChunk(client, '7', chunk, undefined, false, [{ fieldId: '99', title: 'Tier' }]);

  expect(batchId).toEqual(expect.any(String));
  // Each named with the field and value ActiveCampaign's reason points at: a mapped field by its title.
  expect(chunk.rejects).toEqual([
    {
      customerId: 'c1',
      reason: 'REJECTED_BY_ACTIVECAMPAIGN',
      email: 'send1@example.com',
      field: 'Tier',
      value: 'x',
      detail: "Field 'fields' references field 99, which does not exist",
    },
    {
      customerId: 'c4',
      reason: 'REJECTED_BY_ACTIVECAMPAIGN',
      email: 'send4@example.com',
      field: 'custom field 98',
      value: 'y',
      detail: "Field 'fields' references field 98, which does not exist",
    },
  ]);
  expect(chunk.contacts.map((c) => c.customerId)).toEqual(['c0', 'c2', 'c3', 'c5']);
  const requests = account.requests().map((r) => [r.method, r.path, r.status, r.contacts]);
  expect(requests).toEqual([
    ['POST', '/api/3/import/bulk_import', 400, 6],
    ['GET', '/api/3/lists/7', 200, undefined],
    ['POST', '/api/3/import/bulk_import', 200, 4],
  ]);
  await completed(batchId as string);
  expect(account.listMembers(7).map((m) => m.email)).toEqual([
    'send0@example.com',
    'send2@example.com',
    'send3@example.com',
    'send5@example.com',
  ]);
});

test('when every contact is named, nothing is sent and the batch id is null', async () => {
  const [chunk] = planChunks([
    mapped(10, { fields: [{ id: 99, value: 'x' }] }),
    mapped(11, { fields: [{ id: 99, value: 'x' }] }),
  ]);
  if (!chunk) throw new Error('one chunk expected');
  expect(await sendChunk(client, '7', chunk)).toBeNull();
  expect(chunk.rejects.map((r) => r.reason)).toEqual([
    'REJECTED_BY_ACTIVECAMPAIGN',
    'REJECTED_BY_ACTIVECAMPAIGN',
  ]);
});

test('a list deleted meanwhile surfaces as NotFound, not as rejected contacts', async () => {
  account.addList({ id: 8 });
  const [chunk] = planChunks([
    mapped(20, { subscribe: [{ listid: 8 }] }),
    mapped(21, { subscribe: [{ listid: 8 }] }),
  ]);
  if (!chunk) throw new Error('one chunk expected');
  account.deleteList(8);
  await expect(sendChunk(client, '8', chunk)).rejects.toMatchObject({ kind: 'NotFound' });
  expect(chunk.rejects).toEqual([]);
});

test('a validation 400 naming no contact of the chunk fails the send instead of resending it for ever', async () => {
  // A hostile or broken answer: every bulk import refused, naming a contact the chunk does not have.
  let imports = 0;
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ list: { id: '7', name: 'List' } }));
      return;
    }
    imports++;
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ success: 0, failureReasons: [{ contact: 99, failureReason: 'no such contact' }] }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const hostile = new ActiveCampaignClient({
      baseUrl: `http://127.0.0.1:${port}/api/3`,
      apiKey: 'key',
      account: `127.0.0.1:${port}`,
      limiter: unlimitedRateLimiter,
    });
    const [chunk] = planChunks([mapped(30), mapped(31)]);
    if (!chunk) throw new Error('one chunk expected');
    await expect(sendChunk(hostile, '7', chunk)).rejects.toMatchObject({ kind: 'Validation' });
    expect(imports).toBe(1);
    expect(chunk.rejects).toEqual([]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
