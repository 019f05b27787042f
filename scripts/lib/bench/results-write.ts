import type postgres from 'postgres';
import { createSecretBox, generateSecretKey } from '../../../core/secrets.ts';
import { createUserWithToken } from '../../../core/users.ts';
import { createDb } from '../../../db/client.ts';
import { runMigrations } from '../../../db/migrate.ts';
import { lastJsonLineOf } from '../last-json-line.ts';
import { round, seconds } from './figures.ts';
import { freshDatabase } from './fresh-database.ts';

/** The worker's memory target (docs/benchmark.md): the results write runs in the worker. */
const workerMemoryTargetMb = 300;
const schema = 'outbound_results';

/**
 * How a finished run of `profiles` contacts splits: 2% left the segment and were unsubscribed, 0.5%
 * rejected before sending (INVALID_EMAIL), the rest pushed; of those, each hundredth refused for good
 * (UNSUBSCRIBED: SKIPPED) and the next one failed (NOT_CREATED: FAILED).
 */
export function runShape(profiles: number) {
  const leavers = Math.floor(profiles / 50);
  const rejectedBeforeSending = Math.floor(profiles / 200);
  const pushed = profiles - leavers - rejectedBeforeSending;
  const refused = Math.floor(pushed / 100);
  const failed = pushed >= 1 ? Math.floor((pushed - 1) / 100) + 1 : 0;
  return {
    pushed,
    leavers,
    rejectedBeforeSending,
    refused,
    failed,
    outcomes: {
      SENT: pushed - refused - failed,
      SKIPPED: refused + rejectedBeforeSending,
      FAILED: failed,
      UNSUBSCRIBED: leavers,
    },
    listMembers: pushed - refused - failed,
  };
}

/** The rows a finished run leaves in Outbound's database, inserted with generate_series. */
async function seedEndedRun(sql: postgres.Sql, profiles: number, targetId: string): Promise<string> {
  const shape = runShape(profiles);
  const { user } = await createUserWithToken(sql, 'bench@outbound.local', 'ADMIN');
  const [connection] = await sql`
    insert into connections (display_name, api_host, api_key_tail, privacy_accepted_by, privacy_accepted_at, export_user_id)
    values ('bench', 'bench.api-us1.com', 'abcd', ${user.id}, now(), ${user.id}) returning id`;
  const [exportRow] = await sql`
    insert into exports (name, connection_id, list_id, segment_ids, mapping, on_leave, results_target_id, created_by)
    values ('bench results', ${connection?.id}, '1', '{}', ${JSON.stringify({ email: 'email', fields: [] })}::jsonb,
      'UNSUBSCRIBE', ${targetId}, ${user.id}) returning id`;
  const [run] = await sql`
    insert into export_runs (export_id, trigger, status, workflow_id, started_at, finished_at, total_profiles,
      exported_count, skipped_count, failed_count, unsubscribed_count, rejected_count)
    values (${exportRow?.id}, 'ON_DEMAND', 'SUCCEEDED', 'bench-results-run', now() - interval '1 hour', now(),
      ${profiles}, ${shape.outcomes.SENT}, ${shape.refused}, ${shape.failed}, ${shape.leavers},
      ${shape.rejectedBeforeSending}) returning id`;
  const exportId = exportRow?.id as string;
  const runId = run?.id as string;
  const pushedEnd = shape.pushed;
  const leaversEnd = shape.pushed + shape.leavers;
  await sql`
    insert into export_contacts (export_id, customer_id, email, content_hash, contact_id, state, pushed_run_id,
      skip_reason, left_run_id)
    select ${exportId}::uuid, 'c' || g, 'c' || g || '@example.com', md5(g::text), g::text,
      case when g > ${pushedEnd}::int then 'unsubscribed' else 'member' end,
      case when g <= ${pushedEnd}::int then ${runId}::uuid end,
      case when g <= ${pushedEnd}::int and g % 100 = 0 then 'UNSUBSCRIBED' end,
      case when g > ${pushedEnd}::int then ${runId}::uuid end
    from generate_series(1, ${leaversEnd}::int) g`;
  await sql`
    insert into run_rejects (run_id, customer_id, reason)
    select ${runId}::uuid, 'c' || g, case when g % 100 = 0 then 'UNSUBSCRIBED' else 'NOT_CREATED' end
    from generate_series(1, ${pushedEnd}::int) g where g % 100 in (0, 1)
    union all
    select ${runId}::uuid, 'c' || g, 'INVALID_EMAIL' from generate_series(${leaversEnd + 1}::int, ${profiles}::int) g`;
  await sql`analyze export_contacts`;
  await sql`analyze run_rejects`;
  return runId;
}

type ChildFigures = {
  written: boolean;
  seconds: number;
  rows: number;
  startRssMb: number;
  peakRssMb: number;
};

/** writeRunResults in a child process with the worker's heap limit (results-write-child.ts). */
function writeInChild(env: NodeJS.ProcessEnv): Promise<ChildFigures> {
  return lastJsonLineOf(
    'results write',
    ['--max-old-space-size=192', '--import', 'tsx', 'scripts/lib/bench/results-write-child.ts'],
    env,
  );
}

/** Rows of the run in the target's three tables, its outcomes, and memberships closed. */
async function targetRows(target: postgres.Sql, runId: string) {
  const [counts] = await target.unsafe<[Record<string, number>]>(
    `select (select count(*)::int from ${schema}.outbound_runs where run_id = $1) as outbound_runs,
       (select count(*)::int from ${schema}.outbound_run_contacts where run_id = $1) as outbound_run_contacts,
       (select count(*)::int from ${schema}.outbound_list_members where member_until is null) as outbound_list_members,
       (select count(*)::int from ${schema}.outbound_list_members where member_until is not null) as closed_members`,
    [runId],
  );
  const outcomes = await target.unsafe<{ outcome: string; count: number }[]>(
    `select outcome, count(*)::int as count from ${schema}.outbound_run_contacts where run_id = $1 group by outcome`,
    [runId],
  );
  const { closed_members: closedMembers, ...rows } = counts ?? {};
  return {
    rows,
    closedMembers,
    outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, o.count])),
  };
}

/**
 * `npm run bench -- --results-write --profiles N`: the rows a finished run of N contacts leaves, a
 * results target in a second database, then the real write twice (the second must add nothing), each in
 * a process of its own with the worker's heap limit; its time and peak RSS, and the rows, checked exact.
 */
export async function runResultsWriteBench(
  options: { profiles: number },
  databaseUrl: string,
  log: (message: string) => void,
) {
  const { profiles } = options;
  const targetUrl = new URL(databaseUrl);
  targetUrl.pathname = `${targetUrl.pathname}_target`;
  await freshDatabase(databaseUrl);
  await freshDatabase(targetUrl.toString());
  await runMigrations(databaseUrl);
  const database = createDb(databaseUrl, { max: 2, applicationName: 'outbound-bench' });
  const target = createDb(targetUrl.toString(), { max: 1, applicationName: 'outbound-bench' });
  try {
    const secretKey = generateSecretKey();
    const secrets = await createSecretBox(secretKey);
    const [row] = await database.sql`
      insert into results_targets (name, schema, database_url_ciphertext, database_url_masked)
      values ('bench target', ${schema}, ${await secrets.encrypt(targetUrl.toString())}, 'bench') returning id`;
    log(`seeding a finished run of ${profiles} contacts (generate_series)`);
    const [seedSeconds, runId] = await seconds(() => seedEndedRun(database.sql, profiles, row?.id as string));
    log(`seeded in ${seedSeconds.toFixed(1)} s; writing its results`);
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      OUTBOUND_SECRET_KEY: secretKey,
      OUTBOUND_INSECURE_HOSTS: `${targetUrl.hostname}:${targetUrl.port || '5432'}`,
      BENCH_RUN_ID: runId,
    };
    const first = await writeInChild(env);
    const afterFirst = await targetRows(target.sql, runId);
    log(`written in ${first.seconds.toFixed(1)} s, peak RSS ${first.peakRssMb} MB; writing again`);
    const second = await writeInChild(env);
    const afterSecond = await targetRows(target.sql, runId);
    const expected = runShape(profiles);
    const rowsExpected = {
      outbound_runs: 1,
      outbound_run_contacts: profiles,
      outbound_list_members: expected.listMembers,
    };
    const same = (a: Record<string, number>, b: Record<string, number>) =>
      JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    const exact =
      first.written &&
      same(afterFirst.rows, rowsExpected) &&
      same(afterFirst.outcomes, expected.outcomes) &&
      afterFirst.closedMembers === 0;
    const idempotent =
      second.written && same(afterSecond.rows, afterFirst.rows) && afterSecond.closedMembers === 0;
    return {
      profiles,
      resultsWriteSeconds: round(first.seconds, 2),
      resultsWritePeakRssMb: first.peakRssMb,
      resultsWriteStartRssMb: first.startRssMb,
      resultsWriteRssGrowthMb: first.peakRssMb - first.startRssMb,
      resultsRewriteSeconds: round(second.seconds, 2),
      resultsRewritePeakRssMb: second.peakRssMb,
      workerMemoryTargetMb,
      rowsWritten: afterFirst.rows,
      rowsExpected,
      outcomes: afterFirst.outcomes,
      rowsAddedByRewrite: Object.fromEntries(
        Object.entries(afterSecond.rows).map(([table, n]) => [table, n - (afterFirst.rows[table] ?? 0)]),
      ),
      exact,
      idempotent,
      seedSeconds: round(seedSeconds, 1),
    };
  } finally {
    await database.close();
    await target.close();
  }
}
