import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../activities/alerts.ts';
import { alertOptions } from '../temporal.config.ts';

export type RunAlertsWorkflowInput = { runId: string; failureType: string | null };

const { deliverRunAlerts } = proxyActivities<AlertActivities>(alertOptions);

/** Delivers a finished run's alerts, retried with backoff until every one is sent. History holds ids only. */
export async function runAlertsWorkflow(input: RunAlertsWorkflowInput): Promise<{ sent: number }> {
  return deliverRunAlerts(input);
}
