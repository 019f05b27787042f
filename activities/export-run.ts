import { log } from '@temporalio/activity';
import type { Connector } from '../core/activecampaign/connector.ts';
import { awaitImports } from '../core/export-run/await-imports.ts';
import { handleLeavers } from '../core/export-run/handle-leavers.ts';
import { loadOpenableRun, type PreparedRun, preparedRun } from '../core/export-run/open-run.ts';
import { prepareRun } from '../core/export-run/prepare-run.ts';
import { pushPage } from '../core/export-run/push-page.ts';
import type { Metrics } from '../core/observability/metrics.ts';
import { finishRunRecord } from '../core/runs/lifecycle.ts';
import type { RunOutcomeStatus } from '../core/runs/run-status.ts';
import type { SecretBox } from '../core/secrets.ts';
import type { Sql } from '../db/client.ts';
import { toActivityFailure } from './failures.ts';
import { type Heartbeat, withHeartbeat } from './heartbeat.ts';

export type ExportRunDeps = {
  sql: Sql;
  secrets: SecretBox;
  connect: Connector;
  maxProfilesPerExport: number;
  /** Share of the export's list members a run may unsubscribe without explicit confirmation. */
  unsubscribeGuardShare: number;
  /** First poll of an accepted import, and the pause between polls while it is not completed. */
  importPollMs: number;
  importWaitLimitMs: number;
  /** Counted failures a contact gets with unchanged data before it is skipped (OUTBOUND_MAX_CONTACT_ATTEMPTS). */
  maxContactAttempts: number;
  /** Runs started and finished, contacts, imports, ActiveCampaign requests (the worker's `/metrics`). */
  metrics?: Metrics;
};

export type RunRef = { runId: string };
/** A page ends after `pageContacts` members or, at the end of the rows read at once, after `pageMs`. */
export type PushPageInput = RunRef & { pageContacts: number; pageMs: number };
export type PushPageResult = { done: boolean };
export type FinishRunInput = RunRef & { status: RunOutcomeStatus; error: string | null };

export function createExportRunActivities(deps: ExportRunDeps) {
  const { sql } = deps;

  async function openRun(runId: string, heartbeat?: Heartbeat) {
    const run = await loadOpenableRun(sql, runId).catch((e) => {
      throw toActivityFailure(e);
    });
    const apiKey = await deps.secrets.decrypt(run.apiKeyCiphertext).catch((e) => {
      throw toActivityFailure(e);
    });
    const client = await deps.connect({ apiHost: run.apiHost, apiKey }).catch((e) => {
      throw toActivityFailure(e);
    });
    return { run, client: heartbeat ? client.withSignal(heartbeat.signal, heartbeat.liveness) : client };
  }

  /**
   * Runs `work` heartbeating its progress (see withHeartbeat), with domain and ActiveCampaign failures
   * turned into the workflow's terms.
   */
  function heartbeatingStep<T>(
    runId: string,
    initial: unknown,
    work: (open: PreparedRun, progress: (details: unknown) => void) => Promise<T>,
  ): Promise<T> {
    return withHeartbeat(initial, async (heartbeat) => {
      const { run, client } = await openRun(runId, heartbeat);
      try {
        return await work(
          preparedRun(sql, run, client, {
            pollIntervalMs: deps.importPollMs,
            waitLimitMs: deps.importWaitLimitMs,
            maxContactAttempts: deps.maxContactAttempts,
            metrics: deps.metrics,
          }),
          heartbeat.progress,
        );
      } catch (error) {
        throw toActivityFailure(error, { listId: run.listId });
      }
    });
  }

  return {
    /**
     * Checks the destination, pins the membership snapshot, refuses exports over the size limit and
     * runs that would unsubscribe more than the guard allows — before anything is sent.
     */
    async prepareRun({
      runId,
      temporalRunId,
    }: RunRef & { temporalRunId: string }): Promise<{ totalProfiles: number }> {
      const { run, client } = await openRun(runId);
      try {
        const prepared = await prepareRun(sql, client, run, deps, temporalRunId);
        deps.metrics?.runsStarted.inc({ trigger: run.trigger });
        log.info('Run prepared', { runId, exportId: run.exportId, totalProfiles: prepared.totalProfiles });
        return prepared;
      } catch (error) {
        throw toActivityFailure(error, { listId: run.listId });
      }
    },

    /** Pushes a page of members after the run's recorded cursor (see core's pushPage). */
    async pushPage({ runId, pageContacts, pageMs }: PushPageInput): Promise<PushPageResult> {
      const until = Date.now() + pageMs;
      return heartbeatingStep(runId, { cursor: null }, async (open, progress) => {
        const result = await pushPage(sql, open, { pageContacts, until }, (cursor) => progress({ cursor }));
        log.info('Page pushed', { runId, exportId: open.run.exportId, done: result.done });
        return result;
      });
    },

    /** Polls unfinished imports for up to a minute; returns how many are still pending. */
    async awaitImports({ runId }: RunRef): Promise<{ pending: number }> {
      return heartbeatingStep(runId, { polled: 0 }, (open, progress) => awaitImports(open, progress));
    },

    /** Handles contacts who left the segments per the export's policy; returns how many are left to do. */
    async handleLeavers({ runId }: RunRef): Promise<{ remaining: boolean }> {
      return heartbeatingStep(runId, { handled: 0 }, (open, progress) =>
        handleLeavers(sql, open, (handled) => progress({ handled })),
      );
    },

    async finishRun({ runId, status, error }: FinishRunInput) {
      const row = await finishRunRecord(sql, runId, status, error);
      if (!row) return row; // the run is gone (its export was deleted meanwhile)
      const { trigger, hasResultsTarget, ...counts } = row;
      deps.metrics?.runsFinished.inc({ status, trigger });
      log.info('Run finished', { runId, status, ...counts });
      return { ...counts, hasResultsTarget };
    },
  };
}

export type ExportRunActivities = ReturnType<typeof createExportRunActivities>;
