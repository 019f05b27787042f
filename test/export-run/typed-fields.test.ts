import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { tokenFor } from '../api/helpers.ts';
import { connectionMutation, runExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';

const apiKey = 'typed-fields-key-0001';
let fake: FakeActiveCampaign;
let outbound: Outbound;
let connectionId: string;

const customers = { id: 125, name: 'Customers' };

beforeAll(async () => {
  fake = await startFakeActiveCampaign({
    scale: 20,
    accounts: [
      {
        apiKeys: [apiKey],
        // The list, the fields and the tag the export uses are all past the account's first page.
        lists: Array.from({ length: 130 }, (_, i) => (i + 1 === customers.id ? customers : { id: i + 1 })),
        fields: [
          ...Array.from({ length: 24 }, (_, i) => ({ id: i + 1, title: `Extra ${i + 1}` })),
          { id: 25, title: 'Tier', type: 'dropdown', options: ['gold', 'silver'] },
          { id: 26, title: 'Birthday', type: 'date' },
          { id: 27, title: 'Interests', type: 'listbox', options: ['Books', 'Music', 'Film'] },
        ],
        tags: [...Array.from({ length: 114 }, (_, i) => `lead-${i + 1}`), 'vip-customers'],
      },
    ],
  });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 20 });
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: { displayName: 'Fake AC', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  connectionId = createConnection.id;
  await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, {
    p: [
      {
        customerId: 'c1',
        attributes: {
          Email: 'ada@example.com',
          Tier: 'gold',
          Birthday: '1990-02-28T22:30:00Z',
          Interests: ['Books', 'Film'],
        },
      },
      {
        customerId: 'c2',
        attributes: { Email: 'bob@example.com', Tier: 'silver', Birthday: '1985-12-01', Interests: 'Music' },
      },
      {
        customerId: 'c3',
        attributes: { Email: 'cy@example.com', Tier: 'bronze', Birthday: '2000-01-01', Interests: [] },
      },
    ],
  });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

const catalogDoc = `query($id: ID!, $after: String, $search: String) { connection(id: $id) {
  lists(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } }
  found: lists(search: $search) { edges { node { id name } } }
  fields { id title type options }
  tags(search: "VIP") { totalCount edges { node { id name } } }
} }`;

type Named = { node: { id: string; name: string } };

describe('an export built from what the account offers', () => {
  test('Connection.lists, fields and tags page through the whole account', async () => {
    const first = (await outbound.gql(catalogDoc, { id: connectionId, search: 'custom' })).connection;
    expect(first.lists.totalCount).toBe(130);
    expect(first.lists.edges).toHaveLength(100);
    expect(first.lists.pageInfo.hasNextPage).toBe(true);
    const second = (
      await outbound.gql(catalogDoc, { id: connectionId, after: first.lists.pageInfo.endCursor })
    ).connection;
    expect(second.lists.edges.map((e: Named) => e.node.id)).toEqual(
      Array.from({ length: 30 }, (_, i) => String(101 + i)),
    );
    expect(first.found.edges).toEqual([{ node: { id: '125', name: 'Customers' } }]);
    expect(first.fields).toHaveLength(27);
    expect(first.fields.slice(24)).toEqual([
      { id: '25', title: 'Tier', type: 'dropdown', options: ['gold', 'silver'] },
      { id: '26', title: 'Birthday', type: 'date', options: [] },
      { id: '27', title: 'Interests', type: 'listbox', options: ['Books', 'Music', 'Film'] },
    ]);
    expect(first.tags).toEqual({ totalCount: 1, edges: [{ node: { id: '115', name: 'vip-customers' } }] });

    // Read once, kept briefly: asking again does not reach the account.
    const reads = () =>
      fake
        .account(apiKey)
        .requests()
        .filter((r) => r.method === 'GET').length;
    const before = reads();
    await outbound.gql(catalogDoc, { id: connectionId, search: 'list 1' });
    expect(reads()).toBe(before);
  });

  test('a contributor may not read an admin-only connection’s account', async () => {
    const contributor = await tokenFor(outbound, 'CONTRIBUTOR');
    const result = await outbound.graphql(
      `query($id: ID!) { connection(id: $id) { fields { id } } }`,
      { id: connectionId },
      contributor,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  const exportDoc = `mutation($input: CreateExportInput!) { createExport(input: $input) {
    id mapping { fields { attribute fieldId type } } } }`;
  const exportInput = async (fields: Array<{ attribute: string; fieldId: string }>) => {
    const { connection } = await outbound.gql(catalogDoc, { id: connectionId, search: 'Customers' });
    const { createSegment } = await outbound.gql(
      `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
      { input: { name: `typed ${Math.random()}`, rule: { customerIds: ['c1', 'c2', 'c3'] } } },
    );
    return {
      name: 'Typed fields',
      connectionId,
      listId: connection.found.edges[0].node.id,
      segmentIds: [createSegment.id],
      mapping: { email: 'Email', fields },
    };
  };

  test('an unknown field id is refused, naming the field', async () => {
    const result = await outbound.graphql(exportDoc, {
      input: await exportInput([{ attribute: 'Tier', fieldId: '999' }]),
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'mapping.fields[0].fieldId',
    });
    expect(result.errors?.[0]?.message).toContain('custom field 999');
  });

  /** An export mapping the three typed fields and the account's 115th tag (past the first page of 100). */
  const createTypedExport = async () => {
    const { connection } = await outbound.gql(catalogDoc, { id: connectionId });
    const id = (title: string) => connection.fields.find((f: { title: string }) => f.title === title).id;
    const tag = connection.tags.edges[0].node.name;
    const { createExport } = await outbound.gql(exportDoc, {
      input: {
        ...(await exportInput([
          { attribute: 'Tier', fieldId: id('Tier') },
          { attribute: 'Birthday', fieldId: id('Birthday') },
          { attribute: 'Interests', fieldId: id('Interests') },
        ])),
        tags: [tag],
      },
    });
    return createExport as { id: string; mapping: { fields: Array<{ type: string }> } };
  };

  test('the saved mapping knows each field’s type', async () => {
    const created = await createTypedExport();
    expect(created.mapping.fields.map((f) => f.type)).toEqual(['dropdown', 'date', 'listbox']);
  });

  test('updateExport refuses a field the account does not have, and keeps the types otherwise', async () => {
    const exportId = (await createTypedExport()).id;
    const update = `mutation($id: ID!, $input: UpdateExportInput!) { updateExport(id: $id, input: $input) {
      mapping { fields { fieldId type } } } }`;
    const refused = await outbound.graphql(update, {
      id: exportId,
      input: { mapping: { email: 'Email', fields: [{ attribute: 'Tier', fieldId: '404' }] } },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'mapping.fields[0].fieldId',
    });
    expect(refused.errors?.[0]?.message).toContain('custom field 404');
    const renamed = await outbound.gql(update, { id: exportId, input: { name: 'Typed fields, renamed' } });
    expect(renamed.updateExport.mapping.fields.map((f: { type: string }) => f.type)).toEqual([
      'dropdown',
      'date',
      'listbox',
    ]);
  });

  test('the dry run shows the record whose dropdown value is not an option', async () => {
    const exportId = (await createTypedExport()).id;
    const { previewExport } = await outbound.gql(
      `query($id: ID!) { previewExport(id: $id) { adds rejects rejectSamples { customerId reason message } } }`,
      { id: exportId },
    );
    expect(previewExport).toMatchObject({
      adds: 2,
      rejects: 1,
      rejectSamples: [{ customerId: 'c3', reason: 'FIELD_VALUE_NOT_ALLOWED' }],
    });
  });

  test('contacts arrive with the date and the multi-select formatted and the export’s tag; the bad value is a reject', async () => {
    const exportId = (await createTypedExport()).id;
    const run = await waitForRun(outbound, await runExport(outbound, exportId));
    expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 2, rejectedCount: 1, failedCount: 0 });
    const members = fake.account(apiKey).listMembers(customers.id);
    expect(members.map((m) => [m.email, m.fields])).toEqual([
      ['ada@example.com', { '25': 'gold', '26': '1990-02-28', '27': '||Books||Film||' }],
      ['bob@example.com', { '25': 'silver', '26': '1985-12-01', '27': '||Music||' }],
    ]);
    for (const { email } of members) {
      expect(fake.account(apiKey).contactTags(email)).toEqual(['vip-customers']);
    }
    const { exportRun } = await outbound.gql(
      `query($id: ID!) { exportRun(id: $id) { rejects { edges { node { customerId reason } } } } }`,
      { id: run.id },
    );
    expect(exportRun.rejects.edges).toEqual([
      { node: { customerId: 'c3', reason: 'FIELD_VALUE_NOT_ALLOWED' } },
    ]);
  });
});
