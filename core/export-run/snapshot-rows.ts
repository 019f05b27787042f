import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../../db/client.ts';

export type SegmentSnapshot = Array<{ segmentId: string; generation: number }>;
/** A member with its profile (null if deleted since) and what the export last pushed for it. */
export type SnapshotRow = {
  customerId: string;
  attributes: Record<string, unknown> | null;
  pushedEmail: string | null;
  pushedHash: string | null;
  pushedState: 'member' | 'left' | 'unsubscribed' | null;
  contactId: string | null;
  pushedRunId: string | null;
  /** Why ActiveCampaign refused the last push for good, if it did. */
  skipReason?: string | null;
};
/** Up to `limit` members after the customer id `after` (exclusive). */
export type SnapshotRange = { after?: string | null; limit: number };

type Fragment = PendingQuery<Row[]>;

function union(sql: Sql, parts: Fragment[]): Fragment {
  return parts.reduce((joined, part) => sql`${joined} union ${part}`);
}

/**
 * Distinct members of the snapshot's segment generations within the range, in customer-id order.
 * Each segment is an ordered index range scan with its own limit, so a read costs O(limit) however
 * large the segments are.
 */
export async function readSnapshotRows(
  sql: Sql,
  exportId: string,
  snapshot: SegmentSnapshot,
  range: SnapshotRange,
): Promise<SnapshotRow[]> {
  const after = range.after == null ? sql`` : sql`and customer_id > ${range.after}`;
  const perSegment = snapshot.map(
    ({ segmentId, generation }) => sql`(select customer_id from segment_members
      where segment_id = ${segmentId} and generation = ${generation} ${after}
      order by customer_id limit ${range.limit})`,
  );
  // One index probe per member whatever the statistics say (limit 1 keeps the planner from flattening
  // the lateral lookups into joins): a planner that trusts them may hash both tables whole per read.
  return sql<SnapshotRow[]>`
    select m.customer_id as "customerId", p.attributes, ec.email as "pushedEmail", ec.content_hash as "pushedHash",
      ec.state as "pushedState", ec.contact_id as "contactId", ec.pushed_run_id as "pushedRunId",
      ec.skip_reason as "skipReason"
    from (select customer_id from (${union(sql, perSegment)}) u order by customer_id limit ${range.limit}) m
    left join lateral (select attributes from profiles where customer_id = m.customer_id limit 1) p on true
    left join lateral (select email, content_hash, state, contact_id, pushed_run_id, skip_reason from export_contacts
      where export_id = ${exportId} and customer_id = m.customer_id limit 1) ec on true
    order by m.customer_id`;
}

export async function countSnapshot(sql: Sql, snapshot: SegmentSnapshot): Promise<number> {
  const perSegment = snapshot.map(
    ({ segmentId, generation }) =>
      sql`select customer_id from segment_members where segment_id = ${segmentId} and generation = ${generation}`,
  );
  const [row] = await sql<[{ n: number }]>`select count(*)::int as n from (${union(sql, perSegment)}) u`;
  return row.n;
}
