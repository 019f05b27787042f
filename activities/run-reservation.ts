import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Sql } from '../db/client.ts';
import { abandonRunRecord, createRunRecord, type RunOptions, type RunTrigger } from '../core/runs/lifecycle.ts';
import { exportWorkflowId } from '../temporal.config.ts';

export async function isExportWorkflowRunning(temporal: Client, exportId: string): Promise<boolean> {
  try {
    const description = await temporal.workflow.getHandle(exportWorkflowId(exportId)).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Reserves the export's one active run. An active run whose workflow is no longer running (it was
 * terminated from outside) is marked FAILED first, so it cannot block the export forever.
 */
export async function reserveRun(
  sql: Sql,
  temporal: Client,
  run: { exportId: string; trigger: RunTrigger; requestedBy: string | null } & RunOptions,
): Promise<{ runId: string } | { activeRunId: string }> {
  const record = { ...run, workflowId: exportWorkflowId(run.exportId) };
  const first = await createRunRecord(sql, record);
  if ('runId' in first) return first;
  if (await isExportWorkflowRunning(temporal, run.exportId)) return first;
  await abandonRunRecord(sql, first.activeRunId);
  return createRunRecord(sql, record);
}
