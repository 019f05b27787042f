import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { isActiveCampaignError } from '../activities/activecampaign/errors.ts';
import { profileAttributeNames } from '../db/profiles.ts';
import { type FieldMapping, connections, exportRuns, exports, segments } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import { ConnectionType, canUseConnection, type ConnectionRow } from './connection.ts';
import type { Context } from './context.ts';
import { badInput, forbidden, isUuid, notFound } from './errors.ts';
import { ExportRunType, loadRun, resolveRunsConnection } from './export-run.ts';
import { cancelActiveRun, startExportRun } from './run-control.ts';
import { SegmentType } from './segment.ts';
import { upstreamError } from './upstream.ts';

export type ExportRow = typeof exports.$inferSelect;

export const OnLeaveEnum = builder.enumType('OnLeavePolicy', {
  values: {
    KEEP: { description: 'Leave contacts who left the segment as they are (default).' },
    UNSUBSCRIBE: { description: 'Unsubscribe contacts who left the segment from the list.' },
  },
});

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
    connection: t.field({
      type: ConnectionType,
      resolve: async (e, _a, ctx) => {
        const [c] = await ctx.db.select().from(connections).where(eq(connections.id, e.connectionId));
        return c as ConnectionRow;
      },
    }),
    listId: t.exposeID('listId'),
    segments: t.field({
      type: [SegmentType],
      resolve: (e, _a, ctx) => ctx.db.select().from(segments).where(inArray(segments.id, e.segmentIds)).orderBy(segments.name),
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
    runs: t.connection({ type: ExportRunType, resolve: (e, args, ctx) => resolveRunsConnection(ctx, e.id, args) }),
  }),
});

export async function loadExport(ctx: Context, id: string): Promise<ExportRow> {
  const [row] = isUuid(id)
    ? await ctx.db.select().from(exports).where(and(eq(exports.id, id), isNull(exports.deletedAt)))
    : [];
  if (!row) throw notFound('export', id);
  return row;
}

/** The export's connection, if the viewer may use it (ADMIN, or CONTRIBUTOR on a connection open to them). */
async function usableConnection(ctx: Context, connectionId: string, field = 'connectionId'): Promise<ConnectionRow> {
  const [connection] = isUuid(connectionId)
    ? await ctx.db.select().from(connections).where(and(eq(connections.id, connectionId), isNull(connections.deletedAt)))
    : [];
  if (!connection) throw badInput(field, `No connection with id ${connectionId}.`);
  if (!canUseConnection(ctx.viewer, connection)) {
    throw forbidden(`The connection "${connection.displayName}" is open to admins only.`);
  }
  return connection;
}

const FieldMappingInput = builder.inputType('FieldMappingInput', {
  fields: (t) => ({
    attribute: t.string({ required: true }),
    fieldId: t.id({ required: true, description: 'An ActiveCampaign custom field id (see GET /fields).' }),
  }),
});

const ExportMappingInput = builder.inputType('ExportMappingInput', {
  fields: (t) => ({
    email: t.string({ required: true, description: 'The profile attribute that holds the email.' }),
    firstName: t.string(),
    lastName: t.string(),
    phone: t.string(),
    fields: t.field({ type: [FieldMappingInput], defaultValue: [] }),
  }),
});

const CreateExportInput = builder.inputType('CreateExportInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    connectionId: t.id({ required: true }),
    listId: t.id({ required: true }),
    segmentIds: t.idList({ required: true }),
    mapping: t.field({ type: ExportMappingInput, required: true }),
    enabled: t.boolean({ defaultValue: true }),
    onLeave: t.field({ type: OnLeaveEnum, defaultValue: 'KEEP' }),
  }),
});

const UpdateExportInput = builder.inputType('UpdateExportInput', {
  fields: (t) => ({
    name: t.string(),
    connectionId: t.id(),
    listId: t.id(),
    segmentIds: t.idList(),
    mapping: t.field({ type: ExportMappingInput }),
    enabled: t.boolean(),
    onLeave: t.field({ type: OnLeaveEnum }),
  }),
});

type ExportDraft = {
  name: string;
  connectionId: string;
  listId: string;
  segmentIds: string[];
  mapping: FieldMapping;
  enabled: boolean;
  onLeave: 'KEEP' | 'UNSUBSCRIBE';
};

/** Validates a complete export against Postgres and, live, against the connection's ActiveCampaign account. */
async function validateExport(ctx: Context, draft: ExportDraft): Promise<ExportDraft> {
  const name = draft.name.trim();
  if (!name || name.length > 100) throw badInput('name', 'Enter a name of 1 to 100 characters.');
  const connection = await usableConnection(ctx, draft.connectionId);
  const listId = draft.listId.trim();
  if (!/^\d{1,18}$/.test(listId)) throw badInput('listId', 'An ActiveCampaign list id is a number, e.g. 7.');
  const segmentIds = [...new Set(draft.segmentIds.map(String))];
  if (!segmentIds.length) throw badInput('segmentIds', 'Choose at least one segment.');
  const found = segmentIds.every(isUuid)
    ? await ctx.db.select({ id: segments.id }).from(segments).where(inArray(segments.id, segmentIds))
    : [];
  const missing = segmentIds.find((id) => !found.some((s) => s.id === id));
  if (missing) throw badInput('segmentIds', `No segment with id ${missing}.`);

  const attributes = new Set(await profileAttributeNames(ctx.sql));
  const mapping = draft.mapping;
  const checkAttribute = (field: string, attribute: string | null | undefined) => {
    if (attribute != null && !attributes.has(attribute)) {
      throw badInput(field, `Profiles have no attribute "${attribute}" (see profileAttributes).`);
    }
  };
  if (!mapping.email?.trim()) throw badInput('mapping.email', 'Map the email: it is required.');
  checkAttribute('mapping.email', mapping.email);
  checkAttribute('mapping.firstName', mapping.firstName);
  checkAttribute('mapping.lastName', mapping.lastName);
  checkAttribute('mapping.phone', mapping.phone);
  mapping.fields.forEach((f, i) => checkAttribute(`mapping.fields[${i}].attribute`, f.attribute));

  const client = await ctx
    .connect({ apiHost: connection.apiHost, apiKey: await ctx.secrets.decrypt(connection.apiKeyCiphertext as string) })
    .catch((e) => Promise.reject(upstreamError(e, connection.apiHost)));
  try {
    await client.getList(listId);
  } catch (error) {
    if (isActiveCampaignError(error) && error.kind === 'NotFound') {
      throw badInput('listId', `ActiveCampaign has no list ${listId} on this account.`);
    }
    throw upstreamError(error, connection.apiHost);
  }
  if (mapping.fields.length) {
    const fieldIds = new Set((await client.fields().catch((e) => Promise.reject(upstreamError(e, connection.apiHost)))).map((f) => f.id));
    mapping.fields.forEach((f, i) => {
      if (!fieldIds.has(String(f.fieldId))) {
        throw badInput(`mapping.fields[${i}].fieldId`, `ActiveCampaign has no custom field ${f.fieldId} on this account.`);
      }
    });
  }
  return {
    ...draft,
    name,
    listId,
    segmentIds,
    mapping: {
      email: mapping.email,
      firstName: mapping.firstName ?? null,
      lastName: mapping.lastName ?? null,
      phone: mapping.phone ?? null,
      fields: mapping.fields.map((f) => ({ attribute: f.attribute, fieldId: String(f.fieldId) })),
    },
  };
}

builder.queryFields((t) => ({
  exports: t.field({
    type: [ExportType],
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.db.select().from(exports).where(isNull(exports.deletedAt)).orderBy(asc(exports.name)),
  }),
  export: t.field({
    type: ExportType,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadExport(ctx, String(id)),
  }),
}));

/** The export, if the viewer may change or run it. */
async function editableExport(ctx: Context, id: string): Promise<ExportRow> {
  const row = await loadExport(ctx, id);
  await usableConnection(ctx, row.connectionId);
  return row;
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
        mapping: { ...input.mapping, fields: (input.mapping.fields ?? []).map((f) => ({ ...f, fieldId: String(f.fieldId) })) },
        enabled: input.enabled ?? true,
        onLeave: input.onLeave ?? 'KEEP',
      });
      return ctx.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(exports)
          .values({ ...draft, createdBy: (ctx.viewer as { id: string }).id })
          .returning();
        if (!created) throw new Error('insert returned no row');
        await recordAudit(tx, ctx.viewer, 'export.created', 'Export', created.id, { connectionId: draft.connectionId });
        return created;
      });
    },
  }),

  updateExport: t.field({
    type: ExportType,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateExportInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await editableExport(ctx, String(id));
      const draft = await validateExport(ctx, {
        name: input.name ?? current.name,
        connectionId: String(input.connectionId ?? current.connectionId),
        listId: String(input.listId ?? current.listId),
        segmentIds: (input.segmentIds ?? current.segmentIds).map(String),
        mapping: input.mapping
          ? { ...input.mapping, fields: (input.mapping.fields ?? []).map((f) => ({ ...f, fieldId: String(f.fieldId) })) }
          : current.mapping,
        enabled: input.enabled ?? current.enabled,
        onLeave: input.onLeave ?? current.onLeave,
      });
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
        await tx.update(exports).set({ deletedAt: new Date(), enabled: false }).where(eq(exports.id, current.id));
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
    resolve: async (_root, { id }, ctx) => loadRun(ctx, await startExportRun(ctx, await editableExport(ctx, String(id)))),
  }),

  cancelExportRun: t.field({
    type: ExportRunType,
    authScopes: { editor: true },
    description: 'Requests cancellation; the run ends CANCELLED within seconds, with what was already pushed counted.',
    args: { id: t.arg.id({ required: true, description: 'The run id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const run = await loadRun(ctx, String(id));
      await editableExport(ctx, run.exportId);
      if (run.status === 'QUEUED' || run.status === 'RUNNING') {
        await cancelActiveRun(ctx, run.exportId);
        await recordAudit(ctx.db, ctx.viewer, 'run.cancelled', 'ExportRun', run.id, { exportId: run.exportId });
      }
      return loadRun(ctx, run.id);
    },
  }),
}));
