import { sql as fragment } from 'drizzle-orm';
import type { Db, Sql } from '../../db/client.ts';
import { refreshProfileAttributeNames } from '../profiles/store.ts';
import { parseSegmentRule, SegmentRuleError, segmentMembersSelect } from './segment-rule.ts';

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
): Promise<RefreshedSegment> {
  return db.transaction(async (tx) => {
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
  });
}

/**
 * Refreshes every segment, one statement each, and the attribute names mappings choose from. A
 * segment whose stored rule no longer parses is reported to `onInvalidRule` and left as it was: it must
 * not stop the others.
 */
export async function refreshAllSegments(
  db: Pick<Db, 'transaction'>,
  sql: Sql,
  onInvalidRule: (segmentId: string, path: SegmentRuleError['path']) => void,
): Promise<{ segments: number; failed: number }> {
  await refreshProfileAttributeNames(sql);
  const rows = await sql<{ id: string }[]>`select id from segments order by created_at, id`;
  let failed = 0;
  for (const { id } of rows) {
    try {
      await refreshSegmentMembers(db, id);
    } catch (error) {
      if (!(error instanceof SegmentRuleError)) throw error;
      failed++;
      onInvalidRule(id, error.path);
    }
  }
  return { segments: rows.length - failed, failed };
}
