import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ChildWorkflowFailure,
  executeChild,
  log,
  ParentClosePolicy,
  proxyActivities,
  uuid4,
} from '@temporalio/workflow';
import type { SourceSyncActivities } from '../activities/source-sync.ts';
import { sourceSyncStartOptions } from '../core/temporal/start-options.ts';
import { bookkeepingOptions } from '../temporal.config.ts';
import type { sourceSyncWorkflow } from './source-sync-workflow.ts';

const { enabledSourceIds } = proxyActivities<SourceSyncActivities>(bookkeepingOptions);

/**
 * The refresh's first step: each enabled source synced, one after the other. A source whose sync fails
 * (or is already syncing) keeps its profiles as they were; the refresh goes on.
 */
export async function syncEnabledSources(): Promise<{ synced: number; failed: number }> {
  const result = { synced: 0, failed: 0 };
  for (const sourceId of await enabledSourceIds()) {
    try {
      await executeChild<typeof sourceSyncWorkflow>('sourceSyncWorkflow', {
        ...sourceSyncStartOptions({ sourceId, syncId: uuid4() }),
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      result.synced++;
    } catch (error) {
      if (!(error instanceof ChildWorkflowFailure || error instanceof WorkflowExecutionAlreadyStartedError))
        throw error;
      result.failed++;
      log.warn('Source sync did not succeed; its profiles are left as they were', { sourceId });
    }
  }
  return result;
}
