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
import { type ChangeFilter, changeFilterOf, higherChangeValue } from './change-column.ts';
import { defaultSourceStatementTimeoutMs, type SourcePolicy } from './source-database.ts';
import { rowsByKeyStatement, type SourceDefinition, syncStatement } from './source-query.ts';
import { type SourceTransaction, withSourceTransaction } from './source-transaction.ts';

/** Rows per cursor fetch and per staged batch (one transaction each). */
export const sourceBatchRows = 2_000;
/**
 * Rows per cursor fetch of an incremental sync: most carry their key alone, so a batch's one
 * transaction (staging, key comparison, cursor) covers more of them; at most this many changed rows
 * are held at once.
 */
const incrementalBatchRows = 10_000;
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
  changeColumn: string | null;
  changeOverlap: number;
  changeWatermark: string | null;
  /** Changed (updateSource) since the sync started. */
  changedSinceSync: boolean;
};
type SyncRow = {
  sourceId: string;
  status: string;
  confirmRemovals: boolean;
  cursor: string | null;
  fullRequested: boolean;
  changeSince: string | null;
};

/**
 * How this attempt reads: `change` (null: the source has no change column) with `since` (null: every
 * row, else only rows changed since the watermark plus every key); `trackHigh` when this attempt
 * started the sync afresh, so the highest change value it reads may become the watermark.
 */
type ReadPlan = { change: ChangeFilter | null; trackHigh: boolean };
const isIncremental = (plan: ReadPlan) => plan.change?.since != null;

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
 * then swaps them into profiles in one transaction. With a change column and a watermark, only the
 * changed rows are staged and every key is compared with the source's profiles (see compareKeys).
 * Records failures on the sync; rethrows.
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
      select source_id as "sourceId", status, confirm_removals as "confirmRemovals", cursor,
        full_requested as "fullRequested", change_since as "changeSince"
      from source_syncs where id = ${syncId}`;
    if (!sync)
      throw new SourceSyncRefused('SourceNotFound', 'The sync no longer exists (its source was deleted).');
    if (sync.status !== 'RUNNING') return await countsOf(sql, syncId);
    const [source] = await sql<SourceRow[]>`
      select id, database_url_ciphertext as "databaseUrlCiphertext", table_name as "tableName", query, columns,
        change_column as "changeColumn", change_overlap as "changeOverlap", change_watermark as "changeWatermark",
        updated_at > (select started_at from source_syncs where id = ${syncId}) as "changedSinceSync"
      from sources where id = ${sync.sourceId}`;
    if (!source) throw new SourceSyncRefused('SourceNotFound', 'The source was deleted.');
    const plan = await readPlan(sql, syncId, source, sync);
    await stage(deps, syncId, source, plan, hooks);
    return await hooks.during(() => swapIn(deps, syncId, source, sync, plan));
  } catch (error) {
    const refused = asRefusal(error);
    await sql`update source_syncs set error = ${messageOf(refused)} where id = ${syncId} and status = 'RUNNING'`;
    throw refused;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Decides how the sync reads, once: a sync starting afresh (nothing staged after a key yet) reads
 * from the source's watermark unless it was asked to read everything; its staged rows, counts and
 * keys are cleared. A resumed attempt keeps that decision — unless the source was changed since the
 * sync started: an incremental sync then starts over, reading every row (its watermark is not kept).
 */
async function readPlan(
  sql: postgres.Sql,
  syncId: string,
  source: SourceRow,
  sync: SyncRow,
): Promise<ReadPlan> {
  const tracked = changeFilterOf(source, null);
  const afresh = sync.cursor === null || (sync.changeSince !== null && source.changedSinceSync);
  if (!afresh) {
    const change = tracked && (sync.changeSince === null ? tracked : { ...tracked, since: sync.changeSince });
    return { change, trackHigh: false };
  }
  const since = tracked && !sync.fullRequested && !source.changedSinceSync ? source.changeWatermark : null;
  await sql.begin(async (tx) => {
    await tx`delete from source_sync_rows where sync_id = ${syncId}`;
    await tx`delete from source_sync_keys where sync_id = ${syncId}`;
    await tx`
      update source_syncs set read_count = 0, keys_count = 0, rejected_count = 0, rejects = '[]', cursor = null,
        change_since = ${since}, change_high = null
      where id = ${syncId}`;
  });
  return { change: tracked && { ...tracked, since }, trackHigh: true };
}

type Hooks = {
  onProgress(read: number): void;
  signal?: AbortSignal;
  during<T>(wait: () => Promise<T>): Promise<T>;
};

async function stage(deps: SourceSyncDeps, syncId: string, source: SourceRow, plan: ReadPlan, hooks: Hooks) {
  const { sql } = deps;
  const [progress] = await sql<{ read: number; keys: number; cursor: string | null; high: string | null }[]>`
    select read_count as read, keys_count as keys, cursor, change_high as high from source_syncs where id = ${syncId}`;
  let read = progress?.read ?? 0;
  let keys = progress?.keys ?? 0;
  let high = progress?.high ?? null;
  const cursor = progress?.cursor ?? null;
  let previous = cursor;
  const incremental = isIncremental(plan);
  const url = await deps.secrets.decrypt(source.databaseUrlCiphertext);
  const definition: SourceDefinition = { tableName: source.tableName, query: source.query };
  const timeoutMs = deps.hostPolicy.statementTimeoutMs ?? defaultSourceStatementTimeoutMs;
  const options = { timeoutMs, signal: hooks.signal, repeatableRead: incremental };
  await withSourceTransaction(url, deps.hostPolicy, options, async (reader) => {
    const statement = syncStatement(definition, source.columns, cursor, plan.change);
    const batches = reader
      .cancellable(reader.tx.unsafe<StreamedRow[]>(statement))
      .cursor(incremental ? incrementalBatchRows : sourceBatchRows)
      [Symbol.asyncIterator]();
    for (;;) {
      // Waiting for rows is bounded by the statement timeout: heartbeats go on meanwhile.
      const next = await hooks.during(() => batches.next());
      if (next.done) break;
      const rows = next.value;
      hooks.signal?.throwIfAborted();
      const ids: string[] = [];
      const attributes: string[] = [];
      const unchanged: string[] = [];
      const rejects: SourceReject[] = [];
      const from = previous;
      for (const row of rows) {
        keys++;
        if (row.attributes !== null) read++;
        const problem = customerIdProblem(row.id);
        if (problem) {
          rejects.push({ row: keys, customerId: null, reason: `customer_id ${problem}` });
        } else if (row.id === previous) {
          rejects.push({
            row: keys,
            customerId: row.id,
            reason: 'duplicate customer_id (the first row is kept)',
          });
        } else if (row.attributes === null) {
          unchanged.push(row.id as string);
          previous = row.id;
        } else {
          ids.push(row.id as string);
          attributes.push(row.attributes);
          if (plan.trackHigh && plan.change) high = higherChangeValue(plan.change.kind, high, row.change);
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
        // A batch without one usable key compares nothing (from = to = null would mean every key).
        if (incremental && previous !== from) {
          await compareKeys(store, { syncId, sourceId: source.id, from, to: previous, ids, unchanged });
        }
        await store`
          update source_syncs set
            read_count = ${read},
            keys_count = ${keys},
            rejected_count = rejected_count + ${rejects.length},
            rejects = case when jsonb_array_length(rejects) >= ${keptRejects} then rejects
              else rejects || ${JSON.stringify(rejects.slice(0, keptRejects))}::jsonb end,
            cursor = ${previous},
            change_high = ${high}
          where id = ${syncId}`;
      });
      hooks.onProgress(read);
    }
    if (!incremental) return;
    await compareKeys(sql, { syncId, sourceId: source.id, from: previous, to: null, ids: [], unchanged: [] });
    read = await rereadKeys(sql, reader, { syncId, definition, source, plan, read, hooks });
  });
}

type StreamedRow = { id: string | null; attributes: string | null; change: string | null };

/**
 * Compares one stretch of the source's keys, (from, to] in customer_id order (to null: to the end),
 * with the source's profiles: a profile no key names is to be removed; an unchanged row whose profile
 * the source does not own (taken over, removed, never written) is to be read again in full.
 */
async function compareKeys(
  sql: postgres.Sql | postgres.TransactionSql,
  stretch: {
    syncId: string;
    sourceId: string;
    from: string | null;
    to: string | null;
    ids: string[];
    unchanged: string[];
  },
) {
  const { syncId, sourceId, from, to } = stretch;
  const keys = [...stretch.ids, ...stretch.unchanged];
  await sql`
    insert into source_sync_keys (sync_id, customer_id, kind)
    select ${syncId}, p.customer_id, 'removed' from profiles p
    where p.source_id = ${sourceId}
      ${from === null ? sql`` : sql`and p.customer_id > ${from}`}
      ${to === null ? sql`` : sql`and p.customer_id <= ${to}`}
      and not exists (select 1 from unnest(${keys}::text[]) as k(id) where k.id = p.customer_id)
    on conflict do nothing`;
  if (!stretch.unchanged.length) return;
  await sql`
    insert into source_sync_keys (sync_id, customer_id, kind)
    select ${syncId}, k.id, 'reread' from unnest(${stretch.unchanged}::text[]) as k(id)
    where not exists (select 1 from profiles p where p.customer_id = k.id and p.source_id = ${sourceId})
    on conflict do nothing`;
}

/** Reads in full, in the same source transaction, the rows compareKeys marked to read again. */
async function rereadKeys(
  sql: postgres.Sql,
  reader: SourceTransaction,
  work: {
    syncId: string;
    definition: SourceDefinition;
    source: SourceRow;
    plan: ReadPlan;
    read: number;
    hooks: Hooks;
  },
): Promise<number> {
  const { syncId, hooks } = work;
  let read = work.read;
  const statement = rowsByKeyStatement(work.definition, work.source.columns, work.plan.change);
  for (;;) {
    const keys = await sql<{ id: string }[]>`
      select customer_id as id from source_sync_keys where sync_id = ${syncId} and kind = 'reread'
      order by customer_id limit ${sourceBatchRows}`;
    if (!keys.length) return read;
    const wanted = keys.map((k) => k.id);
    const asked = new Set(wanted);
    const rows = await hooks.during(() =>
      reader.cancellable(reader.tx.unsafe<StreamedRow[]>(statement, [JSON.stringify(wanted)])),
    );
    hooks.signal?.throwIfAborted();
    const found = rows.filter(
      (r): r is StreamedRow & { id: string; attributes: string } =>
        r.id !== null && r.attributes !== null && asked.delete(r.id),
    );
    read += found.length;
    await sql.begin(async (store) => {
      if (found.length) {
        await store`
          insert into source_sync_rows (sync_id, customer_id, attributes)
          select ${syncId}, r.id, r.attributes::jsonb
          from unnest(${found.map((r) => r.id)}::text[], ${found.map((r) => r.attributes)}::text[]) as r(id, attributes)
          on conflict do nothing`;
      }
      await store`
        delete from source_sync_keys where sync_id = ${syncId} and kind = 'reread' and customer_id = any(${wanted}::text[])`;
      await store`update source_syncs set read_count = ${read} where id = ${syncId}`;
    });
    hooks.onProgress(read);
  }
}

/**
 * Swaps the staged rows into profiles in one transaction, so segments see the source before or after,
 * never half-way: new customer ids added, changed ones updated, the source's profiles it no longer
 * returns removed — unless more than maxRemovalPercent of them would go and the sync was not confirmed.
 * A full sync removes the profiles its staged rows do not name; an incremental one those its key
 * comparison marked. With a change column, the highest change value read becomes the source's
 * watermark — unless the source was changed since the sync started (its next sync reads everything).
 */
async function swapIn(
  deps: SourceSyncDeps,
  syncId: string,
  source: SourceRow,
  sync: SyncRow,
  plan: ReadPlan,
): Promise<SourceSyncCounts> {
  const incremental = isIncremental(plan);
  const notStaged = (tx: postgres.TransactionSql) => tx`not exists (
    select 1 from source_sync_rows r where r.sync_id = ${syncId} and r.customer_id = p.customer_id)`;
  // A key marked removed and read again by a resumed attempt (deleted and inserted meanwhile) stays.
  const marked = (tx: postgres.TransactionSql) => tx`exists (
    select 1 from source_sync_keys k
    where k.sync_id = ${syncId} and k.kind = 'removed' and k.customer_id = p.customer_id) and ${notStaged(tx)}`;
  return deps.sql.begin(async (tx) => {
    await tx`select id from sources where id = ${source.id} for update`;
    const goneFilter = incremental ? marked(tx) : notStaged(tx);
    const [owned] = await tx<{ total: number; gone: number }[]>`
      select count(*)::int as total, count(*) filter (where ${goneFilter})::int as gone
      from profiles p where p.source_id = ${source.id}`;
    const total = owned?.total ?? 0;
    const gone = owned?.gone ?? 0;
    if (!sync.confirmRemovals && total > 0 && gone * 100 > deps.maxRemovalPercent * total) {
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
      delete from profiles p where p.source_id = ${source.id} and ${incremental ? marked(tx) : notStaged(tx)}`;
    await rememberAttributeNames(tx, names);
    await tx`delete from source_sync_rows where sync_id = ${syncId}`;
    await tx`delete from source_sync_keys where sync_id = ${syncId}`;
    if (plan.change) await recordWatermark(tx, syncId, source, plan.change);
    await tx`
      update source_syncs set status = 'SUCCEEDED', added_count = ${written?.added ?? 0},
        updated_count = ${written?.updated ?? 0}, removed_count = ${removed.count}, error = null, finished_at = now()
      where id = ${syncId}`;
    return countsOf(tx, syncId);
  });
}

/** The source's next watermark: the highest change value read, never below the one this sync read from. */
async function recordWatermark(
  tx: postgres.TransactionSql,
  syncId: string,
  source: SourceRow,
  change: ChangeFilter,
) {
  const [row] = await tx<
    { high: string | null }[]
  >`select change_high as high from source_syncs where id = ${syncId}`;
  const watermark = higherChangeValue(change.kind, change.since, row?.high ?? null);
  await tx`
    update sources set change_watermark = ${watermark}
    where id = ${source.id} and change_column = ${change.column}
      and updated_at <= (select started_at from source_syncs where id = ${syncId})`;
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

/** Ends a sync that did not succeed: FAILED with the error recorded by its last attempt; staged rows and keys dropped. */
export async function failSourceSync(
  sql: postgres.Sql,
  syncId: string,
  fallbackError: string,
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from source_sync_rows where sync_id = ${syncId}`;
    await tx`delete from source_sync_keys where sync_id = ${syncId}`;
    await tx`
      update source_syncs set status = 'FAILED', error = coalesce(error, ${fallbackError}), finished_at = now()
      where id = ${syncId} and status = 'RUNNING'`;
  });
}

/** Opens a sync of an enabled source, or returns null when one is already running. */
export async function openSourceSync(
  sql: postgres.Sql | postgres.TransactionSql,
  {
    sourceId,
    syncId,
    confirmRemovals,
    fullRequested = false,
  }: { sourceId: string; syncId: string; confirmRemovals: boolean; fullRequested?: boolean },
): Promise<{ syncId: string } | null> {
  const [existing] = await sql<{ id: string }[]>`select id from source_syncs where id = ${syncId}`;
  if (existing) return { syncId };
  const rows = await sql<{ id: string }[]>`
    insert into source_syncs (id, source_id, confirm_removals, full_requested)
    select ${syncId}, id, ${confirmRemovals}, ${fullRequested} from sources where id = ${sourceId}
    on conflict do nothing
    returning id`;
  return rows.length ? { syncId } : null;
}

export async function enabledSourceIds(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select id from sources where enabled order by id`;
  return rows.map((r) => r.id);
}
