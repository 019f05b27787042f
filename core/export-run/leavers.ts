import type { TransactionSql } from 'postgres';
import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import type { SegmentSnapshot } from './snapshot-rows.ts';

/** `ec` (an export_contacts row) is a member of one of the snapshot's segment generations. */
function inSnapshot(sql: Sql, snapshot: SegmentSnapshot) {
  return snapshot
    .map(
      ({ segmentId, generation }) => sql`exists (select 1 from segment_members sm
        where sm.segment_id = ${segmentId} and sm.generation = ${generation} and sm.customer_id = ec.customer_id)`,
    )
    .reduce((any, condition) => sql`${any} or ${condition}`);
}

/**
 * Fresh statistics for picking leavers to unsubscribe: right after a push they are stale, and the
 * planner then picks a nested loop that is quadratic in the list size (30 s instead of 15 ms at
 * 20,000). Those of segment_members are refreshed with each generation (refreshSegmentMembers).
 */
export async function analyzeExportContacts(sql: Sql): Promise<void> {
  await sql`analyze export_contacts`;
}

/**
 * Runs a statement over all of an export's members as a hash or merge anti-join, linear whatever the
 * statistics say: no need to analyze both tables first.
 */
async function withoutNestedLoops<T>(sql: Sql, statement: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`set local enable_nestloop = off`;
    return statement(tx);
  }) as Promise<T>;
}

/** Contacts this export put on the list, and those of them who are no longer in the segments. */
export async function countLeavers(sql: Sql, exportId: string, snapshot: SegmentSnapshot) {
  const [row] = await withoutNestedLoops(
    sql,
    (tx) => tx<[{ members: number; leavers: number }]>`
      select count(*)::int as members, count(*) filter (where not (${inSnapshot(sql, snapshot)}))::int as leavers
      from export_contacts ec where ec.export_id = ${exportId} and ec.state = 'member'`,
  );
  return row;
}

/** KEEP: leavers stay on the list; the export only stops counting them as members. */
export async function markLeaversKept(sql: Sql, runId: string, exportId: string, snapshot: SegmentSnapshot) {
  await withoutNestedLoops(
    sql,
    (tx) => tx`
      with left_segment as (
        update export_contacts ec set state = 'left', left_run_id = ${runId}, updated_at = now()
        where ec.export_id = ${exportId} and ec.state = 'member' and not (${inSnapshot(sql, snapshot)})
        returning 1)
      update export_runs set leaver_count = leaver_count + (select count(*) from left_segment) where id = ${runId}`,
  );
}

type Leaver = { customerId: string; email: string };

async function nextLeavers(
  sql: Sql,
  exportId: string,
  snapshot: SegmentSnapshot,
  limit: number,
): Promise<Leaver[]> {
  return sql<Leaver[]>`
    select ec.customer_id as "customerId", ec.email from export_contacts ec
    where ec.export_id = ${exportId} and ec.state = 'member' and not (${inSnapshot(sql, snapshot)})
    order by ec.customer_id limit ${limit}`;
}

/**
 * Which of these (lowercased) emails a member of the snapshot has. A contact is one per email: a leaver
 * whose email a member now has (a duplicate, or an email moved to another profile) leaves it to them.
 */
async function emailsOfMembers(
  sql: Sql,
  exportId: string,
  snapshot: SegmentSnapshot,
  emails: string[],
): Promise<Set<string>> {
  const rows = await sql<Array<{ email: string }>>`
    select distinct e.email
    from export_contacts ec join unnest(${emails}::text[]) as e(email) on lower(ec.email) = e.email
    where ec.export_id = ${exportId} and ec.state = 'member' and (${inSnapshot(sql, snapshot)})`;
  return new Set(rows.map((r) => r.email));
}

async function recordLeaver(
  sql: Sql,
  runId: string,
  exportId: string,
  leaver: Leaver,
  unsubscribedContactId: string | null,
) {
  await sql.begin(async (tx) => {
    await tx`
      update export_contacts set state = ${unsubscribedContactId ? 'unsubscribed' : 'left'}, left_run_id = ${runId},
        contact_id = coalesce(${unsubscribedContactId}, contact_id), content_hash = null, updated_at = now()
      where export_id = ${exportId} and customer_id = ${leaver.customerId}`;
    await tx`
      update export_runs set leaver_count = leaver_count + 1,
        unsubscribed_count = unsubscribed_count + ${unsubscribedContactId ? 1 : 0}
      where id = ${runId}`;
  });
}

type LeaverBatchOptions = {
  sql: Sql;
  client: ActiveCampaignClient;
  runId: string;
  exportId: string;
  snapshot: SegmentSnapshot;
};

/**
 * Takes the next `limit` leavers and hands each one whose email no member keeps to `handle` (which
 * returns the contact id it unsubscribed, if any); each leaver is recorded as soon as it is handled, so
 * a retry continues with the rest. Returns how many it took (0: done).
 */
async function handleNextLeavers(
  options: LeaverBatchOptions,
  limit: number,
  handle: (leaver: Leaver) => Promise<string | null>,
): Promise<number> {
  const { sql, runId, exportId, snapshot } = options;
  const leavers = await nextLeavers(sql, exportId, snapshot, limit);
  if (!leavers.length) return 0;
  const keptByMembers = await emailsOfMembers(
    sql,
    exportId,
    snapshot,
    leavers.map((l) => l.email.toLowerCase()),
  );
  for (const leaver of leavers) {
    const contactId = keptByMembers.has(leaver.email.toLowerCase()) ? null : await handle(leaver);
    await recordLeaver(sql, runId, exportId, leaver, contactId);
  }
  return leavers.length;
}

/**
 * UNSUBSCRIBE: sets list status 2 for each leaver who is still subscribed, unless a member has the same
 * email. A contact who is not subscribed any more (they unsubscribed themselves, or were removed) is
 * left exactly as it is — their choice stands — and nobody is ever set back to subscribed. Returns how
 * many it handled (0: done).
 */
export function unsubscribeLeavers(
  options: LeaverBatchOptions & { listId: string },
  limit: number,
): Promise<number> {
  const { client, listId } = options;
  return handleNextLeavers(options, limit, async (leaver) => {
    const subscribed = await client.findContactByEmail(leaver.email, { listId, status: 1 });
    if (!subscribed) return null;
    await client.setListStatus(listId, subscribed.id, 2);
    return subscribed.id;
  });
}

/**
 * REMOVE_TAGS: removes the export's tags (`tagIds`) from each leaver's contact, unless a member has the
 * same email; the contact stays subscribed. Returns how many it handled (0: done).
 */
export function untagLeavers(
  options: LeaverBatchOptions,
  tagIds: Set<string>,
  limit: number,
): Promise<number> {
  const { client } = options;
  return handleNextLeavers(options, limit, async (leaver) => {
    const contact = await client.findContactByEmail(leaver.email);
    if (contact) {
      for (const contactTag of await client.contactTags(contact.id)) {
        if (tagIds.has(contactTag.tag)) await client.removeContactTag(contactTag.id);
      }
    }
    return null;
  });
}
