import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  ChildWorkflowFailure,
  continueAsNew,
  executeChild,
  log,
  ParentClosePolicy,
  proxyActivities,
  sleep,
  uuid4,
} from '@temporalio/workflow';
import type { RefreshActivities } from '../activities/refresh.ts';
import type { SourceChangeActivities } from '../activities/source-change.ts';
import type { ScheduledExport } from '../core/refresh/scheduled-exports.ts';
import {
  exportRunStartOptions,
  type SourceChangeStartInput,
  sourceSyncStartOptions,
} from '../core/temporal/start-options.ts';
import {
  bookkeepingOptions,
  changeCheckOptions,
  defaultRunTimeLimitMs,
  historyEventsBeforeContinueAsNew,
  refreshOptions,
} from '../temporal.config.ts';
import type { exportRunWorkflow } from './export-run-workflow.ts';
import { historyIsLong } from './history-budget.ts';
import type { sourceSyncWorkflow } from './source-sync-workflow.ts';

export type SourceChangeWorkflowInput = SourceChangeStartInput & {
  /** A change seen but not acted on yet (its sync could not start): carried across continue-as-new. */
  pending?: boolean;
  historyEventsBeforeContinueAsNew?: number;
};

const { checkSourceChange, listSourceExports } = proxyActivities<SourceChangeActivities>(changeCheckOptions);
const { refreshAllSegments } = proxyActivities<RefreshActivities>(refreshOptions);
const { reserveScheduledRun, discardRun } = proxyActivities<RefreshActivities>(bookkeepingOptions);

/** Pause after a check that could not be made at all (the activity gave up). */
const unreachableRetryMs = 60_000;

/**
 * Watches a source's change query: checks it every changeCheckSeconds, and when its value differs from
 * the last one, syncs the source, refreshes the segments and runs the exports over its profiles
 * (trigger SOURCE_CHANGED, incremental). Checks happen only between cycles, so changes during a cycle
 * cause one more cycle, never a queue. Ends when the source is deleted, disabled or loses its query.
 * History holds ids, flags and counts only.
 */
export async function sourceChangeWorkflow(input: SourceChangeWorkflowInput): Promise<void> {
  const eventBudget = input.historyEventsBeforeContinueAsNew ?? historyEventsBeforeContinueAsNew;
  let pending = input.pending ?? false;
  for (;;) {
    let check: Awaited<ReturnType<typeof checkSourceChange>>;
    try {
      check = await checkSourceChange({ sourceId: input.sourceId });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('The source’s change could not be checked; trying again later', { sourceId: input.sourceId });
      await sleep(unreachableRetryMs);
      continue;
    }
    if (!check) return;
    if (check.changed || pending) pending = !(await changeCycle(input));
    if (historyIsLong(eventBudget)) {
      return continueAsNew<typeof sourceChangeWorkflow>({ ...input, pending });
    }
    await sleep(check.intervalSeconds * 1000);
  }
}

/** One cycle; false when the source was already syncing (the change is acted on at the next check). */
async function changeCycle(input: SourceChangeWorkflowInput): Promise<boolean> {
  try {
    await executeChild<typeof sourceSyncWorkflow>('sourceSyncWorkflow', {
      ...sourceSyncStartOptions({ sourceId: input.sourceId, syncId: uuid4() }),
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    if (!(error instanceof ChildWorkflowFailure)) throw error;
    // The sync recorded and alerted its failure (SOURCE_SYNC_FAILED); profiles are as they were.
    log.warn('The changed source did not sync; its exports are not run', { sourceId: input.sourceId });
    return true;
  }
  await refreshAllSegments();
  const targets = await listSourceExports({ sourceId: input.sourceId });
  await Promise.all(targets.map((target) => runExport(target, input.timeLimitMs ?? defaultRunTimeLimitMs)));
  return true;
}

async function runExport(target: ScheduledExport, timeLimitMs: number): Promise<void> {
  const reserved = await reserveScheduledRun({
    exportId: target.exportId,
    runId: uuid4(),
    trigger: 'SOURCE_CHANGED',
  });
  // Already running: that run, or the next change, picks the change up.
  if (!reserved) return;
  try {
    await executeChild<typeof exportRunWorkflow>('exportRunWorkflow', {
      ...exportRunStartOptions({ ...target, runId: reserved.runId, trigger: 'SOURCE_CHANGED', timeLimitMs }),
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) await discardRun({ runId: reserved.runId });
    else if (!(error instanceof ChildWorkflowFailure)) throw error;
  }
}
