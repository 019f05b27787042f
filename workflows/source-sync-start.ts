import type { WorkflowClient } from '@temporalio/client';
import { defineSearchAttributeKey } from '@temporalio/common';
import { sourceSyncWorkflowId } from '../temporal.config.ts';
import type { sourceSyncWorkflow } from './source-sync-workflow.ts';

const SourceId = defineSearchAttributeKey('SourceId', 'KEYWORD');
const SourceSyncStatus = defineSearchAttributeKey('SourceSyncStatus', 'KEYWORD');

export type SourceSyncWorkflowInput = { sourceId: string; syncId: string; confirmRemovals?: boolean };

/** How a sync is started, on demand or by the refresh: one per source at a time, findable by SourceId. */
export function sourceSyncStartOptions(input: SourceSyncWorkflowInput) {
  return {
    workflowId: sourceSyncWorkflowId(input.sourceId),
    args: [input] as [SourceSyncWorkflowInput],
    typedSearchAttributes: [
      { key: SourceId, value: input.sourceId },
      { key: SourceSyncStatus, value: 'RUNNING' },
    ],
    memo: { syncId: input.syncId },
  };
}

/** Starts a sync from a Temporal client (the API's syncSource; the refresh starts it as a child). */
export function startSourceSyncWorkflow(
  workflows: Pick<WorkflowClient, 'start'>,
  taskQueue: string,
  input: SourceSyncWorkflowInput,
) {
  return workflows.start<typeof sourceSyncWorkflow>('sourceSyncWorkflow', {
    taskQueue,
    ...sourceSyncStartOptions(input),
  });
}
