import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { exports } from '../../db/schema.ts';
import { hotQueries } from './hot-queries.ts';

export type { FieldMapping } from '../../db/schema.ts';
export type ExportRow = typeof exports.$inferSelect;
export type ExportValues = typeof exports.$inferInsert;

export type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A page's where clause and order, built by the caller over the list's keyset. */
type PageClauses = { where: SQL | undefined; orderBy: SQL[] };

/**
 * What the caller does in a write's transaction: `before` the write (say, locking the connection
 * it names), `after` it (the audit event); all of it lands together or not at all.
 */
export type AlsoInTransaction<Row> = {
  before: (tx: Transaction) => Promise<void>;
  after: (tx: Transaction, row: Row) => Promise<void>;
};

const live = isNull(exports.deletedAt);

export async function findLiveExport(db: Db, id: string): Promise<ExportRow | undefined> {
  const [row] = await db
    .select()
    .from(exports)
    .where(and(eq(exports.id, id), live));
  return row;
}

/** Whether the export exists, deleted or not: a deleted export still names its place in the list. */
export async function exportExists(db: Db, id: string): Promise<boolean> {
  return (await db.$count(exports, eq(exports.id, id))) > 0;
}

export const countLiveExports = (db: Db): Promise<number> => db.$count(exports, live);

/** Live exports, newest first: without `clauses` the first page (the prepared query), else the page they build. */
export function liveExportsPage(
  db: Db,
  limit: number,
  clauses?: (table: typeof exports) => PageClauses,
): Promise<ExportRow[]> {
  if (!clauses) return hotQueries(db).liveExports.execute({ limit });
  const { where, orderBy } = clauses(exports);
  return db
    .select()
    .from(exports)
    .where(and(live, where))
    .orderBy(...orderBy)
    .limit(limit);
}

export function insertExport(
  db: Db,
  values: ExportValues,
  also: AlsoInTransaction<ExportRow>,
): Promise<ExportRow> {
  return db.transaction(async (tx) => {
    await also.before(tx);
    const [created] = await tx.insert(exports).values(values).returning();
    if (!created) throw new Error('insert returned no row');
    await also.after(tx, created);
    return created;
  });
}

/**
 * Writes only the fields given: a concurrent edit of the others (say, an admin disabling it) stands.
 * Undefined when the export was deleted meanwhile.
 */
export function updateLiveExport(
  db: Db,
  id: string,
  given: Partial<ExportValues>,
  also: AlsoInTransaction<ExportRow>,
): Promise<ExportRow | undefined> {
  return db.transaction(async (tx) => {
    await also.before(tx);
    const [updated] = await tx
      .update(exports)
      .set({ ...given, updatedAt: new Date() })
      .where(and(eq(exports.id, id), live))
      .returning();
    if (updated) await also.after(tx, updated);
    return updated;
  });
}

/** Marks the export deleted and disabled (its runs and history stay). */
export async function deleteExport(
  db: Db,
  id: string,
  alsoInTransaction: (tx: Transaction) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(exports).set({ deletedAt: new Date(), enabled: false }).where(eq(exports.id, id));
    await alsoInTransaction(tx);
  });
}
