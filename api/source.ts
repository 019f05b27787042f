import { GraphQLError } from 'graphql';
import {
  changeColumnProblem,
  defaultChangeOverlap,
  maxChangeOverlap,
} from '../core/sources/change-column.ts';
import {
  ChangeQueryError,
  defaultChangeCheckSeconds,
  minChangeCheckSeconds,
  readChangeValue,
} from '../core/sources/change-watch.ts';
import { checkSource } from '../core/sources/source-check.ts';
import { maskDatabaseUrl, type SourcePolicy, SourceUrlError } from '../core/sources/source-database.ts';
import { SourceDefinitionError } from '../core/sources/source-query.ts';
import {
  changeSource,
  countSourceSyncs,
  deleteSource,
  findSource,
  findSourceSync,
  insertSource,
  lastSourceSync,
  listSources,
  type SourceColumn,
  type SourceRow,
  type SourceSyncRow,
  sourceSyncPage,
} from '../core/sources/source-store.ts';
import { requestSourceSync } from '../core/sources/source-sync-request.ts';
import { sourceSyncStatuses } from '../core/sources/source-sync-status.ts';
import { startOpenedSourceSync, startSourceChangeWorkflow } from '../core/temporal/starters.ts';
import { isWorkflowRunning } from '../core/temporal/workflow-running.ts';
import { sourceSyncWorkflowId } from '../temporal.config.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import type { Context, Viewer } from './context.ts';
import { describedEnumValues } from './described-enum-values.ts';
import { apiError, badInput, conflict, notFound } from './errors.ts';
import { uuidKeysetConnection } from './keyset-connection.ts';
import { loadById } from './load-by-id.ts';
import { checkedName, storableText } from './text-input.ts';

const SourceColumnType = builder.objectRef<SourceColumn>('SourceColumn').implement({
  description: 'A column the source returns.',
  fields: (t) => ({
    name: t.exposeString('name'),
    postgresType: t.exposeString('postgresType', {
      description: 'Its Postgres type, e.g. timestamp with time zone.',
    }),
    attribute: t.exposeString('attribute', {
      nullable: true,
      description:
        'The profile attribute it becomes; null for customer_id and for unsupported types (skipped, not stringified).',
    }),
  }),
});

const SourcePreviewType = builder.objectRef<SourceColumn[]>('SourcePreview').implement({
  description: 'The columns of the source’s rows, as read when it was created or last changed.',
  fields: (t) => ({ columns: t.field({ type: [SourceColumnType], resolve: (c) => c }) }),
});

const SourceSyncStatusEnum = builder.enumType('SourceSyncStatus', {
  values: describedEnumValues(sourceSyncStatuses, {
    RUNNING: 'Reading the source or swapping its rows in.',
    SUCCEEDED: 'The source’s rows are in the profile store.',
    FAILED: 'Stopped; the profile store is as it was before (see `error`).',
  }),
});

const SourceRejectType = builder
  .objectRef<{ row: number; customerId: string | null; reason: string }>('SourceReject')
  .implement({
    description: 'A source row the sync skipped.',
    fields: (t) => ({
      row: t.exposeInt('row', { description: 'Its number in customer_id order, from 1.' }),
      customerId: t.exposeString('customerId', { nullable: true }),
      reason: t.exposeString('reason'),
    }),
  });

export const SourceSyncType = builder.objectRef<SourceSyncRow>('SourceSync').implement({
  description: 'One sync of a source into the profile store.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: SourceSyncStatusEnum, resolve: (s) => s.status }),
    read: t.exposeInt('readCount', {
      description:
        'Rows read from the source; by an incremental sync, the rows it read in full (see keysRead).',
    }),
    added: t.exposeInt('addedCount', { description: 'Profiles added.' }),
    updated: t.exposeInt('updatedCount', { description: 'Profiles whose attributes changed.' }),
    removed: t.exposeInt('removedCount', { description: 'Profiles of this source that are gone from it.' }),
    rejected: t.exposeInt('rejectedCount', {
      description: 'Rows skipped: no usable customer_id, or a duplicate.',
    }),
    rejects: t.field({
      type: [SourceRejectType],
      description: 'The first 100 rejected rows with their reasons.',
      resolve: (s) => s.rejects,
    }),
    confirmRemovals: t.exposeBoolean('confirmRemovals'),
    incremental: t.boolean({
      description:
        'It read in full only the rows changed since the source’s watermark (and every customer id, to find removals); false: every row.',
      resolve: (s) => s.changeSince !== null,
    }),
    keysRead: t.exposeInt('keysCount', {
      description:
        'Customer ids read: every row of the source, also those an incremental sync did not read in full.',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why it failed (or why an attempt is retried).',
    }),
    startedAt: t.field({ type: 'DateTime', resolve: (s) => s.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.finishedAt }),
    durationMs: t.int({
      nullable: true,
      description: 'From start to finish.',
      resolve: (s) => (s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null),
    }),
  }),
});

export const SourceType = builder.objectRef<SourceRow>('Source').implement({
  description: 'A Postgres database profiles are synced from (admins only).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    enabled: t.exposeBoolean('enabled', { description: 'Synced by every scheduled refresh.' }),
    databaseUrlMasked: t.exposeString('databaseUrlMasked', {
      description: 'The connection URL, password hidden.',
    }),
    table: t.exposeString('tableName', { nullable: true }),
    query: t.exposeString('query', { nullable: true }),
    changeQuery: t.exposeString('changeQuery', {
      nullable: true,
      description:
        'Checked every changeCheckSeconds; when its value changes, the source syncs, segments refresh and the exports over its profiles run (trigger SOURCE_CHANGED).',
    }),
    changeCheckSeconds: t.exposeInt('changeCheckSeconds'),
    changeColumn: t.exposeString('changeColumn', {
      nullable: true,
      description:
        'A column that grows when a row changes: once a sync has succeeded, the next ones read in full only the rows changed since.',
    }),
    changeOverlap: t.exposeInt('changeOverlap', {
      description:
        'How far below the watermark a sync starts reading: seconds (timestamps) or units (integers).',
    }),
    changeWatermark: t.exposeString('changeWatermark', {
      nullable: true,
      description:
        'The highest change value the last successful sync read; null: the next sync reads every row.',
    }),
    preview: t.field({ type: SourcePreviewType, resolve: (s) => s.columns }),
    lastSync: t.field({
      type: SourceSyncType,
      nullable: true,
      resolve: async (s, _a, ctx) => (await lastSourceSync(ctx.db, s.id)) ?? null,
    }),
    syncs: t.connection({
      type: SourceSyncType,
      description: 'Newest first.',
      resolve: (s, args, ctx) =>
        uuidKeysetConnection(args, 'Source.syncs', {
          cursorExists: async (cursor) => (await findSourceSync(ctx.db, cursor)) !== undefined,
          page: (page) => sourceSyncPage(ctx.db, s.id, page),
          count: () => countSourceSyncs(ctx.db, s.id),
        }),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
  }),
});

const changeQueryDescription =
  'A statement returning one value, e.g. select max(updated_at) from customers: when it changes, the source syncs and its exports run (SOURCE_CHANGED).';
const changeCheckSecondsDescription = `How often changeQuery is checked: at least ${minChangeCheckSeconds}, default ${defaultChangeCheckSeconds}.`;
const changeColumnDescription =
  'A smallint, integer, bigint, timestamp or timestamptz column the source returns that grows when a row changes (e.g. updated_at). Once a sync has succeeded, the next ones read in full only the rows above the last watermark less changeOverlap, or with a null change value, and compare every customer id to find removals. Changing it, the table, the query or the URL makes the next sync read every row.';
const changeOverlapDescription = `How far below the watermark a sync starts reading, for rows whose transactions committed late: seconds for a timestamp column, units for an integer one (0 to ${maxChangeOverlap}, default ${defaultChangeOverlap}).`;

const CreateSourceInput = builder.inputType('CreateSourceInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    databaseUrl: t.string({
      required: true,
      description:
        'postgres://user:password@host:5432/db (a read-only user is recommended). Encrypted at rest. A private host needs its host:port in OUTBOUND_INSECURE_HOSTS; others are reached over TLS.',
    }),
    table: t.string({
      description: 'A table or view (schema.table allowed) with a customer_id column. Give this or `query`.',
    }),
    query: t.string({
      description: 'A SELECT returning customer_id and attribute columns. Give this or `table`.',
    }),
    changeQuery: t.string({ description: changeQueryDescription }),
    changeCheckSeconds: t.int({ description: changeCheckSecondsDescription }),
    changeColumn: t.string({ description: changeColumnDescription }),
    changeOverlap: t.int({ description: changeOverlapDescription }),
  }),
});

const UpdateSourceInput = builder.inputType('UpdateSourceInput', {
  fields: (t) => ({
    name: t.string(),
    enabled: t.boolean({ description: 'A disabled source is not synced by the refresh.' }),
    databaseUrl: t.string({ description: 'A new connection URL; the source is checked again.' }),
    table: t.string({ description: 'Replaces the query; the source is checked again.' }),
    query: t.string({ description: 'Replaces the table; the source is checked again.' }),
    changeQuery: t.string({ description: `${changeQueryDescription} An empty string removes it.` }),
    changeCheckSeconds: t.int({ description: changeCheckSecondsDescription }),
    changeColumn: t.string({ description: `${changeColumnDescription} An empty string removes it.` }),
    changeOverlap: t.int({ description: changeOverlapDescription }),
  }),
});

function sourcePolicyOf(ctx: Context): SourcePolicy {
  return ctx.sourcePolicy ?? { insecureHosts: ctx.insecureHosts ?? new Set<string>() };
}

/** Checks the change query by running it once; what goes wrong is the caller's input. */
async function checkedChangeQuery(ctx: Context, databaseUrl: string, query: string): Promise<string> {
  const trimmed = storableText('changeQuery', query.trim());
  if (trimmed.length > 10_000) throw badInput('changeQuery', 'A change query is at most 10,000 characters.');
  try {
    await readChangeValue(databaseUrl, trimmed, sourcePolicyOf(ctx), ctx.requestSignal);
  } catch (error) {
    if (error instanceof ChangeQueryError || error instanceof SourceUrlError) {
      throw badInput('changeQuery', error.message);
    }
    throw apiError('UPSTREAM_ERROR', 'The source database could not be reached to run the change query.', {
      field: 'changeQuery',
    });
  }
  return trimmed;
}

function checkedSeconds(seconds: number | null | undefined): number | undefined {
  if (seconds == null) return undefined;
  if (!Number.isInteger(seconds) || seconds < minChangeCheckSeconds || seconds > 86_400) {
    throw badInput(
      'changeCheckSeconds',
      `Check at most every ${minChangeCheckSeconds} s and at least once a day.`,
    );
  }
  return seconds;
}

/** The change column, when the source's columns have it with an orderable type. */
function checkedChangeColumn(columns: SourceColumn[], name: string): string {
  const problem = changeColumnProblem(columns, name.trim());
  if (problem) throw badInput('changeColumn', problem);
  return name.trim();
}

function checkedOverlap(overlap: number | null | undefined): number | undefined {
  if (overlap == null) return undefined;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > maxChangeOverlap) {
    throw badInput('changeOverlap', `changeOverlap must be a whole number from 0 to ${maxChangeOverlap}.`);
  }
  return overlap;
}

/** Starts the source's change watch if it has a change query (one per source: a running one is kept). */
async function watchChanges(ctx: Context, source: SourceRow): Promise<void> {
  if (!source.changeQuery || !source.enabled) return;
  await startSourceChangeWorkflow(ctx.temporal, ctx.taskQueue, {
    sourceId: source.id,
    timeLimitMs: ctx.runTimeLimitMs,
  });
}

function loadSource(ctx: Context, id: string): Promise<SourceRow> {
  return loadById('source', id, (known) => findSource(ctx.db, known));
}

function checkName(name: string): string {
  return checkedName('name', name, 'sourceName');
}

function definitionOf(table: string | null | undefined, query: string | null | undefined) {
  const t = storableText('table', table ?? '').trim() || null;
  const q = storableText('query', query ?? '').trim() || null;
  if ((t === null) === (q === null)) throw badInput('table', 'Give exactly one of table and query.');
  return { tableName: t, query: q };
}

/** SQLSTATE classes whose messages name identifiers and the query, never values: syntax, access, read-only, unsupported. */
const messageWithoutValues = /^(42|25|0A)/;

/** Connects and reads the preview; what goes wrong is the caller's input, named without the URL or source values. */
async function checked(
  ctx: Context,
  databaseUrl: string,
  definition: { tableName: string | null; query: string | null },
) {
  const policy = sourcePolicyOf(ctx);
  try {
    return await checkSource(databaseUrl, definition, policy, ctx.requestSignal);
  } catch (error) {
    if (error instanceof SourceUrlError) throw badInput('databaseUrl', error.message);
    const field = definition.query ? 'query' : 'table';
    if (error instanceof SourceDefinitionError) throw badInput(field, error.message);
    const code = (error as { code?: unknown }).code;
    if (code === '57014') {
      throw badInput(
        field,
        'The source query ran past the preview’s statement timeout (30 s, or OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS or the source’s own statement_timeout when shorter).',
      );
    }
    if (typeof code === 'string' && messageWithoutValues.test(code)) {
      throw badInput(field, `The source database refused it: ${(error as Error).message}`);
    }
    if (typeof code === 'string' && /^2[0-9]/.test(code)) {
      throw badInput(field, `The source database refused it (SQLSTATE ${code}).`);
    }
    throw apiError('UPSTREAM_ERROR', 'The source database could not be reached or refused the connection.', {
      field: 'databaseUrl',
      reason: typeof code === 'string' ? code : undefined,
    });
  }
}

/**
 * A failed createSource/updateSource is audited with the error's code and field: never the URL, the
 * query or the database's message.
 */
async function auditedFailure<T>(ctx: Context, action: string, subjectId: string, attempt: () => Promise<T>) {
  try {
    return await attempt();
  } catch (error) {
    const extensions = error instanceof GraphQLError ? error.extensions : {};
    await recordAudit(ctx.db, ctx.viewer, action, 'Source', subjectId.slice(0, 100), {
      code: typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR',
      ...(typeof extensions.field === 'string' && { field: extensions.field }),
      ...(typeof extensions.reason === 'string' && { reason: extensions.reason }),
    }).catch(() => {});
    throw error;
  }
}

builder.queryFields((t) => ({
  sources: t.field({
    type: [SourceType],
    authScopes: { admin: true },
    description: 'Every source, oldest first.',
    resolve: (_root, _args, ctx) => listSources(ctx.db),
  }),
  source: t.field({
    type: SourceType,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadSource(ctx, String(id)),
  }),
}));

builder.mutationFields((t) => ({
  createSource: t.field({
    type: SourceType,
    authScopes: { admin: true },
    description:
      'Adds a Postgres source after checking the connection and reading its columns (the preview).',
    args: { input: t.arg({ type: CreateSourceInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      auditedFailure(ctx, 'source.create_failed', '', async () => {
        const name = checkName(input.name);
        const definition = definitionOf(input.table, input.query);
        let masked: string;
        try {
          masked = maskDatabaseUrl(input.databaseUrl);
        } catch (error) {
          throw badInput('databaseUrl', (error as Error).message);
        }
        const columns = await checked(ctx, input.databaseUrl, definition);
        const changeColumn = input.changeColumn?.trim()
          ? checkedChangeColumn(columns, input.changeColumn)
          : null;
        const changeOverlap = checkedOverlap(input.changeOverlap) ?? defaultChangeOverlap;
        const changeCheckSeconds = checkedSeconds(input.changeCheckSeconds) ?? defaultChangeCheckSeconds;
        const changeQuery = input.changeQuery?.trim()
          ? await checkedChangeQuery(ctx, input.databaseUrl, input.changeQuery)
          : null;
        const viewer = ctx.viewer as Viewer;
        const ciphertext = await ctx.secrets.encrypt(input.databaseUrl);
        const source = await insertSource(
          ctx.db,
          {
            name,
            databaseUrlCiphertext: ciphertext,
            databaseUrlMasked: masked,
            ...definition,
            columns,
            changeQuery,
            changeCheckSeconds,
            changeColumn,
            changeOverlap,
            createdBy: viewer.id,
          },
          (tx, created) =>
            recordAudit(tx, viewer, 'source.created', 'Source', created.id, { databaseUrl: masked }),
        );
        await watchChanges(ctx, source);
        return source;
      }),
  }),

  updateSource: t.field({
    type: SourceType,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateSourceInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      auditedFailure(ctx, 'source.update_failed', String(id), async () => {
        const current = await loadSource(ctx, String(id));
        const changes: Partial<SourceRow> = {};
        if (input.name != null) changes.name = checkName(input.name);
        if (input.enabled != null) changes.enabled = input.enabled;
        const redefine = input.table != null || input.query != null;
        if (input.databaseUrl != null || redefine) {
          const url = input.databaseUrl ?? (await ctx.secrets.decrypt(current.databaseUrlCiphertext));
          const definition = redefine ? definitionOf(input.table, input.query) : current;
          if (input.databaseUrl != null) {
            try {
              changes.databaseUrlMasked = maskDatabaseUrl(url);
            } catch (error) {
              throw badInput('databaseUrl', (error as Error).message);
            }
            changes.databaseUrlCiphertext = await ctx.secrets.encrypt(url);
          }
          changes.tableName = definition.tableName;
          changes.query = definition.query;
          changes.columns = await checked(ctx, url, definition);
          // Another table, query or database: the watermark belongs to the rows read before.
          changes.changeWatermark = null;
        }
        if (input.changeColumn != null) {
          const columns = changes.columns ?? current.columns;
          changes.changeColumn = input.changeColumn.trim()
            ? checkedChangeColumn(columns, input.changeColumn)
            : null;
          if (changes.changeColumn !== current.changeColumn) changes.changeWatermark = null;
        } else if (changes.columns && current.changeColumn) {
          const problem = changeColumnProblem(changes.columns, current.changeColumn);
          if (problem) {
            throw badInput('changeColumn', `${problem} Give another changeColumn, or "" to remove it.`);
          }
        }
        const overlap = checkedOverlap(input.changeOverlap);
        if (overlap !== undefined) changes.changeOverlap = overlap;
        const seconds = checkedSeconds(input.changeCheckSeconds);
        if (seconds !== undefined) changes.changeCheckSeconds = seconds;
        if (input.changeQuery != null) {
          const url = input.databaseUrl ?? (await ctx.secrets.decrypt(current.databaseUrlCiphertext));
          changes.changeQuery = input.changeQuery.trim()
            ? await checkedChangeQuery(ctx, url, input.changeQuery)
            : null;
          // A new query starts from a new first value: its first check only records it.
          changes.lastChangeValue = null;
        }
        const viewer = ctx.viewer as Viewer;
        const source = await changeSource(ctx.db, current.id, changes, (tx) =>
          recordAudit(tx, viewer, 'source.updated', 'Source', current.id, {
            fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] != null),
          }),
        );
        if (!source) throw notFound('source', current.id);
        await watchChanges(ctx, source);
        return source;
      }),
  }),

  deleteSource: t.field({
    type: 'Boolean',
    authScopes: { admin: true },
    description:
      'Deletes the source and its sync history. Its profiles stay in the store, no longer owned by a source (nothing removes them).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const current = await loadSource(ctx, String(id));
      const viewer = ctx.viewer as Viewer;
      await deleteSource(ctx.db, current.id, (tx) =>
        recordAudit(tx, viewer, 'source.deleted', 'Source', current.id),
      );
      return true;
    },
  }),

  syncSource: t.field({
    type: SourceSyncType,
    authScopes: { admin: true },
    description:
      'Starts a sync now. `confirmRemovals: true` lets it remove more of the source’s profiles than OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT allows; `full: true` reads every row even when the source has a watermark.',
    args: {
      id: t.arg.id({ required: true }),
      confirmRemovals: t.arg.boolean({ description: 'Default false.' }),
      full: t.arg.boolean({
        description: 'Read every row, not only those changed since the watermark. Default false.',
      }),
    },
    resolve: async (_root, { id, confirmRemovals, full }, ctx) => {
      const source = await loadSource(ctx, String(id));
      const viewer = ctx.viewer as Viewer;
      const sync = await requestSourceSync(
        ctx.db,
        { sourceId: source.id, confirmRemovals: confirmRemovals ?? false, full: full ?? false },
        {
          alsoInTransaction: (tx, syncId) =>
            recordAudit(tx, viewer, 'source.sync_requested', 'Source', source.id, {
              syncId,
              confirmRemovals: confirmRemovals ?? false,
              full: full ?? false,
            }),
          start: (input) => startOpenedSourceSync(ctx.temporal, ctx.taskQueue, input),
          syncWorkflowRunning: () => isWorkflowRunning(ctx.temporal, sourceSyncWorkflowId(source.id)),
        },
      );
      if (sync === 'syncing') throw conflict('The source is already syncing; wait for that sync to finish.');
      if (sync === 'still-closing') {
        throw conflict(
          'The source cannot sync yet: its previous sync has ended, but its workflow is still closing. Sync it again in a moment.',
          { workflowId: sourceSyncWorkflowId(source.id) },
        );
      }
      return sync;
    },
  }),
}));
