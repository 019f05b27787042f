import type { Sql } from '../../db/client.ts';

export type RunTrigger = 'ON_DEMAND' | 'SCHEDULED';

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
    update export_runs set status = 'FAILED', finished_at = now(),
      error = 'The run''s workflow ended without recording an outcome (terminated or lost).'
    where id = ${runId}
      and (status = 'RUNNING' or (status = 'QUEUED' and created_at < now() - interval '1 minute'))`;
}

/** Undoes createRunRecord when the workflow could not be started, so a rejection leaves nothing behind. */
export async function deleteQueuedRunRecord(sql: Sql, runId: string): Promise<void> {
  await sql`delete from export_runs where id = ${runId} and status = 'QUEUED'`;
}
