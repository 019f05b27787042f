import type postgres from 'postgres';
import { generateSecretKey } from '../../../core/secrets.ts';
import { createUserWithToken } from '../../../core/users.ts';
import { createDb } from '../../../db/client.ts';
import { runMigrations } from '../../../db/migrate.ts';
import { type EntryPoint, startEntryPoint } from '../entry-point.ts';
import { freePort } from '../free-port.ts';
import { startTemporalDevServer } from '../temporal-cli.ts';
import { startFakeAccounts } from './accounts.ts';
import { type FinishedRun, runTogether } from './exports.ts';
import { round, seconds } from './figures.ts';
import { freshDatabase } from './fresh-database.ts';
import { type Gql, graphqlClient } from './graphql-client.ts';
import { startWorkers } from './workers.ts';

/** How the changed rows split: updated, inserted, deleted (the 60/20/20). */
const churnMix = { updated: 0.6, inserted: 0.2 };
/** ActiveCampaign's bulk imports: at most 250 contacts each, 100 a minute. */
const contactsPerImport = 250;
const importsPerMinute = 100;

export type ChurnOptions = { profiles: number; churn: number; workerRuntime: 'node' | 'deno' };

/** ActiveCampaign's own minimum for `contacts` changed contacts: its imports at 100 a minute, one at least. */
export function churnFloorSeconds(contacts: number): number {
  return (Math.max(1, Math.ceil(contacts / contactsPerImport)) / importsPerMinute) * 60;
}

/** Rows to update, insert and delete for a churn of `fraction` over `rows`. */
export function churnCounts(rows: number, fraction: number) {
  const changed = Math.round(rows * fraction);
  const updated = Math.round(changed * churnMix.updated);
  const inserted = Math.round(changed * churnMix.inserted);
  return { updated, inserted, deleted: changed - updated - inserted };
}

/**
 * The team's table: `rows` customers ranked 1…rows, each with an email and a first name, last changed
 * one a minute, the newest a day ago (the source's default 5-minute overlap reads 5 of them again).
 */
async function seedSource(sql: postgres.Sql, rows: number): Promise<void> {
  await sql`create table customers (
    customer_id text primary key, email text not null, first_name text not null, rank integer not null,
    updated_at timestamptz not null default now())`;
  await sql`insert into customers (customer_id, email, first_name, rank, updated_at)
    select 'c' || g, 'c' || g || '@example.com', 'First ' || g, g, now() - interval '1 day' - g * interval '1 minute'
    from generate_series(1, ${rows}::int) g`;
  await sql`analyze customers`;
}

/**
 * Changes the source as a day of the team's work would: updates and deletes spread evenly over the
 * ranks (never the same row twice), inserts after the last rank.
 */
async function churnSource(sql: postgres.Sql, rows: number, counts: ReturnType<typeof churnCounts>) {
  const step = Math.max(1, Math.floor(rows / Math.max(1, counts.updated + counts.deleted)));
  await sql`update customers set first_name = first_name || ' (changed)', updated_at = now()
    where rank % ${step}::int = 0 and rank <= ${step * counts.updated}::int`;
  await sql`delete from customers
    where rank % ${step}::int = 0 and rank > ${step * counts.updated}::int
      and rank <= ${step * (counts.updated + counts.deleted)}::int`;
  await sql`insert into customers (customer_id, email, first_name, rank)
    select 'c' || g, 'c' || g || '@example.com', 'First ' || g, g
    from generate_series(${rows + 1}::int, ${rows + counts.inserted}::int) g`;
}

async function syncSource(gql: Gql, sourceId: string): Promise<Record<string, any>> {
  const { syncSource } = await gql(`mutation($id: ID!) { syncSource(id: $id) { id } }`, { id: sourceId });
  for (;;) {
    const { source } = await gql(
      `query($id: ID!) { source(id: $id) { lastSync { id status error incremental keysRead read added updated removed } } }`,
      { id: sourceId },
    );
    const sync = source.lastSync;
    if (sync?.id === syncSource.id && sync.status !== 'RUNNING') {
      if (sync.status !== 'SUCCEEDED') throw new Error(`source sync ${sync.status}: ${sync.error}`);
      return sync;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runOnce(gql: Gql, exportId: string): Promise<FinishedRun> {
  const { runs } = await runTogether(gql, [{ exportId } as never]);
  const run = runs[0] as FinishedRun;
  if (run.status !== 'SUCCEEDED') throw new Error(`run ${run.status}: ${run.error}`);
  return run;
}

/**
 * `npm run bench -- --churn P --profiles N`: a Postgres source of N rows in a second database, synced,
 * refreshed and exported once as fast as the fake allows; then P of its rows change (60/20/20 updated,
 * inserted, deleted) and one cycle — source sync → refresh → export — is timed with the fake and the
 * workers at ActiveCampaign's real limits (scale 1). Returns the figures the bench prints.
 */
export async function runChurnBench(
  options: ChurnOptions,
  log: (message: string) => void,
  stops: Array<() => Promise<unknown>>,
) {
  const { profiles, churn } = options;
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/outbound_bench';
  const sourceUrl = new URL(databaseUrl);
  sourceUrl.pathname = `${sourceUrl.pathname}_source`;
  await freshDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  await freshDatabase(sourceUrl.toString());
  const database = createDb(databaseUrl, { max: 2, applicationName: 'outbound-bench' });
  stops.push(() => database.close());
  const source = createDb(sourceUrl.toString(), { max: 2, applicationName: 'outbound-bench' });
  stops.push(() => source.close());
  log(`seeding the source: ${profiles} rows`);
  await seedSource(source.sql, profiles);

  const temporal = await startTemporalDevServer({ port: await freePort() });
  stops.push(temporal.stop);
  const key = 'bench-activecampaign-key';
  // The first export fills the list at the fake's full speed; the timed cycle goes to a second fake
  // account at ActiveCampaign's real limits (its own host: its own rate budget), the connection moved.
  const fast = await startFakeAccounts({ count: 1, key, scale: 1, unthrottled: true });
  stops.push(() => fast.entry.kill());
  const real = await startFakeAccounts({ count: 1, key, scale: 1, unthrottled: false });
  stops.push(() => real.entry.kill());
  const [fastAccount] = fast.accounts;
  const [realAccount] = real.accounts;
  if (!fastAccount || !realAccount) throw new Error('the fake accounts did not start');
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    OUTBOUND_SECRET_KEY: generateSecretKey(),
    OUTBOUND_INSECURE_HOSTS: [fastAccount.host, realAccount.host, sourceUrl.host].join(','),
    OUTBOUND_AC_RATE_SCALE: '0',
    OUTBOUND_REFRESH_SCHEDULE_ID: 'bench-refresh',
    OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT: '100',
    OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS: String(60 * 60_000),
    PORT: String(await freePort()),
  };
  const startTheWorkers = (rateScale: string) =>
    startWorkers(1, options.workerRuntime, { ...env, OUTBOUND_AC_RATE_SCALE: rateScale }, (worker) =>
      stops.push(() => worker.kill()),
    );
  let workers: EntryPoint[] = await startTheWorkers('0');
  const api = await startEntryPoint('scripts/start-api.ts', [], env, 'Outbound API');
  stops.push(() => api.kill());
  const { token } = await createUserWithToken(database.sql, 'bench@outbound.local', 'ADMIN');
  const gql = graphqlClient(`http://127.0.0.1:${env.PORT}/graphql`, token);

  const { createSource } = await gql(
    `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
    {
      input: {
        name: 'Bench source',
        databaseUrl: sourceUrl.toString(),
        query:
          'select customer_id, email as "Email", first_name as "FirstName", rank as "Rank", updated_at from customers',
        changeColumn: 'updated_at',
      },
    },
  );
  const [initialSyncSeconds] = await seconds(() => syncSource(gql, createSource.id));
  const { createSegment } = await gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id memberCount } }`,
    { input: { name: 'Every customer', rule: { all: [{ attribute: 'Rank', op: 'GTE', value: 0 }] } } },
  );
  const { createConnection } = await gql(
    `mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }`,
    { input: { displayName: 'Bench', apiHost: fastAccount.host, apiKey: key, acceptDataPrivacy: true } },
  );
  const { createExport } = await gql(
    `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
    {
      input: {
        name: 'Bench churn export',
        connectionId: createConnection.id,
        listId: '7',
        segmentIds: [createSegment.id],
        mapping: { email: 'Email', firstName: 'FirstName' },
      },
    },
  );
  const [initialExportSeconds, initialRun] = await seconds(() => runOnce(gql, createExport.id));
  log(
    `initial: sync ${initialSyncSeconds.toFixed(1)} s, ${createSegment.memberCount} members, export ${initialExportSeconds.toFixed(1)} s (${initialRun.exportedCount} exported)`,
  );

  await Promise.all(workers.map((w) => w.kill()));
  workers = await startTheWorkers('1');
  await gql(
    `mutation($id: ID!, $input: UpdateConnectionInput!) { updateConnection(id: $id, input: $input) { id } }`,
    {
      id: createConnection.id,
      input: { apiHost: realAccount.host, apiKey: key },
    },
  );

  const counts = churnCounts(profiles, churn);
  const changedContacts = counts.updated + counts.inserted;
  log(`churn: ${counts.updated} updated, ${counts.inserted} inserted, ${counts.deleted} deleted`);
  await churnSource(source.sql, profiles, counts);

  const cycleStarted = performance.now();
  const [sourceSyncSeconds, sync] = await seconds(() => syncSource(gql, createSource.id));
  const [refreshSeconds] = await seconds(() =>
    gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, { id: createSegment.id }),
  );
  const [pushSeconds, run] = await seconds(() => runOnce(gql, createExport.id));
  const churnEndToEndSeconds = (performance.now() - cycleStarted) / 1000;
  const received = await real.control<unknown[]>(realAccount, 'lists/7/members');
  const { over429 } = await real.control<{ over429: number }>(realAccount, 'stats');
  const requests = await real.control<Array<{ path: string }>>(realAccount, 'requests');
  const imports = requests.filter((r) => r.path === '/api/3/import/bulk_import').length;
  const floor = churnFloorSeconds(changedContacts);
  log(
    `cycle: sync ${sourceSyncSeconds.toFixed(1)} s, refresh ${refreshSeconds.toFixed(1)} s, export ${pushSeconds.toFixed(1)} s; ${run.sentCount} sent`,
  );
  return {
    profiles,
    churn,
    workerRuntime: options.workerRuntime,
    churnEndToEndSeconds: round(churnEndToEndSeconds, 2),
    churnFloorSeconds: round(floor, 2),
    churnChangedContacts: changedContacts,
    churnUpdated: counts.updated,
    churnInserted: counts.inserted,
    churnDeleted: counts.deleted,
    sourceSyncSeconds: round(sourceSyncSeconds, 2),
    refreshSeconds: round(refreshSeconds, 2),
    pushSeconds: round(pushSeconds, 2),
    overheadSecondsPerMillionProfiles: round(((churnEndToEndSeconds - floor) / profiles) * 1_000_000, 1),
    cycleSync: {
      incremental: sync.incremental,
      keysRead: sync.keysRead,
      read: sync.read,
      added: sync.added,
      updated: sync.updated,
      removed: sync.removed,
    },
    cycleRun: {
      status: run.status,
      sent: run.sentCount,
      imports,
      exported: run.exportedCount,
      unchanged: run.unchangedCount,
      failed: run.failedCount,
    },
    contactsReceived: received.length,
    requests429: over429,
    workerPeakRssMb: Math.max(...workers.map((w) => w.peakRssMb())),
    initialSyncSeconds: round(initialSyncSeconds, 2),
    initialExportSeconds: round(initialExportSeconds, 2),
  };
}
