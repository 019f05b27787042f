import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import { sleep } from '../activecampaign/rate-limiter.ts';
import type { Reject } from './chunk-plan.ts';
import type { createContactMapper, RejectReason } from './contact-mapper.ts';
import { duePendingBatches, type PendingBatch, postponeBatch, recordImportResult } from './run-store.ts';
import type { SnapshotRange, SnapshotRow } from './snapshot-page.ts';

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
};

/** The customers this run sent in a batch whose emails are among `emails` (lower-cased), or all of them. */
async function customersOfBatch(
  options: ImportPollerOptions,
  batch: PendingBatch,
  emails: Set<string> | 'all',
  reason: RejectReason,
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
    if ('contact' in mapped && (emails === 'all' || emails.has(mapped.contact.email.toLowerCase()))) {
      rejects.push({ customerId: row.customerId, reason });
    }
  }
  return rejects;
}

/**
 * Polls up to `limit` due batches, oldest first; returns how many it polled. ActiveCampaign works
 * through imports in order, so once one is not finished the later ones are not either: the round
 * ends there, and each import costs about one poll of the account's request budget.
 */
export async function pollDueImports(options: ImportPollerOptions, limit: number): Promise<number> {
  const { sql, client, run } = options;
  const due = await duePendingBatches(sql, run.runId, limit);
  for (const batch of due) {
    const info = await client.importInfo(batch.batchId);
    if (info.status === 'completed') {
      const failures = info.failure.length
        ? await customersOfBatch(
            options,
            batch,
            new Set(info.failure.map((e) => e.toLowerCase())),
            'IMPORT_FAILED',
          )
        : [];
      await recordImportResult(sql, run, batch, failures);
    } else if (info.status === 'failed' || info.status === 'interrupted') {
      await recordImportResult(
        sql,
        run,
        batch,
        await customersOfBatch(options, batch, 'all', 'IMPORT_FAILED'),
      );
    } else if (batch.ageMs >= options.waitLimitMs) {
      await recordImportResult(
        sql,
        run,
        batch,
        await customersOfBatch(options, batch, 'all', 'IMPORT_NOT_COMPLETED'),
      );
    } else {
      await postponeBatch(sql, run.runId, batch.seq, options.pollIntervalMs);
      return due.indexOf(batch) + 1;
    }
  }
  return due.length;
}

/**
 * Polls due imports in the background while a page is pushed, so results are collected as the run
 * goes instead of all at the end. Opportunistic: a failure just ends it (awaitImports collects the
 * rest). `stop()` ends the loop after the poll in progress.
 */
export function collectImports(options: ImportPollerOptions): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (!(await pollDueImports(options, 5)))
        await sleep(Math.min(options.pollIntervalMs, 250), options.client.signal);
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
