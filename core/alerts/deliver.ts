import type { Sql } from '../../db/client.ts';
import type { AlertEvent } from './events.ts';
import { loadFinishedRun } from './finished-run.ts';
import { type AlertRule, type FailureType, firingRules } from './firing-rules.ts';
import { type AlertMessage, type LinkBases, runAlertMessage, testAlertMessage } from './message.ts';
import { type SendDeps, type StoredChannel, sendOnChannel } from './send.ts';

export type DeliveryDeps = SendDeps & { sql: Sql; links: LinkBases };

export type Delivery = {
  id: string;
  status: 'PENDING' | 'SENT' | 'FAILED';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
};

const deliveryColumns = (sql: Sql) =>
  sql`id, status, attempts, last_error as "lastError", created_at as "createdAt"`;

async function loadChannel(sql: Sql, id: string): Promise<StoredChannel | undefined> {
  const [channel] = await sql<[StoredChannel?]>`
    select id, kind, url_ciphertext as "urlCiphertext", email_to as "emailTo",
      signing_secret_ciphertext as "signingSecretCiphertext"
    from notification_channels where id = ${id}`;
  return channel;
}

/** How often recording an attempt's outcome is tried, and the pauses between tries. */
const recordPausesMs = [200, 1_000, 3_000];

/**
 * Records an attempt's outcome. Once a receiver took a message, losing its SENT would send it again:
 * a Postgres hiccup (a backend terminated, a failover) is retried here first; past that the activity
 * fails and its retry sends again with the same delivery id (at-least-once; receivers dedupe by id).
 */
async function recordAttempt(sql: Sql, deliveryId: string, error: string | null): Promise<Delivery> {
  for (let tries = 0; ; tries++) {
    try {
      const [row] = await sql<[Delivery]>`
        update notification_deliveries set attempts = attempts + 1, last_error = ${error},
          status = ${error ? 'FAILED' : 'SENT'}, sent_at = case when ${error}::text is null then now() end
        where id = ${deliveryId} returning ${deliveryColumns(sql)}`;
      return row;
    } catch (failure) {
      const pause = recordPausesMs[tries];
      if (pause === undefined) throw failure;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** One attempt at a delivery not yet sent: its attempt counted, then SENT or FAILED with the error. */
export async function attempt(
  deps: DeliveryDeps,
  deliveryId: string,
  channelId: string,
  message: AlertMessage,
) {
  const { sql } = deps;
  const channel = await loadChannel(sql, channelId);
  let error: string | null = channel ? null : 'The channel was deleted.';
  if (channel) {
    try {
      await sendOnChannel(deps, channel, message);
    } catch (e) {
      error = e instanceof Error ? e.message : 'The message could not be sent.';
    }
  }
  return recordAttempt(sql, deliveryId, error);
}

export class UndeliveredAlertsError extends Error {
  override name = 'UndeliveredAlertsError';
}

/**
 * Sends the alerts a finished run calls for, once per (run, rule): a delivery row is created per firing
 * rule, and one already SENT is never sent again, so a retried call only resends what failed. Throws
 * UndeliveredAlertsError while any is not sent, for the caller to retry.
 */
export async function deliverRunAlerts(
  deps: DeliveryDeps,
  input: { runId: string; failureType: FailureType },
): Promise<{ sent: number }> {
  const { sql } = deps;
  const run = await loadFinishedRun(sql, input.runId);
  if (!run) return { sent: 0 };
  const rules = await sql<AlertRule[]>`
    select id, channel_id as "channelId", export_id as "exportId", event,
      threshold_percent as "thresholdPercent", threshold_minutes as "thresholdMinutes"
    from alert_rules where export_id is null or export_id = ${run.exportId}`;
  const firing = firingRules(rules, run, input.failureType);
  for (const { rule } of firing) {
    await sql`
      insert into notification_deliveries (channel_id, rule_id, run_id, event)
      values (${rule.channelId}, ${rule.id}, ${run.id}, ${rule.event})
      on conflict (run_id, rule_id) do nothing`;
  }
  const pending = await sql<{ id: string; ruleId: string; channelId: string; event: AlertEvent }[]>`
    select id, rule_id as "ruleId", channel_id as "channelId", event from notification_deliveries
    where run_id = ${run.id} and status <> 'SENT' and rule_id is not null`;
  const failures: string[] = [];
  for (const delivery of pending) {
    const reason = firing.find((f) => f.rule.id === delivery.ruleId)?.reason;
    if (!reason) continue;
    const message = runAlertMessage(run, delivery.event, reason, delivery.id, deps.links);
    const result = await attempt(deps, delivery.id, delivery.channelId, message);
    if (result?.status !== 'SENT') failures.push(`${delivery.event}: ${result?.lastError}`);
  }
  if (failures.length) throw new UndeliveredAlertsError(`Alerts not delivered yet: ${failures.join('; ')}`);
  const [sent] = await sql<[{ count: number }]>`
    select count(*)::int as count from notification_deliveries where run_id = ${run.id} and status = 'SENT'`;
  return { sent: sent?.count ?? 0 };
}

/** testNotificationChannel: one message, sent now, recorded like any delivery. */
export async function sendTestMessage(deps: DeliveryDeps, channelId: string): Promise<Delivery> {
  const [created] = await deps.sql<[{ id: string }]>`
    insert into notification_deliveries (channel_id, event) values (${channelId}, 'TEST') returning id`;
  if (!created) throw new Error('insert returned no row');
  return attempt(deps, created.id, channelId, testAlertMessage(created.id));
}
