import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';

/**
 * How long a start waits for a previous execution of the same workflow id to close: a run or a source
 * sync records its outcome a moment before its workflow closes (after starting its alerts, or writing
 * a run's results to its results target).
 */
export const closingWorkflowWaitMs = 10_000;

/**
 * Starts a workflow whose id the caller has reserved (its run or sync row proves no other is active), so
 * an "already started" is the previous execution closing: the start waits for it to close (up to
 * closingWorkflowWaitMs) and is tried once more. 'still-closing' when it has not closed by then.
 */
export async function startOnceClosed<Started>(
  temporal: Client,
  workflowId: string,
  start: () => Promise<Started>,
): Promise<{ started: Started } | 'still-closing'> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { started: await start() };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      if (attempt > 1) return 'still-closing';
      const previous = temporal.workflow.getHandle(workflowId);
      await temporal
        .withDeadline(Date.now() + closingWorkflowWaitMs, () => previous.result())
        .catch(() => {});
    }
  }
}
