import type { Client } from '@temporalio/client';
import type { Db, Sql } from '../../db/client.ts';
import { deleteQueuedRunRecord } from '../../db/export-runs.ts';
import { refreshProfileAttributeNames } from '../../db/profiles.ts';
import { refreshSegmentMembers } from '../../db/segment-refresh.ts';
import { reserveRun } from '../run-reservation.ts';

export type RefreshDeps = { db: Db; sql: Sql; temporal: Client };

export type ScheduledExport = { exportId: string; exportName: string; connectionId: string; listId: string };

export function createRefreshActivities({ db, sql, temporal }: RefreshDeps) {
  return {
    /** Refreshes every segment, one statement each, and the attribute names mappings choose from. */
    async refreshAllSegments(): Promise<{ segments: number }> {
      await refreshProfileAttributeNames(sql);
      const rows = await sql<{ id: string }[]>`select id from segments order by created_at`;
      for (const { id } of rows) await refreshSegmentMembers(db, id);
      return { segments: rows.length };
    },

    /** Enabled exports on live connections: ids and names only, for the workflow's history. */
    async listScheduledExports(): Promise<ScheduledExport[]> {
      return sql<ScheduledExport[]>`
        select e.id as "exportId", e.name as "exportName", e.connection_id as "connectionId", e.list_id as "listId"
        from exports e join connections c on c.id = e.connection_id
        where e.enabled and e.deleted_at is null and c.deleted_at is null
        order by e.created_at`;
    },

    /** A QUEUED scheduled run, or null when the export is already running (skipped, not doubled). */
    async reserveScheduledRun({ exportId }: { exportId: string }): Promise<{ runId: string } | null> {
      const reserved = await reserveRun(sql, temporal, { exportId, trigger: 'SCHEDULED', requestedBy: null });
      return 'runId' in reserved ? reserved : null;
    },

    async discardRun({ runId }: { runId: string }): Promise<void> {
      await deleteQueuedRunRecord(sql, runId);
    },
  };
}

export type RefreshActivities = ReturnType<typeof createRefreshActivities>;
