import type { ExportRunRow } from '../core/runs/run-store.ts';
import { exportNameOf, type NamedRunRow, runsAcrossExportsPages } from '../core/runs/runs-across-exports.ts';
import { builder } from './builder.ts';
import { isUuid } from './errors.ts';
import { ExportRunType, RunStatusEnum } from './export-run.ts';
import { keysetConnection } from './keyset-connection.ts';

builder.objectField(ExportRunType, 'exportName', (t) =>
  t.string({
    description: 'The name of the export it ran (also when the export was deleted since).',
    resolve: (run: ExportRunRow & NamedRunRow, _args, ctx) =>
      run.exportName ?? exportNameOf(ctx.db, run.exportId),
  }),
);

builder.queryField('exportRuns', (t) =>
  t.connection({
    type: ExportRunType,
    authScopes: { authenticated: true },
    description: 'The runs of every export, newest first; status narrows them to one status.',
    args: { status: t.arg({ type: RunStatusEnum }) },
    resolve: (_root, { status, ...args }, ctx) =>
      keysetConnection({
        args,
        list: 'Query.exportRuns',
        cursorOf: (run: NamedRunRow) => run.id,
        isCursor: isUuid,
        ...runsAcrossExportsPages(ctx.db, status ?? undefined),
      }),
  }),
);
