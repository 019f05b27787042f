import type postgres from 'postgres';
import type { Sql } from '../../db/client.ts';
import { permanentRefusalReasons } from '../activecampaign/refusal.ts';
import type { OutboundHostPolicy } from '../network/outbound-hosts.ts';
import type { SecretBox } from '../secrets.ts';
import { openTargetDatabase } from './target-database.ts';
import { migrateTargetSchema } from './target-schema.ts';

export type ResultsWriteDeps = {
  sql: Sql;
  secrets: SecretBox;
  hostPolicy: OutboundHostPolicy;
  /** Rows read and written per statement (tests lower it). */
  batchRows?: number;
  /** Called after each batch, for the activity's heartbeat. */
  onProgress?: (rows: number) => void;
};

type EndedRun = {
  runId: string;
  exportId: string;
  exportName: string;
  listId: string;
  onLeave: string;
  trigger: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date;
  exportedCount: number;
  skippedCount: number;
  failedCount: number;
  unsubscribedCount: number;
  targetId: string;
  schema: string;
  sealedUrl: string;
};

async function loadEndedRun(sql: Sql, runId: string): Promise<EndedRun | undefined> {
  const [run] = await sql<[EndedRun?]>`
    select r.id as "runId", e.id as "exportId", e.name as "exportName", e.list_id as "listId",
      e.on_leave as "onLeave", r.trigger, r.status, r.started_at as "startedAt",
      coalesce(r.finished_at, now()) as "finishedAt", r.exported_count as "exportedCount",
      r.skipped_count as "skippedCount", r.failed_count as "failedCount",
      r.unsubscribed_count as "unsubscribedCount", t.id as "targetId", t.schema,
      t.database_url_ciphertext as "sealedUrl"
    from export_runs r join exports e on e.id = r.export_id join results_targets t on t.id = e.results_target_id
    where r.id = ${runId} and r.status not in ('QUEUED', 'RUNNING')`;
  return run;
}

/**
 * Each contact the run handled, with its outcome: sent (or failed, or refused: SKIPPED) in an import of
 * this run, rejected before sending (SKIPPED), or taken out of the segments by it (UNSUBSCRIBED,
 * TAGS_REMOVED, KEPT). Unchanged contacts are not rows. Customer ids and reason codes only.
 */
function runContacts(sql: Sql, run: EndedRun) {
  const { runId, exportId } = run;
  const permanent = [...permanentRefusalReasons];
  return sql<{ customerId: string; outcome: string; reason: string | null }[]>`
    select ec.customer_id as "customerId",
      case when rr.customer_id is null then 'SENT' when rr.reason = any(${permanent}::text[]) then 'SKIPPED'
        else 'FAILED' end as outcome, rr.reason
    from export_contacts ec left join run_rejects rr on rr.run_id = ${runId} and rr.customer_id = ec.customer_id
    where ec.export_id = ${exportId} and ec.pushed_run_id = ${runId}
    union all
    select rr.customer_id, 'SKIPPED', rr.reason from run_rejects rr
    where rr.run_id = ${runId} and not exists (select 1 from export_contacts ec
      where ec.export_id = ${exportId} and ec.customer_id = rr.customer_id and ec.pushed_run_id = ${runId})
    union all
    select ec.customer_id,
      case when ec.state = 'unsubscribed' then 'UNSUBSCRIBED' when ${run.onLeave} = 'REMOVE_TAGS' then 'TAGS_REMOVED'
        else 'KEPT' end, null
    from export_contacts ec where ec.export_id = ${exportId} and ec.left_run_id = ${runId} and ec.state <> 'member'`;
}

/**
 * Who is on the list through the export once the run has ended: contacts it put there and has not
 * unsubscribed, less those ActiveCampaign refused for good or whose import in this run failed.
 */
const onList = (sql: Sql, run: EndedRun) => sql`
  ec.export_id = ${run.exportId} and ec.state <> 'unsubscribed' and ec.skip_reason is null
  and not (ec.pushed_run_id = ${run.runId} and exists (
    select 1 from run_rejects rr where rr.run_id = ${run.runId} and rr.customer_id = ec.customer_id))`;

/** Closes the open memberships of the export that the list no longer has (or that are of another list). */
async function closeLeavers(deps: ResultsWriteDeps, target: postgres.Sql, run: EndedRun, table: string) {
  const limit = deps.batchRows ?? 5_000;
  let after = { list_id: '', customer_id: '' };
  for (;;) {
    // Keyset in the open-membership index's order, so each page reads only its own rows.
    const open = await target.unsafe<{ customer_id: string; list_id: string }[]>(
      `select customer_id, list_id from ${table}
       where export_id = $1 and member_until is null and (list_id, customer_id) > ($2, $3)
       order by list_id, customer_id limit ${limit}`,
      [run.exportId, after.list_id, after.customer_id],
    );
    if (!open.length) return;
    after = open.at(-1) ?? after;
    const ids = open.filter((o) => o.list_id === run.listId).map((o) => o.customer_id);
    const kept = await deps.sql<{ customerId: string }[]>`
      select ec.customer_id as "customerId" from export_contacts ec
      where ec.customer_id = any(${ids}::text[]) and ${onList(deps.sql, run)}`;
    const stay = new Set(kept.map((k) => k.customerId));
    const gone = open.filter((o) => o.list_id !== run.listId || !stay.has(o.customer_id));
    if (gone.length) {
      await target.unsafe(
        `update ${table} m set member_until = $1
         from jsonb_to_recordset($2::text::jsonb) as g(customer_id text, list_id text)
         where m.export_id = $3 and m.customer_id = g.customer_id and m.list_id = g.list_id and m.member_until is null`,
        [run.finishedAt, JSON.stringify(gone), run.exportId],
      );
    }
    deps.onProgress?.(open.length);
    if (open.length < limit) return;
  }
}

/**
 * Writes a run's results into its export's results target: its contacts' outcomes, the list mirror, and
 * last its row in outbound_runs. Idempotent: every write is keyed (run and customer; one open membership
 * per customer), so a retried or repeated call adds nothing. Streams in batches: memory stays flat
 * however many contacts the run had. Returns false when the export has no results target.
 */
export async function writeRunResults(deps: ResultsWriteDeps, runId: string): Promise<{ written: boolean }> {
  const run = await loadEndedRun(deps.sql, runId);
  if (!run) return { written: false };
  const batchRows = deps.batchRows ?? 5_000;
  const url = await deps.secrets.decrypt(run.sealedUrl);
  const target = await openTargetDatabase(url, deps.hostPolicy);
  const s = `"${run.schema}"`;
  try {
    await migrateTargetSchema(target, run.schema);
    // Rows travel as one JSON parameter: the connection does not look up array types (fetch_types: false).
    for await (const rows of runContacts(deps.sql, run).cursor(batchRows)) {
      await target.unsafe(
        `insert into ${s}.outbound_run_contacts (run_id, customer_id, outcome, reason)
         select $1::uuid, r.customer_id, r.outcome, r.reason
         from jsonb_to_recordset($2::text::jsonb) as r(customer_id text, outcome text, reason text)
         on conflict do nothing`,
        [
          runId,
          JSON.stringify(
            rows.map((r) => ({ customer_id: r.customerId, outcome: r.outcome, reason: r.reason })),
          ),
        ],
      );
      deps.onProgress?.(rows.length);
    }
    await closeLeavers(deps, target, run, `${s}.outbound_list_members`);
    const members = deps.sql<{ customerId: string }[]>`
      select ec.customer_id as "customerId" from export_contacts ec where ${onList(deps.sql, run)}`;
    for await (const rows of members.cursor(batchRows)) {
      await target.unsafe(
        `insert into ${s}.outbound_list_members (export_id, list_id, customer_id, member_since)
         select $1::uuid, $2::text, c, $3::timestamptz from jsonb_array_elements_text($4::text::jsonb) as c
         on conflict (export_id, list_id, customer_id) where member_until is null do nothing`,
        [run.exportId, run.listId, run.finishedAt, JSON.stringify(rows.map((r) => r.customerId))],
      );
      deps.onProgress?.(rows.length);
    }
    await target.unsafe(
      `insert into ${s}.outbound_runs (run_id, export_id, export_name, list_id, trigger, status, started_at,
         finished_at, exported_count, skipped_count, failed_count, unsubscribed_count)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict (run_id) do nothing`,
      [
        runId,
        run.exportId,
        run.exportName,
        run.listId,
        run.trigger,
        run.status,
        run.startedAt,
        run.finishedAt,
        run.exportedCount,
        run.skippedCount,
        run.failedCount,
        run.unsubscribedCount,
      ],
    );
  } finally {
    await target.end({ timeout: 5 });
  }
  await deps.sql`update export_runs set results_write_error = null where id = ${runId}`;
  await deps.sql`update results_targets set last_written_at = now() where id = ${run.targetId}`;
  return { written: true };
}

/** Records why the run's results could not be written (ExportRun.resultsWriteError). */
export async function recordResultsWriteError(sql: Sql, runId: string, error: string): Promise<void> {
  await sql`update export_runs set results_write_error = ${error} where id = ${runId}`;
}
