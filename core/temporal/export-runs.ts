import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Sql } from '../../db/client.ts';
import { exportWorkflowId } from '../../temporal.config.ts';
import type { ActiveRunCaps, CapReached } from '../runs/active-run-caps.ts';
import {
  abandonRunRecord,
  createRunRecordWithin,
  createScheduledRunRecord,
  deleteQueuedRunRecord,
  linkRunExecution,
  type RunOptions,
} from '../runs/lifecycle.ts';
import type { RunTrigger, ScheduledTrigger } from '../runs/run-status.ts';
import { startOnceClosed } from './start-once-closed.ts';
import { isWorkflowRunning } from './workflow-running.ts';

/**
 * An export run's reserve → start → undo: its record is reserved (core/runs/lifecycle.ts; an active run
 * whose workflow is gone is abandoned first, so it cannot block the export forever), its workflow
 * started, and the record deleted again when the start fails for good.
 */

export function isExportWorkflowRunning(temporal: Client, exportId: string): Promise<boolean> {
  return isWorkflowRunning(temporal, exportWorkflowId(exportId));
}

/**
 * Reserves the export's one active run, within the caps on runs at once when `within` is given (on-demand
 * runs). An active run whose workflow is no longer running (it was terminated from outside) is marked
 * FAILED first.
 */
export async function reserveRun(
  sql: Sql,
  temporal: Client,
  run: { exportId: string; trigger: RunTrigger; requestedBy: string | null } & RunOptions,
  within?: { caps: ActiveRunCaps; connectionId: string },
): Promise<{ runId: string } | { activeRunId: string } | { capReached: CapReached }> {
  const first = await createRunRecordWithin(sql, run, within);
  if (!('activeRunId' in first)) return first;
  if (await isExportWorkflowRunning(temporal, run.exportId)) return first;
  await abandonRunRecord(sql, first.activeRunId);
  return createRunRecordWithin(sql, run, within);
}

/**
 * Reserves a QUEUED scheduled run with the id the caller chose, or returns null when the export is
 * already running (skipped, not doubled) or was disabled or deleted since it was listed. Safe to retry.
 */
export async function reserveScheduledRun(
  sql: Sql,
  temporal: Client,
  run: { exportId: string; runId: string; trigger?: ScheduledTrigger },
): Promise<{ runId: string } | null> {
  const first = await createScheduledRunRecord(sql, run);
  if (!first || !('activeRunId' in first)) return first;
  if (await isExportWorkflowRunning(temporal, run.exportId)) return null;
  await abandonRunRecord(sql, first.activeRunId);
  const second = await createScheduledRunRecord(sql, run);
  return second && 'runId' in second ? second : null;
}

/**
 * Starts the workflow of a reserved run (startOnceClosed: the previous run's workflow may still be
 * closing). When the start fails for good the QUEUED run is deleted, so a rejection leaves nothing
 * behind, and 'still-closing' or the error returned.
 */
export async function startReservedRun(
  sql: Sql,
  temporal: Client,
  run: { runId: string; exportId: string },
  start: () => Promise<{ firstExecutionRunId: string }>,
): Promise<'started' | 'still-closing'> {
  try {
    const outcome = await startOnceClosed(temporal, exportWorkflowId(run.exportId), start);
    if (outcome === 'still-closing') {
      await deleteQueuedRunRecord(sql, run.runId);
      return outcome;
    }
    await linkRunExecution(sql, run.runId, outcome.started.firstExecutionRunId);
    return 'started';
  } catch (error) {
    await deleteQueuedRunRecord(sql, run.runId);
    throw error;
  }
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
