import { sourceChangeWorkflowId } from '../temporal.config.ts';
import type { SourceChangeWorkflowInput } from './source-change-workflow.ts';

/** How a source's change watch is started (on createSource/updateSource): one per source, kept if running. */
export function sourceChangeStartOptions(input: SourceChangeWorkflowInput) {
  return {
    workflowId: sourceChangeWorkflowId(input.sourceId),
    args: [input] as [SourceChangeWorkflowInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
  };
}
