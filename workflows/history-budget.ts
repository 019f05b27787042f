import { workflowInfo } from '@temporalio/workflow';

/** Time to continue as new: Temporal suggests it, or the history has reached `eventBudget` events. */
export function historyIsLong(eventBudget: number): boolean {
  const { continueAsNewSuggested, historyLength } = workflowInfo();
  return continueAsNewSuggested || historyLength >= eventBudget;
}
