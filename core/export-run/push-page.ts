import type { Sql } from '../../db/client.ts';
import { pacing } from '../activecampaign/pacing.ts';
import type { Chunk } from './chunk-plan.ts';
import { createContactMapper } from './contact-mapper.ts';
import { collectImports } from './import-poller.ts';
import type { PreparedRun } from './open-run.ts';
import { readBatches } from './read-batches.ts';
import { recordChunk } from './run-store.ts';
import { sendChunk } from './send-chunk.ts';
import { readSnapshotRows } from './snapshot-rows.ts';

/** A page ends after `pageContacts` members or, at the end of the rows read at once, at `until` (epoch ms). */
export type PageLimits = { pageContacts: number; until: number };

/**
 * Pushes a page of members after the run's recorded cursor, sending only new and changed ones.
 * Changed members are gathered across read batches into full imports. Each accepted import is
 * recorded with the cursor before the next is sent, so a crash re-sends at most the one in flight
 * (its record's round trip overlaps with the pacing wait and reading ahead). The next rows are read
 * and mapped while the current ones are sent, and finished imports are collected alongside.
 * `onCursor` hears the recorded cursor after each import and each read batch.
 */
export async function pushPage(
  sql: Sql,
  { run, client, poller }: PreparedRun,
  { pageContacts, until }: PageLimits,
  onCursor: (cursor: string | null) => void,
): Promise<{ done: boolean }> {
  const { runId } = run;
  onCursor(run.cursor);
  const planned = readBatches({
    read: (after, limit) => readSnapshotRows(sql, run.exportId, run.snapshot, { after, limit }),
    map: createContactMapper(run.mapping, run.listId, run.fullResync, run.tags),
    after: run.cursor,
    limit: pageContacts,
  });
  const collecting = collectImports(poller);
  const imports = pacing(client, 'bulk');
  let recording: Promise<void> = Promise.resolve();
  let lastRecorded = run.cursor;
  let committed = run.cursor;
  const { metrics } = poller;
  const pushStarted = performance.now();
  let sent = 0;
  const push = async (chunk: Chunk) => {
    // The previous import's record is committed before this one is sent: at any moment at most
    // one accepted import is unrecorded, so a stop or crash re-sends at most one import's
    // contacts (≤ 250). Overlapping the record with the next send once let two be unrecorded.
    await recording;
    onCursor(lastRecorded);
    const batchId = chunk.contacts.length
      ? await sendChunk(client, run.listId, chunk, imports.next(), run.excludeAutomations, run.mapping.fields)
      : null;
    const batch = batchId ? { batchId, firstPollInMs: poller.pollIntervalMs } : null;
    recording = recordChunk(sql, { runId, exportId: run.exportId }, chunk, batch, lastRecorded).then(
      (recorded) => {
        // Another attempt of this push (one that stalled and came back) recorded it first.
        if (!recorded) throw new Error('Another attempt recorded this part of the push; this one stops.');
        committed = chunk.lastCustomerId;
      },
    );
    recording.catch(() => {}); // awaited before the next record and at the end
    lastRecorded = chunk.lastCustomerId;
    sent += chunk.contacts.length;
    if (metrics) {
      metrics.contacts.inc({ outcome: 'sent' }, chunk.contacts.length);
      metrics.contacts.inc({ outcome: 'rejected' }, chunk.rejects.length);
      metrics.contacts.inc({ outcome: 'skipped' }, chunk.unchanged);
    }
  };
  try {
    for await (const readBatch of planned) {
      // Read batches that only fill the open chunk make no request that would notice a cancellation.
      client.signal?.throwIfAborted();
      for (const chunk of readBatch.chunks) await push(chunk);
      // A read batch done is progress, even when it only added to the open chunk.
      onCursor(committed);
      if (readBatch.exhausted) return { done: true };
      if (Date.now() >= until) {
        if (readBatch.open) await push(readBatch.open);
        return { done: false };
      }
    }
    return { done: false };
  } finally {
    // Stopped first: a failed record must not leave the collector polling after the attempt.
    await collecting.stop();
    await recording;
    onCursor(lastRecorded);
    const seconds = (performance.now() - pushStarted) / 1000;
    if (metrics && sent > 0 && seconds > 0) metrics.pushRate.set(sent / seconds);
  }
}
