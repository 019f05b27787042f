import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import { type Pacing, pacing } from '../activecampaign/pacing.ts';
import { type Pace, sleep } from '../activecampaign/rate-limiter.ts';
import { isPermanentRefusal } from '../activecampaign/refusal.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Reject } from './chunk-plan.ts';
import type { createContactMapper } from './contact-mapper.ts';
import { classifyFailedEmail, maxFailureLookupsPerRun } from './failure-lookups.ts';
import type { MappedField } from './reject-details.ts';
import {
  duePendingBatches,
  type PendingBatch,
  pendingBatchStats,
  postponeBatch,
  recordCleanImports,
  recordImportResult,
  takeFailureLookups,
} from './run-store.ts';
import { sentContactsOfBatch } from './sent-contacts.ts';
import { splitFailedImport } from './split-import.ts';

export type ImportPollerOptions = {
  sql: Sql;
  client: ActiveCampaignClient;
  run: {
    runId: string;
    exportId: string;
    listId: string;
    excludeAutomations: boolean;
    /** The export's mapped custom fields, to name the one ActiveCampaign refuses in a re-sent import. */
    fields?: readonly MappedField[];
  };
  mapContact: ReturnType<typeof createContactMapper>;
  /** Between polls of a batch that is not completed yet. */
  pollIntervalMs: number;
  /** A batch still not completed after this long counts as failed, so one stuck import cannot hold a run. */
  waitLimitMs: number;
  /** Counted failures a contact gets with unchanged data before it is skipped (REFUSED_REPEATEDLY). */
  maxContactAttempts: number;
  /** Counts failed contacts and how long imports took to finish. */
  metrics?: Metrics;
};

/**
 * The failed emails' customers, each with why it failed, learnt through lookups within the run's
 * budget (maxFailureLookupsPerRun); those beyond it are FAILURE_NOT_CLASSIFIED.
 */
async function classifiedFailures(
  options: ImportPollerOptions,
  batch: PendingBatch,
  failedEmails: string[],
): Promise<Reject[]> {
  const failed = new Set(failedEmails.map((e) => e.toLowerCase()));
  const contacts = (await sentContactsOfBatch(options, batch)).filter((c) =>
    failed.has(c.contact.email.toLowerCase()),
  );
  const granted = await takeFailureLookups(
    options.sql,
    options.run.runId,
    contacts.length,
    maxFailureLookupsPerRun,
  );
  const rejects: Reject[] = [];
  for (const [i, c] of contacts.entries()) {
    const reason =
      i < granted
        ? await classifyFailedEmail(options.client, options.run.listId, c.contact.email)
        : 'FAILURE_NOT_CLASSIFIED';
    rejects.push({ customerId: c.customerId, reason, email: c.contact.email });
  }
  return rejects;
}

type Outcome = { rejects: Reject[] } | { split: true } | null;

/** What a poll says of a batch: its failed customers once it is finished, a split if it failed, or null. */
async function outcomeOf(options: ImportPollerOptions, batch: PendingBatch, pace: Pace): Promise<Outcome> {
  const info = await options.client.importInfo(batch.batchId, pace);
  if (info.status === 'completed') {
    if (!info.failure.length) return { rejects: [] };
    return { rejects: await classifiedFailures(options, batch, info.failure) };
  }
  if (info.status === 'failed' || info.status === 'interrupted') return { split: true };
  if (batch.ageMs >= options.waitLimitMs) {
    const contacts = await sentContactsOfBatch(options, batch);
    return {
      rejects: contacts.map((c) => ({
        customerId: c.customerId,
        reason: 'IMPORT_NOT_COMPLETED',
        email: c.contact.email,
      })),
    };
  }
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
      if ('split' in outcome) {
        await splitFailedImport(options, batch);
        continue;
      }
      const rejects = outcome.rejects;
      if (rejects.length) {
        await recordImportResult(sql, run, batch, rejects, options.maxContactAttempts);
        const refused = rejects.filter((reject) => isPermanentRefusal(reject.reason)).length;
        options.metrics?.contacts.inc({ outcome: 'refused' }, refused);
        options.metrics?.contacts.inc({ outcome: 'failed' }, rejects.length - refused);
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
