import type { Sql } from '../../db/client.ts';

/**
 * How many exports on admin-only connections (contributorsCanUse false) export the segment, enabled or
 * not. Such a segment shapes what reaches an account contributors may not use, so only admins may
 * change or refresh it.
 */
export async function adminOnlyExportsUsing(sql: Sql, segmentId: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count
    from exports e join connections c on c.id = e.connection_id
    where e.deleted_at is null and c.deleted_at is null and not c.contributors_can_use
      and ${segmentId}::uuid = any(e.segment_ids)`;
  return row?.count ?? 0;
}
