import { log } from '@temporalio/activity';
import { listScheduledExports, type ScheduledExport } from '../core/refresh/scheduled-exports.ts';
import { deleteQueuedRunRecord } from '../core/runs/lifecycle.ts';
import type { ScheduledTrigger } from '../core/runs/run-status.ts';
import { refreshAllSegments } from '../core/segments/segment-refresh.ts';
import type { Client } from '../core/temporal/client.ts';
import { reserveScheduledRun } from '../core/temporal/export-runs.ts';
import type { Db, Sql } from '../db/client.ts';
import { withHeartbeat } from './heartbeat.ts';

export type RefreshDeps = {
  db: Db;
  sql: Sql;
  temporal: Client;
  /** Each segment's refresh budget (OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS). */
  segmentRefreshTimeLimitMs: number;
};

export function createRefreshActivities({ db, sql, temporal, segmentRefreshTimeLimitMs }: RefreshDeps) {
  return {
    /**
     * Refreshes every segment, one statement each, and the attribute names mappings choose from. A
     * segment whose stored rule no longer parses, or whose refresh runs past its time budget, is logged
     * (ids only) and left as it was: it must not stop or delay the others. Cancellable, also mid-statement.
     */
    async refreshAllSegments(): Promise<{ segments: number; failed: number }> {
      // Heartbeats how many segments are done, and while a segment's statements are seen executing.
      return withHeartbeat({ done: 0 }, ({ progress, liveness, signal }) =>
        refreshAllSegments(db, sql, {
          timeLimitMs: segmentRefreshTimeLimitMs,
          onFailure: (failure) =>
            failure.reason === 'timeLimit'
              ? log.warn('Segment refresh ran past its time limit; membership left as it was', {
                  segmentId: failure.segmentId,
                  timeLimitMs: segmentRefreshTimeLimitMs,
                })
              : log.warn('Segment rule is invalid; membership left as it was', {
                  segmentId: failure.segmentId,
                  path: failure.path,
                }),
          onProgress: progress,
          liveness,
          signal,
        }),
      );
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
      return listScheduledExports(sql, { after, limit });
    },

    /**
     * Reserves a QUEUED scheduled run with the id the workflow chose, or returns null when the export is
     * already running (skipped, not doubled) or was disabled or deleted since it was listed. Safe to retry:
     * an attempt whose completion was lost left its run behind, and the retry finds and returns it.
     */
    async reserveScheduledRun(input: {
      exportId: string;
      runId: string;
      /** SCHEDULED unless a source's change started it. */
      trigger?: ScheduledTrigger;
    }): Promise<{ runId: string } | null> {
      return reserveScheduledRun(sql, temporal, input);
    },

    async discardRun({ runId }: { runId: string }): Promise<void> {
      await deleteQueuedRunRecord(sql, runId);
    },
  };
}

export type RefreshActivities = ReturnType<typeof createRefreshActivities>;
