import { type DeliveryDeps, deliverRunAlerts } from '../core/alerts/deliver.ts';
import { deliverEventAlerts, type EventAlertInput } from '../core/alerts/event-alerts.ts';

export type AlertDeps = { alerts: Omit<DeliveryDeps, 'sql' | 'secrets'> } & Pick<
  DeliveryDeps,
  'sql' | 'secrets'
>;

export function createAlertActivities(deps: AlertDeps) {
  const delivery: DeliveryDeps = { ...deps.alerts, sql: deps.sql, secrets: deps.secrets };
  return {
    /** Sends what a finished run calls for; input is ids and a failure type, no contact data. */
    async deliverRunAlerts(input: { runId: string; failureType: string | null }): Promise<{ sent: number }> {
      return deliverRunAlerts(delivery, input);
    },

    /** Sends a refresh-level event (a failed refresh, source sync or results write); ids and counts only. */
    async deliverEventAlerts(input: EventAlertInput): Promise<{ sent: number }> {
      return deliverEventAlerts(delivery, input);
    },
  };
}

export type AlertActivities = ReturnType<typeof createAlertActivities>;
