import type { Sql } from '../../db/client.ts';

export type ScheduledExport = { exportId: string; exportName: string; connectionId: string; listId: string };

/**
 * Enabled exports on live connections, by id, up to `limit` after the export `after`: ids and names
 * only, for the refresh workflow's history.
 */
export async function listScheduledExports(
  sql: Sql,
  { after, limit }: { after: string | null; limit: number },
): Promise<ScheduledExport[]> {
  return sql<ScheduledExport[]>`
    select e.id as "exportId", e.name as "exportName", e.connection_id as "connectionId", e.list_id as "listId"
    from exports e join connections c on c.id = e.connection_id
    where e.enabled and e.deleted_at is null and c.deleted_at is null ${after ? sql`and e.id > ${after}` : sql``}
    order by e.id limit ${limit}`;
}
