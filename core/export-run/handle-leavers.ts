import type { Sql } from '../../db/client.ts';
import { analyzeExportContacts, unsubscribeLeavers, untagLeavers } from './leavers.ts';
import type { PreparedRun } from './open-run.ts';
import { recordPhase } from './run-store.ts';

/**
 * Handles contacts who left the segments per the export's policy for up to a minute; returns whether
 * some are left to do. `onHandled` hears the running count of contacts handled.
 */
export async function handleLeavers(
  sql: Sql,
  { run, client }: PreparedRun,
  onHandled: (handled: number) => void,
): Promise<{ remaining: boolean }> {
  await recordPhase(sql, run.runId, 'HANDLING_LEAVERS');
  if (run.onLeave === 'KEEP') return { remaining: false }; // marked by prepareRun
  await analyzeExportContacts(sql);
  const options = {
    sql,
    client,
    runId: run.runId,
    exportId: run.exportId,
    listId: run.listId,
    snapshot: run.snapshot,
  };
  const tagIds =
    run.onLeave === 'REMOVE_TAGS' ? new Set((await client.ensureTags(run.tags)).values()) : undefined;
  let handled = 0;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const batch = tagIds ? await untagLeavers(options, tagIds, 50) : await unsubscribeLeavers(options, 50);
    if (!batch) return { remaining: false };
    handled += batch;
    onHandled(handled);
  }
  return { remaining: true };
}
