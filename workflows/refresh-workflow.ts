import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ChildWorkflowFailure,
  executeChild,
  log,
  ParentClosePolicy,
  proxyActivities,
  uuid4,
} from '@temporalio/workflow';
import type { RefreshActivities, ScheduledExport } from '../activities/refresh/activities.ts';
import { bookkeepingOptions, refreshOptions } from '../temporal.config.ts';
import { exportRunStartOptions } from './export-run-start.ts';
import type { exportRunWorkflow } from './export-run-workflow.ts';

export type RefreshWorkflowInput = { maxConcurrentExports: number; timeLimitMs: number };
export type RefreshWorkflowResult = {
  segments: number;
  failedSegments: number;
  started: number;
  skipped: number;
};

const { refreshAllSegments } = proxyActivities<RefreshActivities>(refreshOptions);
const { listScheduledExports, reserveScheduledRun, discardRun } =
  proxyActivities<RefreshActivities>(bookkeepingOptions);

/**
 * One scheduled refresh: refresh every segment, then run every enabled export (trigger SCHEDULED), at
 * most `maxConcurrentExports` at once, skipping exports that are already running.
 */
export async function refreshWorkflow(input: RefreshWorkflowInput): Promise<RefreshWorkflowResult> {
  const { segments, failed } = await refreshAllSegments();
  const queue: ScheduledExport[] = await listScheduledExports();
  const result = { segments, failedSegments: failed, started: 0, skipped: 0 };

  async function runNext(): Promise<void> {
    for (let target = queue.shift(); target; target = queue.shift()) {
      // The run id is chosen here (uuid4 is deterministic in workflows), so a retried reservation finds its run.
      const reserved = await reserveScheduledRun({ exportId: target.exportId, runId: uuid4() });
      if (!reserved) {
        result.skipped++;
        continue;
      }
      try {
        result.started++;
        await executeChild<typeof exportRunWorkflow>('exportRunWorkflow', {
          ...exportRunStartOptions({
            ...target,
            runId: reserved.runId,
            trigger: 'SCHEDULED',
            timeLimitMs: input.timeLimitMs,
          }),
          // A run outlives a refresh that is terminated: it records its own outcome.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          result.started--;
          result.skipped++;
          await discardRun({ runId: reserved.runId });
        } else if (!(error instanceof ChildWorkflowFailure)) {
          throw error;
        }
        // A failed, cancelled or timed-out run has recorded that itself; the refresh goes on.
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, input.maxConcurrentExports) }, runNext));
  log.info('Refresh finished', result);
  return result;
}
