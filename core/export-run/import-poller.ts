import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import { type Pacing, pacing } from '../activecampaign/pacing.ts';
import { type Pace, sleep } from '../activecampaign/rate-limiter.ts';
import { isPermanentRefusal, permanentRefusalOf } from '../activecampaign/refusal.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Reject } from './chunk-plan.ts';
import type { createContactMapper, RejectReason } from './contact-mapper.ts';
import {
  duePendingBatches,
  type PendingBatch,
  pendingBatchStats,
  postponeBatch,
  recordCleanImports,
  recordImportResult,
} from './run-store.ts';
import type { SnapshotRange, SnapshotRow } from './snapshot-rows.ts';

export type ImportPollerOptions = {
  sql: Sql;
  client: ActiveCampaignClient;
  run: { runId: string; exportId: string };
  readRange: (range: SnapshotRange) => Promise<SnapshotRow[]>;
  mapContact: ReturnType<typeof createContactMapper>;
  /** Between polls of a batch that is not completed yet. */
  pollIntervalMs: number;
  /** A batch still not completed after this long counts as failed, so one stuck import cannot hold a run. */
  waitLimitMs: number;
  /** Counts failed contacts and how long imports took to finish. */
  metrics?: Metrics;
};

/** The customers this run sent in a batch whose emails are among `emails` (lower-cased), or all of them. */
async function customersOfBatch(
  options: ImportPollerOptions,
  batch: PendingBatch,
  emails: Set<string> | 'all',
  reason: RejectReason,
  reasons?: Map<string, string>,
) {
  const rows = await options.readRange({
    from: batch.firstCustomerId,
    until: batch.lastCustomerId,
    limit: 100_000,
  });
  const rejects: Reject[] = [];
  for (const row of rows) {
    if (row.pushedRunId !== options.run.runId) continue;
    const mapped = options.mapContact(row);
    if (!('contact' in mapped)) continue;
    const email = mapped.contact.email.toLowerCase();
    if (emails === 'all' || emails.has(email)) {
      const refusal = reasons ? permanentRefusalOf(reasons.get(email)) : undefined;
      rejects.push({ customerId: row.customerId, reason: refusal ?? reason });
    }
  }
  return rejects;
}

/** What a poll says of a batch: its failed customers once it is finished, or null while it is not. */
async function outcomeOf(
  options: ImportPollerOptions,
  batch: PendingBatch,
  pace: Pace,
): Promise<Reject[] | null> {
  const info = await options.client.importInfo(batch.batchId, pace);
  if (info.status === 'completed') {
    if (!info.failure.length) return [];
    const failed = new Set(info.failure.map((e) => e.toLowerCase()));
    return customersOfBatch(options, batch, failed, 'IMPORT_FAILED', info.failureReasons);
  }
  if (info.status === 'failed' || info.status === 'interrupted')
    return customersOfBatch(options, batch, 'all', 'IMPORT_FAILED');
  if (batch.ageMs >= options.waitLimitMs)
    return customersOfBatch(options, batch, 'all', 'IMPORT_NOT_COMPLETED');
  return null;
}

/**
 * Polls up to `limit` due batches, oldest first, one after another; returns how many it polled. A
 * batch not finished yet is polled again after the poll interval, and the ones after it with it:
 * ActiveCampaign works through imports in order, so each import costs about one poll of the account's
 * request budget. Batches that finished cleanly are recorded together.
 */
export async function pollDueImports(
  options: ImportPollerOptions,
  limit: number,
  polls: Pacing,
): Promise<number> {
  const { sql, run } = options;
  const due = await duePendingBatches(sql, run.runId, limit);
  const clean: PendingBatch[] = [];
  let polled = 0;
  try {
    for (const batch of due) {
      const outcome = await outcomeOf(options, batch, polls.next());
      polled++;
      if (outcome === null) {
        await postponeBatch(sql, run.runId, batch.seq, options.pollIntervalMs);
        break;
      }
      options.metrics?.importCompletion.observe(batch.ageMs / 1000);
      if (outcome.length) {
        await recordImportResult(sql, run, batch, outcome);
        const refused = outcome.filter((reject) => isPermanentRefusal(reject.reason)).length;
        options.metrics?.contacts.inc({ outcome: 'refused' }, refused);
        options.metrics?.contacts.inc({ outcome: 'failed' }, outcome.length - refused);
      } else clean.push(batch);
    }
  } finally {
    await recordCleanImports(sql, run.runId, clean);
  }
  return polled;
}

/**
 * Polls due imports in the background while a page is pushed, so results are collected as the run
 * goes instead of all at the end. Opportunistic: a failure just ends it (awaitImports collects the
 * rest). `stop()` ends the loop after the polls in progress.
 */
export function collectImports(options: ImportPollerOptions): { stop(): Promise<void> } {
  let stopped = false;
  const polls = pacing(options.client, 'general');
  const pollsPerLookup = 4;
  const loop = (async () => {
    while (!stopped) {
      if (await pollDueImports(options, pollsPerLookup, polls)) continue;
      // Until the next batch is due (none pending: for a poll interval).
      const { pending, nextPollInMs } = await pendingBatchStats(options.sql, options.run.runId);
      const pause = pending
        ? Math.min(Math.max(nextPollInMs, 1), options.pollIntervalMs)
        : options.pollIntervalMs;
      await sleep(pause, options.client.signal);
    }
  })().catch(() => {
    stopped = true;
  });
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
