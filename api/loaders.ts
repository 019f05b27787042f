import { connectionsByIds } from '../core/connections/store.ts';
import type { Db } from '../core/database.ts';
import { hotQueries } from '../core/exports/hot-queries.ts';
import { segmentsByIdsByName } from '../core/segments/segment-store.ts';
import { createBatchLoader } from './batch-loader.ts';

const byKey = <K, V>(rows: V[], key: (row: V) => K) => new Map(rows.map((row) => [key(row), row]));

/** Per request: what a list of exports asks for item by item, loaded with one query per field. */
export function createLoaders(db: Db) {
  return {
    lastRun: createBatchLoader(async (exportIds: string[]) =>
      byKey(await hotQueries(db).lastRuns.execute({ exportIds }), (run) => run.exportId),
    ),
    connection: createBatchLoader(async (ids: string[]) =>
      byKey(await connectionsByIds(db, ids), (c) => c.id),
    ),
    /** With its rank by name (the database's collation), to list an export's segments in that order. */
    segment: createBatchLoader(async (ids: string[]) =>
      byKey(
        (await segmentsByIdsByName(db, ids)).map((segment, rank) => ({ segment, rank })),
        (s) => s.segment.id,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
