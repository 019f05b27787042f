import { sql as fragment } from 'drizzle-orm';
import type { Db, Sql } from '../../db/client.ts';
import { type Liveness, noLiveness } from '../liveness.ts';
import { refreshProfileAttributeNames } from '../profiles/store.ts';
import { parseSegmentRule, SegmentRuleError, segmentMembersSelect } from './segment-rule.ts';
import { type StatementWatch, watchBackend } from './statement-watch.ts';

export type RefreshedSegment = { id: string; generation: number; memberCount: number; refreshedAt: Date };

/**
 * Materializes a segment's membership as a new generation in one INSERT … SELECT, then retires the
 * generations no active run has pinned. The segment row stays locked meanwhile, so a run that is
 * pinning its snapshot waits and then sees either the old generation (kept) or the new one. Given a
 * transaction, it runs in a savepoint of it. Ends with fresh statistics of the members table.
 */
export async function refreshSegmentMembers(
  db: Pick<Db, 'transaction'>,
  segmentId: string,
  watch?: StatementWatch,
): Promise<RefreshedSegment> {
  return db.transaction(async (tx) => {
    if (!watch) return refreshInTransaction(tx, segmentId);
    const [backend] = await tx.execute<{ pid: number }>(fragment`select pg_backend_pid() as pid`);
    return watchBackend(watch, Number(backend?.pid), () => refreshInTransaction(tx, segmentId));
  });
}

type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

async function refreshInTransaction(tx: Transaction, segmentId: string): Promise<RefreshedSegment> {
  const [segment] = await tx.execute<{ rule: unknown; generation: number }>(
    fragment`select rule, generation from segments where id = ${segmentId} for update`,
  );
  if (!segment) throw new Error(`No segment with id ${segmentId}.`);
  const generation = segment.generation + 1;
  const inserted = await tx.execute(
    fragment`insert into segment_members (segment_id, generation, customer_id) ${segmentMembersSelect(parseSegmentRule(segment.rule), segmentId, generation)}`,
  );
  const [updated] = await tx.execute<RefreshedSegment>(fragment`
    update segments set generation = ${generation}, member_count = ${inserted.count}, refreshed_at = now()
    where id = ${segmentId}
    returning id, generation, member_count as "memberCount", refreshed_at as "refreshedAt"`);
  await tx.execute(fragment`
    delete from segment_members m
    where m.segment_id = ${segmentId} and m.generation < ${generation}
      and m.generation not in (
        select (pinned->>'generation')::int from export_runs r, jsonb_array_elements(r.snapshot) pinned
        where r.status in ('QUEUED', 'RUNNING') and pinned->>'segmentId' = ${segmentId})`);
  // Statistics that know the new generation before any run pages through it: without them the
  // planner takes it for a few rows and sorts everything after the cursor for each page.
  await tx.execute(fragment`analyze segment_members`);
  return updated as RefreshedSegment;
}

export type RefreshAllOptions = {
  /** A segment whose stored rule no longer parses: left as it was, it must not stop the others. */
  onInvalidRule: (segmentId: string, path: SegmentRuleError['path']) => void;
  /** After each segment: how many are done (refreshed or left as they were) of how many. */
  onProgress?: (progress: { done: number; of: number }) => void;
  /** Told while a segment's statements are seen executing; `signal` cancels them (see watchBackend). */
  liveness?: Liveness;
  signal?: AbortSignal;
};

/** Refreshes every segment, one statement each, and the attribute names mappings choose from. */
export async function refreshAllSegments(
  db: Pick<Db, 'transaction'>,
  sql: Sql,
  { onInvalidRule, onProgress = () => {}, liveness = noLiveness, signal }: RefreshAllOptions,
): Promise<{ segments: number; failed: number }> {
  await refreshProfileAttributeNames(sql);
  const rows = await sql<{ id: string }[]>`select id from segments order by created_at, id`;
  let failed = 0;
  for (const [index, { id }] of rows.entries()) {
    signal?.throwIfAborted();
    try {
      await refreshSegmentMembers(db, id, { sql, liveness, signal });
    } catch (error) {
      signal?.throwIfAborted(); // a statement cancelled on purpose fails with Postgres' error
      if (!(error instanceof SegmentRuleError)) throw error;
      failed++;
      onInvalidRule(id, error.path);
    }
    onProgress({ done: index + 1, of: rows.length });
  }
  return { segments: rows.length - failed, failed };
}
