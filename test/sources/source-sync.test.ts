import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startSourceSyncWorkflow } from '../../core/temporal/starters.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import type { RefreshWorkflowResult } from '../../workflows/refresh-workflow.ts';
import { tokenFor } from '../api/helpers.ts';
import { workflowHistoryText } from '../support/history.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';

const apiKey = 'source-sync-key-0001';
let fake: FakeActiveCampaign;
let outbound: Outbound;
let team: TeamDatabase;
let teamHost: string;

beforeAll(async () => {
  team = await createTeamDatabase();
  const url = new URL(team.url);
  teamHost = `${url.hostname}:${url.port || '5432'}`;
  fake = await startFakeActiveCampaign({ scale: 20, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host, teamHost], rateScale: 20 });
});

/** Every test starts with the three customers in the team's table and no sources, profiles or exports. */
beforeEach(async () => {
  await outbound.sql`truncate sources, profiles, connections, segments cascade`;
  await team.sql`drop table if exists customers`;
  await team.sql`
    create table customers (
      customer_id text primary key, email text, first_name text, last_name text,
      signed_up date, last_seen timestamptz, lifetime_value numeric, orders int, vip boolean,
      tags text[], prefs jsonb, location point)`;
  await team.sql`
    insert into customers values
      ('c1', 'ann@example.com', 'Ann', 'A', '2024-01-02', '2024-05-06T07:08:09Z', 12.5, 3, true, '{a,b}', '{"news": true}', '(1,2)'),
      ('c2', 'bob@example.com', 'Bob', 'B', null, null, 0, 0, false, '{}', null, null),
      ('c3', 'cid@example.com', 'Cid', 'C', null, null, null, 1, null, null, null, null)`;
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
  await team?.drop();
});

const sourceFields = `id name enabled databaseUrlMasked preview { columns { name postgresType attribute } }
  lastSync { id status read added updated removed rejected error }`;
const syncFields =
  'id status read added updated removed rejected error rejects { row customerId reason } startedAt finishedAt';

async function waitForSync(syncId: string) {
  for (let i = 0; i < 600; i++) {
    const [row] = await outbound.sql<
      { status: string }[]
    >`select status from source_syncs where id = ${syncId}`;
    if (row && row.status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // The workflow closes just after it records the outcome; a sync started before that is refused.
  await outbound.deps.temporal.workflow
    .getHandle(`source-sync-${sourceId}`)
    .result()
    .catch(() => undefined);
  const { source } = await outbound.gql(
    `query($id: ID!) { source(id: $id) { syncs(first: 1) { edges { node { ${syncFields} } } } } }`,
    { id: sourceId },
  );
  return source.syncs.edges[0].node;
}

async function syncNow(confirmRemovals?: boolean) {
  const { syncSource } = await outbound.gql(
    `mutation($id: ID!, $c: Boolean) { syncSource(id: $id, confirmRemovals: $c) { ${syncFields} } }`,
    { id: sourceId, c: confirmRemovals },
  );
  expect(syncSource.status).toBe('RUNNING');
  return waitForSync(syncSource.id);
}

const storeProfiles = async () =>
  Object.fromEntries(
    (
      await outbound.sql<{ customer_id: string; attributes: Record<string, unknown> }[]>`
        select customer_id, attributes from profiles order by customer_id`
    ).map((r) => [r.customer_id, r.attributes]),
  );

let sourceId: string;

/** Adds the team's customers table as a source; later syncs in the test use it. */
async function addSource(databaseUrl = team.url) {
  const { createSource } = await outbound.gql(
    `mutation($input: CreateSourceInput!) { createSource(input: $input) { ${sourceFields} } }`,
    { input: { name: 'CRM', databaseUrl, table: 'customers' } },
  );
  sourceId = createSource.id;
  return createSource;
}

/** A source whose three customers are already synced into profiles. */
async function addSyncedSource() {
  await addSource();
  expect(await syncNow()).toMatchObject({ status: 'SUCCEEDED', added: 3 });
}

describe('a Postgres source', () => {
  test('createSource checks the connection and previews columns, their types and attributes; the URL is masked and sealed', async () => {
    const createSource = await addSource(team.url.replace('postgres@', 'postgres:s3cret-pass@'));
    expect(createSource.enabled).toBe(true);
    expect(createSource.databaseUrlMasked).not.toContain('s3cret-pass');
    expect(createSource.databaseUrlMasked).toContain('postgres:****@');
    expect(createSource.lastSync).toBeNull();
    const columns = Object.fromEntries(
      createSource.preview.columns.map((c: { name: string }) => [c.name, c]),
    );
    expect(columns.customer_id).toEqual({ name: 'customer_id', postgresType: 'text', attribute: null });
    expect(columns.last_seen).toEqual({
      name: 'last_seen',
      postgresType: 'timestamp with time zone',
      attribute: 'last_seen',
    });
    expect(columns.tags.attribute).toBe('tags');
    expect(columns.location).toEqual({ name: 'location', postgresType: 'point', attribute: null });
    const [stored] = await outbound.sql<{ c: string }[]>`select database_url_ciphertext as c from sources`;
    expect(stored?.c).not.toContain('s3cret-pass');
    const audit = await outbound.sql`select action from audit_events where subject_id = ${sourceId}`;
    expect(audit.map((a) => a.action)).toContain('source.created');
  });

  test('createSource refuses a private host not in OUTBOUND_INSECURE_HOSTS, a query without customer_id, and both table and query', async () => {
    const create = (input: Record<string, unknown>) =>
      outbound.graphql(`mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`, {
        input: { name: 'x', ...input },
      });
    const unlisted = await create({ databaseUrl: 'postgres://u:p@10.1.2.3:5432/db', table: 't' });
    expect(unlisted.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'databaseUrl' });
    expect(unlisted.errors?.[0]?.message).toContain('OUTBOUND_INSECURE_HOSTS');
    const noKey = await create({ databaseUrl: team.url, query: 'select email from customers' });
    expect(noKey.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    const both = await create({ databaseUrl: team.url, table: 'customers', query: 'select 1' });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await outbound.sql`select id from sources`).toHaveLength(0);
  });

  test('sources are for admins only: a contributor can neither list, add nor sync them', async () => {
    await addSource();
    const contributor = await tokenFor(outbound, 'CONTRIBUTOR');
    const list = await outbound.graphql('{ sources { id } }', {}, contributor);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const create = await outbound.graphql(
      `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
      { input: { name: 'x', databaseUrl: team.url, table: 'customers' } },
      contributor,
    );
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const sync = await outbound.graphql(
      `mutation($id: ID!) { syncSource(id: $id) { id } }`,
      { id: sourceId },
      contributor,
    );
    expect(sync.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await outbound.sql`select id from sources`).toHaveLength(1);
    expect(await outbound.sql`select id from source_syncs`).toHaveLength(0);
  });

  test('syncSource answers CONFLICT while a sync runs, waits for a closing sync workflow, and leaves nothing behind when its workflow cannot start', async () => {
    await addSource();
    const syncMutation = `mutation($id: ID!) { syncSource(id: $id) { id } }`;
    await outbound.sql`insert into source_syncs (source_id) values (${sourceId})`;
    const busy = await outbound.graphql(syncMutation, { id: sourceId });
    expect(busy.errors?.[0]).toMatchObject({
      message: 'The source is already syncing; wait for that sync to finish.',
      extensions: { code: 'CONFLICT' },
    });
    await outbound.sql`delete from source_syncs`;

    // The source's sync workflow id held by a workflow no worker picks up, as by a previous sync still
    // closing: the start waits for it to close, and is refused when it does not.
    const blockSyncWorkflow = () =>
      startSourceSyncWorkflow(outbound.deps.temporal, `${outbound.config.taskQueue}-unpolled`, {
        sourceId,
        syncId: crypto.randomUUID(),
      });
    const blocker = await blockSyncWorkflow();
    const refused = await outbound.graphql(syncMutation, { id: sourceId });
    expect(refused.errors?.[0]).toMatchObject({
      message: expect.stringContaining('its previous sync has ended, but its workflow is still closing'),
      extensions: { code: 'CONFLICT' },
    });
    expect(await outbound.sql`select id from source_syncs`).toHaveLength(0);
    await blocker.terminate();

    // The previous sync's workflow closes while the request waits: the sync starts and completes.
    const closing = await blockSyncWorkflow();
    const closed = new Promise((resolve) => setTimeout(resolve, 1000)).then(() => closing.terminate());
    expect(await syncNow()).toMatchObject({ status: 'SUCCEEDED', added: 3 });
    await closed;
    const requests = await outbound.sql<{ details: Record<string, unknown> }[]>`
      select details from audit_events where action = 'source.sync_requested' and subject_id = ${sourceId}
      order by id`;
    expect(requests.at(-1)?.details).toMatchObject({ confirmRemovals: false });
  });

  test('a running sync whose workflow never started (the API stopped meanwhile) does not block the source for good', async () => {
    await addSource();
    const [orphan] = await outbound.sql<{ id: string }[]>`
      insert into source_syncs (source_id, started_at) values (${sourceId}, now() - interval '2 minutes')
      returning id`;
    if (!orphan) throw new Error('the orphaned sync was not inserted');

    expect(await syncNow()).toMatchObject({ status: 'SUCCEEDED', added: 3 });
    const [row] = await outbound.sql<{ status: string; error: string }[]>`
      select status, error from source_syncs where id = ${orphan.id}`;
    expect(row).toEqual({ status: 'FAILED', error: expect.stringContaining('never started') });
  });

  test('a sync adds the rows as profiles with typed attribute values; unsupported columns are skipped', async () => {
    await addSource();
    const sync = await syncNow();
    expect(sync).toMatchObject({
      status: 'SUCCEEDED',
      read: 3,
      added: 3,
      updated: 0,
      removed: 0,
      rejected: 0,
      error: null,
    });
    expect(sync.finishedAt).not.toBeNull();
    const profiles = await storeProfiles();
    expect(profiles.c1).toEqual({
      email: 'ann@example.com',
      first_name: 'Ann',
      last_name: 'A',
      signed_up: '2024-01-02',
      last_seen: '2024-05-06T07:08:09+00:00',
      lifetime_value: 12.5,
      orders: 3,
      vip: true,
      tags: ['a', 'b'],
      prefs: { news: true },
    });
    expect(profiles.c2).toMatchObject({ lifetime_value: 0, orders: 0, vip: false, tags: [] });
    expect(profiles.c3).toEqual({ email: 'cid@example.com', first_name: 'Cid', last_name: 'C', orders: 1 });
  });

  test('an update, an insert and a delete in the source are reflected after the next refresh and exported', async () => {
    await addSyncedSource();
    await createExport();
    await refreshNow();
    const members = () =>
      fake
        .account(apiKey)
        .listMembers(7)
        .filter((m) => m.status === 'subscribed')
        .map((m) => [m.email, m.firstName]);
    expect(members()).toEqual([
      ['ann@example.com', 'Ann'],
      ['bob@example.com', 'Bob'],
      ['cid@example.com', 'Cid'],
    ]);

    // 1 of 3 is over the 10 % removal guard: this sync is confirmed.
    await team.sql`update customers set first_name = 'Annie' where customer_id = 'c1'`;
    await team.sql`insert into customers (customer_id, email, first_name) values ('c4', 'dee@example.com', 'Dee')`;
    await team.sql`delete from customers where customer_id = 'c2'`;
    const { syncSource } = await outbound.gql(
      `mutation($id: ID!) { syncSource(id: $id, confirmRemovals: true) { id } }`,
      { id: sourceId },
    );
    const confirmed = await waitForSync(syncSource.id);
    expect(confirmed).toMatchObject({ status: 'SUCCEEDED', read: 3, added: 1, updated: 1, removed: 1 });
    await refreshNow();
    const exported = members();
    expect(exported).toContainEqual(['ann@example.com', 'Annie']);
    expect(exported).toContainEqual(['dee@example.com', 'Dee']);
    expect(Object.keys(await storeProfiles())).toEqual(['c1', 'c3', 'c4']);
  });

  test('the refresh syncs the source itself before refreshing segments', async () => {
    await addSyncedSource();
    await team.sql`update customers set first_name = 'Cidney' where customer_id = 'c3'`;
    await refreshNow();
    expect((await storeProfiles()).c3?.first_name).toBe('Cidney');
    const { source } = await outbound.gql(
      `query($id: ID!) { source(id: $id) { lastSync { status updated } } }`,
      {
        id: sourceId,
      },
    );
    expect(source.lastSync).toEqual({ status: 'SUCCEEDED', updated: 1 });
  });

  test('more removals than OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT stop the sync until confirmed', async () => {
    await addSyncedSource();
    const before = await storeProfiles();
    await team.sql`delete from customers where customer_id in ('c2', 'c3')`;
    const guarded = await syncNow();
    expect(guarded.status).toBe('FAILED');
    expect(guarded.error).toMatch(/remove 2 of the source's 3 profiles.*confirmRemovals: true/);
    expect(await storeProfiles()).toEqual(before);

    const confirmed = await syncNow(true);
    expect(confirmed).toMatchObject({ status: 'SUCCEEDED', removed: 2 });
    expect(Object.keys(await storeProfiles())).toEqual(['c1']);
  });

  test('a dropped column fails the sync with its reason and leaves the store as it was', async () => {
    await addSyncedSource();
    await team.sql`insert into customers (customer_id, email) values ('c5', 'eve@example.com')`;
    await team.sql`alter table customers drop column vip`;
    const before = await storeProfiles();
    const failed = await syncNow();
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('vip');
    expect(await storeProfiles()).toEqual(before);
    expect(await outbound.sql`select 1 from source_sync_rows`).toHaveLength(0);
  });

  test('a failing query fails the sync with its reason; rows without a usable key are rejected by row number', async () => {
    await addSource(team.url.replace('postgres@', 'postgres:s3cret-pass@'));
    expect(await syncNow()).toMatchObject({ status: 'SUCCEEDED', added: 3 });
    const { updateSource } = await outbound.gql(
      `mutation($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { preview { columns { name } } } }`,
      {
        id: sourceId,
        input: { query: 'select customer_id, email, 1 / (orders - 7) as ratio from customers' },
      },
    );
    expect(updateSource.preview.columns.map((c: { name: string }) => c.name)).toEqual([
      'customer_id',
      'email',
      'ratio',
    ]);
    await team.sql`update customers set orders = 7 where customer_id = 'c1'`;
    const before = await storeProfiles();
    const failed = await syncNow();
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('division by zero');
    expect(await storeProfiles()).toEqual(before);

    await outbound.gql(
      `mutation($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { id } }`,
      {
        id: sourceId,
        input: {
          query: `select customer_id, email from customers union all select null, 'x' union all select 'c1', 'dup'`,
        },
      },
    );
    const rejected = await syncNow();
    expect(rejected).toMatchObject({ status: 'SUCCEEDED', read: 5, rejected: 2 });
    expect(rejected.rejects).toEqual([
      { row: 1, customerId: null, reason: expect.stringContaining('customer_id must be') },
      { row: 3, customerId: 'c1', reason: expect.stringContaining('duplicate customer_id') },
    ]);
    const history = await workflowHistoryText(outbound.deps.temporal, `source-sync-${sourceId}`);
    expect(history.text).not.toContain('@example.com');
    expect(history.text).not.toContain('s3cret-pass');
  });
});

async function createExport() {
  const { createConnection } = await outbound.gql(
    `mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }`,
    { input: { displayName: 'Fake AC', apiHost: fake.host, apiKey, acceptDataPrivacy: true } },
  );
  const { createSegment } = await outbound.gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
    { input: { name: 'Everyone with an email', rule: { all: [{ attribute: 'email', op: 'EXISTS' }] } } },
  );
  await outbound.gql(`mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`, {
    input: {
      name: 'CRM export',
      connectionId: createConnection.id,
      listId: '7',
      segmentIds: [createSegment.id],
      mapping: { email: 'email', firstName: 'first_name', lastName: 'last_name' },
    },
  });
}

function refreshNow(): Promise<RefreshWorkflowResult> {
  return outbound.deps.temporal.workflow.execute('refreshWorkflow', {
    taskQueue: outbound.config.taskQueue,
    workflowId: `refresh-direct-${Math.random().toString(36).slice(2, 10)}`,
    args: [{ maxConcurrentExports: 1, timeLimitMs: 120_000 }],
  });
}
