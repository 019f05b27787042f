import { log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db, Sql } from '../db/client.ts';
import { abandonRunRecord, deleteQueuedRunRecord } from '../core/runs/lifecycle.ts';
import { refreshProfileAttributeNames } from '../core/profiles/store.ts';
import { refreshSegmentMembers } from '../core/segments/segment-refresh.ts';
import { SegmentRuleError } from '../core/segments/segment-rule.ts';
import { exportWorkflowId } from '../temporal.config.ts';
import { isExportWorkflowRunning } from './run-reservation.ts';

export type RefreshDeps = { db: Db; sql: Sql; temporal: Client };

export type ScheduledExport = { exportId: string; exportName: string; connectionId: string; listId: string };

export function createRefreshActivities({ db, sql, temporal }: RefreshDeps) {
  /** Inserts the QUEUED run with the given id if the export is still enabled and has no active run. */
  async function insertScheduledRun(exportId: string, runId: string): Promise<boolean> {
    const inserted = await sql`
      insert into export_runs (id, export_id, trigger, workflow_id)
      select ${runId}::uuid, e.id, 'SCHEDULED', ${exportWorkflowId(exportId)}
      from exports e join connections c on c.id = e.connection_id
      where e.id = ${exportId} and e.enabled and e.deleted_at is null and c.deleted_at is null
      on conflict (export_id) where status in ('QUEUED', 'RUNNING') do nothing
      returning id`;
    return inserted.length > 0;
  }

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
      const [own] = await sql<[{ status: string }?]>`select status from export_runs where id = ${runId}`;
      if (own) return own.status === 'QUEUED' ? { runId } : null;
      if (await insertScheduledRun(exportId, runId)) return { runId };
      const [active] = await sql<[{ id: string }?]>`
        select id from export_runs where export_id = ${exportId} and status in ('QUEUED', 'RUNNING')`;
      if (!active) return (await insertScheduledRun(exportId, runId)) ? { runId } : null;
      if (await isExportWorkflowRunning(temporal, exportId)) return null;
      // An active run whose workflow is gone (terminated from outside) must not block the export forever.
      await abandonRunRecord(sql, active.id);
      return (await insertScheduledRun(exportId, runId)) ? { runId } : null;
    },

    async discardRun({ runId }: { runId: string }): Promise<void> {
      await deleteQueuedRunRecord(sql, runId);
    },
  };
}

export type RefreshActivities = ReturnType<typeof createRefreshActivities>;
