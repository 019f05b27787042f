import type { alertEvents } from '../core/alerts/events.ts';
import { createRule, deleteRule, exportExists, listRules, type RuleRow } from '../core/alerts/rule-store.ts';
import { builder } from './builder.ts';
import { badInput, isUuid, notFound } from './errors.ts';
import { loadChannel } from './notification-channel.ts';

export const AlertEventEnum = builder.enumType('AlertEvent', {
  values: {
    RUN_FAILED: {
      description: 'A run ended FAILED or TIMED_OUT (after its retries; retries themselves never alert).',
    },
    CONNECTION_REJECTED: { description: 'ActiveCampaign rejected the connection’s API key.' },
    MASS_UNSUBSCRIBE_HELD: {
      description: 'The mass-unsubscribe guard stopped a run; the message says how to confirm it.',
    },
    RECORDS_NOT_EXPORTED: {
      description: 'Rejected + skipped + failed contacts above thresholdPercent of those processed.',
    },
    RUN_SLOW: { description: 'A run took longer than thresholdMinutes.' },
    MEMBERS_CHANGED: {
      description:
        'A successful run’s members differ by more than thresholdPercent from the last successful run.',
    },
    RUN_RECOVERED: { description: 'A run succeeded after a FAILED or TIMED_OUT one.' },
    REFRESH_FAILED: {
      description:
        'A scheduled or on-demand refresh failed, or a segment in it was past its time budget (or its rule no longer parses). Global rules only.',
    },
    SOURCE_SYNC_FAILED: {
      description: 'A source sync failed for good; the message names the source and why. Global rules only.',
    },
    RESULTS_WRITE_FAILED: {
      description:
        'A run’s results could not be written to its export’s results target (ExportRun.resultsWriteError).',
    },
  },
});

const needsPercent = new Set(['RECORDS_NOT_EXPORTED', 'MEMBERS_CHANGED']);
const globalOnly = new Set(['REFRESH_FAILED', 'SOURCE_SYNC_FAILED']);

export const AlertRuleType = builder.objectRef<RuleRow>('AlertRule').implement({
  description: 'Sends an event of one export, or of all exports, to a channel. Admins only.',
  fields: (t) => ({
    id: t.exposeID('id'),
    channelId: t.exposeID('channelId'),
    exportId: t.exposeID('exportId', { nullable: true, description: 'Null: every export.' }),
    event: t.field({ type: AlertEventEnum, resolve: (r) => r.event as (typeof alertEvents)[number] }),
    thresholdPercent: t.exposeInt('thresholdPercent', { nullable: true }),
    thresholdMinutes: t.exposeInt('thresholdMinutes', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
  }),
});

const CreateAlertRuleInput = builder.inputType('CreateAlertRuleInput', {
  fields: (t) => ({
    channelId: t.id({ required: true }),
    exportId: t.id({ description: 'Omitted: every export, present and future.' }),
    event: t.field({ type: AlertEventEnum, required: true }),
    thresholdPercent: t.int({ description: 'RECORDS_NOT_EXPORTED and MEMBERS_CHANGED: 0 to 100.' }),
    thresholdMinutes: t.int({ description: 'RUN_SLOW: a positive number of minutes.' }),
  }),
});

builder.queryFields((t) => ({
  alertRules: t.field({
    type: [AlertRuleType],
    authScopes: { admin: true },
    description: 'Every rule, newest first.',
    resolve: (_root, _args, ctx) => listRules(ctx.db),
  }),
}));

builder.mutationFields((t) => ({
  createAlertRule: t.field({
    type: AlertRuleType,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateAlertRuleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const channel = await loadChannel(ctx, String(input.channelId));
      const exportId = input.exportId == null ? null : String(input.exportId);
      if (exportId !== null && globalOnly.has(input.event)) {
        throw badInput('exportId', `${input.event} is not about one export: leave exportId out.`);
      }
      if (exportId !== null && !(isUuid(exportId) && (await exportExists(ctx.db, exportId)))) {
        throw notFound('export', exportId);
      }
      const percent = input.thresholdPercent ?? null;
      if (needsPercent.has(input.event) && (percent === null || percent < 0 || percent > 100)) {
        throw badInput('thresholdPercent', `${input.event} needs a thresholdPercent from 0 to 100.`);
      }
      const minutes = input.thresholdMinutes ?? null;
      if (input.event === 'RUN_SLOW' && (minutes === null || minutes < 1)) {
        throw badInput('thresholdMinutes', 'RUN_SLOW needs a thresholdMinutes of at least 1.');
      }
      return createRule(ctx.db, ctx.viewer?.id ?? null, {
        channelId: channel.id,
        exportId,
        event: input.event,
        thresholdPercent: percent,
        thresholdMinutes: minutes,
      });
    },
  }),

  deleteAlertRule: t.id({
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const ruleId = String(id);
      if (!(isUuid(ruleId) && (await deleteRule(ctx.db, ctx.viewer?.id ?? null, ruleId)))) {
        throw notFound('alert rule', ruleId);
      }
      return ruleId;
    },
  }),
}));
