import type { MappedContact } from './contact-mapper.ts';
import type { ImportPollerOptions } from './import-poller.ts';
import type { PendingBatch } from './run-store.ts';

/** The contacts this run sent in a batch, as sent, in customer order. */
export async function sentContactsOfBatch(
  options: Pick<ImportPollerOptions, 'readRange' | 'mapContact' | 'run'>,
  batch: PendingBatch,
): Promise<MappedContact[]> {
  const rows = await options.readRange({
    from: batch.firstCustomerId,
    until: batch.lastCustomerId,
    limit: 100_000,
  });
  const sent: MappedContact[] = [];
  for (const row of rows) {
    if (row.pushedRunId !== options.run.runId) continue;
    const mapped = options.mapContact(row);
    if ('contact' in mapped) sent.push(mapped);
  }
  return sent;
}
