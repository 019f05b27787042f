import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { exports, type FieldMapping } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import { ConnectionType, lockLiveConnection } from './connection.ts';
import { badInput, isUuid, notFound } from './errors.ts';
import { connectionOf, type ExportRow, editableExport, loadExport, mayEditExport } from './export-access.ts';
import {
  CreateExportInput,
  excludeAutomationsDescription,
  mappingFromInput,
  OnLeaveEnum,
  resultsTargetIdDescription,
  tagsDescription,
  UpdateExportInput,
  validateExport,
} from './export-input.ts';
import { ExportRunType, resolveRunsConnection } from './export-run.ts';
import { hotQueries } from './hot-queries.ts';
import { keysetConnection, keysetPage, newestFirst } from './keyset-connection.ts';
import { resultsTargetIdOf } from './results-target.ts';
import { cancelActiveRun } from './run-control.ts';
import { SegmentType } from './segment.ts';

const FieldMappingEntry = builder.objectRef<FieldMapping['fields'][number]>('FieldMappingEntry').implement({
  fields: (t) => ({
    attribute: t.exposeString('attribute'),
    fieldId: t.exposeID('fieldId'),
    type: t.string({
      nullable: true,
      description:
        'The ActiveCampaign field’s type, looked up when the export was saved (null: saved before types were kept; sent as text).',
      resolve: (f) => f.type ?? null,
    }),
  }),
});

const ExportMappingType = builder.objectRef<FieldMapping>('ExportMapping').implement({
  fields: (t) => ({
    email: t.exposeString('email'),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    fields: t.field({ type: [FieldMappingEntry], resolve: (m) => m.fields }),
  }),
});

export const ExportType = builder.objectRef<ExportRow>('Export').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    connection: t.field({ type: ConnectionType, resolve: (e, _a, ctx) => connectionOf(ctx, e) }),
    listId: t.exposeID('listId'),
    segments: t.field({
      type: [SegmentType],
      resolve: async (e, _a, ctx) => {
        const found = await Promise.all(e.segmentIds.map((id) => ctx.loaders.segment(id)));
        return found
          .flatMap((s) => (s ? [s] : []))
          .sort((a, b) => a.rank - b.rank)
          .map((s) => s.segment);
      },
    }),
    mapping: t.field({ type: ExportMappingType, resolve: (e) => e.mapping }),
    enabled: t.exposeBoolean('enabled'),
    canEdit: t.boolean({
      description:
        'Whether the signed-in user may change, run or delete it: admins, and contributors when its connection ' +
        '(removed or not) is open to them.',
      resolve: async (e, _a, ctx) => mayEditExport(ctx, await connectionOf(ctx, e)),
    }),
    onLeave: t.field({ type: OnLeaveEnum, resolve: (e) => e.onLeave }),
    tags: t.exposeStringList('tags', { description: tagsDescription }),
    excludeAutomations: t.exposeBoolean('excludeAutomations', { description: excludeAutomationsDescription }),
    resultsTargetId: t.exposeID('resultsTargetId', {
      nullable: true,
      description: resultsTargetIdDescription,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lastRun: t.field({
      type: ExportRunType,
      nullable: true,
      resolve: async (e, _a, ctx) => (await ctx.loaders.lastRun(e.id)) ?? null,
    }),
    runs: t.connection({
      type: ExportRunType,
      resolve: (e, args, ctx) => resolveRunsConnection(ctx, e.id, args),
    }),
  }),
});

builder.queryFields((t) => ({
  exports: t.connection(
    {
      type: ExportType,
      authScopes: { authenticated: true },
      description: 'Newest first.',
      resolve: (_root, args, ctx) => {
        const live = isNull(exports.deletedAt);
        return keysetConnection({
          args,
          list: 'Query.exports',
          cursorOf: (row: ExportRow) => row.id,
          isCursor: isUuid,
          // A deleted export still names its place in the list.
          cursorExists: async (cursor) => (await ctx.db.$count(exports, eq(exports.id, cursor))) > 0,
          page: (page) => {
            if (page.after === undefined && page.before === undefined && !page.inverted) {
              return hotQueries(ctx.db).liveExports.execute({ limit: page.limit });
            }
            const { where, orderBy } = keysetPage(page, newestFirst(exports));
            return ctx.db
              .select()
              .from(exports)
              .where(and(live, where))
              .orderBy(...orderBy)
              .limit(page.limit);
          },
          count: () => ctx.db.$count(exports, live),
        });
      },
    },
    { name: 'ExportsConnection' },
  ),
  export: t.field({
    type: ExportType,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadExport(ctx, String(id)),
  }),
}));

/** Refuses an export on a connection deleted while it was checked; holds off the deletion until saved. */
async function lockConnectionOf(tx: Pick<Db, 'select'>, connectionId: string): Promise<void> {
  if (!(await lockLiveConnection(tx, connectionId, 'share'))) {
    throw badInput('connectionId', `The connection ${connectionId} was deleted meanwhile.`);
  }
}

builder.mutationFields((t) => ({
  createExport: t.field({
    type: ExportType,
    authScopes: { editor: true },
    description: 'Saves the export; it runs with the next refresh or runExport, never on saving.',
    args: { input: t.arg({ type: CreateExportInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const draft = await validateExport(ctx, {
        name: input.name,
        connectionId: String(input.connectionId),
        listId: String(input.listId),
        segmentIds: input.segmentIds.map(String),
        mapping: mappingFromInput(input.mapping),
        enabled: input.enabled ?? true,
        onLeave: input.onLeave ?? 'KEEP',
        tags: input.tags ?? [],
        excludeAutomations: input.excludeAutomations ?? false,
      });
      const resultsTargetId = (await resultsTargetIdOf(ctx, input.resultsTargetId)) ?? null;
      return ctx.db.transaction(async (tx) => {
        await lockConnectionOf(tx, draft.connectionId);
        const [created] = await tx
          .insert(exports)
          .values({ ...draft, resultsTargetId, createdBy: (ctx.viewer as { id: string }).id })
          .returning();
        if (!created) throw new Error('insert returned no row');
        await recordAudit(tx, ctx.viewer, 'export.created', 'Export', created.id, {
          connectionId: draft.connectionId,
        });
        return created;
      });
    },
  }),

  updateExport: t.field({
    type: ExportType,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateExportInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const { connection: _, ...current } = await editableExport(ctx, String(id));
      const draft = await validateExport(
        ctx,
        {
          name: input.name ?? current.name,
          connectionId: String(input.connectionId ?? current.connectionId),
          listId: String(input.listId ?? current.listId),
          segmentIds: (input.segmentIds ?? current.segmentIds).map(String),
          mapping: input.mapping ? mappingFromInput(input.mapping) : current.mapping,
          enabled: input.enabled ?? current.enabled,
          onLeave: input.onLeave ?? current.onLeave,
          tags: input.tags ?? current.tags,
          excludeAutomations: input.excludeAutomations ?? current.excludeAutomations,
        },
        current,
      );
      // Only the fields given are written: a concurrent edit of the others (say, an admin disabling
      // it) stands.
      const given: Partial<typeof exports.$inferInsert> = Object.fromEntries(
        Object.entries(draft).filter(([field]) => input[field as keyof typeof input] != null),
      );
      const resultsTargetId = await resultsTargetIdOf(ctx, input.resultsTargetId);
      if (resultsTargetId !== undefined) given.resultsTargetId = resultsTargetId;
      return ctx.db.transaction(async (tx) => {
        await lockConnectionOf(tx, draft.connectionId);
        const [updated] = await tx
          .update(exports)
          .set({ ...given, updatedAt: new Date() })
          .where(and(eq(exports.id, current.id), isNull(exports.deletedAt)))
          .returning();
        if (!updated) throw notFound('export', current.id);
        await recordAudit(tx, ctx.viewer, 'export.updated', 'Export', current.id, {
          fields: Object.keys(given),
        });
        return updated;
      });
    },
  }),

  deleteExport: t.id({
    authScopes: { editor: true },
    description: 'Cancels its running run, if any.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const current = await editableExport(ctx, String(id));
      await ctx.db.transaction(async (tx) => {
        await tx
          .update(exports)
          .set({ deletedAt: new Date(), enabled: false })
          .where(eq(exports.id, current.id));
        await recordAudit(tx, ctx.viewer, 'export.deleted', 'Export', current.id);
      });
      await cancelActiveRun(ctx, current.id);
      return current.id;
    },
  }),
}));
