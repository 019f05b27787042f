import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ChildWorkflowFailure,
  continueAsNew,
  executeChild,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { RefreshActivities } from '../activities/refresh.ts';
import type { ScheduledExport } from '../core/refresh/scheduled-exports.ts';
import { exportRunStartOptions, type ScheduledRefreshInput } from '../core/temporal/start-options.ts';
import {
  bookkeepingOptions,
  historyEventsBeforeContinueAsNew,
  refreshOptions,
  scheduledExportsPerPage,
} from '../temporal.config.ts';
import type { exportRunWorkflow } from './export-run-workflow.ts';
import { historyIsLong } from './history-budget.ts';
import { startEventAlerts } from './start-event-alerts.ts';
import { syncEnabledSources } from './sync-sources-step.ts';

export type RefreshWorkflowResult = {
  segments: number;
  failedSegments: number;
  started: number;
  skipped: number;
};
export type RefreshWorkflowInput = ScheduledRefreshInput & {
  /** Set when it continued as new: the segments are refreshed, the exports up to `after` handled. */
  progress?: { result: RefreshWorkflowResult; after: string | null };
  /** Tests lower these to continue as new within a few exports. */
  exportsPerPage?: number;
  historyEventsBeforeContinueAsNew?: number;
};

const { refreshAllSegments } = proxyActivities<RefreshActivities>(refreshOptions);
const { listScheduledExports, reserveScheduledRun, discardRun } =
  proxyActivities<RefreshActivities>(bookkeepingOptions);

/**
 * One scheduled refresh: sync every enabled source, refresh every segment, then run every enabled export (trigger SCHEDULED), at
 * most `maxConcurrentExports` at once, skipping exports that are already running. Exports are listed
 * a page at a time, in id order; when the history grows long, the runs in progress are waited for
 * and the refresh continues as new after the last export it took.
 */
export async function refreshWorkflow(input: RefreshWorkflowInput): Promise<RefreshWorkflowResult> {
  const result = input.progress?.result ?? (await refreshSegments());
  const pageSize = input.exportsPerPage ?? scheduledExportsPerPage;
  const eventBudget = input.historyEventsBeforeContinueAsNew ?? historyEventsBeforeContinueAsNew;
  let after = input.progress?.after ?? null;
  const queue: ScheduledExport[] = [];
  let listedAll = false;
  let listing: Promise<void> | undefined;

  /** The next export to run, or undefined when there is none or the history is long. */
  async function take(): Promise<ScheduledExport | undefined> {
    for (;;) {
      if (historyIsLong(eventBudget)) return;
      const target = queue.shift();
      if (target) {
        after = target.exportId;
        return target;
      }
      if (listedAll) return;
      // One listing at a time: the others wait for it instead of listing the same page.
      listing ??= listScheduledExports({ after, limit: pageSize }).then((page) => {
        queue.push(...page);
        listedAll = page.length < pageSize;
        listing = undefined;
      });
      await listing;
    }
  }

  async function runNext(): Promise<void> {
    for (let target = await take(); target; target = await take()) {
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
  if (queue.length || !listedAll) {
    log.info('Continuing as new to keep the history short', { ...result, after });
    return continueAsNew<typeof refreshWorkflow>({ ...input, progress: { result, after } });
  }
  log.info('Refresh finished', result);
  return result;
}

async function refreshSegments(): Promise<RefreshWorkflowResult> {
  // Sources first, so segments and exports see today's profiles (refreshes started before this ran without).
  if (patched('sync-sources-before-segments')) await syncEnabledSources();
  const { segments, failed } = await refreshAllSegmentsAlerting();
  return { segments, failedSegments: failed, started: 0, skipped: 0 };
}

/** The segments' refresh; a failure, or segments left as they were, alerts REFRESH_FAILED rules. */
async function refreshAllSegmentsAlerting(): Promise<{ segments: number; failed: number }> {
  if (!patched('refresh-alerts')) return refreshAllSegments();
  const refreshId = workflowInfo().firstExecutionRunId;
  let refreshed: { segments: number; failed: number };
  try {
    refreshed = await refreshAllSegments();
  } catch (error) {
    await startEventAlerts({
      event: 'REFRESH_FAILED',
      refreshId,
      segments: 0,
      failedSegments: 0,
      failed: true,
    });
    throw error;
  }
  if (refreshed.failed > 0) {
    await startEventAlerts({
      event: 'REFRESH_FAILED',
      refreshId,
      segments: refreshed.segments + refreshed.failed,
      failedSegments: refreshed.failed,
      failed: false,
    });
  }
  return refreshed;
}
