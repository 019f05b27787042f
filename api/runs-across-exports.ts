import { and, eq, getTableColumns } from 'drizzle-orm';
import { exportRuns, exports } from '../db/schema.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { isUuid } from './errors.ts';
import { type ExportRunRow, ExportRunType, RunStatusEnum } from './export-run.ts';
import { keysetConnection, keysetPage, newestFirst } from './keyset-connection.ts';

/** A run as the list across exports reads it: with its export's name, joined in. */
type NamedRunRow = ExportRunRow & { exportName?: string };

builder.objectField(ExportRunType, 'exportName', (t) =>
  t.string({
    description: 'The name of the export it ran (also when the export was deleted since).',
    resolve: async (run: NamedRunRow, _args, ctx) => {
      if (run.exportName !== undefined) return run.exportName;
      const [row] = await ctx.db
        .select({ name: exports.name })
        .from(exports)
        .where(eq(exports.id, run.exportId));
      return row?.name ?? '';
    },
  }),
);

/** Query.exportRuns: every export's runs, newest first, optionally of one status. */
function runsAcrossExports(
  ctx: Context,
  args: Parameters<typeof keysetConnection>[0]['args'],
  status?: string,
) {
  const ofStatus = status ? eq(exportRuns.status, status as ExportRunRow['status']) : undefined;
  return keysetConnection({
    args,
    list: 'Query.exportRuns',
    cursorOf: (run: NamedRunRow) => run.id,
    isCursor: isUuid,
    cursorExists: async (cursor) => (await ctx.db.$count(exportRuns, eq(exportRuns.id, cursor))) > 0,
    page: (page) => {
      const { where, orderBy } = keysetPage(page, newestFirst(exportRuns));
      return ctx.db
        .select({ ...getTableColumns(exportRuns), exportName: exports.name })
        .from(exportRuns)
        .innerJoin(exports, eq(exports.id, exportRuns.exportId))
        .where(and(ofStatus, where))
        .orderBy(...orderBy)
        .limit(page.limit);
    },
    count: () => ctx.db.$count(exportRuns, ofStatus),
  });
}

builder.queryField('exportRuns', (t) =>
  t.connection({
    type: ExportRunType,
    authScopes: { authenticated: true },
    description: 'The runs of every export, newest first; status narrows them to one status.',
    args: { status: t.arg({ type: RunStatusEnum }) },
    resolve: (_root, { status, ...args }, ctx) => runsAcrossExports(ctx, args, status ?? undefined),
  }),
);
