import type { Sql } from '../../db/client.ts';
import { exportWorkflowId } from '../../temporal.config.ts';
import { type ActiveRunCaps, type CapReached, checkActiveRunCaps } from './active-run-caps.ts';
import type { RunOutcomeStatus, RunTrigger, ScheduledTrigger } from './run-status.ts';

/**
 * One active run per export, in one place: a run's record is created, marked RUNNING, and finished,
 * abandoned or deleted here; no other module writes a run's status. Reserving a run and starting its
 * workflow (which asks Temporal whether an active run's workflow still runs) is core/temporal/export-runs.ts.
 */

/** How an on-demand run may differ from a scheduled one. */
export type RunOptions = { fullResync?: boolean; confirmMassUnsubscribe?: boolean };

/** Creates a QUEUED run unless the export has an active one (a partial unique index guarantees one at most). */
export async function createRunRecord(
  sql: Sql,
  run: { exportId: string; trigger: RunTrigger; requestedBy: string | null; workflowId: string } & RunOptions,
): Promise<{ runId: string } | { activeRunId: string }> {
  const [created] = await sql<[{ id: string }?]>`
    insert into export_runs (export_id, trigger, requested_by, workflow_id, full_resync, confirm_mass_unsubscribe)
    values (${run.exportId}, ${run.trigger}, ${run.requestedBy}, ${run.workflowId}, ${run.fullResync ?? false},
      ${run.confirmMassUnsubscribe ?? false})
    on conflict (export_id) where status in ('QUEUED', 'RUNNING') do nothing
    returning id`;
  if (created) return { runId: created.id };
  const [active] = await sql<[{ id: string }?]>`
    select id from export_runs where export_id = ${run.exportId} and status in ('QUEUED', 'RUNNING')`;
  return active ? { activeRunId: active.id } : createRunRecord(sql, run);
}

/**
 * A run whose workflow is gone without recording an outcome (terminated from the Temporal UI, say).
 * A QUEUED run younger than a minute may be one whose workflow is being started right now: left alone.
 */
export async function abandonRunRecord(sql: Sql, runId: string): Promise<void> {
  await sql`
    update export_runs r set status = 'FAILED', finished_at = now(),
      error = 'The run''s workflow ended without recording an outcome (terminated or lost).',
      unconfirmed_count = (select coalesce(sum(b.contact_count), 0)::int from run_batches b
        where b.run_id = r.id and b.completed_at is null)
    where id = ${runId}
      and (status = 'RUNNING' or (status = 'QUEUED' and created_at < now() - interval '1 minute'))`;
}

/** Undoes createRunRecord when the workflow could not be started, so a rejection leaves nothing behind. */
export async function deleteQueuedRunRecord(sql: Sql, runId: string): Promise<void> {
  await sql`delete from export_runs where id = ${runId} and status = 'QUEUED'`;
}

type RunRecord = Parameters<typeof createRunRecord>[1];

/** createRunRecord within the caps: the export's own active run first (a CONFLICT), then the caps. */
async function createCappedRunRecord(
  sql: Sql,
  record: RunRecord,
  within: { caps: ActiveRunCaps; connectionId: string },
): Promise<{ runId: string } | { activeRunId: string } | { capReached: CapReached }> {
  return sql.begin(async (tx) => {
    const capReached = await checkActiveRunCaps(tx as unknown as Sql, within.caps, {
      connectionId: within.connectionId,
      userId: record.requestedBy,
    });
    if (capReached) {
      const [active] = await tx<[{ id: string }?]>`
        select id from export_runs where export_id = ${record.exportId} and status in ('QUEUED', 'RUNNING')`;
      return active ? { activeRunId: active.id } : { capReached };
    }
    return createRunRecord(tx as unknown as Sql, record);
  });
}

/** createRunRecord, within the caps on runs at once when `within` is given (on-demand runs). */
export function createRunRecordWithin(
  sql: Sql,
  run: { exportId: string; trigger: RunTrigger; requestedBy: string | null } & RunOptions,
  within?: { caps: ActiveRunCaps; connectionId: string },
): Promise<{ runId: string } | { activeRunId: string } | { capReached: CapReached }> {
  const record = { ...run, workflowId: exportWorkflowId(run.exportId) };
  return within ? createCappedRunRecord(sql, record, within) : createRunRecord(sql, record);
}

/** Inserts the QUEUED scheduled run with the given id if the export is still enabled and has no active run. */
async function insertScheduledRun(
  sql: Sql,
  exportId: string,
  runId: string,
  trigger: RunTrigger,
): Promise<boolean> {
  const inserted = await sql`
    insert into export_runs (id, export_id, trigger, workflow_id)
    select ${runId}::uuid, e.id, ${trigger}, ${exportWorkflowId(exportId)}
    from exports e join connections c on c.id = e.connection_id
    where e.id = ${exportId} and e.enabled and e.deleted_at is null and c.deleted_at is null
    on conflict (export_id) where status in ('QUEUED', 'RUNNING') do nothing
    returning id`;
  return inserted.length > 0;
}

/**
 * Creates a QUEUED scheduled run with the id the caller chose, or returns the export's active run, or
 * null when the export was disabled or deleted since it was listed (or this run already ran). Safe to
 * retry: an attempt whose completion was lost left its run behind, and the retry finds and returns it.
 */
export async function createScheduledRunRecord(
  sql: Sql,
  { exportId, runId, trigger = 'SCHEDULED' }: { exportId: string; runId: string; trigger?: ScheduledTrigger },
): Promise<{ runId: string } | { activeRunId: string } | null> {
  const [own] = await sql<[{ status: string }?]>`select status from export_runs where id = ${runId}`;
  if (own) return own.status === 'QUEUED' ? { runId } : null;
  if (await insertScheduledRun(sql, exportId, runId, trigger)) return { runId };
  const [active] = await sql<[{ id: string }?]>`
    select id from export_runs where export_id = ${exportId} and status in ('QUEUED', 'RUNNING')`;
  if (active) return { activeRunId: active.id };
  return (await insertScheduledRun(sql, exportId, runId, trigger)) ? { runId } : null;
}

/** Links the run to its workflow execution in the Temporal UI at once, not only once prepareRun marks it running. */
export async function linkRunExecution(sql: Sql, runId: string, temporalRunId: string): Promise<void> {
  await sql`
    update export_runs set temporal_run_id = coalesce(temporal_run_id, ${temporalRunId}) where id = ${runId}`;
}

export async function markRunning(
  sql: Sql,
  runId: string,
  totalProfiles: number,
  temporalRunId: string,
): Promise<void> {
  await sql`
    update export_runs set status = 'RUNNING', phase = 'PUSHING', total_profiles = ${totalProfiles}, temporal_run_id = ${temporalRunId},
      started_at = coalesce(started_at, now())
    where id = ${runId} and status in ('QUEUED', 'RUNNING')`;
}

/**
 * Records a run's outcome. Imports ActiveCampaign accepted but the run never saw finish (it was
 * cancelled, timed out or failed meanwhile) are counted as unconfirmed: sent, outcome unknown. Most
 * of them land on the list all the same; the next run sends them again (releaseUncheckedImports).
 * Answers the run's counts and whether its export has a results target to write them to.
 */
export async function finishRunRecord(
  sql: Sql,
  runId: string,
  status: RunOutcomeStatus,
  error: string | null,
) {
  const [row] = await sql<
    [
      {
        exportedCount: number;
        rejectedCount: number;
        failedCount: number;
        unconfirmedCount: number;
        totalProfiles: number | null;
        trigger: RunTrigger;
        hasResultsTarget: boolean;
      },
    ]
  >`
    update export_runs r set status = ${status}, error = ${error}, finished_at = coalesce(finished_at, now()),
      started_at = coalesce(started_at, now()),
      unconfirmed_count = (select coalesce(sum(b.contact_count), 0)::int from run_batches b
        where b.run_id = r.id and b.completed_at is null)
    where id = ${runId}
    returning exported_count as "exportedCount", rejected_count as "rejectedCount", failed_count as "failedCount",
      unconfirmed_count as "unconfirmedCount", total_profiles as "totalProfiles", trigger,
      exists (select 1 from exports e where e.id = r.export_id and e.results_target_id is not null) as "hasResultsTarget"`;
  return row;
}
