import { type ExportRow, findLiveExport } from '../core/exports/export-store.ts';
import type { ConnectionRow } from './connection.ts';
import type { Context } from './context.ts';
import { forbidden } from './errors.ts';
import { loadById } from './load-by-id.ts';

export function loadExport(ctx: Context, id: string): Promise<ExportRow> {
  return loadById('export', id, (known) => findLiveExport(ctx.db, known));
}

/** Its connection, deleted or not: an export outlives a deleted connection, disabled. */
export async function connectionOf(ctx: Context, row: ExportRow): Promise<ConnectionRow> {
  const connection = await ctx.loaders.connection(row.connectionId);
  if (!connection) throw new Error(`export ${row.id} has no connection row`);
  return connection;
}

/** ADMIN, or CONTRIBUTOR when the export's connection allows them. */
export const mayEditExport = (ctx: Context, connection: ConnectionRow): boolean =>
  ctx.viewer?.role === 'ADMIN' || (ctx.viewer?.role === 'CONTRIBUTOR' && connection.contributorsCanUse);

/** The export, if the viewer may change or run it: ADMIN, or CONTRIBUTOR when its connection allows them. */
export async function editableExport(
  ctx: Context,
  id: string,
): Promise<ExportRow & { connection: ConnectionRow }> {
  const row = await loadExport(ctx, id);
  const connection = await connectionOf(ctx, row);
  if (!mayEditExport(ctx, connection))
    throw forbidden(`The connection "${connection.displayName}" is open to admins only.`);
  return { ...row, connection };
}
