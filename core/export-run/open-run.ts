import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createContactMapper } from './contact-mapper.ts';
import type { ImportPollerOptions } from './import-poller.ts';
import { RunRefusedError } from './run-refused.ts';
import { loadRunContext, type RunContext } from './run-store.ts';
import type { SegmentSnapshot } from './snapshot-rows.ts';

/** A run whose export and connection still exist. */
export type OpenableRun = RunContext & { apiKeyCiphertext: string };

/** A run past prepareRun: pinned to its snapshot, with the import poller it shares between steps. */
export type PreparedRun = {
  run: OpenableRun & { snapshot: SegmentSnapshot };
  client: ActiveCampaignClient;
  poller: ImportPollerOptions;
};

export async function loadOpenableRun(sql: Sql, runId: string): Promise<OpenableRun> {
  const run = await loadRunContext(sql, runId);
  if (!run || run.exportDeleted || run.connectionDeleted || !run.apiKeyCiphertext) {
    // The destination was removed: nothing to retry against.
    throw new RunRefusedError('ExportNotFound', 'The export or its connection was deleted.');
  }
  return { ...run, apiKeyCiphertext: run.apiKeyCiphertext };
}

export function preparedRun(
  sql: Sql,
  run: OpenableRun,
  client: ActiveCampaignClient,
  importPolls: { pollIntervalMs: number; waitLimitMs: number; maxContactAttempts: number; metrics?: Metrics },
): PreparedRun {
  if (!run.snapshot)
    throw new RunRefusedError(
      'InvalidConfiguration',
      'The run has no membership snapshot; prepareRun did not complete.',
    );
  const snapshot = run.snapshot;
  const poller: ImportPollerOptions = {
    sql,
    client,
    run: {
      runId: run.runId,
      exportId: run.exportId,
      listId: run.listId,
      excludeAutomations: run.excludeAutomations,
      fields: run.mapping.fields,
    },
    mapContact: createContactMapper(run.mapping, run.listId, false, run.tags),
    ...importPolls,
  };
  return { run: { ...run, snapshot }, client, poller };
}
