import { lockLiveConnection } from '../core/connections/store.ts';
import type { FieldMapping } from '../core/exports/export-store.ts';
import {
  countLiveExports,
  deleteExport,
  type ExportRow,
  type ExportValues,
  exportExists,
  insertExport,
  liveExportsPage,
  type Transaction,
  updateLiveExport,
} from '../core/exports/export-store.ts';
import { keysetPage, newestFirst } from '../core/paging/keyset.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import { deleteByIdField } from './by-id-fields.ts';
import { ConnectionType } from './connection.ts';
import { badInput, notFound } from './errors.ts';
import { connectionOf, editableExport, loadExport, mayEditExport } from './export-access.ts';
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
import { uuidKeysetConnection } from './keyset-connection.ts';
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
      resolve: (_root, args, ctx) =>
        uuidKeysetConnection(args, 'Query.exports', {
          cursorExists: (cursor) => exportExists(ctx.db, cursor),
          page: (page) => {
            const first = page.after === undefined && page.before === undefined && !page.inverted;
            return liveExportsPage(
              ctx.db,
              page.limit,
              first ? undefined : (table) => keysetPage(page, newestFirst(table)),
            );
          },
          count: () => countLiveExports(ctx.db),
        }),
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
async function lockConnectionOf(tx: Transaction, connectionId: string): Promise<void> {
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
      const values = { ...draft, resultsTargetId, createdBy: (ctx.viewer as { id: string }).id };
      return insertExport(ctx.db, values, {
        before: (tx) => lockConnectionOf(tx, draft.connectionId),
        after: (tx, created) =>
          recordAudit(tx, ctx.viewer, 'export.created', 'Export', created.id, {
            connectionId: draft.connectionId,
          }),
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
      const given: Partial<ExportValues> = Object.fromEntries(
        Object.entries(draft).filter(([field]) => input[field as keyof typeof input] != null),
      );
      const resultsTargetId = await resultsTargetIdOf(ctx, input.resultsTargetId);
      if (resultsTargetId !== undefined) given.resultsTargetId = resultsTargetId;
      const updated = await updateLiveExport(ctx.db, current.id, given, {
        before: (tx) => lockConnectionOf(tx, draft.connectionId),
        after: (tx) =>
          recordAudit(tx, ctx.viewer, 'export.updated', 'Export', current.id, { fields: Object.keys(given) }),
      });
      if (!updated) throw notFound('export', current.id);
      return updated;
    },
  }),

  deleteExport: deleteByIdField(t, {
    authScopes: { editor: true },
    description: 'Cancels its running run, if any.',
    load: editableExport,
    remove: async (ctx, current) => {
      await deleteExport(ctx.db, current.id, (tx) =>
        recordAudit(tx, ctx.viewer, 'export.deleted', 'Export', current.id),
      );
      await cancelActiveRun(ctx, current.id);
    },
  }),
}));
