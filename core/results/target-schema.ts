import type postgres from 'postgres';

/**
 * The tables Outbound keeps in a results target's schema, in order; each is applied once (recorded in
 * `outbound_schema_migrations`) under an advisory lock, so two workers never migrate at the same time.
 */
const migrations: ((schema: string) => string)[] = [
  (s) => `
    create table "${s}".outbound_runs (
      run_id uuid primary key, export_id uuid not null, export_name text not null, list_id text not null,
      trigger text not null, status text not null, started_at timestamptz, finished_at timestamptz,
      exported_count integer not null, skipped_count integer not null, failed_count integer not null,
      unsubscribed_count integer not null);
    create index outbound_runs_export_idx on "${s}".outbound_runs (export_id, finished_at);
    create table "${s}".outbound_run_contacts (
      run_id uuid not null, customer_id text not null, outcome text not null, reason text,
      primary key (run_id, customer_id));
    create index outbound_run_contacts_customer_idx on "${s}".outbound_run_contacts (customer_id);
    create table "${s}".outbound_list_members (
      export_id uuid not null, list_id text not null, customer_id text not null,
      member_since timestamptz not null, member_until timestamptz);
    create unique index outbound_list_members_open_idx
      on "${s}".outbound_list_members (export_id, list_id, customer_id) where member_until is null;
    create index outbound_list_members_customer_idx on "${s}".outbound_list_members (customer_id, member_since);`,
];

/** Creates the schema if missing and applies the migrations it has not had yet. */
export async function migrateTargetSchema(target: postgres.Sql, schema: string): Promise<void> {
  await target.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`outbound-results:${schema}`}))`;
    await tx.unsafe(`create schema if not exists "${schema}"`);
    await tx.unsafe(`create table if not exists "${schema}".outbound_schema_migrations (
      version integer primary key, applied_at timestamptz not null default now())`);
    const applied = await tx.unsafe<{ version: number }[]>(
      `select version from "${schema}".outbound_schema_migrations`,
    );
    const done = new Set(applied.map((r) => Number(r.version)));
    for (const [index, migration] of migrations.entries()) {
      const version = index + 1;
      if (done.has(version)) continue;
      await tx.unsafe(migration(schema));
      await tx.unsafe(`insert into "${schema}".outbound_schema_migrations (version) values (${version})`);
    }
  });
}
