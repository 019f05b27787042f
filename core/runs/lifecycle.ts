import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Sql } from '../../db/client.ts';
import { exportWorkflowId } from '../../temporal.config.ts';
import { type ActiveRunCaps, type CapReached, checkActiveRunCaps } from './active-run-caps.ts';

/**
 * One active run per export, in one place: a run is created (or reserved, when the workflow of an active
 * run is gone), its workflow started, marked RUNNING, and finished or abandoned here. The API, the
 * refresh activities and the export-run activities call these; no other module writes a run's status.
 */

export type RunTrigger = 'ON_DEMAND' | 'SCHEDULED' | 'SOURCE_CHANGED';

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

export async function isExportWorkflowRunning(temporal: Client, exportId: string): Promise<boolean> {
  try {
    const description = await temporal.workflow.getHandle(exportWorkflowId(exportId)).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
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

/**
 * Reserves the export's one active run, within the caps on runs at once when `within` is given (on-demand
 * runs). An active run whose workflow is no longer running (it was terminated from outside) is marked
 * FAILED first, so it cannot block the export forever.
 */
export async function reserveRun(
  sql: Sql,
  temporal: Client,
  run: { exportId: string; trigger: RunTrigger; requestedBy: string | null } & RunOptions,
  within?: { caps: ActiveRunCaps; connectionId: string },
): Promise<{ runId: string } | { activeRunId: string } | { capReached: CapReached }> {
  const record = { ...run, workflowId: exportWorkflowId(run.exportId) };
  const create = () => (within ? createCappedRunRecord(sql, record, within) : createRunRecord(sql, record));
  const first = await create();
  if (!('activeRunId' in first)) return first;
  if (await isExportWorkflowRunning(temporal, run.exportId)) return first;
  await abandonRunRecord(sql, first.activeRunId);
  return create();
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
 * Reserves a QUEUED scheduled run with the id the caller chose, or returns null when the export is
 * already running (skipped, not doubled) or was disabled or deleted since it was listed. Safe to retry:
 * an attempt whose completion was lost left its run behind, and the retry finds and returns it.
 */
export async function reserveScheduledRun(
  sql: Sql,
  temporal: Client,
  {
    exportId,
    runId,
    trigger = 'SCHEDULED',
  }: { exportId: string; runId: string; trigger?: 'SCHEDULED' | 'SOURCE_CHANGED' },
): Promise<{ runId: string } | null> {
  const [own] = await sql<[{ status: string }?]>`select status from export_runs where id = ${runId}`;
  if (own) return own.status === 'QUEUED' ? { runId } : null;
  if (await insertScheduledRun(sql, exportId, runId, trigger)) return { runId };
  const [active] = await sql<[{ id: string }?]>`
    select id from export_runs where export_id = ${exportId} and status in ('QUEUED', 'RUNNING')`;
  if (!active) return (await insertScheduledRun(sql, exportId, runId, trigger)) ? { runId } : null;
  if (await isExportWorkflowRunning(temporal, exportId)) return null;
  // An active run whose workflow is gone (terminated from outside) must not block the export forever.
  await abandonRunRecord(sql, active.id);
  return (await insertScheduledRun(sql, exportId, runId, trigger)) ? { runId } : null;
}

/** Requests cancellation of the export's running workflow, which records CANCELLED itself; false if none runs. */
export async function cancelRunWorkflow(temporal: Client, exportId: string): Promise<boolean> {
  if (!(await isExportWorkflowRunning(temporal, exportId))) return false;
  try {
    await temporal.workflow.getHandle(exportWorkflowId(exportId)).cancel();
    return true;
  } catch (error) {
    // It ended between the two calls.
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

const startAttempts = 12;

/**
 * Starts the workflow of a reserved run. The previous run records its outcome a moment before its
 * workflow closes, so an "already started" is retried for that moment; when the start fails for good the
 * QUEUED run is deleted, so a rejection leaves nothing behind, and 'already-running' or the error returned.
 */
export async function startReservedRun(
  sql: Sql,
  runId: string,
  start: () => Promise<{ firstExecutionRunId: string }>,
): Promise<'started' | 'already-running'> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { firstExecutionRunId } = await start();
      // The run links its execution in the Temporal UI at once, not only once prepareRun marks it running.
      await sql`
        update export_runs set temporal_run_id = coalesce(temporal_run_id, ${firstExecutionRunId})
        where id = ${runId}`;
      return 'started';
    } catch (error) {
      const closing = error instanceof WorkflowExecutionAlreadyStartedError;
      if (closing && attempt < startAttempts) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      await deleteQueuedRunRecord(sql, runId);
      if (closing) return 'already-running';
      throw error;
    }
  }
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

export type RunOutcomeStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

/**
 * Records a run's outcome. Imports ActiveCampaign accepted but the run never saw finish (it was
 * cancelled, timed out or failed meanwhile) are counted as unconfirmed: sent, outcome unknown. Most
 * of them land on the list all the same; the next run sends them again (releaseUncheckedImports).
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
      },
    ]
  >`
    update export_runs r set status = ${status}, error = ${error}, finished_at = coalesce(finished_at, now()),
      started_at = coalesce(started_at, now()),
      unconfirmed_count = (select coalesce(sum(b.contact_count), 0)::int from run_batches b
        where b.run_id = r.id and b.completed_at is null)
    where id = ${runId}
    returning exported_count as "exportedCount", rejected_count as "rejectedCount", failed_count as "failedCount",
      unconfirmed_count as "unconfirmedCount", total_profiles as "totalProfiles", trigger`;
  return row;
}
