import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { type GraphQLResponse, type Outbound, startOutbound } from '../support/outbound.ts';
import {
  auditDoc,
  createConnectionDoc,
  createExportDoc,
  createSegmentDoc,
  expectNothingWritten,
  expectRejected,
  profileRows,
  tokenFor,
  updateExportDoc,
  upsertProfilesDoc,
} from './helpers.ts';

const apiKey = 'export-test-key-0001';
let fake: FakeActiveCampaign;
let outbound: Outbound;
let contributor: string;
let viewer: string;
let adminOnly: string;
let open: string;
let segmentId: string;

const connect = async (displayName: string, contributorsCanUse: boolean, key = apiKey) =>
  (
    await outbound.gql(createConnectionDoc, {
      input: { displayName, apiHost: fake.host, apiKey: key, contributorsCanUse, acceptDataPrivacy: true },
    })
  ).createConnection.id as string;

const exportInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Newsletter',
  connectionId: adminOnly,
  listId: '7',
  segmentIds: [segmentId],
  mapping: { email: 'Email', firstName: 'FirstName', fields: [{ attribute: 'Tier', fieldId: '1' }] },
  ...overrides,
});

beforeAll(async () => {
  fake = await startFakeActiveCampaign({
    accounts: [{ apiKeys: [apiKey], lists: [7, 8], fields: [{ id: 1, title: 'Tier' }] }],
  });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 0, worker: false });
  contributor = await tokenFor(outbound, 'CONTRIBUTOR');
  viewer = await tokenFor(outbound, 'VIEWER');
  adminOnly = await connect('Admins only', false);
  open = await connect('Open to contributors', true);
  await outbound.gql(upsertProfilesDoc, { p: profileRows(3) });
  segmentId = (
    await outbound.gql(createSegmentDoc, {
      input: { name: 'All', rule: { customerIds: ['p0001', 'p0002'] } },
    })
  ).createSegment.id;
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

describe('createExport', () => {
  test('saves a checked export without running it', async () => {
    // A connection to an account of its own: nothing of it is cached yet, so the checks reach
    // ActiveCampaign, and the requests counted there are this test's, none an earlier test left.
    const freshKey = 'export-test-key-fresh';
    const account = fake.addAccount({
      apiKeys: [freshKey],
      lists: [7, 8],
      fields: [{ id: 1, title: 'Tier' }],
    });
    const fresh = await connect('Fresh', false, freshKey);
    account.clearRequests();
    const { createExport } = await outbound.gql(createExportDoc, {
      input: exportInput({ connectionId: fresh }),
    });
    expect(createExport).toMatchObject({
      name: 'Newsletter',
      listId: '7',
      enabled: true,
      onLeave: 'KEEP',
      connection: { id: fresh },
      segments: [{ id: segmentId }],
      mapping: {
        email: 'Email',
        firstName: 'FirstName',
        lastName: null,
        phone: null,
        fields: [{ attribute: 'Tier', fieldId: '1' }],
      },
      lastRun: null,
    });
    expect(account.requests().map((r) => r.path)).toEqual(['/api/3/lists/7', '/api/3/fields']);
    const [{ runs }] = await outbound.sql<[{ runs: number }]>`
      select count(*)::int as runs from export_runs where export_id = ${createExport.id}`;
    expect(runs).toBe(0);
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: createExport.id })).auditEvents.nodes;
    expect(auditEvents).toEqual([
      expect.objectContaining({
        action: 'export.created',
        actorEmail: 'admin@outbound.test',
        subjectType: 'Export',
      }),
    ]);
  });

  test('a contributor may create one on a connection open to contributors', async () => {
    const { createExport } = await outbound.gql(
      createExportDoc,
      { input: exportInput({ name: 'By contributor', connectionId: open }) },
      contributor,
    );
    expect(createExport.connection.id).toBe(open);
  });

  const rejections: Array<
    [
      string,
      () => Record<string, unknown>,
      'admin' | 'contributor' | 'viewer' | null,
      Record<string, unknown>,
    ]
  > = [
    ['no token', () => exportInput(), null, { code: 'UNAUTHENTICATED' }],
    ['a viewer', () => exportInput({ connectionId: open }), 'viewer', { code: 'FORBIDDEN' }],
    [
      'a contributor on an admin-only connection',
      () => exportInput(),
      'contributor',
      { code: 'FORBIDDEN', message: /admins only/ },
    ],
    [
      'an unknown connection',
      () => exportInput({ connectionId: 'c0ffee00-0000-4000-8000-000000000000' }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'connectionId' },
    ],
    [
      'a list missing on ActiveCampaign',
      () => exportInput({ listId: '99' }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'listId', message: /no list 99/ },
    ],
    [
      'a list id that is not a number',
      () => exportInput({ listId: 'news' }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'listId' },
    ],
    [
      'an unknown segment',
      () => exportInput({ segmentIds: [segmentId, 'c0ffee00-0000-4000-8000-000000000000'] }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'segmentIds', message: /c0ffee00/ },
    ],
    [
      'no segment',
      () => exportInput({ segmentIds: [] }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'segmentIds' },
    ],
    [
      'an email attribute profiles lack',
      () => exportInput({ mapping: { email: 'E-mail' } }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'mapping.email', message: /"E-mail"/ },
    ],
    [
      'an unknown first-name attribute',
      () => exportInput({ mapping: { email: 'Email', firstName: 'Given' } }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'mapping.firstName' },
    ],
    [
      'an unknown custom field id',
      () => exportInput({ mapping: { email: 'Email', fields: [{ attribute: 'Tier', fieldId: '42' }] } }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'mapping.fields[0].fieldId', message: /no custom field 42/ },
    ],
    [
      'a custom field mapped twice',
      () =>
        exportInput({
          mapping: {
            email: 'Email',
            fields: [
              { attribute: 'Tier', fieldId: '1' },
              { attribute: 'FirstName', fieldId: '1' },
            ],
          },
        }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'mapping.fields[1].fieldId' },
    ],
    ['an empty name', () => exportInput({ name: ' ' }), 'admin', { code: 'BAD_USER_INPUT', field: 'name' }],
  ];

  test.each(rejections)('refuses %s and writes nothing', async (_name, makeInput, who, expected) => {
    const token = { admin: outbound.adminToken, contributor, viewer }[who ?? 'admin'];
    const result = await expectNothingWritten(outbound, () =>
      outbound.graphql(createExportDoc, { input: makeInput() }, who === null ? null : token),
    );
    expectRejected(result, expected as { code: string });
  });

  test('an account that stopped answering is an UPSTREAM_ERROR on the connection, and nothing is written', async () => {
    fake.account(apiKey).setFaults({ errorRate: 1 });
    try {
      const result = await expectNothingWritten(outbound, () =>
        outbound.graphql(createExportDoc, { input: exportInput() }),
      );
      expectRejected(result, { code: 'UPSTREAM_ERROR', field: undefined });
    } finally {
      fake.account(apiKey).setFaults({});
    }
  });
});

test('the export list gives each export its own connection, segments (by name) and last run', async () => {
  const segment = async (name: string) =>
    (await outbound.gql(createSegmentDoc, { input: { name, rule: { customerIds: ['p0003'] } } }))
      .createSegment.id as string;
  const [zulu, alpha] = [await segment('Zulu list'), await segment('Alpha list')];
  const create = async (name: string, connectionId: string, segmentIds: string[]) =>
    (await outbound.gql(createExportDoc, { input: exportInput({ name, connectionId, segmentIds }) }))
      .createExport.id as string;
  const one = await create('List one', adminOnly, [segmentId]);
  const two = await create('List two', open, [zulu, alpha]);
  const three = await create('List three', open, [alpha, segmentId]);
  for (const [exportId, status, at] of [
    [one, 'FAILED', '2026-01-01T00:00:00Z'],
    [one, 'SUCCEEDED', '2026-01-02T00:00:00Z'],
    [three, 'CANCELLED', '2026-01-01T00:00:00Z'],
  ] as const) {
    await outbound.sql`
      insert into export_runs (export_id, trigger, status, workflow_id, created_at)
      values (${exportId}, 'SCHEDULED', ${status}, ${`export-${exportId}`}, ${at}::timestamptz)`;
  }
  const { exports } = await outbound.gql(
    '{ exports { nodes { id connection { displayName } segments { name } lastRun { status } } } }',
  );
  const byId = new Map(exports.nodes.map((e: { id: string }) => [e.id, e]));
  expect(byId.get(one)).toMatchObject({
    connection: { displayName: 'Admins only' },
    segments: [{ name: 'All' }],
    lastRun: { status: 'SUCCEEDED' },
  });
  expect(byId.get(two)).toMatchObject({
    connection: { displayName: 'Open to contributors' },
    segments: [{ name: 'Alpha list' }, { name: 'Zulu list' }],
    lastRun: null,
  });
  expect(byId.get(three)).toMatchObject({
    connection: { displayName: 'Open to contributors' },
    segments: [{ name: 'All' }, { name: 'Alpha list' }],
    lastRun: { status: 'CANCELLED' },
  });
});

describe('updateExport and deleteExport', () => {
  /** A fresh export on the connection open to contributors, for one test to change. */
  const editable = async () =>
    (await outbound.gql(createExportDoc, { input: exportInput({ name: 'Editable', connectionId: open }) }))
      .createExport.id as string;

  test('renaming or disabling needs no ActiveCampaign: it works while the account is down', async () => {
    const id = await editable();
    fake.account(apiKey).setFaults({ errorRate: 1 });
    fake.account(apiKey).clearRequests();
    try {
      const { updateExport } = await outbound.gql(
        updateExportDoc,
        { id, input: { name: 'Renamed', enabled: false } },
        contributor,
      );
      expect(updateExport).toMatchObject({ name: 'Renamed', enabled: false, listId: '7' });
      expect(fake.account(apiKey).requests()).toEqual([]);
    } finally {
      fake.account(apiKey).setFaults({});
    }
  });

  test('a new list or mapping is checked again', async () => {
    const id = await editable();
    const { updateExport } = await outbound.gql(updateExportDoc, {
      id,
      input: { listId: '8', mapping: { email: 'Email' } },
    });
    expect(updateExport).toMatchObject({ listId: '8', mapping: { email: 'Email', fields: [] } });
    const cases: Array<[Record<string, unknown>, string, Record<string, unknown>]> = [
      [{ listId: '99' }, outbound.adminToken, { code: 'BAD_USER_INPUT', field: 'listId' }],
      [
        { mapping: { email: 'Nope' } },
        outbound.adminToken,
        { code: 'BAD_USER_INPUT', field: 'mapping.email' },
      ],
      [{ connectionId: adminOnly }, contributor, { code: 'FORBIDDEN' }],
      [{ name: 'Viewer was here' }, viewer, { code: 'FORBIDDEN' }],
    ];
    for (const [input, token, expected] of cases) {
      const result = await expectNothingWritten(outbound, () =>
        outbound.graphql(updateExportDoc, { id, input }, token),
      );
      expectRejected(result, expected as { code: string });
    }
  });

  test('a slow list change does not undo an admin disabling the export meanwhile', async () => {
    const raced = (
      await outbound.gql(createExportDoc, { input: exportInput({ name: 'Raced', connectionId: open }) })
    ).createExport.id;
    const account = fake.account(apiKey);
    account.clearRequests();
    account.holdRequests();
    let changing: Promise<GraphQLResponse> | undefined;
    try {
      changing = outbound.graphql(updateExportDoc, { id: raced, input: { listId: '8' } }, contributor);
      // The change has read the export and is checking list 8 on the account, held there.
      await account.heldRequests();
      expect(account.requests().map((r) => r.path)).toEqual(['/api/3/lists/8']);
      await outbound.gql(updateExportDoc, { id: raced, input: { enabled: false } });
    } finally {
      account.releaseRequests();
    }
    expect((await changing).errors).toBeUndefined();
    const [row] = await outbound.sql`select enabled, list_id from exports where id = ${raced}`;
    expect(row).toEqual({ enabled: false, list_id: '8' });
  });

  test('an export is not saved on a connection deleted while it was being checked', async () => {
    const { createConnection } = await outbound.gql(createConnectionDoc, {
      input: { displayName: 'Short-lived', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
    });
    const account = fake.account(apiKey);
    account.clearRequests();
    account.holdRequests();
    let creating: Promise<GraphQLResponse> | undefined;
    try {
      creating = outbound.graphql(createExportDoc, {
        input: exportInput({ name: 'Orphan', connectionId: createConnection.id }),
      });
      // The export is being checked against the account (its list read is held) when the connection goes.
      await account.heldRequests();
      expect(account.requests().map((r) => r.path)).toEqual(['/api/3/lists/7']);
      await outbound.gql(`mutation($id: ID!) { deleteConnection(id: $id) }`, { id: createConnection.id });
    } finally {
      account.releaseRequests();
    }
    expectRejected(await creating, { code: 'BAD_USER_INPUT', field: 'connectionId' });
    expect(await outbound.sql`select 1 from exports where name = 'Orphan'`).toHaveLength(0);
  });

  test('a contributor cannot touch an export on an admin-only connection', async () => {
    const { createExport } = await outbound.gql(createExportDoc, { input: exportInput({ name: 'Admins' }) });
    const update = await expectNothingWritten(outbound, () =>
      outbound.graphql(updateExportDoc, { id: createExport.id, input: { name: 'x' } }, contributor),
    );
    expectRejected(update, { code: 'FORBIDDEN' });
    const remove = await expectNothingWritten(outbound, () =>
      outbound.graphql('mutation($id: ID!) { deleteExport(id: $id) }', { id: createExport.id }, contributor),
    );
    expectRejected(remove, { code: 'FORBIDDEN' });
  });

  test('deleting hides the export and records who did it', async () => {
    const id = await editable();
    await outbound.gql(updateExportDoc, { id, input: { name: 'Renamed' } }, contributor);
    await outbound.gql(updateExportDoc, { id, input: { enabled: false } });
    const { deleteExport } = await outbound.gql(
      'mutation($id: ID!) { deleteExport(id: $id) }',
      { id },
      contributor,
    );
    expect(deleteExport).toBe(id);
    expectRejected(await outbound.graphql('query($id: ID!) { export(id: $id) { id } }', { id }), {
      code: 'NOT_FOUND',
    });
    const { exports } = await outbound.gql('{ exports { nodes { id } } }');
    expect(exports.nodes.map((e: { id: string }) => e.id)).not.toContain(id);
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: id })).auditEvents.nodes;
    expect(auditEvents.map((e: { action: string; actorEmail: string }) => [e.action, e.actorEmail])).toEqual([
      ['export.deleted', 'contributor@outbound.test'],
      ['export.updated', 'admin@outbound.test'],
      ['export.updated', 'contributor@outbound.test'],
      ['export.created', 'admin@outbound.test'],
    ]);
    expectRejected(await outbound.graphql('mutation($id: ID!) { deleteExport(id: $id) }', { id }), {
      code: 'NOT_FOUND',
    });
  });
});
