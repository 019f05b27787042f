import { type DefaultConnectionArguments, resolveCursorConnection } from '@pothos/plugin-relay';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type RejectReason, rejectReasonText } from '../core/export-run/contact-mapper.ts';
import { exportRuns, runRejects } from '../db/schema.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { badInput, isUuid, notFound } from './errors.ts';
import { hotQueries } from './hot-queries.ts';

export type ExportRunRow = typeof exportRuns.$inferSelect;

/**
 * The reject rows one request may ask for, over all its runs: the query cost cannot see how many exports
 * `exports` lists, so `exports { runs { … rejects } }` is held to this as well.
 */
export const maxRejectRowsPerRequest = 10_000;

const terminal = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);
export const isTerminal = (run: ExportRunRow) => terminal.has(run.status);

export const RunStatusEnum = builder.enumType('RunStatus', {
  values: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const,
});
export const RunTriggerEnum = builder.enumType('RunTrigger', { values: ['ON_DEMAND', 'SCHEDULED'] as const });

type Progress = {
  processed: number;
  total: number | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
};

/** Processed = sent to ActiveCampaign or rejected before sending; rate over the time since the run started. */
export function runProgress(run: ExportRunRow, now = Date.now()): Progress {
  const processed = run.sentCount + run.rejectedCount;
  const total = run.totalProfiles;
  const elapsed = run.startedAt ? ((run.finishedAt?.getTime() ?? now) - run.startedAt.getTime()) / 1000 : 0;
  const ratePerSecond = elapsed > 0 ? processed / elapsed : null;
  const remaining = total === null ? null : Math.max(0, total - processed);
  const etaSeconds = isTerminal(run)
    ? 0
    : remaining !== null && ratePerSecond
      ? remaining / ratePerSecond
      : null;
  return { processed, total, ratePerSecond, etaSeconds };
}

const ProgressType = builder.objectRef<Progress>('ExportRunProgress').implement({
  fields: (t) => ({
    processed: t.exposeInt('processed'),
    total: t.exposeInt('total', { nullable: true }),
    ratePerSecond: t.exposeFloat('ratePerSecond', {
      nullable: true,
      description: 'Profiles per second so far.',
    }),
    etaSeconds: t.exposeFloat('etaSeconds', { nullable: true }),
  }),
});

type RejectRow = { customerId: string; reason: string };

export const RejectType = builder.objectRef<RejectRow>('ExportRunReject').implement({
  fields: (t) => ({
    customerId: t.exposeString('customerId'),
    reason: t.exposeString('reason'),
    message: t.string({ resolve: (r) => rejectReasonText[r.reason as RejectReason] ?? r.reason }),
  }),
});

export const ExportRunType = builder.objectRef<ExportRunRow>('ExportRun').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    exportId: t.exposeID('exportId'),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    trigger: t.field({ type: RunTriggerEnum, resolve: (r) => r.trigger }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    totalProfiles: t.exposeInt('totalProfiles', { nullable: true }),
    exportedCount: t.exposeInt('exportedCount', { description: 'Contacts ActiveCampaign imported.' }),
    rejectedCount: t.exposeInt('rejectedCount', {
      description: 'Profiles not sent: no or invalid email, duplicates.',
    }),
    failedCount: t.exposeInt('failedCount', { description: 'Contacts ActiveCampaign did not import.' }),
    sentCount: t.exposeInt('sentCount', { description: 'Contacts in bulk imports ActiveCampaign accepted.' }),
    addedCount: t.exposeInt('addedCount', {
      description: 'Contacts sent for the first time by this export.',
    }),
    updatedCount: t.exposeInt('updatedCount', {
      description: 'Contacts sent again because their data changed.',
    }),
    unchangedCount: t.exposeInt('unchangedCount', {
      description: 'Members not sent: unchanged since the last push.',
    }),
    leaverCount: t.exposeInt('leaverCount', {
      description: 'Contacts that left the segments since the last run.',
    }),
    unsubscribedCount: t.exposeInt('unsubscribedCount', {
      description: 'Leavers this run unsubscribed (UNSUBSCRIBE).',
    }),
    error: t.exposeString('error', { nullable: true }),
    workflowId: t.exposeString('workflowId'),
    temporalUrl: t.string({
      resolve: (r, _a, ctx) =>
        `${ctx.temporalUiUrl}/namespaces/${encodeURIComponent(ctx.temporalNamespace)}/workflows/${encodeURIComponent(r.workflowId)}` +
        (r.temporalRunId ? `/${r.temporalRunId}/history` : ''),
    }),
    progress: t.field({ type: ProgressType, resolve: (r) => runProgress(r) }),
    rejects: t.field({
      type: [RejectType],
      description: 'Rejected and failed profiles with their reasons, in customer-id order.',
      args: { first: t.arg.int({ defaultValue: 100 }) },
      resolve: (r, { first }, ctx) => {
        const take = Math.min(Math.max(first ?? 100, 1), 1000);
        if (take > ctx.rejectRowsLeft.value) {
          throw badInput(
            'first',
            `One request reads at most ${maxRejectRowsPerRequest} reject rows: ask for fewer runs or rejects at once.`,
          );
        }
        ctx.rejectRowsLeft.value -= take;
        return ctx.db
          .select({ customerId: runRejects.customerId, reason: runRejects.reason })
          .from(runRejects)
          .where(eq(runRejects.runId, r.id))
          .orderBy(runRejects.customerId)
          .limit(take);
      },
    }),
  }),
});

export async function loadRun(ctx: Context, id: string): Promise<ExportRunRow> {
  const [run] = isUuid(id) ? await hotQueries(ctx.db).run.execute({ id }) : [];
  if (!run) throw notFound('export run', id);
  return run;
}

/**
 * Export.runs: newest first, keyset on (created_at, id). The cursor is the run id: the position is read
 * back from Postgres, so microsecond timestamps never pass through a JavaScript Date.
 */
export function resolveRunsConnection(ctx: Context, exportId: string, args: DefaultConnectionArguments) {
  const position = (cursor: string, field: string) => {
    if (!isUuid(cursor)) throw badInput(field, `Not a cursor of Export.runs: ${cursor.slice(0, 40)}`);
    return sql`(select r.created_at, r.id from export_runs r where r.id = ${cursor})`;
  };
  const key = sql`(${exportRuns.createdAt}, ${exportRuns.id})`;
  return resolveCursorConnection<Promise<ExportRunRow[]>>(
    { args, toCursor: (run: ExportRunRow) => run.id, maxSize: 100 },
    ({ before, after, limit, inverted }): Promise<ExportRunRow[]> =>
      ctx.db
        .select()
        .from(exportRuns)
        .where(
          and(
            eq(exportRuns.exportId, exportId),
            after ? sql`${key} < ${position(after, 'after')}` : undefined,
            before ? sql`${key} > ${position(before, 'before')}` : undefined,
          ),
        )
        .orderBy(
          ...(inverted
            ? [asc(exportRuns.createdAt), asc(exportRuns.id)]
            : [desc(exportRuns.createdAt), desc(exportRuns.id)]),
        )
        .limit(limit),
  );
}

builder.queryField('exportRun', (t) =>
  t.field({
    type: ExportRunType,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadRun(ctx, String(id)),
  }),
);

builder.subscriptionField('exportRunProgress', (t) =>
  t.field({
    type: ExportRunType,
    authScopes: { authenticated: true },
    description: 'The run every second while it is active; the last event is its final state.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async function* (_root, { id }, ctx) {
      let run = await loadRun(ctx, String(id));
      yield run;
      while (!isTerminal(run)) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        run = await loadRun(ctx, String(id));
        yield run;
      }
    },
    resolve: (run) => run,
  }),
);
