import { ApplicationFailure } from '@temporalio/common';
import { patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { SourceSyncActivities } from '../activities/source-sync.ts';
import type { SourceSyncCounts } from '../core/sources/source-sync.ts';
import { searchAttributeKeys } from '../core/temporal/search-attribute-keys.ts';
import type { SourceSyncWorkflowInput } from '../core/temporal/start-options.ts';
import { bookkeepingOptions, sourceSyncOptions } from '../temporal.config.ts';
import { failureMessage, failureType } from './failure-cause.ts';
import { startEventAlerts } from './start-event-alerts.ts';

const { syncSource } = proxyActivities<SourceSyncActivities>(sourceSyncOptions);
const { openSourceSync, failSourceSync } = proxyActivities<SourceSyncActivities>(bookkeepingOptions);

/**
 * One sync of a source: opens its record (a no-op when the caller already did), streams and swaps it in
 * (syncSource), and records FAILED with the last attempt's reason when it gives up (alerting
 * SOURCE_SYNC_FAILED rules). Counts only in the
 * history, never row data.
 */
export async function sourceSyncWorkflow(input: SourceSyncWorkflowInput): Promise<SourceSyncCounts | null> {
  const opened = await openSourceSync({
    sourceId: input.sourceId,
    syncId: input.syncId,
    confirmRemovals: input.confirmRemovals ?? false,
  });
  if (!opened) return null;
  try {
    const counts = await syncSource({ syncId: input.syncId });
    upsertSearchAttributes([{ key: searchAttributeKeys.SourceSyncStatus, value: 'SUCCEEDED' }]);
    return counts;
  } catch (error) {
    const reason = failureMessage(error, 'The sync failed.');
    await failSourceSync({ syncId: input.syncId, error: reason });
    upsertSearchAttributes([{ key: searchAttributeKeys.SourceSyncStatus, value: 'FAILED' }]);
    if (patched('source-sync-alerts')) {
      await startEventAlerts({ event: 'SOURCE_SYNC_FAILED', syncId: input.syncId });
    }
    throw ApplicationFailure.nonRetryable(reason, failureType(error) ?? 'SourceSyncFailed');
  }
}
