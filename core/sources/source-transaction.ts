import type postgres from 'postgres';
import { defaultSourceStatementTimeoutMs, openSourceDatabase, type SourcePolicy } from './source-database.ts';

type Cancellable = { cancel(): unknown };

/**
 * Asks the source to cancel the statement, and waits for that: postgres.js's `query.cancel()` drops the
 * request's promise (a failed cancel would reject unhandled), so its canceller is called directly.
 */
async function cancelOnSource(query: Cancellable): Promise<void> {
  const { canceller } = query as { canceller?: ((q: Cancellable) => Promise<void>) | null };
  if (!canceller) return;
  (query as { canceller?: unknown }).canceller = null;
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, cancelWaitMs).unref());
  await Promise.race([canceller(query).catch(() => {}), timeout]);
}

const cancelWaitMs = 5_000;

export type SourceTransaction = {
  tx: postgres.TransactionSql;
  /** Registers the statement being waited for: it is cancelled on the source when the caller leaves. */
  cancellable<Q extends Cancellable>(query: Q): Q;
};

/**
 * Runs `work` in one read-only transaction on the source (`repeatableRead`: all its statements see one
 * snapshot), every statement bounded by `timeoutMs` (or by
 * the source's own statement_timeout when that is shorter). When `signal` aborts (the request or the
 * activity attempt ended), the running statement is cancelled on the source and the connection dropped.
 */
export async function withSourceTransaction<T>(
  databaseUrl: string,
  policy: SourcePolicy,
  options: { timeoutMs: number; signal?: AbortSignal; repeatableRead?: boolean },
  work: (source: SourceTransaction) => Promise<T>,
): Promise<T> {
  const { signal } = options;
  signal?.throwIfAborted();
  const db = await openSourceDatabase(databaseUrl, policy);
  let current: Cancellable | null = null;
  let abandoned: Promise<void> | null = null;
  const abandon = () => {
    abandoned ??= (async () => {
      if (current) await cancelOnSource(current);
      await db.close(true);
    })();
  };
  signal?.addEventListener('abort', abandon, { once: true });
  if (signal?.aborted) abandon();
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs || defaultSourceStatementTimeoutMs));
  try {
    const mode = options.repeatableRead ? 'isolation level repeatable read read only' : 'read only';
    return (await db.sql.begin(mode, async (tx) => {
      await tx`
        select set_config('statement_timeout', (case when setting::bigint > 0 and setting::bigint < ${timeoutMs}::bigint
          then setting::bigint else ${timeoutMs}::bigint end)::text, true)
        from pg_settings where name = 'statement_timeout'`;
      return work({
        tx,
        cancellable(query) {
          current = query;
          return query;
        },
      });
    })) as T;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener('abort', abandon);
    if (abandoned) await abandoned;
    else await db.close();
  }
}
