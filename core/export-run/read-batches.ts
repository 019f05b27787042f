import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type Chunk, planChunks } from './chunk-plan.ts';
import type { MappedProfile } from './contact-mapper.ts';
import { mapSliceRows, readAheadRows } from './push-settings.ts';
import type { SnapshotRow } from './snapshot-rows.ts';

/**
 * A read batch's chunks (one per bulk import), how many members it held, and whether it was the
 * snapshot's last. `open`: its last chunk, which the next read batch goes on filling (not in `chunks`);
 * sent as it is by a caller that stops after this read batch. The page's last read batch has none.
 */
export type ReadBatch = { chunks: Chunk[]; open: Chunk | undefined; rows: number; exhausted: boolean };

async function mapInSlices(rows: SnapshotRow[], map: (row: SnapshotRow) => MappedProfile) {
  const mapped: MappedProfile[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % mapSliceRows === 0) await yieldToEventLoop();
    mapped[i] = map(rows[i] as SnapshotRow);
  }
  return mapped;
}

/**
 * Up to `limit` members after `after`, read batch by read batch as planned chunks, a chunk going on
 * from one read batch to the next until it is full. The next read batch is read and mapped while the
 * caller sends the current one.
 */
export async function* readBatches(options: {
  read: (after: string | null, limit: number) => Promise<SnapshotRow[]>;
  map: (row: SnapshotRow) => MappedProfile;
  after: string | null;
  limit: number;
}): AsyncGenerator<ReadBatch> {
  const plan = (after: string | null, remaining: number, continued: Chunk | undefined) => {
    const limit = Math.min(readAheadRows, remaining);
    const batch = (async () => {
      const rows = await options.read(after, limit);
      const exhausted = rows.length < limit;
      const chunks = planChunks(await mapInSlices(rows, options.map), undefined, continued);
      const open = exhausted || limit === remaining ? undefined : chunks.pop();
      const last = rows.at(-1)?.customerId;
      return { chunks, open, rows: rows.length, last, exhausted };
    })();
    batch.catch(() => {}); // awaited below; an early exit must not leave it unhandled
    return batch;
  };
  let remaining = options.limit;
  let next: ReturnType<typeof plan> | null = plan(options.after, remaining, undefined);
  while (next) {
    const batch: Awaited<ReturnType<typeof plan>> = await next;
    remaining -= batch.rows;
    next = !batch.exhausted && remaining > 0 && batch.last ? plan(batch.last, remaining, batch.open) : null;
    yield batch;
  }
}
