import { type RefreshScheduleState, describeRefreshSchedule, saveRefreshSchedule, triggerRefreshNow } from '../activities/refresh/schedule.ts';
import { recordAudit } from './audit.ts';
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

const cronField = /^[\d*/,\-A-Za-z?LW#]+$/;

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
      cron: t.arg.string({ required: true, description: 'Five fields, e.g. "0 2 * * *" for 02:00 every day.' }),
      timezone: t.arg.string({ required: true, description: 'An IANA time zone, e.g. Europe/Budapest.' }),
    },
    resolve: async (_root, { cron, timezone }, ctx) => {
      const fields = cron.trim().split(/\s+/);
      if (fields.length !== 5 || !fields.every((f) => cronField.test(f))) {
        throw badInput('cron', 'Use a five-field cron expression, e.g. "0 2 * * *" (minute hour day month weekday).');
      }
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: timezone });
      } catch {
        throw badInput('timezone', `Unknown time zone "${timezone}": use an IANA name such as Europe/Budapest or UTC.`);
      }
      try {
        await saveRefreshSchedule(scheduleDeps(ctx), { cron: fields.join(' '), timezone });
      } catch (error) {
        if (error instanceof Error && /invalid|parse|cron/i.test(error.message)) {
          throw badInput('cron', `Temporal rejected the schedule: ${error.message}`);
        }
        throw error;
      }
      await recordAudit(ctx.db, ctx.viewer, 'schedule.updated', 'RefreshSchedule', ctx.refreshScheduleId, { cron, timezone });
      return describeRefreshSchedule(scheduleDeps(ctx));
    },
  }),
  triggerRefresh: t.boolean({
    authScopes: { admin: true },
    description: 'Runs the refresh now (skipped if one is already running).',
    resolve: async (_root, _args, ctx) => {
      await triggerRefreshNow(scheduleDeps(ctx));
      await recordAudit(ctx.db, ctx.viewer, 'refresh.triggered', 'RefreshSchedule', ctx.refreshScheduleId);
      return true;
    },
  }),
}));
