import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import type { Connector } from '../activecampaign/connector.ts';
import { isActiveCampaignError } from '../activecampaign/errors.ts';
import { sleep } from '../activecampaign/rate-limiter.ts';
import type { SecretBox } from '../crypto.ts';
import { type Chunk, planChunks } from './chunk-plan.ts';
import { createContactMapper } from './contact-mapper.ts';
import { permanentFailure, toActivityFailure } from './failures.ts';
import { withHeartbeat } from './heartbeat.ts';
import { type ImportPollerOptions, pollDueImports } from './import-poller.ts';
import {
  type RunContext,
  type RunOutcomeStatus,
  finishRunRecord,
  loadRunContext,
  markRunning,
  pendingBatchStats,
  pinSnapshot,
  recordChunk,
} from './run-store.ts';
import { countSnapshot, readSnapshotPage } from './snapshot-page.ts';

export type ExportRunDeps = {
  sql: Sql;
  secrets: SecretBox;
  connect: Connector;
  maxProfilesPerExport: number;
  /** First poll of an accepted import, and the pause between polls while it is not completed. */
  importPollMs: number;
  importWaitLimitMs: number;
};

export type RunRef = { runId: string };
export type PushPageInput = RunRef & { pageContacts: number };
export type PushPageResult = { done: boolean; cursor: string | null };
export type FinishRunInput = RunRef & { status: RunOutcomeStatus; error: string | null };

const numberFormat = new Intl.NumberFormat('en-US');

export function createExportRunActivities(deps: ExportRunDeps) {
  const { sql } = deps;

  async function openRun(runId: string, signal?: AbortSignal): Promise<{ run: RunContext; client: ActiveCampaignClient }> {
    const run = await loadRunContext(sql, runId);
    if (!run || run.exportDeleted || run.connectionDeleted || !run.apiKeyCiphertext) {
      // The destination was removed: nothing to retry against.
      throw permanentFailure('The export or its connection was deleted.', 'ExportNotFound');
    }
    const apiKey = await deps.secrets.decrypt(run.apiKeyCiphertext);
    const client = await deps.connect({ apiHost: run.apiHost, apiKey }).catch((e) => {
      throw toActivityFailure(e);
    });
    return { run, client: signal ? client.withSignal(signal) : client };
  }

  function pollerFor(run: RunContext, client: ActiveCampaignClient): ImportPollerOptions {
    if (!run.snapshot) throw permanentFailure('The run has no membership snapshot; prepareRun did not complete.', 'InvalidConfiguration');
    return {
      sql,
      client,
      runId: run.runId,
      snapshot: run.snapshot,
      mapContact: createContactMapper(run.mapping, run.listId),
      pollIntervalMs: deps.importPollMs,
      waitLimitMs: deps.importWaitLimitMs,
    };
  }

  /** Sends a chunk; contacts ActiveCampaign names as invalid are moved to rejects and the rest re-sent. */
  async function sendChunk(client: ActiveCampaignClient, run: RunContext, chunk: Chunk): Promise<string | null> {
    while (chunk.contacts.length) {
      try {
        return (await client.bulkImport(chunk.contacts)).batchId;
      } catch (error) {
        if (!isActiveCampaignError(error) || error.kind !== 'Validation') throw error;
        await client.getList(run.listId); // a deleted list fails every contact: surface it as ListNotFound
        // The index base is undocumented; ActiveCampaign's examples count from 1 (0 can only mean 0-based).
        const named = new Set(
          (error.details.failures ?? []).flatMap((f) => (f.contact === undefined ? [] : [Math.max(0, f.contact - 1)])),
        );
        if (!named.size) throw error;
        const keep = chunk.contacts.map((_, i) => !named.has(i));
        for (const [i, customerId] of chunk.customerIds.entries()) {
          if (!keep[i]) chunk.rejects.push({ customerId, reason: 'REJECTED_BY_ACTIVECAMPAIGN' });
        }
        chunk.contacts = chunk.contacts.filter((_, i) => keep[i]);
        chunk.customerIds = chunk.customerIds.filter((_, i) => keep[i]);
      }
    }
    return null;
  }

  return {
    /** Checks the destination, pins the membership snapshot and refuses exports over the size limit. */
    async prepareRun({ runId, temporalRunId }: RunRef & { temporalRunId: string }): Promise<{ totalProfiles: number }> {
      const { run, client } = await openRun(runId);
      try {
        await client.me();
        await client.getList(run.listId);
      } catch (error) {
        throw toActivityFailure(error, { listId: run.listId });
      }
      const snapshot = await pinSnapshot(sql, runId, run.segmentIds);
      const totalProfiles = await countSnapshot(sql, snapshot);
      if (totalProfiles > deps.maxProfilesPerExport) {
        throw permanentFailure(
          `The export's segments hold ${numberFormat.format(totalProfiles)} profiles, over the limit of ` +
            `${numberFormat.format(deps.maxProfilesPerExport)} per export (OUTBOUND_MAX_PROFILES_PER_EXPORT). Nothing was sent.`,
          'TooManyProfiles',
        );
      }
      await markRunning(sql, runId, totalProfiles, temporalRunId);
      return { totalProfiles };
    },

    /**
     * Pushes the next page of the snapshot after the run's recorded cursor. Each accepted import is
     * recorded with the cursor before the next is sent, so a crash re-sends at most the one in flight.
     */
    async pushPage({ runId, pageContacts }: PushPageInput): Promise<PushPageResult> {
      let cursor: string | null = null;
      return withHeartbeat(
        () => ({ cursor }),
        async (signal) => {
          const { run, client } = await openRun(runId, signal);
          cursor = run.cursor;
          const poller = pollerFor(run, client);
          const rows = await readSnapshotPage(sql, poller.snapshot, { after: cursor, limit: pageContacts });
          try {
            for (const chunk of planChunks(rows.map(poller.mapContact))) {
              const batchId = chunk.contacts.length ? await sendChunk(client, run, chunk) : null;
              await recordChunk(sql, runId, chunk, batchId);
              cursor = chunk.lastCustomerId;
              // Between imports the general budget has room: use it to collect finished imports.
              await pollDueImports(poller, 1);
            }
          } catch (error) {
            throw toActivityFailure(error, { listId: run.listId });
          }
          return { done: rows.length < pageContacts, cursor };
        },
      );
    },

    /** Polls unfinished imports for up to a minute; returns how many are still pending. */
    async awaitImports({ runId }: RunRef): Promise<{ pending: number }> {
      return withHeartbeat(
        () => ({}),
        async (signal) => {
          const { run, client } = await openRun(runId, signal);
          const poller = pollerFor(run, client);
          const until = Date.now() + 60_000;
          try {
            while (Date.now() < until) {
              if (await pollDueImports(poller, 10)) continue;
              const { pending, nextPollInMs } = await pendingBatchStats(sql, runId);
              if (!pending) return { pending };
              await sleep(Math.min(Math.max(nextPollInMs, 10), 1_000), signal);
            }
          } catch (error) {
            throw toActivityFailure(error, { listId: run.listId });
          }
          return pendingBatchStats(sql, runId);
        },
      );
    },

    async finishRun({ runId, status, error }: FinishRunInput) {
      return finishRunRecord(sql, runId, status, error);
    },
  };
}

export type ExportRunActivities = ReturnType<typeof createExportRunActivities>;
