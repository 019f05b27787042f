import type postgres from 'postgres';
import type { Db } from '../../db/client.ts';
import { deleteSourceSync, findSourceSync, type SourceSyncRow } from './source-store.ts';
import { openSourceSync } from './source-sync.ts';

export type SourceSyncStart = { sourceId: string; syncId: string; confirmRemovals: boolean };

/**
 * A sync asked for now: opens it (one running per source) with `alsoInTransaction` (the audit event),
 * then starts its workflow; a start that fails removes the sync again, so nothing is left behind.
 * Null when the source is already syncing.
 */
export async function requestSourceSync(
  db: Db,
  request: { sourceId: string; confirmRemovals: boolean },
  steps: {
    alsoInTransaction: (tx: postgres.TransactionSql, syncId: string) => Promise<void>;
    start: (sync: SourceSyncStart) => Promise<unknown>;
  },
): Promise<SourceSyncRow | null> {
  const sync: SourceSyncStart = { ...request, syncId: crypto.randomUUID() };
  const opened = await db.$client.begin(async (tx) => {
    if (!(await openSourceSync(tx, sync))) return false;
    await steps.alsoInTransaction(tx, sync.syncId);
    return true;
  });
  if (!opened) return null;
  const row = await findSourceSync(db, sync.syncId);
  if (!row) throw new Error('the opened sync is gone');
  try {
    await steps.start(sync);
  } catch (error) {
    await deleteSourceSync(db, sync.syncId);
    throw error;
  }
  return row;
}
