import type { Sql } from '../../db/client.ts';

/**
 * Holds rows locked (`select … for update`) in a transaction of the test's own, as a slow refresh or a
 * run would, until `release()` ends it.
 */
export async function lockRows(
  sql: Sql,
  table: 'segments' | 'export_runs',
  ids: string[],
): Promise<{ release(): Promise<void> }> {
  const lock = await sql.reserve();
  await lock`begin`;
  await lock`select id from ${lock(table)} where id = any(${ids}::uuid[]) for update`;
  return {
    async release() {
      await lock`rollback`;
      lock.release();
    },
  };
}
