import type { Client } from '@temporalio/client';
import { sourceSyncWorkflowId } from '../../temporal.config.ts';
import { startOnceClosed } from './start-once-closed.ts';
import {
  type ExportRunStart,
  exportRunStartOptions,
  type SourceChangeStartInput,
  type SourceSyncWorkflowInput,
  sourceChangeStartOptions,
  sourceSyncStartOptions,
} from './start-options.ts';

/**
 * One typed starter per workflow the client starts (the refresh is started by its Schedule:
 * refresh-schedule.ts). Each resolves once the server has accepted the start.
 */

/** An export's run; FAIL when the export's workflow id is taken (one run per export at a time). */
export function startExportRunWorkflow(temporal: Client, taskQueue: string, start: ExportRunStart) {
  return temporal.workflow.start('exportRunWorkflow', {
    taskQueue,
    workflowIdConflictPolicy: 'FAIL',
    ...exportRunStartOptions(start),
  });
}

/** A source's sync; fails with WorkflowExecutionAlreadyStartedError while the source syncs. */
export function startSourceSyncWorkflow(temporal: Client, taskQueue: string, input: SourceSyncWorkflowInput) {
  return temporal.workflow.start('sourceSyncWorkflow', { taskQueue, ...sourceSyncStartOptions(input) });
}

/**
 * The sync of a source whose sync row was just opened (one per source at a time): a previous sync's
 * workflow may still be closing, so the start waits for it (startOnceClosed).
 */
export function startOpenedSourceSync(temporal: Client, taskQueue: string, input: SourceSyncWorkflowInput) {
  return startOnceClosed(temporal, sourceSyncWorkflowId(input.sourceId), () =>
    startSourceSyncWorkflow(temporal, taskQueue, input),
  );
}

/** A source's change watch; a watch already running is kept. */
export function startSourceChangeWorkflow(
  temporal: Client,
  taskQueue: string,
  input: SourceChangeStartInput,
) {
  return temporal.workflow.start('sourceChangeWorkflow', { taskQueue, ...sourceChangeStartOptions(input) });
}
