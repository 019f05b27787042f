import { CancellationScope, log, ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { EventAlertInput } from '../core/alerts/event-alerts.ts';
import { eventAlertsWorkflowId } from '../temporal.config.ts';
import { eventAlertsWorkflow } from './event-alerts-workflow.ts';

function subjectOf(input: EventAlertInput): string {
  switch (input.event) {
    case 'SOURCE_SYNC_FAILED':
      return `source-sync-${input.syncId}`;
    case 'REFRESH_FAILED':
      return `refresh-${input.refreshId}`;
    case 'RESULTS_WRITE_FAILED':
      return `results-write-${input.runId}`;
  }
}

/**
 * Starts the event's alerts in a workflow of their own, abandoned by the caller: nothing waits for a
 * receiver, and one already started for the same subject is left to finish.
 */
export async function startEventAlerts(input: EventAlertInput): Promise<void> {
  try {
    await CancellationScope.nonCancellable(() =>
      startChild(eventAlertsWorkflow, {
        workflowId: eventAlertsWorkflowId(subjectOf(input)),
        args: [input],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }),
    );
  } catch (error) {
    log.warn('An event’s alerts could not be started', {
      event: input.event,
      error: error instanceof Error ? error.message : 'unknown',
    });
  }
}
