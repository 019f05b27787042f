import type { FinishedRun } from './finished-run.ts';

/** What every channel is sent: names, counts, reasons and links. Never contact data or keys. */
export type AlertMessage = {
  event: string;
  deliveryId: string;
  reason: string;
  export: { id: string; name: string } | null;
  connection: { name: string } | null;
  /** The source of a SOURCE_SYNC_FAILED event. */
  source?: { id: string; name: string } | null;
  run: {
    id: string;
    status: string;
    error: string | null;
    counts: {
      processed: number;
      exported: number;
      rejected: number;
      failed: number;
      skipped: number;
      unsubscribed: number;
      members: number | null;
    };
  } | null;
  links: { run?: string; temporal?: string };
};

export type LinkBases = { publicUrl: string | null; temporalUiUrl: string; temporalNamespace: string };

export function runAlertMessage(
  run: FinishedRun,
  event: string,
  reason: string,
  deliveryId: string,
  links: LinkBases,
): AlertMessage {
  const workflow = `${links.temporalUiUrl}/namespaces/${encodeURIComponent(links.temporalNamespace)}/workflows/${encodeURIComponent(run.workflowId)}`;
  return {
    event,
    deliveryId,
    reason,
    export: { id: run.exportId, name: run.exportName },
    connection: { name: run.connectionName },
    run: {
      id: run.id,
      status: run.status,
      error: run.error,
      counts: {
        processed: run.exportedCount + run.rejectedCount + run.failedCount + run.skippedCount,
        exported: run.exportedCount,
        rejected: run.rejectedCount,
        failed: run.failedCount,
        skipped: run.skippedCount,
        unsubscribed: run.unsubscribedCount,
        members: run.totalProfiles,
      },
    },
    links: {
      ...(links.publicUrl && { run: `${links.publicUrl}/runs/${run.id}` }),
      temporal: run.temporalRunId ? `${workflow}/${encodeURIComponent(run.temporalRunId)}` : workflow,
    },
  };
}

export function testAlertMessage(deliveryId: string): AlertMessage {
  return {
    event: 'TEST',
    deliveryId,
    reason: 'A test message from Outbound: this channel is set up correctly.',
    export: null,
    connection: null,
    run: null,
    links: {},
  };
}

/** The message as text, for Slack and e-mail. */
export function readableMessage(message: AlertMessage): { subject: string; text: string } {
  const subject = message.export
    ? `Outbound: ${message.event} - ${message.export.name}`
    : `Outbound: ${message.event}`;
  const lines = [message.reason];
  if (message.export && message.connection) {
    lines.push(`Export: ${message.export.name} (connection ${message.connection.name})`);
  }
  if (message.source) lines.push(`Source: ${message.source.name}`);
  if (message.run) {
    const c = message.run.counts;
    lines.push(
      `Run ${message.run.id}: ${message.run.status}`,
      `Processed ${c.processed}, exported ${c.exported}, rejected ${c.rejected}, failed ${c.failed}, skipped ${c.skipped}, unsubscribed ${c.unsubscribed}`,
    );
  }
  if (message.links.run) lines.push(`Run: ${message.links.run}`);
  if (message.links.temporal) lines.push(`Temporal: ${message.links.temporal}`);
  // Slack's incoming webhooks take no idempotency key: the id lets a reader spot a repeat.
  lines.push(`Delivery ${message.deliveryId}`);
  return { subject, text: lines.join('\n') };
}
