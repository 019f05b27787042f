import type { ExportRow } from '../core/exports/export-store.ts';
import {
  activeRunCapVariables,
  type CapReached,
  defaultActiveRunCaps,
} from '../core/runs/active-run-caps.ts';
import type { RunOptions } from '../core/runs/lifecycle.ts';
import { cancelRunWorkflow, reserveRun, startReservedRun } from '../core/temporal/export-runs.ts';
import { startExportRunWorkflow } from '../core/temporal/starters.ts';
import { exportWorkflowId } from '../temporal.config.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { apiError, conflict } from './errors.ts';
import { editableExport } from './export-access.ts';
import { ExportRunType, loadRun } from './export-run.ts';

function alreadyRunning(exportRow: ExportRow, run: { runId: string; workflowId: string }) {
  return conflict(
    `Export "${exportRow.name}" is already running (run ${run.runId}). Cancel it or wait for it to finish.`,
    run,
  );
}

function stillClosing(exportRow: ExportRow, workflowId: string) {
  return conflict(
    `Export "${exportRow.name}" cannot start yet: its previous run has ended, but its workflow ${workflowId} is still closing (for example writing the run's results to its results target). Run it again when it has closed.`,
    { workflowId },
  );
}

function capReached(exportRow: ExportRow, { cap, limit }: CapReached) {
  const variable = activeRunCapVariables[cap];
  const who =
    cap === 'perConnection'
      ? `its connection already has ${limit} runs queued or running`
      : `you already have ${limit} runs queued or running`;
  return apiError(
    'TOO_MANY_REQUESTS',
    `Export "${exportRow.name}" cannot start now: ${who}, the cap (${variable}=${limit}). Start it when one of them has finished.`,
    { cap: variable, limit },
  );
}

/**
 * Starts an on-demand run: one active run per export, enforced in Postgres and by the workflow id, and
 * no more runs at once than the caps per user and per connection allow.
 */
export async function startExportRun(
  ctx: Context,
  exportRow: ExportRow,
  options: RunOptions = {},
): Promise<string> {
  const reserved = await reserveRun(
    ctx.sql,
    ctx.temporal,
    {
      exportId: exportRow.id,
      trigger: 'ON_DEMAND',
      requestedBy: ctx.viewer?.id ?? null,
      ...options,
    },
    { caps: ctx.limits?.activeRuns ?? defaultActiveRunCaps, connectionId: exportRow.connectionId },
  );
  if ('capReached' in reserved) throw capReached(exportRow, reserved.capReached);
  if ('activeRunId' in reserved) {
    throw alreadyRunning(exportRow, {
      runId: reserved.activeRunId,
      workflowId: exportWorkflowId(exportRow.id),
    });
  }
  const { runId } = reserved;
  const started = await startReservedRun(ctx.sql, ctx.temporal, { runId, exportId: exportRow.id }, () =>
    startExportRunWorkflow(ctx.temporal, ctx.taskQueue, {
      runId,
      exportId: exportRow.id,
      exportName: exportRow.name,
      connectionId: exportRow.connectionId,
      listId: exportRow.listId,
      trigger: 'ON_DEMAND',
      timeLimitMs: ctx.runTimeLimitMs,
    }),
  );
  if (started === 'still-closing') throw stillClosing(exportRow, exportWorkflowId(exportRow.id));
  await recordAudit(ctx.db, ctx.viewer, 'run.started', 'ExportRun', runId, {
    exportId: exportRow.id,
    ...options,
  });
  return runId;
}

/** Requests cancellation of the export's running workflow; the workflow records CANCELLED itself. */
export function cancelActiveRun(ctx: Context, exportId: string): Promise<boolean> {
  return cancelRunWorkflow(ctx.temporal, exportId);
}

builder.mutationFields((t) => ({
  runExport: t.field({
    type: ExportRunType,
    authScopes: { editor: true },
    args: {
      id: t.arg.id({ required: true }),
      fullResync: t.arg.boolean({
        defaultValue: false,
        description: 'Push every member, not only those new or changed since the last push.',
      }),
      confirmMassUnsubscribe: t.arg.boolean({
        defaultValue: false,
        description: 'Proceed although the run unsubscribes more of the list than the safety limit allows.',
      }),
    },
    resolve: async (_root, { id, fullResync, confirmMassUnsubscribe }, ctx) => {
      const { connection, ...row } = await editableExport(ctx, String(id));
      if (connection.deletedAt) {
        throw conflict(
          `The connection "${connection.displayName}" was deleted: choose another one (updateExport) first.`,
        );
      }
      const options = {
        fullResync: fullResync ?? false,
        confirmMassUnsubscribe: confirmMassUnsubscribe ?? false,
      };
      return loadRun(ctx, await startExportRun(ctx, row, options));
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
