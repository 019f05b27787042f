import { insertAuditEvent } from '../core/audit.ts';
import {
  describeRefreshSchedule,
  RefreshScheduleInputError,
  type RefreshScheduleState,
  saveRefreshSchedule,
  triggerRefreshNow,
} from '../core/temporal/refresh-schedule.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { badInput } from './errors.ts';

const scheduleDeps = (ctx: Context) => ({
  sql: ctx.sql,
  temporal: ctx.temporal,
  taskQueue: ctx.taskQueue,
  scheduleId: ctx.refreshScheduleId,
  runTimeLimitMs: ctx.runTimeLimitMs,
});

const auditSchedule = (ctx: Context, action: string, details?: Record<string, unknown>) =>
  insertAuditEvent(ctx.db, ctx.viewer?.id ?? null, action, 'RefreshSchedule', ctx.refreshScheduleId, details);

const cronField = /^[\d*/,\-A-Za-z?LW#]+$/;

/**
 * An IANA time zone in its canonical spelling, or null. Intl matches names case-insensitively but the
 * Temporal server does not ("utc" is refused there), so a case-insensitive match takes Intl's spelling;
 * aliases Intl knows but does not list (Asia/Kolkata) are passed on for the server to judge.
 */
function timeZoneName(input: string): string | null {
  const name = input.trim();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return null;
  }
  if (name.toUpperCase() === 'UTC') return 'UTC';
  return Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === name.toLowerCase()) ?? name;
}

const RefreshScheduleType = builder.objectRef<RefreshScheduleState>('RefreshSchedule').implement({
  description: 'Each tick refreshes every segment, then runs every enabled export.',
  fields: (t) => ({
    cron: t.exposeString('cron'),
    timezone: t.exposeString('timezone'),
    maxConcurrentExports: t.exposeInt('maxConcurrentExports'),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true }),
    lastRunAt: t.expose('lastRunAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('refreshSchedule', (t) =>
  t.field({
    type: RefreshScheduleType,
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => describeRefreshSchedule(scheduleDeps(ctx)),
  }),
);

builder.mutationFields((t) => ({
  updateRefreshSchedule: t.field({
    type: RefreshScheduleType,
    authScopes: { admin: true },
    args: {
      cron: t.arg.string({
        required: true,
        description: 'Five fields, e.g. "0 2 * * *" for 02:00 every day.',
      }),
      timezone: t.arg.string({ required: true, description: 'An IANA time zone, e.g. Europe/Budapest.' }),
    },
    resolve: async (_root, { cron, timezone }, ctx) => {
      const fields = cron.trim().split(/\s+/);
      if (fields.length !== 5 || !fields.every((f) => cronField.test(f))) {
        throw badInput(
          'cron',
          'Use a five-field cron expression, e.g. "0 2 * * *" (minute hour day month weekday).',
        );
      }
      const zone = timeZoneName(timezone);
      if (!zone) {
        throw badInput(
          'timezone',
          `Unknown time zone "${timezone}": use an IANA name such as Europe/Budapest or UTC.`,
        );
      }
      const change = { cron: fields.join(' '), timezone: zone };
      try {
        await saveRefreshSchedule(scheduleDeps(ctx), change);
      } catch (error) {
        if (error instanceof RefreshScheduleInputError) throw badInput(error.field, error.message);
        throw error;
      }
      await auditSchedule(ctx, 'schedule.updated', change);
      return describeRefreshSchedule(scheduleDeps(ctx));
    },
  }),
  triggerRefresh: t.boolean({
    authScopes: { admin: true },
    description: 'Runs the refresh now (skipped if one is already running).',
    resolve: async (_root, _args, ctx) => {
      await triggerRefreshNow(scheduleDeps(ctx));
      await auditSchedule(ctx, 'refresh.triggered');
      return true;
    },
  }),
}));
