import type { Sql } from '../../db/client.ts';
import { attempt, type DeliveryDeps, UndeliveredAlertsError } from './deliver.ts';
import type { AlertMessage } from './message.ts';

/** What a refresh-level alert is about: ids and counts only (the reason is read here, not carried). */
export type EventAlertInput =
  | { event: 'SOURCE_SYNC_FAILED'; syncId: string }
  | { event: 'REFRESH_FAILED'; refreshId: string; segments: number; failedSegments: number; failed: boolean }
  | { event: 'RESULTS_WRITE_FAILED'; runId: string };

type Subject = Omit<AlertMessage, 'deliveryId' | 'links'> & { key: string; exportId: string | null };

/** Postgres classes a failed source statement is told by: its own message may quote a value and is not sent. */
const sqlStates: Record<string, string> = {
  '42P01': 'a table or view it reads does not exist',
  '42703': 'a column it reads does not exist',
  '42501': 'the user may not read it',
  '42601': 'it is not valid SQL',
  '57014': 'it was cancelled (statement timeout)',
};

/** The sync's recorded error as an alert may say it: ours as they are, the database's by SQLSTATE only. */
export function sourceSyncAlertReason(error: string | null): string {
  if (!error) return 'The sync failed; no reason was recorded.';
  const state = /\(SQLSTATE ([0-9A-Z]{5})\)\.?$/.exec(error)?.[1];
  if (!state) return error;
  const meaning = sqlStates[state] ?? 'see the sync’s error in Outbound';
  return `The source query failed with SQLSTATE ${state}: ${meaning}.`;
}

async function subjectOf(sql: Sql, input: EventAlertInput): Promise<Subject | undefined> {
  const base = { event: input.event, export: null, connection: null, run: null };
  switch (input.event) {
    case 'SOURCE_SYNC_FAILED': {
      const [sync] = await sql<[{ sourceId: string; name: string; error: string | null }?]>`
        select s.id as "sourceId", s.name, y.error from source_syncs y join sources s on s.id = y.source_id
        where y.id = ${input.syncId}`;
      if (!sync) return undefined;
      return {
        ...base,
        key: `source-sync:${input.syncId}`,
        exportId: null,
        source: { id: sync.sourceId, name: sync.name },
        reason: `The sync of source ${sync.name} failed. ${sourceSyncAlertReason(sync.error)}`,
      };
    }
    case 'REFRESH_FAILED':
      return {
        ...base,
        key: `refresh:${input.refreshId}`,
        exportId: null,
        reason: input.failed
          ? 'The refresh failed before its segments were refreshed; segments and exports keep their last data.'
          : `${input.failedSegments} of ${input.segments} segments were not refreshed (past their time budget, or ` +
            'their rule no longer parses); they keep their last members.',
      };
    case 'RESULTS_WRITE_FAILED': {
      const [run] = await sql<[{ exportId: string; name: string; error: string | null }?]>`
        select e.id as "exportId", e.name, r.results_write_error as error
        from export_runs r join exports e on e.id = r.export_id where r.id = ${input.runId}`;
      if (!run) return undefined;
      return {
        ...base,
        key: `results-write:${input.runId}`,
        exportId: run.exportId,
        export: { id: run.exportId, name: run.name },
        reason: `The results of run ${input.runId} could not be written to the export’s results target: ${run.error ?? 'no reason recorded'}`,
      };
    }
  }
}

/**
 * Sends a refresh-level event to every rule subscribed to it (global rules; for RESULTS_WRITE_FAILED also
 * the export's), once per (subject, rule) like run alerts: a retried call only resends what failed.
 */
export async function deliverEventAlerts(
  deps: DeliveryDeps,
  input: EventAlertInput,
): Promise<{ sent: number }> {
  const { sql } = deps;
  const subject = await subjectOf(sql, input);
  if (!subject) return { sent: 0 };
  const { key, exportId, ...message } = subject;
  await sql`
    insert into notification_deliveries (channel_id, rule_id, subject, event)
    select channel_id, id, ${key}, event from alert_rules
    where event = ${input.event} and (export_id is null or export_id = ${exportId})
    on conflict (subject, rule_id) do nothing`;
  const pending = await sql<{ id: string; channelId: string }[]>`
    select id, channel_id as "channelId" from notification_deliveries
    where subject = ${key} and status <> 'SENT' and rule_id is not null`;
  const failures: string[] = [];
  for (const delivery of pending) {
    const result = await attempt(deps, delivery.id, delivery.channelId, {
      ...message,
      deliveryId: delivery.id,
      links: {},
    });
    if (result?.status !== 'SENT') failures.push(`${input.event}: ${result?.lastError}`);
  }
  if (failures.length) throw new UndeliveredAlertsError(`Alerts not delivered yet: ${failures.join('; ')}`);
  const [sent] = await sql<[{ count: number }]>`
    select count(*)::int as count from notification_deliveries where subject = ${key} and status = 'SENT'`;
  return { sent: sent?.count ?? 0 };
}
