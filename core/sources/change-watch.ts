import type postgres from 'postgres';
import type { Sql } from '../../db/client.ts';
import type { ScheduledExport } from '../refresh/scheduled-exports.ts';
import type { SecretBox } from '../secrets.ts';
import type { SourcePolicy } from './source-database.ts';
import { withSourceTransaction } from './source-transaction.ts';

/** changeCheckSeconds: at least this often is too often for a team's database. */
export const minChangeCheckSeconds = 5;
export const defaultChangeCheckSeconds = 60;

/** How long a change query may run: it is meant to be an index lookup such as max(updated_at). */
const changeQueryTimeoutMs = 30_000;

/** A change query the source database refused: its message names a column or relation, never a value. */
export class ChangeQueryError extends Error {
  override name = 'ChangeQueryError';
}

/**
 * Runs a source's change query, read-only and time-limited, and returns its first row's first value as
 * stored text (JSON, so SQL null and "no row" are values too).
 */
export async function readChangeValue(
  databaseUrl: string,
  query: string,
  policy: SourcePolicy,
  signal?: AbortSignal,
): Promise<string> {
  try {
    const rows = await withSourceTransaction(
      databaseUrl,
      policy,
      { timeoutMs: changeQueryTimeoutMs, signal },
      ({ tx, cancellable }) =>
        cancellable(
          tx.unsafe<Record<string, unknown>[]>(query, [], { simple: false } as postgres.UnsafeQueryOptions),
        ),
    );
    const first = rows[0] ? Object.values(rows[0])[0] : undefined;
    return JSON.stringify(
      { value: first instanceof Date ? first.toISOString() : (first ?? null) },
      (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
    );
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      // Syntax and access errors name identifiers; others (casts, data) may quote a value.
      const said = /^(42|25|0A)/.test(code) ? `${(error as Error).message} ` : '';
      throw new ChangeQueryError(`The change query failed: ${said}(SQLSTATE ${code}).`);
    }
    throw error;
  }
}

export type ChangeCheckDeps = { sql: Sql; secrets: SecretBox; hostPolicy: SourcePolicy };

/**
 * One check of a source's change query: records the value and says whether it differs from the last
 * one (the first check only records it). Null when the source is gone, disabled or has no change query:
 * its watch ends. Only a boolean and the interval leave here; the value stays in our database.
 */
export async function checkSourceChange(
  deps: ChangeCheckDeps,
  sourceId: string,
): Promise<{ changed: boolean; intervalSeconds: number } | null> {
  const [source] = await deps.sql<
    [
      {
        sealedUrl: string;
        changeQuery: string | null;
        seconds: number;
        last: string | null;
        enabled: boolean;
      }?,
    ]
  >`
    select database_url_ciphertext as "sealedUrl", change_query as "changeQuery",
      change_check_seconds as seconds, last_change_value as last, enabled
    from sources where id = ${sourceId}`;
  if (!source?.changeQuery || !source.enabled) return null;
  const value = await readChangeValue(
    await deps.secrets.decrypt(source.sealedUrl),
    source.changeQuery,
    deps.hostPolicy,
  );
  await deps.sql`update sources set last_change_value = ${value} where id = ${sourceId}`;
  return { changed: source.last !== null && source.last !== value, intervalSeconds: source.seconds };
}

/** The interval of a source's watch while its change query fails (the error is logged by the caller). */
export async function changeCheckSeconds(sql: Sql, sourceId: string): Promise<number | null> {
  const [row] = await sql<[{ seconds: number; watched: boolean }?]>`
    select change_check_seconds as seconds, (change_query is not null and enabled) as watched
    from sources where id = ${sourceId}`;
  return row?.watched ? row.seconds : null;
}

/**
 * Enabled exports on live connections with a segment whose current members include a profile of the
 * source: the exports a change of the source can move. Ids and names only.
 */
export async function listSourceExports(sql: Sql, sourceId: string): Promise<ScheduledExport[]> {
  return sql<ScheduledExport[]>`
    select e.id as "exportId", e.name as "exportName", e.connection_id as "connectionId", e.list_id as "listId"
    from exports e join connections c on c.id = e.connection_id
    where e.enabled and e.deleted_at is null and c.deleted_at is null and exists (
      select 1 from segments s
        join segment_members m on m.segment_id = s.id and m.generation = s.generation
        join profiles p on p.customer_id = m.customer_id
      where s.id = any(e.segment_ids) and p.source_id = ${sourceId})
    order by e.id`;
}
