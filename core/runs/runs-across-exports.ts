import { and, eq, getTableColumns } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { exportRuns, exports } from '../../db/schema.ts';
import { type KeysetSource, keysetPage, newestFirst } from '../paging/keyset.ts';
import type { RunStatus } from './run-status.ts';
import type { ExportRunRow } from './run-store.ts';

/** A run as the list across exports reads it: with its export's name, joined in. */
export type NamedRunRow = ExportRunRow & { exportName?: string };

/** Every export's runs, newest first, optionally of one status. */
export function runsAcrossExportsPages(db: Db, status?: RunStatus): KeysetSource<NamedRunRow> {
  const ofStatus = status ? eq(exportRuns.status, status) : undefined;
  return {
    cursorExists: async (cursor) => (await db.$count(exportRuns, eq(exportRuns.id, cursor))) > 0,
    page: (page) => {
      const { where, orderBy } = keysetPage(page, newestFirst(exportRuns));
      return db
        .select({ ...getTableColumns(exportRuns), exportName: exports.name })
        .from(exportRuns)
        .innerJoin(exports, eq(exports.id, exportRuns.exportId))
        .where(and(ofStatus, where))
        .orderBy(...orderBy)
        .limit(page.limit);
    },
    count: () => db.$count(exportRuns, ofStatus),
  };
}

/** The export's name, also when it was deleted since ('' when the export is gone for good). */
export async function exportNameOf(db: Db, exportId: string): Promise<string> {
  const [row] = await db.select({ name: exports.name }).from(exports).where(eq(exports.id, exportId));
  return row?.name ?? '';
}
