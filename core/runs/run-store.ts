import { and, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { exportRuns } from '../../db/schema.ts';
import { hotQueries } from '../exports/hot-queries.ts';

export type ExportRunRow = typeof exportRuns.$inferSelect;

export async function findRun(db: Db, id: string): Promise<ExportRunRow | undefined> {
  const [run] = await hotQueries(db).run.execute({ id });
  return run;
}

const ofExport = (exportId: string) => eq(exportRuns.exportId, exportId);

export async function exportHasRun(db: Db, exportId: string, runId: string): Promise<boolean> {
  return (await db.$count(exportRuns, and(ofExport(exportId), eq(exportRuns.id, runId)))) > 0;
}

export const countRunsOfExport = (db: Db, exportId: string): Promise<number> =>
  db.$count(exportRuns, ofExport(exportId));

/** One page of the export's runs, in the order and past the cursors `clauses` builds over the table. */
export function runsOfExportPage(
  db: Db,
  exportId: string,
  limit: number,
  clauses: (table: typeof exportRuns) => { where: SQL | undefined; orderBy: SQL[] },
): Promise<ExportRunRow[]> {
  const { where, orderBy } = clauses(exportRuns);
  return db
    .select()
    .from(exportRuns)
    .where(and(ofExport(exportId), where))
    .orderBy(...orderBy)
    .limit(limit);
}
