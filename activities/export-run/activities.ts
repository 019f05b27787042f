import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import type { Connector } from '../activecampaign/connector.ts';
import { pacing } from '../activecampaign/pacing.ts';
import { sleep } from '../activecampaign/rate-limiter.ts';
import { isUndecryptableSecret, type SecretBox } from '../crypto.ts';
import { createContactMapper } from './contact-mapper.ts';
import { permanentFailure, toActivityFailure } from './failures.ts';
import { withHeartbeat } from './heartbeat.ts';
import { collectImports, type ImportPollerOptions, pollDueImports } from './import-poller.ts';
import { analyzeExportContacts, countLeavers, markLeaversKept, unsubscribeLeavers } from './leavers.ts';
import { plannedPages } from './planned-pages.ts';
import {
  finishRunRecord,
  loadRunContext,
  markRunning,
  pendingBatchStats,
  pinSnapshot,
  type RunContext,
  type RunOutcomeStatus,
  recordChunk,
  recordPhase,
  releaseUncheckedImports,
} from './run-store.ts';
import { sendChunk } from './send-chunk.ts';
import { countSnapshot, readSnapshotPage, type SegmentSnapshot } from './snapshot-page.ts';

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
};

export type RunRef = { runId: string };
/** A page ends after `pageContacts` members or, at the end of the rows read at once, after `pageMs`. */
export type PushPageInput = RunRef & { pageContacts: number; pageMs: number };
export type PushPageResult = { done: boolean };
export type FinishRunInput = RunRef & { status: RunOutcomeStatus; error: string | null };

const numberFormat = new Intl.NumberFormat('en-US');

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function createExportRunActivities(deps: ExportRunDeps) {
  const { sql } = deps;

  type OpenRun = {
    run: RunContext & { snapshot: SegmentSnapshot };
    client: ActiveCampaignClient;
    poller: ImportPollerOptions;
  };

  async function openRun(runId: string, signal?: AbortSignal) {
    const run = await loadRunContext(sql, runId);
    if (!run || run.exportDeleted || run.connectionDeleted || !run.apiKeyCiphertext) {
      // The destination was removed: nothing to retry against.
      throw permanentFailure('The export or its connection was deleted.', 'ExportNotFound');
    }
    const apiKey = await deps.secrets.decrypt(run.apiKeyCiphertext).catch((e) => {
      if (isUndecryptableSecret(e)) throw permanentFailure(e.message, 'SecretKeyMismatch');
      throw e;
    });
    const client = await deps.connect({ apiHost: run.apiHost, apiKey }).catch((e) => {
      throw toActivityFailure(e);
    });
    return { run, client: signal ? client.withSignal(signal) : client };
  }

  /** A run past prepareRun: pinned to its snapshot, with the import poller it shares between phases. */
  async function openPreparedRun(runId: string, signal: AbortSignal): Promise<OpenRun> {
    const { run, client } = await openRun(runId, signal);
    if (!run.snapshot)
      throw permanentFailure(
        'The run has no membership snapshot; prepareRun did not complete.',
        'InvalidConfiguration',
      );
    const snapshot = run.snapshot;
    const poller: ImportPollerOptions = {
      sql,
      client,
      run: { runId, exportId: run.exportId },
      readRange: (range) => readSnapshotPage(sql, run.exportId, snapshot, range),
      mapContact: createContactMapper(run.mapping, run.listId),
      pollIntervalMs: deps.importPollMs,
      waitLimitMs: deps.importWaitLimitMs,
    };
    return { run: { ...run, snapshot }, client, poller };
  }

  /** Runs `work` heartbeating, with ActiveCampaign failures turned into the workflow's terms. */
  function phase<T>(runId: string, details: () => unknown, work: (open: OpenRun) => Promise<T>): Promise<T> {
    return withHeartbeat(details, async (signal) => {
      const open = await openPreparedRun(runId, signal);
      try {
        return await work(open);
      } catch (error) {
        throw toActivityFailure(error, { listId: open.run.listId });
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
        await client.me();
        await client.getList(run.listId);
      } catch (error) {
        throw toActivityFailure(error, { listId: run.listId });
      }
      const snapshot = await pinSnapshot(sql, runId, run.segmentIds);
      await releaseUncheckedImports(sql, runId, run.exportId);
      const totalProfiles = await countSnapshot(sql, snapshot);
      if (totalProfiles > deps.maxProfilesPerExport) {
        throw permanentFailure(
          `The export's segments hold ${numberFormat.format(totalProfiles)} profiles, over the limit of ` +
            `${numberFormat.format(deps.maxProfilesPerExport)} per export (OUTBOUND_MAX_PROFILES_PER_EXPORT). Nothing was sent.`,
          'TooManyProfiles',
        );
      }
      // Leavers are known once the snapshot is pinned: under KEEP they only stop counting as members,
      // done here while the export's rows are only those of earlier runs (none on a first run).
      if (run.onLeave === 'KEEP') await markLeaversKept(sql, runId, run.exportId, snapshot);
      if (run.onLeave === 'UNSUBSCRIBE' && !run.confirmMassUnsubscribe) {
        const { members, leavers } = await countLeavers(sql, run.exportId, snapshot);
        if (members > 0 && leavers / members > deps.unsubscribeGuardShare) {
          throw permanentFailure(
            `This run would unsubscribe ${numberFormat.format(leavers)} of the ${numberFormat.format(members)} contacts ` +
              `the export put on the list (${percent(leavers / members)}), more than the ${percent(deps.unsubscribeGuardShare)} ` +
              'safety limit. Nothing was changed. Run it again with confirmMassUnsubscribe: true to proceed.',
            'MassUnsubscribe',
          );
        }
      }
      await markRunning(sql, runId, totalProfiles, temporalRunId);
      return { totalProfiles };
    },

    /**
     * Pushes a page of members after the run's recorded cursor, sending only new and changed ones.
     * Each accepted import is recorded with the cursor before the next is sent, so a crash re-sends at
     * most the one in flight. The next rows are read and mapped while the current ones are sent, and
     * finished imports are collected alongside.
     */
    async pushPage({ runId, pageContacts, pageMs }: PushPageInput): Promise<PushPageResult> {
      const until = Date.now() + pageMs;
      let cursor: string | null = null;
      return phase(
        runId,
        () => ({ cursor }),
        async ({ run, client, poller }) => {
          cursor = run.cursor;
          const pages = plannedPages({
            read: (after, limit) => readSnapshotPage(sql, run.exportId, run.snapshot, { after, limit }),
            map: createContactMapper(run.mapping, run.listId, run.fullResync),
            after: run.cursor,
            limit: pageContacts,
          });
          const collecting = collectImports(poller);
          const imports = pacing(client, 'bulk');
          let recording: Promise<void> = Promise.resolve();
          let lastRecorded = cursor;
          try {
            for await (const page of pages) {
              for (const chunk of page.chunks) {
                // Pages with nothing to send make no request that would notice a cancellation.
                client.signal?.throwIfAborted();
                const batchId = chunk.contacts.length
                  ? await sendChunk(client, run.listId, chunk, imports.next())
                  : null;
                await recording;
                cursor = lastRecorded;
                // Issued before the next import is sent, so a crash re-sends at most that one; its
                // round trip overlaps with sending the next chunk.
                const batch = batchId ? { batchId, firstPollInMs: deps.importPollMs } : null;
                recording = recordChunk(sql, { runId, exportId: run.exportId }, chunk, batch);
                recording.catch(() => {}); // awaited before the next record and at the end
                lastRecorded = chunk.lastCustomerId;
              }
              if (page.exhausted) return { done: true };
              if (Date.now() >= until) return { done: false };
            }
            return { done: false };
          } finally {
            // Stopped first: a failed record must not leave the collector polling after the attempt.
            await collecting.stop();
            await recording;
            cursor = lastRecorded;
          }
        },
      );
    },

    /** Polls unfinished imports for up to a minute; returns how many are still pending. */
    async awaitImports({ runId }: RunRef): Promise<{ pending: number }> {
      return phase(
        runId,
        () => ({}),
        async ({ poller, client }) => {
          await recordPhase(sql, runId, 'AWAITING_IMPORTS');
          const polls = pacing(client, 'general');
          const pollsPerLookup = 10;
          const until = Date.now() + 60_000;
          while (Date.now() < until) {
            if (await pollDueImports(poller, pollsPerLookup, polls)) continue;
            const { pending, nextPollInMs } = await pendingBatchStats(sql, runId);
            if (!pending) return { pending };
            await sleep(Math.min(Math.max(nextPollInMs, 10), 1_000), client.signal);
          }
          return { pending: (await pendingBatchStats(sql, runId)).pending };
        },
      );
    },

    /** Handles contacts who left the segments per the export's policy; returns how many are left to do. */
    async handleLeavers({ runId }: RunRef): Promise<{ remaining: boolean }> {
      let handled = 0;
      return phase(
        runId,
        () => ({ handled }),
        async ({ run, client }) => {
          await recordPhase(sql, runId, 'HANDLING_LEAVERS');
          if (run.onLeave === 'KEEP') return { remaining: false }; // marked by prepareRun
          await analyzeExportContacts(sql);
          const options = {
            sql,
            client,
            runId,
            exportId: run.exportId,
            listId: run.listId,
            snapshot: run.snapshot,
          };
          const until = Date.now() + 60_000;
          while (Date.now() < until) {
            const batch = await unsubscribeLeavers(options, 50);
            if (!batch) return { remaining: false };
            handled += batch;
          }
          return { remaining: true };
        },
      );
    },

    async finishRun({ runId, status, error }: FinishRunInput) {
      return finishRunRecord(sql, runId, status, error);
    },
  };
}

export type ExportRunActivities = ReturnType<typeof createExportRunActivities>;
