import { defineSearchAttributeKey } from '@temporalio/common';
import { executionTimeoutBackstopMs, exportWorkflowId } from '../temporal.config.ts';
import type { ExportRunWorkflowInput } from './export-run-workflow.ts';

const ExportId = defineSearchAttributeKey('ExportId', 'KEYWORD');
const ConnectionId = defineSearchAttributeKey('ConnectionId', 'KEYWORD');
const RunTrigger = defineSearchAttributeKey('RunTrigger', 'KEYWORD');

export type ExportRunStart = {
  runId: string;
  exportId: string;
  exportName: string;
  connectionId: string;
  listId: string;
  trigger: 'ON_DEMAND' | 'SCHEDULED' | 'SOURCE_CHANGED';
  timeLimitMs: number;
};

/**
 * How every export run is started, on demand (client) or by the refresh (child workflow): the export's
 * workflow id, and search attributes and a memo that make it easy to find in the Temporal UI.
 * Ids and the export's name only; nothing personal.
 */
export function exportRunStartOptions(start: ExportRunStart) {
  const args: [ExportRunWorkflowInput] = [{ runId: start.runId, timeLimitMs: start.timeLimitMs }];
  return {
    workflowId: exportWorkflowId(start.exportId),
    args,
    typedSearchAttributes: [
      { key: ExportId, value: start.exportId },
      { key: ConnectionId, value: start.connectionId },
      { key: RunTrigger, value: start.trigger },
    ],
    memo: { runId: start.runId, export: start.exportName, listId: start.listId },
    // Only a backstop: the workflow enforces its own deadline and records TIMED_OUT itself.
    workflowExecutionTimeout: start.timeLimitMs + executionTimeoutBackstopMs,
  };
}
