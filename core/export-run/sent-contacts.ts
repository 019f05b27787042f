import type { MappedContact } from './contact-mapper.ts';
import type { ImportPollerOptions } from './import-poller.ts';
import type { PendingBatch } from './run-store.ts';
import type { SnapshotRow } from './snapshot-rows.ts';

/**
 * The contacts this run sent in a batch, as sent, in customer order. Read from what the run recorded
 * as pushed in the batch's range, so the cost follows the batch's contacts, not the members between
 * them (a batch of thinly spread changes spans many members).
 */
export async function sentContactsOfBatch(
  options: Pick<ImportPollerOptions, 'sql' | 'mapContact' | 'run'>,
  batch: PendingBatch,
): Promise<MappedContact[]> {
  const { sql, run } = options;
  const rows = await sql<SnapshotRow[]>`
    select ec.customer_id as "customerId", p.attributes, ec.email as "pushedEmail", ec.content_hash as "pushedHash",
      ec.state as "pushedState", ec.contact_id as "contactId", ec.pushed_run_id as "pushedRunId",
      ec.skip_reason as "skipReason"
    from export_contacts ec
    left join lateral (select attributes from profiles where customer_id = ec.customer_id limit 1) p on true
    where ec.export_id = ${run.exportId} and ec.pushed_run_id = ${run.runId}
      and ec.customer_id between ${batch.firstCustomerId} and ${batch.lastCustomerId}
    order by ec.customer_id`;
  const sent: MappedContact[] = [];
  for (const row of rows) {
    const mapped = options.mapContact(row);
    if ('contact' in mapped) sent.push(mapped);
  }
  return sent;
}
