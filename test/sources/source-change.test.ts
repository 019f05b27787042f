import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { sourceChangeWorkflowId } from '../../temporal.config.ts';
import { connectionMutation } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { readRun, waitForRun } from '../support/runs.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';

const apiKey = 'source-change-key-0001';
let fake: FakeActiveCampaign;
let outbound: Outbound;
let team: TeamDatabase;
let sourceId: string | undefined;

beforeAll(async () => {
  team = await createTeamDatabase();
  const url = new URL(team.url);
  fake = await startFakeActiveCampaign({ scale: 20, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({
    insecureHosts: [fake.host, `${url.hostname}:${url.port || '5432'}`],
    rateScale: 20,
  });
  await team.sql`
    create table customers (customer_id text primary key, email text, first_name text,
      updated_at timestamptz not null default now())`;
  await team.sql`
    insert into customers (customer_id, email, first_name)
    select 'sc' || lpad(i::text, 3, '0'), 'sc' || i || '@example.com', 'Name' || i from generate_series(1, 10) i`;
});

afterAll(async () => {
  if (sourceId) {
    await outbound?.deps.temporal.workflow
      .getHandle(sourceChangeWorkflowId(sourceId))
      .terminate('test over')
      .catch(() => {});
  }
  await outbound?.close();
  await fake?.close();
  await team?.drop();
});

async function until<T>(read: () => Promise<T | undefined>, what: string, tries = 1_200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

test('changing three rows of a source with a changeQuery leads, with nothing else done, to a SOURCE_CHANGED run sending exactly those three', async () => {
  const create = (input: Record<string, unknown>) =>
    outbound.graphql(
      `mutation($input: CreateSourceInput!) { createSource(input: $input) { id changeQuery changeCheckSeconds } }`,
      { input: { name: 'Changing CRM', databaseUrl: team.url, table: 'customers', ...input } },
    );
  const tooOften = await create({
    changeQuery: 'select max(updated_at) from customers',
    changeCheckSeconds: 4,
  });
  expect(tooOften.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'changeCheckSeconds',
  });
  const broken = await create({ changeQuery: 'select max(no_such_column) from customers' });
  expect(broken.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeQuery' });
  const created = await create({
    changeQuery: 'select max(updated_at) from customers',
    changeCheckSeconds: 5,
  });
  expect(created.errors).toBeUndefined();
  expect(created.data?.createSource).toMatchObject({
    changeQuery: 'select max(updated_at) from customers',
    changeCheckSeconds: 5,
  });
  const id = created.data?.createSource.id as string;
  sourceId = id;

  // The first sync and run, on demand; the watch has recorded the query's first value meanwhile.
  const { syncSource } = await outbound.gql(`mutation($id: ID!) { syncSource(id: $id) { id } }`, { id });
  await until(async () => {
    const [row] = await outbound.sql<
      { status: string }[]
    >`select status from source_syncs where id = ${syncSource.id}`;
    return row?.status === 'SUCCEEDED' ? row : undefined;
  }, 'the first sync');
  await until(async () => {
    const [row] = await outbound.sql<{ last: string | null }[]>`
      select last_change_value as last from sources where id = ${id}`;
    return row?.last ?? undefined;
  }, 'the first check');
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: { displayName: 'Fake AC', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  const { createSegment } = await outbound.gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id memberCount } }`,
    { input: { name: 'Everyone with an email', rule: { all: [{ attribute: 'email', op: 'EXISTS' }] } } },
  );
  expect(createSegment.memberCount).toBe(10);
  const { createExport } = await outbound.gql(
    `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
    {
      input: {
        name: 'Follows the CRM',
        connectionId: createConnection.id,
        listId: '7',
        segmentIds: [createSegment.id],
        mapping: { email: 'email', firstName: 'first_name' },
      },
    },
  );
  const { runExport } = await outbound.gql(`mutation($id: ID!) { runExport(id: $id) { id } }`, {
    id: createExport.id,
  });
  const first = await waitForRun(outbound, runExport.id, { timeoutMs: 120_000 });
  expect(first).toMatchObject({ status: 'SUCCEEDED', exportedCount: 10, trigger: 'ON_DEMAND' });
  const account = fake.account(apiKey);
  const receivedBefore = account.contactsReceived();

  await team.sql`
    update customers set first_name = 'Changed', updated_at = now() + interval '1 second'
    where customer_id in ('sc002', 'sc005', 'sc009')`;

  const changedRunId = await until(
    async () => {
      const [row] = await outbound.sql<{ id: string }[]>`
        select id from export_runs where export_id = ${createExport.id} and trigger = 'SOURCE_CHANGED'
          and status not in ('QUEUED', 'RUNNING')`;
      return row?.id;
    },
    'a SOURCE_CHANGED run',
    1_800,
  );
  const changed = await readRun(outbound, changedRunId);
  expect(changed).toMatchObject({
    status: 'SUCCEEDED',
    trigger: 'SOURCE_CHANGED',
    sentCount: 3,
    exportedCount: 3,
  });
  expect(account.contactsReceived() - receivedBefore).toBe(3);
  const renamed = account
    .listMembers(7)
    .filter((m) => m.firstName === 'Changed')
    .map((m) => m.email)
    .sort();
  expect(renamed).toEqual(['sc2@example.com', 'sc5@example.com', 'sc9@example.com']);
  expect(account.listMembers(7)).toHaveLength(10);
  const runs = await outbound.sql`select 1 from export_runs where export_id = ${createExport.id}`;
  expect(runs).toHaveLength(2);
});
