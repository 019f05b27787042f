import { and, eq, sql as fragment, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { exports, segments } from '../../db/schema.ts';
import { keysetPage, newestFirst, type PageRequest } from '../paging/keyset.ts';
import { refreshSegmentMembers, SegmentRefreshTimeoutError } from './segment-refresh.ts';
import { compileSegmentRule, type SegmentRule } from './segment-rule.ts';

type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

export type SegmentRow = typeof segments.$inferSelect;

export async function findSegment(db: Db, id: string): Promise<SegmentRow | undefined> {
  const [row] = await db.select().from(segments).where(eq(segments.id, id));
  return row;
}

/** One page of the segments, newest first. */
export function segmentPage(db: Db, page: PageRequest): Promise<SegmentRow[]> {
  const { where, orderBy } = keysetPage(page, newestFirst(segments));
  return db
    .select()
    .from(segments)
    .where(where)
    .orderBy(...orderBy)
    .limit(page.limit);
}

export function countSegments(db: Db): Promise<number> {
  return db.$count(segments);
}

/**
 * Saves the segment and materializes its first membership; `alsoInTransaction` (the audit event)
 * lands with them or not at all. A refresh past `timeLimitMs` fails it (SegmentRefreshTimeoutError).
 */
export async function createSegment(
  db: Db,
  segment: { name: string; rule: SegmentRule },
  {
    timeLimitMs,
    alsoInTransaction,
  }: {
    timeLimitMs: number;
    alsoInTransaction: (tx: Transaction, created: { id: string; memberCount: number }) => Promise<void>;
  },
): Promise<string> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(segments).values(segment).returning({ id: segments.id });
    if (!created) throw new Error('insert returned no row');
    const { memberCount } = await refreshSegmentMembers(tx, created.id, { timeLimitMs, whenBusy: 'fail' });
    await alsoInTransaction(tx, { id: created.id, memberCount });
    return created.id;
  });
}

/** Segments by id, by name (the database's collation). */
export function segmentsByIdsByName(db: Db, ids: string[]): Promise<SegmentRow[]> {
  return db.select().from(segments).where(inArray(segments.id, ids)).orderBy(segments.name);
}

/** The live (not deleted) exports that export the segment, by name. */
export async function exportsUsingSegment(
  db: Pick<Db, 'select'>,
  segmentId: string,
): Promise<Array<{ id: string; name: string }>> {
  return db
    .select({ id: exports.id, name: exports.name })
    .from(exports)
    .where(and(isNull(exports.deletedAt), fragment`${segmentId}::uuid = any(${exports.segmentIds})`))
    .orderBy(exports.name);
}

/**
 * Renames the segment and/or gives it a new rule; a new rule is materialized at once, in the same
 * transaction (a refresh already running makes it fail: SegmentRefreshBusyError). `alsoInTransaction`
 * (the audit event) lands with it or not at all. Undefined when there is no such segment.
 */
export async function changeSegment(
  db: Db,
  id: string,
  change: { name?: string; rule?: SegmentRule },
  {
    timeLimitMs,
    alsoInTransaction,
  }: { timeLimitMs: number; alsoInTransaction: (tx: Transaction) => Promise<void> },
): Promise<SegmentRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(segments)
      .set({
        ...(change.name !== undefined && { name: change.name }),
        ...(change.rule && { rule: change.rule }),
      })
      .where(eq(segments.id, id))
      .returning();
    if (!row) return undefined;
    if (change.rule) await refreshSegmentMembers(tx, id, { timeLimitMs, whenBusy: 'fail' });
    await alsoInTransaction(tx);
    const [changed] = await tx.select().from(segments).where(eq(segments.id, id));
    return changed;
  });
}

export type SegmentDeletion =
  | { deleted: true }
  | { deleted: false; usedBy: Array<{ id: string; name: string }> };

/**
 * Deletes the segment with its members unless an export still exports it (then says which). The
 * segment row is locked first, so a concurrent refresh or change finishes before or waits.
 */
export async function deleteSegmentUnlessExported(
  db: Db,
  id: string,
  alsoInTransaction: (tx: Transaction) => Promise<void>,
): Promise<SegmentDeletion> {
  return db.transaction(async (tx) => {
    await tx.execute(fragment`select 1 from segments where id = ${id} for update`);
    const usedBy = await exportsUsingSegment(tx, id);
    if (usedBy.length > 0) return { deleted: false, usedBy };
    await tx.delete(segments).where(eq(segments.id, id));
    await alsoInTransaction(tx);
    return { deleted: true };
  });
}

/** How many profiles the rule matches now, without saving anything (a statement under `timeLimitMs`). */
export async function countRuleMatches(db: Db, rule: SegmentRule, timeLimitMs: number): Promise<number> {
  const count = db.transaction(async (tx) => {
    await tx.execute(
      fragment`select set_config('statement_timeout', ${String(timeLimitMs)}, true), set_config('jit', 'off', true)`,
    );
    const [row] = await tx.execute<{ count: number }>(
      fragment`select count(*)::int as count from profiles where ${compileSegmentRule(rule)}`,
    );
    return Number(row?.count ?? 0);
  });
  return count.catch((error) => {
    for (let e = error; e instanceof Error; e = e.cause) {
      if ((e as { code?: string }).code === '57014')
        throw new SegmentRefreshTimeoutError('preview', timeLimitMs);
    }
    throw error;
  });
}
