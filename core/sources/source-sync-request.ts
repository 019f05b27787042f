import type postgres from 'postgres';
import type { Db } from '../../db/client.ts';
import {
  deleteSourceSync,
  failOrphanedSourceSync,
  findSourceSync,
  type SourceSyncRow,
} from './source-store.ts';
import { openSourceSync } from './source-sync.ts';

export type SourceSyncStart = { sourceId: string; syncId: string; confirmRemovals: boolean };

/**
 * A sync asked for now: opens it (one running per source; `full` reads every row even when the source
 * has a watermark) with `alsoInTransaction` (the audit event),
 * then starts its workflow; a start that fails removes the sync again, so nothing is left behind.
 * 'syncing' when the source is already syncing, 'still-closing' when the previous sync's workflow has
 * not closed in time. A running sync whose workflow never started (the API stopped while starting it)
 * and that is older than any start can take is failed first, so it cannot block the source forever.
 */
export async function requestSourceSync(
  db: Db,
  request: { sourceId: string; confirmRemovals: boolean; full?: boolean },
  steps: {
    alsoInTransaction: (tx: postgres.TransactionSql, syncId: string) => Promise<void>;
    start: (sync: SourceSyncStart) => Promise<{ started: unknown } | 'still-closing'>;
    syncWorkflowRunning: () => Promise<boolean>;
  },
): Promise<SourceSyncRow | 'syncing' | 'still-closing'> {
  const sync: SourceSyncStart = {
    sourceId: request.sourceId,
    confirmRemovals: request.confirmRemovals,
    syncId: crypto.randomUUID(),
  };
  const open = () =>
    db.$client.begin(async (tx) => {
      if (!(await openSourceSync(tx, { ...sync, fullRequested: request.full ?? false }))) return false;
      await steps.alsoInTransaction(tx, sync.syncId);
      return true;
    });
  let opened = await open();
  if (!opened && !(await steps.syncWorkflowRunning()) && (await failOrphanedSourceSync(db, sync.sourceId))) {
    opened = await open();
  }
  if (!opened) return 'syncing';
  const row = await findSourceSync(db, sync.syncId);
  if (!row) throw new Error('the opened sync is gone');
  const started = await steps.start(sync).catch(async (error: unknown) => {
    await deleteSourceSync(db, sync.syncId);
    throw error;
  });
  if (started === 'still-closing') await deleteSourceSync(db, sync.syncId);
  return started === 'still-closing' ? started : row;
}
