import type { Sql } from '../../db/client.ts';
import type { Liveness } from '../liveness.ts';

export type StatementWatch = { sql: Sql; liveness: Liveness; signal?: AbortSignal };

/**
 * Watches the Postgres backend `pid` from another connection while `work` runs statements on it:
 * once a second, a backend seen executing (active, not waiting for a lock) tells `liveness` it is
 * alive. A statement waiting for a lock, a backend gone, or the watch's own query hanging tells
 * nothing, so a refresh stuck there stops heartbeating. An aborted `signal` cancels the statement
 * running (pg_cancel_backend), so a long refresh can be cancelled mid-statement.
 */
export async function watchBackend<T>(
  { sql, liveness, signal }: StatementWatch,
  pid: number,
  work: () => Promise<T>,
): Promise<T> {
  let probing = false;
  const timer = setInterval(() => {
    if (probing) return;
    probing = true;
    sql<{ working: boolean }[]>`
      select state = 'active' and wait_event_type is distinct from 'Lock' as working
      from pg_stat_activity where pid = ${pid}`
      .then(([row]) => {
        if (row?.working) liveness.alive();
      })
      .catch(() => {})
      .finally(() => {
        probing = false;
      });
  }, 1_000);
  const cancel = () => {
    sql`select pg_cancel_backend(${pid})`.catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await work();
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', cancel);
  }
}
