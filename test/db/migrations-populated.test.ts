import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, inject, test } from 'vitest';
import { createSecretBox, generateSecretKey, newToken, sha256Hex } from '../../core/secrets.ts';
import { createDb } from '../../db/client.ts';
import { runMigrations } from '../../db/migrate.ts';
import { assertMigrationsCurrent } from '../../db/migration-state.ts';
import { createTestDatabase, databaseUrl, type TestDatabase, withAdminSql } from '../support/database.ts';
import { startOutbound } from '../support/outbound.ts';
import { migrateUpTo, migrationJournal } from '../support/partial-migrations.ts';

/** An empty database (no migrations) of this run, dropped like the others. */
async function createEmptyDatabase(): Promise<TestDatabase> {
  const name = `${inject('testRunPrefix')}_${process.pid}_old_${Math.random().toString(36).slice(2, 8)}`;
  await withAdminSql((sql) => sql.unsafe(`create database ${name}`));
  const url = databaseUrl(name);
  const handle = createDb(url);
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      await withAdminSql((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

const tags = migrationJournal().entries.map((e) => e.tag);
const applied = (cut: string, tag: string) => tags.indexOf(tag) <= tags.indexOf(cut);

type Filled = {
  token: string;
  secret: { box: Awaited<ReturnType<typeof createSecretBox>>; apiKey: string };
  ids: Record<
    'admin' | 'contributor' | 'connection' | 'segment' | 'export' | 'succeeded' | 'failed' | 'running',
    string
  >;
};

/** What a team had in Outbound at schema `cut`, written with plain SQL against that schema. */
async function fillOldSchema(sql: postgres.Sql, cut: string): Promise<Filled> {
  const has = (tag: string) => applied(cut, tag);
  const ids = {
    admin: randomUUID(),
    contributor: randomUUID(),
    connection: randomUUID(),
    segment: randomUUID(),
    export: randomUUID(),
    succeeded: randomUUID(),
    failed: randomUUID(),
    running: randomUUID(),
  };
  const token = newToken();
  const box = await createSecretBox(generateSecretKey());
  const apiKey = 'ac-test-key-0000-7f3a';
  await sql`insert into users (id, email, role) values
    (${ids.admin}, 'ops-admin@example.test', 'ADMIN'), (${ids.contributor}, 'marketing@example.test', 'CONTRIBUTOR')`;
  await sql`insert into api_tokens (user_id, token_hash, created_at)
    values (${ids.admin}, ${sha256Hex(token)}, '2026-01-02T09:00:00Z')`;
  await sql`insert into connections (id, display_name, api_host, api_key_ciphertext, api_key_tail,
      contributors_can_use, privacy_accepted_by, privacy_accepted_at, export_user_id)
    values (${ids.connection}, 'Main account', 'https://acme.api-us1.com', ${await box.encrypt(apiKey)}, '7f3a',
      true, ${ids.admin}, '2026-01-05T10:00:00Z', ${ids.contributor})`;
  await sql`insert into profiles (customer_id, attributes) values
    ('c-001', ${sql.json({ Email: 'gold1@example.test', First: 'Ada', Tier: 'gold' })}),
    ('c-002', ${sql.json({ Email: 'not-an-address', First: 'Bo', Tier: 'gold' })}),
    ('c-003', ${sql.json({ Email: 'silver@example.test', Tier: 'silver' })})`;
  await sql`insert into segments (id, name, rule, generation, member_count, refreshed_at)
    values (${ids.segment}, 'Gold customers', ${sql.json({ attribute: 'Tier', op: 'EQ', value: 'gold' })}, 1, 2,
      '2026-01-06T08:00:00Z')`;
  await sql`insert into segment_members (segment_id, generation, customer_id)
    values (${ids.segment}, 1, 'c-001'), (${ids.segment}, 1, 'c-002')`;
  const mapping = {
    email: 'Email',
    firstName: 'First',
    lastName: null,
    phone: null,
    fields: [{ attribute: 'Tier', fieldId: '12' }],
  };
  await sql`insert into exports (id, name, connection_id, list_id, segment_ids, mapping, on_leave, created_by)
    values (${ids.export}, 'Gold to newsletter', ${ids.connection}, '7', ${sql.array([ids.segment])}::uuid[],
      ${sql.json(mapping)}, 'UNSUBSCRIBE', ${ids.admin})`;
  await sql`insert into export_runs (id, export_id, trigger, status, requested_by, total_profiles, sent_count,
      exported_count, rejected_count, workflow_id, created_at, started_at, finished_at)
    values (${ids.succeeded}, ${ids.export}, 'ON_DEMAND', 'SUCCEEDED', ${ids.admin}, 2, 2, 1, 1, 'export-run-a',
      '2026-01-06T09:00:00Z', '2026-01-06T09:00:01Z', '2026-01-06T09:02:00Z')`;
  await sql`insert into export_runs (id, export_id, trigger, status, failed_count, error, workflow_id,
      created_at, started_at, finished_at)
    values (${ids.failed}, ${ids.export}, 'SCHEDULED', 'FAILED', 2, 'ActiveCampaign refused the API key (401).',
      'export-run-b', '2026-01-07T09:00:00Z', '2026-01-07T09:00:01Z', '2026-01-07T09:00:05Z')`;
  await sql`insert into export_runs (id, export_id, trigger, status, requested_by, workflow_id, created_at, started_at)
    values (${ids.running}, ${ids.export}, 'ON_DEMAND', 'RUNNING', ${ids.admin}, 'export-run-c',
      '2026-01-08T09:00:00Z', '2026-01-08T09:00:01Z')`;
  await sql`insert into run_batches (run_id, seq, batch_id, first_customer_id, last_customer_id, contact_count,
      completed_at, success_count, failure_count)
    values (${ids.succeeded}, 0, 'batch-1', 'c-001', 'c-002', 2, '2026-01-06T09:01:30Z', 1, 1)`;
  await sql`insert into run_rejects (run_id, customer_id, reason, detail)
    values (${ids.succeeded}, 'c-002', 'INVALID_EMAIL', 'The e-mail address is not valid.')`;
  await sql`insert into audit_events (actor_id, action, subject_type, subject_id, details)
    values (${ids.admin}, 'export.create', 'export', ${ids.export}, ${sql.json({ name: 'Gold to newsletter' })})`;
  await sql`insert into settings (key, value) values ('refresh_interval_minutes', '15')`;
  if (has('0002_incremental_sync')) {
    await sql`insert into export_contacts (export_id, customer_id, email, content_hash, contact_id, pushed_run_id)
      values (${ids.export}, 'c-001', 'gold1@example.test', 'h-1', '101', ${ids.succeeded})`;
  }
  if (has('0008_alerts')) {
    const channel = randomUUID();
    const rule = randomUUID();
    await sql`insert into notification_channels (id, name, kind, url_ciphertext, url_masked)
      values (${channel}, 'Ops webhook', 'WEBHOOK', ${await box.encrypt('https://hooks.example.test/abc')},
        'https://hooks.example.test/••••')`;
    await sql`insert into alert_rules (id, channel_id, export_id, event) values (${rule}, ${channel}, ${ids.export}, 'RUN_FAILED')`;
    await sql`insert into notification_deliveries (channel_id, rule_id, run_id, event, status, attempts, sent_at)
      values (${channel}, ${rule}, ${ids.failed}, 'RUN_FAILED', 'SENT', 1, '2026-01-07T09:00:06Z')`;
  }
  if (has('0010_postgres_sources')) {
    const source = randomUUID();
    const columns = [
      { name: 'customer_id', postgresType: 'text', attribute: null },
      { name: 'tier', postgresType: 'text', attribute: 'Tier' },
    ];
    await sql`insert into sources (id, name, database_url_ciphertext, database_url_masked, table_name, columns, created_by)
      values (${source}, 'Warehouse', ${await box.encrypt('postgres://reader:pw@warehouse.test/crm')},
        'postgres://reader:••••@warehouse.test/crm', 'customers', ${sql.json(columns)}, ${ids.admin})`;
    await sql`insert into source_syncs (source_id, status, read_count, added_count, finished_at)
      values (${source}, 'SUCCEEDED', 3, 3, '2026-01-06T07:00:00Z')`;
    await sql`update profiles set source_id = ${source}`;
  }
  if (has('0012_auth_failures')) {
    await sql`insert into auth_failures (address_key, window_start, failures) values ('203.0.113.9', now(), 2)`;
  }
  return { token, secret: { box, apiKey }, ids };
}

type TableRows = Map<string, { columns: string[]; rows: Array<Record<string, unknown>> }>;

async function snapshotTables(sql: postgres.Sql): Promise<TableRows> {
  const columns = await sql<{ table_name: string; column_name: string }[]>`
    select table_name, column_name from information_schema.columns where table_schema = 'public'
    order by table_name, ordinal_position`;
  const tables: TableRows = new Map();
  for (const { table_name, column_name } of columns) {
    const entry = tables.get(table_name) ?? { columns: [], rows: [] };
    entry.columns.push(column_name);
    tables.set(table_name, entry);
  }
  for (const [table, entry] of tables) {
    const rows = await sql<
      { row: Record<string, unknown> }[]
    >`select to_jsonb(t) as row from ${sql(table)} t`;
    entry.rows = rows.map((r) => r.row);
  }
  return tables;
}

/** Rows as they were before: each kept only with the columns the older schema had, in a stable order. */
function projected(rows: Array<Record<string, unknown>>, columns: string[]): string[] {
  return rows.map((row) => JSON.stringify(columns.map((c) => [c, row[c]]))).sort();
}

async function schemaShape(sql: postgres.Sql) {
  const columns = await sql`
    select table_name, column_name, data_type, udt_name, is_nullable, column_default, collation_name
    from information_schema.columns where table_schema = 'public' order by table_name, column_name`;
  const indexes =
    await sql`select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`;
  const constraints = await sql`
    select conrelid::regclass::text as "table", conname, pg_get_constraintdef(oid) as def from pg_constraint
    where connamespace = 'public'::regnamespace order by conname`;
  const enums = await sql`
    select t.typname, array_agg(e.enumlabel::text order by e.enumsortorder) as labels
    from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typname order by t.typname`;
  return { columns: [...columns], indexes: [...indexes], constraints: [...constraints], enums: [...enums] };
}

/** Columns a migration added NOT NULL with values computed for the existing rows and no default. */
const backfilledWithoutDefault: string[] = [];

const cuts = ['0000_init', '0008_alerts', '0010_postgres_sources', '0012_auth_failures'];

describe.each(cuts)('a populated database at %s, migrated to the newest schema', (cut) => {
  test('keeps every row and value, has the new schema, and the API answers about them', async () => {
    const database = await createEmptyDatabase();
    // A plain postgres.js client: drizzle's (database.sql) passes json through unparsed.
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    let outbound: Awaited<ReturnType<typeof startOutbound>> | undefined;
    try {
      await migrateUpTo(database.url, cut);
      const filled = await fillOldSchema(sql, cut);
      const before = await snapshotTables(sql);

      await runMigrations(database.url);

      await assertMigrationsCurrent(sql);
      const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(n).toBe(tags.length);

      const after = await snapshotTables(sql);
      for (const [table, { columns, rows }] of before) {
        const now = after.get(table);
        expect(now, `table ${table}`).toBeDefined();
        expect(projected(now?.rows ?? [], columns), `rows of ${table}`).toEqual(projected(rows, columns));
      }

      // A NOT NULL column added to a table that had rows keeps a default, so code and scripts that insert
      // without it still work (one backfilled on purpose instead would be named here).
      const notNull = await sql<{ table: string; column: string; column_default: string | null }[]>`
        select table_name as "table", column_name as "column", column_default from information_schema.columns
        where table_schema = 'public' and is_nullable = 'NO'`;
      const addedWithoutDefault = notNull.filter(
        ({ table, column, column_default }) =>
          before.has(table) && !before.get(table)?.columns.includes(column) && column_default === null,
      );
      expect(addedWithoutDefault.map((c) => `${c.table}.${c.column}`)).toEqual(backfilledWithoutDefault);

      const reference = await createTestDatabase();
      try {
        const referenceSql = postgres(reference.url, { max: 1, onnotice: () => {} });
        const expected = await schemaShape(referenceSql).finally(() => referenceSql.end({ timeout: 5 }));
        expect(await schemaShape(sql)).toEqual(expected);
      } finally {
        await reference.drop();
      }

      const [token] = await sql`select name, hint, expires_at, last_used_at from api_tokens`;
      expect(token).toEqual({ name: 'default', hint: null, expires_at: null, last_used_at: null });
      const users = await sql`select email, can_write_profiles from users order by email`;
      expect(users).toEqual([
        { email: 'marketing@example.test', can_write_profiles: false },
        { email: 'ops-admin@example.test', can_write_profiles: false },
      ]);
      const [exported] = await sql`select tags, exclude_automations, results_target_id from exports`;
      expect(exported).toEqual({ tags: [], exclude_automations: false, results_target_id: null });
      const runs = await sql`
        select status, skipped_count, unconfirmed_count, failure_lookups, full_resync, phase from export_runs
        order by created_at`;
      expect(runs).toEqual(
        ['SUCCEEDED', 'FAILED', 'RUNNING'].map((status) => ({
          status,
          skipped_count: 0,
          unconfirmed_count: 0,
          failure_lookups: 0,
          full_resync: false,
          phase: null,
        })),
      );
      const [connection] = await sql<
        [{ api_key_ciphertext: string }]
      >`select api_key_ciphertext from connections`;
      expect(await filled.secret.box.decrypt(connection.api_key_ciphertext)).toBe(filled.secret.apiKey);

      // The new schema's one-active-run rule holds over the migrated runs.
      const secondActive = sql`insert into export_runs (export_id, trigger, status, workflow_id)
        values (${filled.ids.export}, 'ON_DEMAND', 'QUEUED', 'export-run-d')`;
      await expect(secondActive).rejects.toMatchObject({
        code: '23505',
        constraint_name: 'export_runs_one_active_idx',
      });

      outbound = await startOutbound({ database, worker: false });
      const { gql } = outbound;
      const answer = await gql(
        `{
          viewer { email role tokens { name masked } }
          connection(id: "${filled.ids.connection}") { displayName apiHost contributorsCanUse removed }
          segment(id: "${filled.ids.segment}") { name memberCount rule }
          export(id: "${filled.ids.export}") {
            name listId onLeave tags enabled excludeAutomations
            mapping { email firstName fields { attribute fieldId type } }
            segments { name }
            runs(first: 5) { nodes { status trigger exportedCount rejectedCount failedCount skippedCount error
              rejects(first: 5) { nodes { customerId reason } } } }
          }
          alertRules { event exportId }
          sources { name table changeCheckSeconds databaseUrlMasked }
        }`,
        {},
        filled.token,
      );
      expect(answer.viewer).toEqual({
        email: 'ops-admin@example.test',
        role: 'ADMIN',
        tokens: [{ name: 'default', masked: expect.any(String) }],
      });
      expect(answer.connection).toEqual({
        displayName: 'Main account',
        apiHost: 'https://acme.api-us1.com',
        contributorsCanUse: true,
        removed: false,
      });
      expect(answer.segment).toEqual({
        name: 'Gold customers',
        memberCount: 2,
        rule: { attribute: 'Tier', op: 'EQ', value: 'gold' },
      });
      expect(answer.export).toMatchObject({
        name: 'Gold to newsletter',
        listId: '7',
        onLeave: 'UNSUBSCRIBE',
        tags: [],
        enabled: true,
        excludeAutomations: false,
        mapping: {
          email: 'Email',
          firstName: 'First',
          fields: [{ attribute: 'Tier', fieldId: '12', type: null }],
        },
        segments: [{ name: 'Gold customers' }],
      });
      const byStatus = Object.fromEntries(
        (answer.export.runs.nodes as Array<{ status: string }>).map((r) => [r.status, r]),
      );
      expect(byStatus.SUCCEEDED).toMatchObject({
        trigger: 'ON_DEMAND',
        exportedCount: 1,
        rejectedCount: 1,
        skippedCount: 0,
        rejects: { nodes: [{ customerId: 'c-002', reason: 'INVALID_EMAIL' }] },
      });
      expect(byStatus.FAILED).toMatchObject({
        trigger: 'SCHEDULED',
        failedCount: 2,
        error: 'ActiveCampaign refused the API key (401).',
      });
      expect(byStatus.RUNNING).toMatchObject({ trigger: 'ON_DEMAND' });
      expect(answer.alertRules).toEqual(
        applied(cut, '0008_alerts') ? [{ event: 'RUN_FAILED', exportId: filled.ids.export }] : [],
      );
      expect(answer.sources).toEqual(
        applied(cut, '0010_postgres_sources')
          ? [
              {
                name: 'Warehouse',
                table: 'customers',
                changeCheckSeconds: 60,
                databaseUrlMasked: 'postgres://reader:••••@warehouse.test/crm',
              },
            ]
          : [],
      );
    } finally {
      await sql.end({ timeout: 5 });
      if (outbound) await outbound.close();
      else await database.drop();
    }
  });
});
