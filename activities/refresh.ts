import { log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { refreshProfileAttributeNames } from '../core/profiles/store.ts';
import { deleteQueuedRunRecord, reserveScheduledRun } from '../core/runs/lifecycle.ts';
import { refreshSegmentMembers } from '../core/segments/segment-refresh.ts';
import { SegmentRuleError } from '../core/segments/segment-rule.ts';
import type { Db, Sql } from '../db/client.ts';

export type RefreshDeps = { db: Db; sql: Sql; temporal: Client };

export type ScheduledExport = { exportId: string; exportName: string; connectionId: string; listId: string };

export function createRefreshActivities({ db, sql, temporal }: RefreshDeps) {
  return {
    /**
     * Refreshes every segment, one statement each, and the attribute names mappings choose from. A
     * segment whose stored rule no longer parses is logged and left as it was: it must not stop the others.
     */
    async refreshAllSegments(): Promise<{ segments: number; failed: number }> {
      await refreshProfileAttributeNames(sql);
      const rows = await sql<{ id: string }[]>`select id from segments order by created_at, id`;
      let failed = 0;
      for (const { id } of rows) {
        try {
          await refreshSegmentMembers(db, id);
        } catch (error) {
          if (!(error instanceof SegmentRuleError)) throw error;
          failed++;
          log.warn('Segment rule is invalid; membership left as it was', { segmentId: id, path: error.path });
        }
      }
      return { segments: rows.length - failed, failed };
    },

    /**
     * Enabled exports on live connections, by id, up to `limit` after the export `after`: ids and names
     * only, for the workflow's history.
     */
    async listScheduledExports({
      after,
      limit,
    }: {
      after: string | null;
      limit: number;
    }): Promise<ScheduledExport[]> {
      return sql<ScheduledExport[]>`
        select e.id as "exportId", e.name as "exportName", e.connection_id as "connectionId", e.list_id as "listId"
        from exports e join connections c on c.id = e.connection_id
        where e.enabled and e.deleted_at is null and c.deleted_at is null ${after ? sql`and e.id > ${after}` : sql``}
        order by e.id limit ${limit}`;
    },

    /**
     * Reserves a QUEUED scheduled run with the id the workflow chose, or returns null when the export is
     * already running (skipped, not doubled) or was disabled or deleted since it was listed. Safe to retry:
     * an attempt whose completion was lost left its run behind, and the retry finds and returns it.
     */
    async reserveScheduledRun({
      exportId,
      runId,
    }: {
      exportId: string;
      runId: string;
    }): Promise<{ runId: string } | null> {
      return reserveScheduledRun(sql, temporal, { exportId, runId });
    },

    async discardRun({ runId }: { runId: string }): Promise<void> {
      await deleteQueuedRunRecord(sql, runId);
    },
  };
}

export type RefreshActivities = ReturnType<typeof createRefreshActivities>;
