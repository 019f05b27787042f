import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';

let outbound: Outbound;
let team: TeamDatabase;
let sourceId: string;

beforeAll(async () => {
  team = await createTeamDatabase();
  const url = new URL(team.url);
  outbound = await startOutbound({ insecureHosts: [`${url.hostname}:${url.port || '5432'}`] });
});

afterAll(async () => {
  await outbound?.close();
  await team?.drop();
});

/**
 * Every test starts with 20 customers in the team's table, c01…c20, last changed one a minute (c01
 * newest, a day ago), version 1…20 (c20 highest), and no sources or profiles.
 */
beforeEach(async () => {
  await outbound.sql`truncate sources, profiles cascade`;
  await team.sql`drop table if exists customers`;
  await team.sql`
    create table customers (
      customer_id text primary key, email text, first_name text, updated_at timestamptz, version bigint, note text)`;
  await team.sql`
    insert into customers
    select 'c' || lpad(g::text, 2, '0'), 'c' || g || '@example.com', 'First ' || g,
      now() - interval '1 day' - g * interval '1 minute', g, 'n'
    from generate_series(1, 20) g`;
});

const syncFields = 'id status incremental keysRead read added updated removed rejected error';

async function addSource(input: Record<string, unknown> = {}) {
  const { createSource } = await outbound.gql(
    `mutation($input: CreateSourceInput!) { createSource(input: $input) { id changeColumn changeOverlap changeWatermark } }`,
    {
      input: {
        name: 'CRM',
        databaseUrl: team.url,
        query: 'select customer_id, email, first_name, updated_at, version from customers',
        changeColumn: 'updated_at',
        changeOverlap: 0,
        ...input,
      },
    },
  );
  sourceId = createSource.id;
  return createSource;
}

async function sync(args: { confirmRemovals?: boolean; full?: boolean } = {}) {
  const { syncSource } = await outbound.gql(
    `mutation($id: ID!, $c: Boolean, $f: Boolean) { syncSource(id: $id, confirmRemovals: $c, full: $f) { id } }`,
    { id: sourceId, c: args.confirmRemovals, f: args.full },
  );
  // The workflow closes just after it records the outcome; wait for it so the next sync may start.
  await outbound.deps.temporal.workflow
    .getHandle(`source-sync-${sourceId}`)
    .result()
    .catch(() => undefined);
  const [row] = await outbound.sql<
    { status: string }[]
  >`select status from source_syncs where id = ${syncSource.id}`;
  expect(row?.status).not.toBe('RUNNING');
  const { source } = await outbound.gql(
    `query($id: ID!) { source(id: $id) { changeWatermark syncs(first: 1) { edges { node { ${syncFields} } } } } }`,
    { id: sourceId },
  );
  expect(source.syncs.edges[0].node.id).toBe(syncSource.id);
  return { ...source.syncs.edges[0].node, watermark: source.changeWatermark as string | null };
}

/** The profile store as the team's table says it should be (every row, as a full read maps it). */
async function expectStoreToMatchTheTable() {
  const expected = await team.sql<
    { customer_id: string; email: string; first_name: string; version: string | null }[]
  >`
    select customer_id, email, first_name, version::text from customers order by customer_id collate "C"`;
  const stored = await outbound.sql<{ customer_id: string; attributes: Record<string, unknown> }[]>`
    select customer_id, attributes from profiles where source_id = ${sourceId} order by customer_id`;
  expect(
    stored.map((p) => [p.customer_id, p.attributes.email, p.attributes.first_name, p.attributes.version]),
  ).toEqual(
    expected.map((r) => [
      r.customer_id,
      r.email,
      r.first_name,
      r.version === null ? undefined : Number(r.version),
    ]),
  );
}

describe('a source with a change column', () => {
  test('after a full first sync, a sync reads in full only the changed rows, adds and updates them, and finds removals exactly by key', async () => {
    await addSource();
    const first = await sync();
    expect(first).toMatchObject({
      status: 'SUCCEEDED',
      incremental: false,
      read: 20,
      keysRead: 20,
      added: 20,
    });
    expect(first.watermark).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);

    await team.sql`update customers set first_name = 'Changed', updated_at = now() where customer_id in ('c05', 'c17')`;
    // A row changed without touching its change column is not read: the column is the contract.
    await team.sql`update customers set email = 'quiet@example.com' where customer_id = 'c09'`;
    await team.sql`delete from customers where customer_id in ('c03', 'c12')`;
    await team.sql`insert into customers values ('c21', 'c21@example.com', 'New', now(), 21, 'n')`;
    const second = await sync();
    expect(second).toMatchObject({
      status: 'SUCCEEDED',
      incremental: true,
      keysRead: 19,
      read: 3,
      added: 1,
      updated: 2,
      removed: 2,
      rejected: 0,
    });
    expect(second.watermark > first.watermark).toBe(true);
    await team.sql`update customers set email = 'c9@example.com' where customer_id = 'c09'`;
    await expectStoreToMatchTheTable();

    // Nothing changed: every key is read, no row in full, nothing written.
    expect(await sync()).toMatchObject({
      incremental: true,
      keysRead: 19,
      read: 0,
      added: 0,
      updated: 0,
      removed: 0,
    });
  });

  test('an integer change column reads rows above the watermark less the overlap; rows with no change value are read every time', async () => {
    await addSource({ changeColumn: 'version', changeOverlap: 2 });
    expect(await sync()).toMatchObject({ incremental: false, read: 20, watermark: '20' });
    await team.sql`update customers set first_name = 'Late', version = 19 where customer_id = 'c20'`;
    await team.sql`update customers set version = null, first_name = 'Unversioned' where customer_id = 'c04'`;
    // Above 20 − 2: c19 (19, unchanged) and c20 (19, changed); c04 has no version.
    expect(await sync()).toMatchObject({ incremental: true, read: 3, updated: 2, watermark: '20' });
    expect(await sync()).toMatchObject({ incremental: true, read: 3, updated: 0 });
    await expectStoreToMatchTheTable();
  });

  test('a failed sync leaves the watermark where it was; the removal guard still stops an incremental sync, and a confirmed one goes through', async () => {
    await addSource();
    const first = await sync();
    await team.sql`update customers set first_name = 'Changed', updated_at = now() where customer_id = 'c07'`;
    await team.sql`delete from customers where customer_id in ('c01', 'c02', 'c03', 'c04', 'c05')`;
    const refused = await sync();
    expect(refused).toMatchObject({ status: 'FAILED', incremental: true, watermark: first.watermark });
    expect(refused.error).toContain('would remove 5 of the source');
    const [profile] = await outbound.sql<{ n: number }[]>`select count(*)::int as n from profiles`;
    expect(profile?.n).toBe(20);

    // The failed sync's read is read again: c07 is still changed since the unchanged watermark.
    const confirmed = await sync({ confirmRemovals: true });
    expect(confirmed).toMatchObject({
      status: 'SUCCEEDED',
      incremental: true,
      read: 1,
      updated: 1,
      removed: 5,
    });
    expect(confirmed.watermark > first.watermark).toBe(true);
    await expectStoreToMatchTheTable();
  });

  test('a source failing mid-sync leaves the watermark; the next sync reads the same changes', async () => {
    await addSource();
    const first = await sync();
    await team.sql`update customers set first_name = 'Changed', updated_at = now() where customer_id = 'c11'`;
    await team.sql`alter table customers rename column email to mail`;
    const failed = await sync();
    expect(failed).toMatchObject({ status: 'FAILED', watermark: first.watermark });
    expect(failed.error).toContain('SQLSTATE 42703');
    await team.sql`alter table customers rename column mail to email`;
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED', incremental: true, read: 1, updated: 1 });
    await expectStoreToMatchTheTable();
  });

  test('a row whose profile the source no longer owns is read again in full though it did not change; full: true reads every row', async () => {
    await addSource();
    await sync();
    await outbound.sql`delete from profiles where customer_id = 'c08'`;
    await outbound.sql`update profiles set source_id = null where customer_id = 'c09'`;
    expect(await sync()).toMatchObject({
      status: 'SUCCEEDED',
      error: null,
      incremental: true,
      keysRead: 20,
      read: 2,
      added: 1,
      updated: 1,
    });
    await expectStoreToMatchTheTable();
    expect(await sync({ full: true })).toMatchObject({ incremental: false, read: 20, updated: 0 });
  });

  test('changing the change column or the query makes the next sync read every row', async () => {
    await addSource();
    await sync();
    const { updateSource } = await outbound.gql(
      `mutation($id: ID!) { updateSource(id: $id, input: { changeColumn: "version" }) { changeColumn changeWatermark } }`,
      { id: sourceId },
    );
    expect(updateSource).toEqual({ changeColumn: 'version', changeWatermark: null });
    expect(await sync()).toMatchObject({ incremental: false, read: 20, watermark: '20' });
    expect(await sync()).toMatchObject({ incremental: true, read: 0 });
    await outbound.gql(
      `mutation($id: ID!, $q: String) { updateSource(id: $id, input: { query: $q }) { id } }`,
      { id: sourceId, q: 'select customer_id, email, first_name, version from customers where version > 0' },
    );
    expect(await sync()).toMatchObject({ incremental: false, read: 20 });
  });

  test('a first batch of rows without a usable customer_id (sorted first) removes nothing', async () => {
    // More keyless rows than one incremental batch (10,000) holds: the first batch has no usable key.
    await addSource({
      query: `select customer_id, email, first_name, updated_at, version from customers
        union all select null, null, null, now() - interval '2 days', null from generate_series(1, 10001)`,
    });
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED', added: 20, rejected: 10001 });
    await team.sql`update customers set first_name = 'Changed', updated_at = now() where customer_id = 'c07'`;

    expect(await sync()).toMatchObject({
      status: 'SUCCEEDED',
      incremental: true,
      read: 1,
      updated: 1,
      removed: 0,
      rejected: 10001,
    });
    await expectStoreToMatchTheTable();
  });

  test('createSource and updateSource refuse a change column the source does not return or that does not order, and a bad overlap', async () => {
    const create = (input: Record<string, unknown>) =>
      outbound.graphql(`mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`, {
        input: { name: 'x', databaseUrl: team.url, table: 'customers', ...input },
      });
    const missing = await create({ changeColumn: 'modified_at' });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeColumn' });
    expect(missing.errors?.[0]?.message).toContain('returns no column "modified_at"');
    const text = await create({ changeColumn: 'note' });
    expect(text.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeColumn' });
    expect(text.errors?.[0]?.message).toContain('note is text');
    const overlap = await create({ changeColumn: 'version', changeOverlap: -1 });
    expect(overlap.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeOverlap' });
    expect(await outbound.sql`select id from sources`).toHaveLength(0);

    await addSource();
    const update = (input: Record<string, unknown>) =>
      outbound.graphql(
        `mutation($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { id } }`,
        {
          id: sourceId,
          input,
        },
      );
    const badType = await update({ changeColumn: 'email' });
    expect(badType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeColumn' });
    const dropped = await update({ query: 'select customer_id, email from customers' });
    expect(dropped.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeColumn' });
    const [kept] = await outbound.sql<{ change_column: string }[]>`select change_column from sources`;
    expect(kept?.change_column).toBe('updated_at');
    const removed = await update({ changeColumn: '' });
    expect(removed.errors).toBeUndefined();
    expect(await sync()).toMatchObject({ incremental: false, read: 20, watermark: null });
    expect(await sync()).toMatchObject({ incremental: false, read: 20 });
  });
});
