import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  continueAsNew,
  isCancellation,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExportRunActivities } from '../activities/export-run.ts';
import type { ResultsActivities } from '../activities/results.ts';
import type { RunOutcomeStatus } from '../core/runs/run-status.ts';
import type { ExportRunStartInput } from '../core/temporal/start-options.ts';
import {
  awaitOptions,
  bookkeepingOptions,
  historyEventsBeforeContinueAsNew,
  leaversOptions,
  pageContacts,
  pageMs,
  prepareOptions,
  pushOptions,
  resultsWriteOptions,
  runAlertsWorkflowId,
} from '../temporal.config.ts';
import { failureMessage, failureType } from './failure-cause.ts';
import { historyIsLong } from './history-budget.ts';
import { runAlertsWorkflow } from './run-alerts-workflow.ts';
import { startEventAlerts } from './start-event-alerts.ts';

/** The run's step: which activity it calls next. */
export type ExportRunStep = 'prepare' | 'push' | 'await' | 'leavers';

export type ExportRunWorkflowInput = ExportRunStartInput & {
  pageContacts?: number;
  pageMs?: number;
  historyEventsBeforeContinueAsNew?: number;
  /** Carried across continue-as-new. */
  deadlineAt?: number;
  /** The step carried across continue-as-new (named `phase` in the recorded inputs). */
  phase?: ExportRunStep;
};

export type ExportRunWorkflowResult = { status: RunOutcomeStatus; error: string | null };

const { prepareRun } = proxyActivities<ExportRunActivities>(prepareOptions);
const { pushPage } = proxyActivities<ExportRunActivities>(pushOptions);
const { awaitImports } = proxyActivities<ExportRunActivities>(awaitOptions);
const { handleLeavers } = proxyActivities<ExportRunActivities>(leaversOptions);
const { finishRun } = proxyActivities<ExportRunActivities>(bookkeepingOptions);
const { writeRunResults } = proxyActivities<ResultsActivities>(resultsWriteOptions);
const { recordResultsWriteError } = proxyActivities<ResultsActivities>(bookkeepingOptions);

class DeadlineReached extends Error {}

/** Runs `work` in its own scope and cancels it when the deadline passes. */
async function beforeDeadline<T>(deadlineAt: number, work: () => Promise<T>): Promise<T> {
  const workScope = new CancellationScope();
  const timerScope = new CancellationScope();
  let reached = false;
  timerScope
    .run(() => sleep(Math.max(1, deadlineAt - Date.now())))
    .then(() => {
      reached = true;
      workScope.cancel();
    })
    .catch(() => {});
  try {
    return await workScope.run(work);
  } catch (error) {
    throw reached && isCancellation(error) ? new DeadlineReached() : error;
  } finally {
    timerScope.cancel();
  }
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

function describeFailure(error: unknown): string {
  return failureMessage(error, 'The run failed unexpectedly.');
}

/**
 * The run's alerts go out from a workflow of their own, abandoned by this one: the run's result never
 * waits for a receiver, and a receiver that is down does not hold the export's workflow id.
 */
async function startRunAlerts(runId: string, failure: unknown): Promise<void> {
  try {
    await CancellationScope.nonCancellable(() =>
      startChild(runAlertsWorkflow, {
        workflowId: runAlertsWorkflowId(runId),
        args: [{ runId, failureType: failureType(failure) ?? null }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }),
    );
  } catch (error) {
    log.warn('The run’s alerts could not be started', { runId, error: describeFailure(error) });
  }
}

/**
 * Writes the ended run's results to its export's results target. Its failure fails nothing else:
 * the run records resultsWriteError and RESULTS_WRITE_FAILED rules are alerted.
 */
async function writeResults(runId: string): Promise<void> {
  await CancellationScope.nonCancellable(async () => {
    try {
      await writeRunResults({ runId });
    } catch (error) {
      try {
        await recordResultsWriteError({ runId, error: describeFailure(error) });
        await startEventAlerts({ event: 'RESULTS_WRITE_FAILED', runId });
      } catch (recording) {
        log.warn('The results write failure could not be recorded', {
          runId,
          error: describeFailure(recording),
        });
      }
    }
  });
}

/**
 * One export run: prepare (checks, snapshot, guards), push new and changed members page by page, wait
 * for ActiveCampaign to finish the imports, handle the members who left, record the outcome. History
 * holds ids, counts and cursors only.
 */
export async function exportRunWorkflow(input: ExportRunWorkflowInput): Promise<ExportRunWorkflowResult> {
  const deadlineAt = input.deadlineAt ?? Date.now() + input.timeLimitMs;
  const eventBudget = input.historyEventsBeforeContinueAsNew ?? historyEventsBeforeContinueAsNew;
  let step: ExportRunStep = input.phase ?? 'prepare';
  let outcome: ExportRunWorkflowResult | 'continue-as-new';
  let failure: unknown;
  try {
    const finished = await beforeDeadline(deadlineAt, async () => {
      if (step === 'prepare') {
        await prepareRun({ runId: input.runId, temporalRunId: workflowInfo().firstExecutionRunId });
        step = 'push';
      }
      while (step === 'push') {
        if (historyIsLong(eventBudget)) return false;
        const page = await pushPage({
          runId: input.runId,
          pageContacts: input.pageContacts ?? pageContacts,
          pageMs: input.pageMs ?? pageMs,
        });
        if (page.done) step = 'await';
      }
      while (step === 'await') {
        if (historyIsLong(eventBudget)) return false;
        if ((await awaitImports({ runId: input.runId })).pending === 0) step = 'leavers';
      }
      while (step === 'leavers') {
        if (historyIsLong(eventBudget)) return false;
        if (!(await handleLeavers({ runId: input.runId })).remaining) return true;
      }
      return true;
    });
    outcome = finished ? { status: 'SUCCEEDED', error: null } : 'continue-as-new';
  } catch (error) {
    failure = error;
    if (error instanceof DeadlineReached) {
      outcome = {
        status: 'TIMED_OUT',
        error: `The run reached its time limit (${formatDuration(input.timeLimitMs)}) and was stopped.`,
      };
    } else if (isCancellation(error)) {
      outcome = { status: 'CANCELLED', error: null };
    } else if (failureType(error) === 'ExportNotFound') {
      // The destination was removed while the run went on: that is a cancellation, not a failure.
      outcome = { status: 'CANCELLED', error: describeFailure(error) };
    } else {
      outcome = { status: 'FAILED', error: describeFailure(error) };
    }
  }
  if (outcome === 'continue-as-new') {
    log.info('Continuing as new to keep the history short', { runId: input.runId, step });
    return continueAsNew<typeof exportRunWorkflow>({ ...input, deadlineAt, phase: step });
  }
  const recorded = outcome;
  // The outcome is recorded even while the workflow itself is being cancelled.
  const finished = await CancellationScope.nonCancellable(() =>
    finishRun({ runId: input.runId, ...recorded }),
  );
  if (recorded.status !== 'CANCELLED' && patched('run-alerts')) await startRunAlerts(input.runId, failure);
  // Without a results target the workflow closes right after the outcome, so the next run can start.
  if (patched('results-write-only-with-target')) {
    if (finished?.hasResultsTarget) await writeResults(input.runId);
  } else if (patched('results-write')) await writeResults(input.runId);
  // The Temporal UI shows the same ending as Outbound: cancelled, failed or completed.
  if (recorded.status === 'CANCELLED')
    throw isCancellation(failure) ? failure : new CancelledFailure(recorded.error ?? undefined);
  if (recorded.status === 'FAILED' || recorded.status === 'TIMED_OUT') {
    throw ApplicationFailure.nonRetryable(recorded.error ?? 'The run failed.', `Run${recorded.status}`);
  }
  return recorded;
}
