import { defineSearchAttributeKey } from '@temporalio/common';
import { sourceSyncWorkflowId } from '../temporal.config.ts';

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
