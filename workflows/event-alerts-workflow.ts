import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../activities/alerts.ts';
import type { EventAlertInput } from '../core/alerts/event-alerts.ts';
import { alertOptions } from '../temporal.config.ts';

const { deliverEventAlerts } = proxyActivities<AlertActivities>(alertOptions);

/** Delivers a refresh-level event's alerts, retried with backoff until every one is sent. Ids and counts only. */
export async function eventAlertsWorkflow(input: EventAlertInput): Promise<{ sent: number }> {
  return deliverEventAlerts(input);
}
