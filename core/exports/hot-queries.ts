import { desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { exportRuns, exports } from '../../db/schema.ts';

function prepare(db: Db) {
  return {
    /** The first page of Query.exports: newest first. */
    liveExports: db
      .select()
      .from(exports)
      .where(isNull(exports.deletedAt))
      .orderBy(desc(exports.createdAt), desc(exports.id))
      .limit(sql.placeholder('limit'))
      .prepare('live_exports'),
    lastRuns: db
      .selectDistinctOn([exportRuns.exportId])
      .from(exportRuns)
      .where(sql`${exportRuns.exportId} = any(${sql.placeholder('exportIds')})`)
      .orderBy(exportRuns.exportId, desc(exportRuns.createdAt))
      .prepare('last_runs'),
    run: db
      .select()
      .from(exportRuns)
      .where(eq(exportRuns.id, sql.placeholder('id')))
      .prepare('run_by_id'),
  };
}

const prepared = new WeakMap<Db, ReturnType<typeof prepare>>();

/**
 * The reads dashboards poll (`exports` with their last runs, `exportRun`), built once per database
 * instead of on every request.
 */
export function hotQueries(db: Db): ReturnType<typeof prepare> {
  let queries = prepared.get(db);
  if (!queries) {
    queries = prepare(db);
    prepared.set(db, queries);
  }
  return queries;
}
