import type postgres from 'postgres';
import type { SourceColumn, SourceReject } from '../../db/schema.ts';
import {
  attributeNameBudgetMessage,
  attributeNamesAfter,
  customerIdProblem,
  type ProfileGrowthLimits,
  rememberAttributeNames,
} from '../profiles/store.ts';
import type { SecretBox } from '../secrets.ts';
import { defaultSourceStatementTimeoutMs, type SourcePolicy } from './source-database.ts';
import { type SourceDefinition, syncStatement } from './source-query.ts';
import { withSourceTransaction } from './source-transaction.ts';

/** Rows per cursor fetch and per staged batch (one transaction each). */
export const sourceBatchRows = 2_000;
const keptRejects = 100;

/** A sync that must not be retried as it is: the guard, a changed source, undecryptable URL. */
export class SourceSyncRefused extends Error {
  constructor(
    readonly type: 'MassRemoval' | 'SourceQueryFailed' | 'InvalidConfiguration' | 'SourceNotFound',
    message: string,
  ) {
    super(message);
    this.name = 'SourceSyncRefused';
  }
}

export type SourceSyncDeps = {
  sql: postgres.Sql;
  secrets: SecretBox;
  /** Where sources may connect, Outbound's own database, OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS. */
  hostPolicy: SourcePolicy;
  /** OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT: above this share of its profiles, removals wait for a confirmation. */
  maxRemovalPercent: number;
  limits: ProfileGrowthLimits;
};

export type SourceSyncCounts = {
  read: number;
  added: number;
  updated: number;
  removed: number;
  rejected: number;
};

type SourceRow = {
  id: string;
  databaseUrlCiphertext: string;
  tableName: string | null;
  query: string | null;
  columns: SourceColumn[];
};
type SyncRow = { sourceId: string; status: string; confirmRemovals: boolean; cursor: string | null };

/** Postgres errors a retry may fix: connection, resources, operator intervention, serialization. */
const transientClasses = ['08', '53', '57', '40', '58'];

function asRefusal(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code === '57014') {
    // Our statement timeout (or the source's own, when shorter): the same query would run as long again.
    return new SourceSyncRefused(
      'SourceQueryFailed',
      `The source query ran past its statement timeout (OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS, or the source's own statement_timeout when shorter): ${(error as Error).message} (SQLSTATE 57014).`,
    );
  }
  if (
    typeof code === 'string' &&
    /^[0-9A-Z]{5}$/.test(code) &&
    !transientClasses.includes(code.slice(0, 2))
  ) {
    // Postgres' own message names the column or relation; it may quote a value, so it stays in our database.
    return new SourceSyncRefused(
      'SourceQueryFailed',
      `The source query failed: ${(error as Error).message} (SQLSTATE ${code}).`,
    );
  }
  return error;
}

/**
 * Runs one sync: streams the source's rows in customer_id order into staged rows (a batch per
 * transaction, with the counts and the cursor, so a retried attempt continues after the last batch),
 * then swaps them into profiles in one transaction. Records failures on the sync; rethrows.
 */
export async function runSourceSync(
  deps: SourceSyncDeps,
  syncId: string,
  hooks: {
    onProgress(read: number): void;
    signal?: AbortSignal;
    during<T>(wait: () => Promise<T>): Promise<T>;
  },
): Promise<SourceSyncCounts> {
  const { sql } = deps;
  try {
    const [sync] = await sql<SyncRow[]>`
      select source_id as "sourceId", status, confirm_removals as "confirmRemovals", cursor
      from source_syncs where id = ${syncId}`;
    if (!sync)
      throw new SourceSyncRefused('SourceNotFound', 'The sync no longer exists (its source was deleted).');
    if (sync.status !== 'RUNNING') return await countsOf(sql, syncId);
    const [source] = await sql<SourceRow[]>`
      select id, database_url_ciphertext as "databaseUrlCiphertext", table_name as "tableName", query, columns
      from sources where id = ${sync.sourceId}`;
    if (!source) throw new SourceSyncRefused('SourceNotFound', 'The source was deleted.');
    await stage(deps, syncId, source, sync.cursor, hooks);
    return await hooks.during(() => swapIn(deps, syncId, source, sync.confirmRemovals));
  } catch (error) {
    const refused = asRefusal(error);
    await sql`update source_syncs set error = ${messageOf(refused)} where id = ${syncId} and status = 'RUNNING'`;
    throw refused;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function stage(
  deps: SourceSyncDeps,
  syncId: string,
  source: SourceRow,
  cursor: string | null,
  hooks: {
    onProgress(read: number): void;
    signal?: AbortSignal;
    during<T>(wait: () => Promise<T>): Promise<T>;
  },
) {
  const { sql } = deps;
  if (cursor === null) {
    // Nothing was staged after a key yet: start over (rows without a key come first and are counted once).
    await sql`delete from source_sync_rows where sync_id = ${syncId}`;
    await sql`update source_syncs set read_count = 0, rejected_count = 0, rejects = '[]' where id = ${syncId}`;
  }
  const [{ read: alreadyRead } = { read: 0 }] = await sql<{ read: number }[]>`
    select read_count as read from source_syncs where id = ${syncId}`;
  let read = alreadyRead;
  let previous = cursor;
  const url = await deps.secrets.decrypt(source.databaseUrlCiphertext);
  const definition: SourceDefinition = { tableName: source.tableName, query: source.query };
  const timeoutMs = deps.hostPolicy.statementTimeoutMs ?? defaultSourceStatementTimeoutMs;
  await withSourceTransaction(url, deps.hostPolicy, { timeoutMs, signal: hooks.signal }, async (reader) => {
    const statement = syncStatement(definition, source.columns, cursor);
    const batches = reader
      .cancellable(reader.tx.unsafe<{ id: string | null; attributes: string }[]>(statement))
      .cursor(sourceBatchRows)
      [Symbol.asyncIterator]();
    for (;;) {
      // Waiting for rows is bounded by the statement timeout: heartbeats go on meanwhile.
      const next = await hooks.during(() => batches.next());
      if (next.done) break;
      const rows = next.value;
      hooks.signal?.throwIfAborted();
      const ids: string[] = [];
      const attributes: string[] = [];
      const rejects: SourceReject[] = [];
      for (const row of rows) {
        read++;
        const problem = customerIdProblem(row.id);
        if (problem) {
          rejects.push({ row: read, customerId: null, reason: `customer_id ${problem}` });
        } else if (row.id === previous) {
          rejects.push({
            row: read,
            customerId: row.id,
            reason: 'duplicate customer_id (the first row is kept)',
          });
        } else {
          ids.push(row.id as string);
          attributes.push(row.attributes);
          previous = row.id;
        }
      }
      await sql.begin(async (store) => {
        if (ids.length) {
          await store`
            insert into source_sync_rows (sync_id, customer_id, attributes)
            select ${syncId}, r.id, r.attributes::jsonb
            from unnest(${ids}::text[], ${attributes}::text[]) as r(id, attributes)
            on conflict do nothing`;
        }
        await store`
          update source_syncs set
            read_count = ${read},
            rejected_count = rejected_count + ${rejects.length},
            rejects = case when jsonb_array_length(rejects) >= ${keptRejects} then rejects
              else rejects || ${JSON.stringify(rejects.slice(0, keptRejects))}::jsonb end,
            cursor = ${previous}
          where id = ${syncId}`;
      });
      hooks.onProgress(read);
    }
  });
}

/**
 * Swaps the staged rows into profiles in one transaction, so segments see the source before or after,
 * never half-way: new customer ids added, changed ones updated, the source's profiles it no longer
 * returns removed — unless more than maxRemovalPercent of them would go and the sync was not confirmed.
 */
async function swapIn(
  deps: SourceSyncDeps,
  syncId: string,
  source: SourceRow,
  confirmRemovals: boolean,
): Promise<SourceSyncCounts> {
  return deps.sql.begin(async (tx) => {
    await tx`select id from sources where id = ${source.id} for update`;
    const [owned] = await tx<{ total: number; gone: number }[]>`
      select count(*)::int as total,
        count(*) filter (where not exists (
          select 1 from source_sync_rows r where r.sync_id = ${syncId} and r.customer_id = p.customer_id))::int as gone
      from profiles p where p.source_id = ${source.id}`;
    const total = owned?.total ?? 0;
    const gone = owned?.gone ?? 0;
    if (!confirmRemovals && total > 0 && gone * 100 > deps.maxRemovalPercent * total) {
      throw new SourceSyncRefused(
        'MassRemoval',
        `This sync would remove ${gone} of the source's ${total} profiles, more than ` +
          `OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT (${deps.maxRemovalPercent}%). Nothing was changed. If the source is ` +
          'right, run syncSource(id, confirmRemovals: true).',
      );
    }
    const names = source.columns.flatMap((c) => (c.attribute ? [c.attribute] : []));
    const after = await attributeNamesAfter(tx, names);
    if (after > deps.limits.maxAttributeNames) {
      throw new SourceSyncRefused(
        'InvalidConfiguration',
        attributeNameBudgetMessage(deps.limits.maxAttributeNames, after),
      );
    }
    const [written] = await tx<{ added: number; updated: number }[]>`
      with written as (
        insert into profiles (customer_id, attributes, source_id, updated_at)
        select customer_id, attributes, ${source.id}, now() from source_sync_rows where sync_id = ${syncId}
        on conflict (customer_id) do update set attributes = excluded.attributes, source_id = excluded.source_id, updated_at = now()
        where profiles.attributes is distinct from excluded.attributes or profiles.source_id is distinct from excluded.source_id
        returning (xmax = 0) as created)
      select count(*) filter (where created)::int as added, count(*) filter (where not created)::int as updated from written`;
    const removed = await tx`
      delete from profiles p where p.source_id = ${source.id} and not exists (
        select 1 from source_sync_rows r where r.sync_id = ${syncId} and r.customer_id = p.customer_id)`;
    await rememberAttributeNames(tx, names);
    await tx`delete from source_sync_rows where sync_id = ${syncId}`;
    await tx`
      update source_syncs set status = 'SUCCEEDED', added_count = ${written?.added ?? 0},
        updated_count = ${written?.updated ?? 0}, removed_count = ${removed.count}, error = null, finished_at = now()
      where id = ${syncId}`;
    return countsOf(tx, syncId);
  });
}

async function countsOf(
  sql: postgres.Sql | postgres.TransactionSql,
  syncId: string,
): Promise<SourceSyncCounts> {
  const [row] = await sql<SourceSyncCounts[]>`
    select read_count as read, added_count as added, updated_count as updated, removed_count as removed,
      rejected_count as rejected
    from source_syncs where id = ${syncId}`;
  return row ?? { read: 0, added: 0, updated: 0, removed: 0, rejected: 0 };
}

/** Ends a sync that did not succeed: FAILED with the error recorded by its last attempt; staged rows dropped. */
export async function failSourceSync(
  sql: postgres.Sql,
  syncId: string,
  fallbackError: string,
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from source_sync_rows where sync_id = ${syncId}`;
    await tx`
      update source_syncs set status = 'FAILED', error = coalesce(error, ${fallbackError}), finished_at = now()
      where id = ${syncId} and status = 'RUNNING'`;
  });
}

/** Opens a sync of an enabled source, or returns null when one is already running. */
export async function openSourceSync(
  sql: postgres.Sql | postgres.TransactionSql,
  { sourceId, syncId, confirmRemovals }: { sourceId: string; syncId: string; confirmRemovals: boolean },
): Promise<{ syncId: string } | null> {
  const [existing] = await sql<{ id: string }[]>`select id from source_syncs where id = ${syncId}`;
  if (existing) return { syncId };
  const rows = await sql<{ id: string }[]>`
    insert into source_syncs (id, source_id, confirm_removals)
    select ${syncId}, id, ${confirmRemovals} from sources where id = ${sourceId}
    on conflict do nothing
    returning id`;
  return rows.length ? { syncId } : null;
}

export async function enabledSourceIds(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select id from sources where enabled order by id`;
  return rows.map((r) => r.id);
}
