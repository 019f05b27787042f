import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { connections, segments } from '../../db/schema.ts';

/** The connection an export would send through, unless it was deleted. */
export async function findLiveConnection(
  db: Db,
  id: string,
): Promise<typeof connections.$inferSelect | undefined> {
  const [connection] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, id), isNull(connections.deletedAt)));
  return connection;
}

/** The first of `ids` no segment has, if any. */
export async function missingSegmentId(db: Db, ids: string[]): Promise<string | undefined> {
  const found = await db.select({ id: segments.id }).from(segments).where(inArray(segments.id, ids));
  return ids.find((id) => !found.some((s) => s.id === id));
}
