import {
  executionTimeoutBackstopMs,
  exportWorkflowId,
  sourceChangeWorkflowId,
  sourceSyncWorkflowId,
} from '../../temporal.config.ts';
import type { RunTrigger } from '../runs/run-status.ts';
import { searchAttributeKeys } from './search-attribute-keys.ts';

/**
 * How each workflow is started, whether by the client (core/temporal/starters.ts) or as a child of
 * another workflow: its id, input, search attributes and memo. Ids, counts and names only, nothing
 * personal. Sandbox-safe: workflow code imports this file.
 */

/** What exportRunWorkflow is started with (its own input adds what continue-as-new carries). */
export type ExportRunStartInput = {
  runId: string;
  /** The business deadline: the run ends TIMED_OUT by itself when it is reached. */
  timeLimitMs: number;
};

export type ExportRunStart = ExportRunStartInput & {
  exportId: string;
  exportName: string;
  connectionId: string;
  listId: string;
  trigger: RunTrigger;
};

/**
 * Every export run, on demand (client) or by the refresh and a source's change watch (child workflow):
 * the export's workflow id, and search attributes and a memo that make it easy to find in the Temporal UI.
 */
export function exportRunStartOptions(start: ExportRunStart) {
  const args: [ExportRunStartInput] = [{ runId: start.runId, timeLimitMs: start.timeLimitMs }];
  return {
    workflowId: exportWorkflowId(start.exportId),
    args,
    typedSearchAttributes: [
      { key: searchAttributeKeys.ExportId, value: start.exportId },
      { key: searchAttributeKeys.ConnectionId, value: start.connectionId },
      { key: searchAttributeKeys.RunTrigger, value: start.trigger },
    ],
    memo: { runId: start.runId, export: start.exportName, listId: start.listId },
    // Only a backstop: the workflow enforces its own deadline and records TIMED_OUT itself.
    workflowExecutionTimeout: start.timeLimitMs + executionTimeoutBackstopMs,
  };
}

export type SourceSyncWorkflowInput = { sourceId: string; syncId: string; confirmRemovals?: boolean };

/** A sync, on demand or by the refresh: one per source at a time, findable by SourceId. */
export function sourceSyncStartOptions(input: SourceSyncWorkflowInput) {
  return {
    workflowId: sourceSyncWorkflowId(input.sourceId),
    args: [input] as [SourceSyncWorkflowInput],
    typedSearchAttributes: [
      { key: searchAttributeKeys.SourceId, value: input.sourceId },
      { key: searchAttributeKeys.SourceSyncStatus, value: 'RUNNING' },
    ],
    memo: { syncId: input.syncId },
  };
}

/** What sourceChangeWorkflow is started with (its own input adds what continue-as-new carries). */
export type SourceChangeStartInput = {
  sourceId: string;
  /** Each SOURCE_CHANGED run's time limit. */
  timeLimitMs?: number;
};

/** A source's change watch (on createSource/updateSource): one per source, kept if running. */
export function sourceChangeStartOptions(input: SourceChangeStartInput) {
  return {
    workflowId: sourceChangeWorkflowId(input.sourceId),
    args: [input] as [SourceChangeStartInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
  };
}

/** What each tick of the refresh Schedule starts refreshWorkflow with (the workflow's input extends it). */
export type ScheduledRefreshInput = { maxConcurrentExports: number; timeLimitMs: number };
