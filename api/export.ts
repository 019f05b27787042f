import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { connections, exportRuns, exports, type FieldMapping, segments } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import { type ConnectionRow, ConnectionType } from './connection.ts';
import type { Context } from './context.ts';
import { conflict, forbidden, isUuid, notFound } from './errors.ts';
import {
  CreateExportInput,
  mappingFromInput,
  OnLeaveEnum,
  UpdateExportInput,
  validateExport,
} from './export-input.ts';
import { ExportRunType, loadRun, resolveRunsConnection } from './export-run.ts';
import { cancelActiveRun, startExportRun } from './run-control.ts';
import { SegmentType } from './segment.ts';

export type ExportRow = typeof exports.$inferSelect;

const FieldMappingEntry = builder.objectRef<FieldMapping['fields'][number]>('FieldMappingEntry').implement({
  fields: (t) => ({ attribute: t.exposeString('attribute'), fieldId: t.exposeID('fieldId') }),
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
      resolve: (e, _a, ctx) =>
        ctx.db.select().from(segments).where(inArray(segments.id, e.segmentIds)).orderBy(segments.name),
    }),
    mapping: t.field({ type: ExportMappingType, resolve: (e) => e.mapping }),
    enabled: t.exposeBoolean('enabled'),
    onLeave: t.field({ type: OnLeaveEnum, resolve: (e) => e.onLeave }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lastRun: t.field({
      type: ExportRunType,
      nullable: true,
      resolve: async (e, _a, ctx) => {
        const [run] = await ctx.db
          .select()
          .from(exportRuns)
          .where(eq(exportRuns.exportId, e.id))
          .orderBy(desc(exportRuns.createdAt))
          .limit(1);
        return run ?? null;
      },
    }),
    runs: t.connection({
      type: ExportRunType,
      resolve: (e, args, ctx) => resolveRunsConnection(ctx, e.id, args),
    }),
  }),
});

export async function loadExport(ctx: Context, id: string): Promise<ExportRow> {
  const [row] = isUuid(id)
    ? await ctx.db
        .select()
        .from(exports)
        .where(and(eq(exports.id, id), isNull(exports.deletedAt)))
    : [];
  if (!row) throw notFound('export', id);
  return row;
}

builder.queryFields((t) => ({
  exports: t.field({
    type: [ExportType],
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) =>
      ctx.db.select().from(exports).where(isNull(exports.deletedAt)).orderBy(asc(exports.name)),
  }),
  export: t.field({
    type: ExportType,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadExport(ctx, String(id)),
  }),
}));

/** Its connection, deleted or not: an export outlives a deleted connection, disabled. */
async function connectionOf(ctx: Context, row: ExportRow): Promise<ConnectionRow> {
  const [connection] = await ctx.db.select().from(connections).where(eq(connections.id, row.connectionId));
  if (!connection) throw new Error(`export ${row.id} has no connection row`);
  return connection;
}

/** The export, if the viewer may change or run it: ADMIN, or CONTRIBUTOR when its connection allows them. */
async function editableExport(ctx: Context, id: string): Promise<ExportRow & { connection: ConnectionRow }> {
  const row = await loadExport(ctx, id);
  const connection = await connectionOf(ctx, row);
  const allowed =
    ctx.viewer?.role === 'ADMIN' || (ctx.viewer?.role === 'CONTRIBUTOR' && connection.contributorsCanUse);
  if (!allowed) throw forbidden(`The connection "${connection.displayName}" is open to admins only.`);
  return { ...row, connection };
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
      });
      return ctx.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(exports)
          .values({ ...draft, createdBy: (ctx.viewer as { id: string }).id })
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
        },
        current,
      );
      return ctx.db.transaction(async (tx) => {
        const [updated] = await tx
          .update(exports)
          .set({ ...draft, updatedAt: new Date() })
          .where(eq(exports.id, current.id))
          .returning();
        await recordAudit(tx, ctx.viewer, 'export.updated', 'Export', current.id, {
          fields: Object.keys(input).filter((k) => input[k as keyof typeof input] != null),
        });
        return updated as ExportRow;
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

  runExport: t.field({
    type: ExportRunType,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const { connection, ...row } = await editableExport(ctx, String(id));
      if (connection.deletedAt) {
        throw conflict(
          `The connection "${connection.displayName}" was deleted: choose another one (updateExport) first.`,
        );
      }
      return loadRun(ctx, await startExportRun(ctx, row));
    },
  }),

  cancelExportRun: t.field({
    type: ExportRunType,
    authScopes: { editor: true },
    description:
      'Requests cancellation; the run ends CANCELLED within seconds, with what was already pushed counted.',
    args: { id: t.arg.id({ required: true, description: 'The run id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const run = await loadRun(ctx, String(id));
      await editableExport(ctx, run.exportId);
      if (
        (run.status === 'QUEUED' || run.status === 'RUNNING') &&
        (await cancelActiveRun(ctx, run.exportId))
      ) {
        await recordAudit(ctx.db, ctx.viewer, 'run.cancelled', 'ExportRun', run.id, {
          exportId: run.exportId,
        });
      }
      return loadRun(ctx, run.id);
    },
  }),
}));
