import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { connections, segments } from '../db/schema.ts';
import { createBatchLoader } from './batch-loader.ts';
import { hotQueries } from './hot-queries.ts';

const byKey = <K, V>(rows: V[], key: (row: V) => K) => new Map(rows.map((row) => [key(row), row]));

/** Per request: what a list of exports asks for item by item, loaded with one query per field. */
export function createLoaders(db: Db) {
  return {
    lastRun: createBatchLoader(async (exportIds: string[]) =>
      byKey(await hotQueries(db).lastRuns.execute({ exportIds }), (run) => run.exportId),
    ),
    connection: createBatchLoader(async (ids: string[]) =>
      byKey(await db.select().from(connections).where(inArray(connections.id, ids)), (c) => c.id),
    ),
    /** With its rank by name (the database's collation), to list an export's segments in that order. */
    segment: createBatchLoader(async (ids: string[]) => {
      const rows = await db.select().from(segments).where(inArray(segments.id, ids)).orderBy(segments.name);
      return byKey(
        rows.map((segment, rank) => ({ segment, rank })),
        (s) => s.segment.id,
      );
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
