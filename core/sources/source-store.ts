import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sourceSyncs, sources } from '../../db/schema.ts';
import { keysetPage, type PageRequest } from '../paging/keyset.ts';

export type { SourceColumn } from '../../db/schema.ts';
export type SourceRow = typeof sources.$inferSelect;
export type SourceSyncRow = typeof sourceSyncs.$inferSelect;

/** What a caller writes with a change (the audit event): it lands with it or not at all. */
type AlsoInTransaction = (tx: Pick<Db, 'insert'>) => Promise<void>;

/** Every source, oldest first. */
export function listSources(db: Db): Promise<SourceRow[]> {
  return db.select().from(sources).orderBy(sources.createdAt, sources.id);
}

export async function findSource(db: Db, id: string): Promise<SourceRow | undefined> {
  const [row] = await db.select().from(sources).where(eq(sources.id, id));
  return row;
}

export async function insertSource(
  db: Db,
  values: typeof sources.$inferInsert,
  alsoInTransaction: (tx: Pick<Db, 'insert'>, created: SourceRow) => Promise<void>,
): Promise<SourceRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(sources).values(values).returning();
    if (!created) throw new Error('insert returned no row');
    await alsoInTransaction(tx, created);
    return created;
  });
}

/** The source with `changes` applied; undefined when there is no such source. */
export async function changeSource(
  db: Db,
  id: string,
  changes: Partial<SourceRow>,
  alsoInTransaction: AlsoInTransaction,
): Promise<SourceRow | undefined> {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(sources)
      // The database's clock, as the syncs' started_at: a sync compares the two to see the source changed.
      .set({ ...changes, updatedAt: sql`clock_timestamp()` })
      .where(eq(sources.id, id))
      .returning();
    if (updated) await alsoInTransaction(tx);
    return updated;
  });
}

/**
 * Deletes the source and its sync history. Its profiles stay in the store, owned by no source; the
 * source is locked first, so a sync swapping in finishes before or finds it gone.
 */
export async function deleteSource(db: Db, id: string, alsoInTransaction: AlsoInTransaction): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select id from sources where id = ${id} for update`);
    await tx.execute(sql`update profiles set source_id = null where source_id = ${id}`);
    await tx.delete(sources).where(eq(sources.id, id));
    await alsoInTransaction(tx);
  });
}

export async function findSourceSync(db: Db, id: string): Promise<SourceSyncRow | undefined> {
  const [row] = await db.select().from(sourceSyncs).where(eq(sourceSyncs.id, id));
  return row;
}

/** Removes a sync whose workflow could not be started. */
export async function deleteSourceSync(db: Db, id: string): Promise<void> {
  await db.delete(sourceSyncs).where(eq(sourceSyncs.id, id));
}

/** A running sync older than any start of its workflow can take (startOnceClosed waits up to 10 s). */
export const orphanedSyncAfterMs = 60_000;

/**
 * Fails the source's running sync when it is older than orphanedSyncAfterMs: for a caller that found
 * no workflow running for it (its start never happened). True when one was failed.
 */
export async function failOrphanedSourceSync(db: Db, sourceId: string): Promise<boolean> {
  const failed = await db
    .update(sourceSyncs)
    .set({
      status: 'FAILED',
      error: 'Its workflow never started (the API stopped while starting it).',
      finishedAt: sql`now()`,
    })
    .where(
      and(
        eq(sourceSyncs.sourceId, sourceId),
        eq(sourceSyncs.status, 'RUNNING'),
        sql`${sourceSyncs.startedAt} < now() - make_interval(secs => ${orphanedSyncAfterMs / 1000})`,
      ),
    )
    .returning({ id: sourceSyncs.id });
  return failed.length > 0;
}

export async function lastSourceSync(db: Db, sourceId: string): Promise<SourceSyncRow | undefined> {
  const [last] = await db
    .select()
    .from(sourceSyncs)
    .where(eq(sourceSyncs.sourceId, sourceId))
    .orderBy(desc(sourceSyncs.startedAt), desc(sourceSyncs.id))
    .limit(1);
  return last;
}

/** One page of the source's syncs, newest first. */
export function sourceSyncPage(db: Db, sourceId: string, page: PageRequest): Promise<SourceSyncRow[]> {
  const { where, orderBy } = keysetPage(page, {
    columns: [sourceSyncs.startedAt, sourceSyncs.id],
    direction: 'desc',
    position: (cursor) => sql`(select t.started_at, t.id from source_syncs t where t.id = ${cursor})`,
  });
  return db
    .select()
    .from(sourceSyncs)
    .where(and(eq(sourceSyncs.sourceId, sourceId), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

export function countSourceSyncs(db: Db, sourceId: string): Promise<number> {
  return db.$count(sourceSyncs, eq(sourceSyncs.sourceId, sourceId));
}
