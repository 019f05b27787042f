import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type Chunk, planChunks } from './chunk-plan.ts';
import type { MappedProfile } from './contact-mapper.ts';
import { mapSliceRows, readAheadRows } from './push-settings.ts';
import type { SnapshotRow } from './snapshot-page.ts';

/** A page's bulk imports, how many members it held, and whether it was the snapshot's last. */
export type PlannedPage = { chunks: Chunk[]; rows: number; exhausted: boolean };

async function mapInSlices(rows: SnapshotRow[], map: (row: SnapshotRow) => MappedProfile) {
  const mapped: MappedProfile[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % mapSliceRows === 0) await yieldToEventLoop();
    mapped[i] = map(rows[i] as SnapshotRow);
  }
  return mapped;
}

/**
 * Up to `limit` members after `after`, page by page as planned bulk imports. The next page is read and
 * mapped while the caller sends the current one.
 */
export async function* plannedPages(options: {
  read: (after: string | null, limit: number) => Promise<SnapshotRow[]>;
  map: (row: SnapshotRow) => MappedProfile;
  after: string | null;
  limit: number;
}): AsyncGenerator<PlannedPage> {
  const plan = (after: string | null, limit: number) => {
    const page = (async () => {
      const rows = await options.read(after, limit);
      const chunks = planChunks(await mapInSlices(rows, options.map));
      const last = rows.at(-1)?.customerId;
      return { chunks, rows: rows.length, last, exhausted: rows.length < limit };
    })();
    page.catch(() => {}); // awaited below; an early exit must not leave it unhandled
    return page;
  };
  let remaining = options.limit;
  let next: ReturnType<typeof plan> | null = plan(options.after, Math.min(readAheadRows, remaining));
  while (next) {
    const page: Awaited<ReturnType<typeof plan>> = await next;
    remaining -= page.rows;
    next =
      !page.exhausted && remaining > 0 && page.last
        ? plan(page.last, Math.min(readAheadRows, remaining))
        : null;
    yield page;
  }
}
