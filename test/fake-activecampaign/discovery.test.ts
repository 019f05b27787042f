import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { type Client, call, clientFor, importAndWait } from './test-helpers.ts';

let fake: FakeActiveCampaign;
let ac: Client;
const key = 'discovery-key';

// Every test gets a fake of its own: tests add contacts, tags and fields, and count what the account holds.
beforeEach(async () => {
  fake = await startFakeActiveCampaign({
    scale: 20,
    accounts: [
      {
        apiKeys: [key],
        lists: Array.from({ length: 132 }, (_, i) => ({ id: i + 1, name: `List ${i + 1}` })),
        fields: [
          ...Array.from({ length: 25 }, (_, i) => ({ id: i + 1, title: `Text ${i + 1}` })),
          { id: 26, title: 'Birthday', type: 'date' },
          { id: 27, title: 'Last order', type: 'datetime' },
          { id: 28, title: 'Tier', type: 'dropdown', options: ['Gold', 'Silver'] },
          { id: 29, title: 'Interests', type: 'listbox', options: ['Books', 'Music', 'Film'] },
          { id: 30, title: 'Channel', type: 'radio', options: ['Email', 'SMS'] },
          { id: 31, title: 'Consents', type: 'checkbox', options: ['News', 'Offers'] },
        ],
        tags: Array.from({ length: 150 }, (_, i) => (i % 2 ? `vip-${i}` : `lead-${i}`)),
        unthrottled: true,
      },
    ],
  });
  ac = clientFor(fake, key);
});
afterEach(() => fake.close());

describe('collections page as ActiveCampaign pages them', () => {
  test('lists: 20 by default, at most 100, offset zero-based, meta.total a string', async () => {
    const first = await ac.get('/api/3/lists');
    expect(first.json.lists).toHaveLength(20);
    expect(first.json.meta.total).toBe('132');
    expect((await ac.get('/api/3/lists?limit=500')).json.lists).toHaveLength(100);
    const last = await ac.get('/api/3/lists?limit=100&offset=100');
    expect(last.json.lists.map((l: { id: string }) => l.id)).toEqual(
      Array.from({ length: 32 }, (_, i) => String(101 + i)),
    );
    expect(last.json.lists[31]).toMatchObject({ id: '132', name: 'List 132' });
  });

  test('fields carry their type, option ids and the sideloaded fieldOptions of the page', async () => {
    const first = await ac.get('/api/3/fields');
    expect(first.json.fields).toHaveLength(20);
    expect(first.json.meta.total).toBe('31');
    expect(first.json.fieldOptions).toEqual([]);
    const second = await ac.get('/api/3/fields?limit=20&offset=20');
    const tier = second.json.fields.find((f: { id: string }) => f.id === '28');
    expect(tier).toMatchObject({ title: 'Tier', type: 'dropdown' });
    expect(tier.options).toHaveLength(2);
    const tierOptions = second.json.fieldOptions.filter((o: { field: string }) => o.field === '28');
    expect(tierOptions.map((o: { value: string; label: string }) => [o.value, o.label])).toEqual([
      ['Gold', 'Gold'],
      ['Silver', 'Silver'],
    ]);
    expect(tierOptions.map((o: { id: string }) => o.id)).toEqual(tier.options);
    expect(second.json.fields.find((f: { id: string }) => f.id === '26')).toMatchObject({ type: 'date' });
  });

  test('tags: search matches part of the name, pages like the others', async () => {
    const all = await ac.get('/api/3/tags');
    expect(all.json.tags).toHaveLength(20);
    expect(all.json.meta.total).toBe('150');
    expect(all.json.tags[0]).toMatchObject({ id: '1', tag: 'lead-0', tagType: 'contact' });
    const vip = await ac.get('/api/3/tags?search=VIP&limit=100&offset=50');
    expect(vip.json.meta.total).toBe('75');
    expect(vip.json.tags).toHaveLength(25);
    expect(vip.json.tags.every((t: { tag: string }) => t.tag.startsWith('vip-'))).toBe(true);
  });
});

describe('field values are validated as ActiveCampaign does', () => {
  const contact = (fields: Array<{ id: number; value: string }>) => ({
    email: 'typed@example.com',
    fields,
    subscribe: [{ listid: 1 }],
  });

  test('well-formed values of every type are taken and stored as sent', async () => {
    const info = await importAndWait(ac, [
      contact([
        { id: 26, value: '1990-02-28' },
        { id: 27, value: '2024-05-01T10:30:00Z' },
        { id: 28, value: 'Gold' },
        { id: 29, value: '||Books||Film||' },
        { id: 30, value: 'SMS' },
        { id: 31, value: '||News||' },
      ]),
      { email: 'other@example.com', subscribe: [{ listid: 1 }] },
    ]);
    expect(info.success).toHaveLength(2);
    const member = fake.account(key).listMembers(1)[1];
    expect(member?.fields).toEqual({
      '26': '1990-02-28',
      '27': '2024-05-01T10:30:00Z',
      '28': 'Gold',
      '29': '||Books||Film||',
      '30': 'SMS',
      '31': '||News||',
    });
  });

  test.each([
    [26, '28/02/1990', 'expected a date as YYYY-MM-DD'],
    [26, '1990-02-30', 'expected a date as YYYY-MM-DD'],
    [27, '2024-05-01 10:30', 'expected an ISO 8601 date and time'],
    [28, 'Bronze', 'not one of the field’s options'],
    [28, 'gold', 'not one of the field’s options'],
    [29, '||Books||Poetry||', 'not one of the field’s options'],
    [30, 'Fax', 'not one of the field’s options'],
  ])('field %i = %s refuses the whole import, naming the contact', async (id, value, reason) => {
    const refused = await ac.bulk([{ email: 'fine@example.com' }, contact([{ id, value }])]);
    expect(refused.status).toBe(400);
    expect(refused.json.failureReasons).toEqual([
      { contact: 2, failureReason: expect.stringContaining(reason) },
    ]);
    expect(refused.json.failureReasons[0].failureReason).toContain(`Field ${id} `);
  });

  test('contact/sync refuses the same values with a 422', async () => {
    const answer = await ac.post('/api/3/contact/sync', {
      contact: { email: 'sync@example.com', fieldValues: [{ field: '28', value: 'Bronze' }] },
    });
    expect(answer.status).toBe(422);
    expect(answer.json.errors[0].title).toContain('Field 28 (Tier)');
  });
});

describe('control routes', () => {
  test('fields and tags can be added over HTTP; bad ones are refused', async () => {
    const created = await call(fake, key, 'POST', '/__fake/fields', {
      id: 40,
      title: 'Plan',
      type: 'radio',
      options: ['Free', 'Pro'],
    });
    expect(created.status).toBe(201);
    const fields = await ac.get('/api/3/fields?limit=100');
    expect(fields.json.fields.find((f: { id: string }) => f.id === '40')).toMatchObject({ type: 'radio' });
    expect(fields.json.fieldOptions.filter((o: { field: string }) => o.field === '40')).toHaveLength(2);
    expect((await call(fake, key, 'POST', '/__fake/fields', { id: 40, title: 'Again' })).status).toBe(400);
    expect(
      (await call(fake, key, 'POST', '/__fake/fields', { id: 41, title: 'X', type: 'number' })).status,
    ).toBe(400);

    const tag = await call(fake, key, 'POST', '/__fake/tags', { tag: 'newsletter' });
    expect(tag.status).toBe(201);
    expect(tag.json.id).toBe(151);
    expect((await ac.get('/api/3/tags?search=newsletter')).json.tags).toEqual([
      expect.objectContaining({ id: '151', tag: 'newsletter' }),
    ]);
    expect((await call(fake, key, 'POST', '/__fake/tags', { tag: 'NEWSLETTER' })).status).toBe(400);
  });
});
