import type { Sql } from '../../db/client.ts';

/** What the alert rules look at: a finished run's outcome, counts and what came before it. No contact data. */
export type FinishedRun = {
  id: string;
  exportId: string;
  exportName: string;
  connectionName: string;
  status: string;
  error: string | null;
  workflowId: string;
  temporalRunId: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  totalProfiles: number | null;
  sentCount: number;
  exportedCount: number;
  rejectedCount: number;
  failedCount: number;
  skippedCount: number;
  unsubscribedCount: number;
  /** Status of the export's run before this one that ended other than CANCELLED. */
  previousStatus: string | null;
  /** Members exported by the export's last successful run before this one. */
  previousSuccessProfiles: number | null;
};

/** Contacts the run processed but did not get into the list: the one place this sum is made. */
export function notExportedCount(run: FinishedRun): number {
  return run.rejectedCount + run.failedCount + run.skippedCount;
}

export function processedCount(run: FinishedRun): number {
  return run.exportedCount + notExportedCount(run);
}

export async function loadFinishedRun(sql: Sql, runId: string): Promise<FinishedRun | undefined> {
  const [run] = await sql<[FinishedRun?]>`
    select r.id, r.export_id as "exportId", e.name as "exportName", c.display_name as "connectionName",
      r.status, r.error, r.workflow_id as "workflowId", r.temporal_run_id as "temporalRunId",
      r.started_at as "startedAt", r.finished_at as "finishedAt", r.total_profiles as "totalProfiles",
      r.sent_count as "sentCount", r.exported_count as "exportedCount", r.rejected_count as "rejectedCount",
      r.failed_count as "failedCount", r.skipped_count as "skippedCount",
      r.unsubscribed_count as "unsubscribedCount",
      (select p.status from export_runs p where p.export_id = r.export_id and p.id <> r.id
         and p.created_at < r.created_at and p.status in ('SUCCEEDED', 'FAILED', 'TIMED_OUT')
       order by p.created_at desc limit 1) as "previousStatus",
      (select p.total_profiles from export_runs p where p.export_id = r.export_id and p.id <> r.id
         and p.created_at < r.created_at and p.status = 'SUCCEEDED'
       order by p.created_at desc limit 1) as "previousSuccessProfiles"
    from export_runs r join exports e on e.id = r.export_id join connections c on c.id = e.connection_id
    where r.id = ${runId}`;
  return run;
}
