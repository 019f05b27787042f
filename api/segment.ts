import { adminOnlyExportsUsing } from '../core/segments/segment-access.ts';
import {
  refreshSegmentMembers,
  SegmentRefreshBusyError,
  SegmentRefreshTimeoutError,
} from '../core/segments/segment-refresh.ts';
import { parseSegmentRule, type SegmentRule, SegmentRuleError } from '../core/segments/segment-rule.ts';
import {
  changeSegment,
  countRuleMatches,
  countSegments,
  createSegment,
  deleteSegmentUnlessExported,
  findSegment,
  type SegmentRow,
  segmentPage,
} from '../core/segments/segment-store.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import { deleteByIdField } from './by-id-fields.ts';
import type { Context } from './context.ts';
import { apiError, badInput, conflict, forbidden, notFound } from './errors.ts';
import { uuidKeysetConnection } from './keyset-connection.ts';
import { loadById } from './load-by-id.ts';
import { withSegmentRefreshShare } from './segment-refresh-share.ts';
import { checkedName } from './text-input.ts';

export const SegmentType = builder.objectRef<SegmentRow>('Segment').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    rule: t.expose('rule', { type: 'JSON' }),
    isStatic: t.boolean({
      resolve: (s) => typeof s.rule === 'object' && s.rule !== null && 'customerIds' in s.rule,
    }),
    memberCount: t.exposeInt('memberCount', { description: 'Members at the last refresh.' }),
    refreshedAt: t.expose('refreshedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

function loadSegment(ctx: Context, id: string): Promise<SegmentRow> {
  return loadById('segment', id, (known) => findSegment(ctx.db, known));
}

/** A refresh that could not run (another one is) or was stopped at its time limit, as the API answers it. */
function refreshFailure(error: unknown): unknown {
  if (error instanceof SegmentRefreshBusyError) {
    return conflict('This segment is already being refreshed; try again when that refresh has finished.');
  }
  if (error instanceof SegmentRefreshTimeoutError) {
    return apiError(
      'TIMEOUT',
      `Refreshing the segment took longer than the limit of ${Math.ceil(error.timeLimitMs / 1000)} s and was stopped; its members are as they were. Simplify the rule or split it into several segments.`,
    );
  }
  return error;
}

/**
 * A segment exported through an admin-only connection is the admins' to change: a contributor's
 * change would decide who lands on a list they may not export to.
 */
async function changeableSegment(ctx: Context, id: string): Promise<SegmentRow> {
  const segment = await loadSegment(ctx, id);
  if (ctx.viewer?.role === 'ADMIN') return segment;
  const adminOnly = await adminOnlyExportsUsing(ctx.sql, segment.id);
  if (adminOnly > 0) {
    throw forbidden(
      `The segment is used by ${adminOnly === 1 ? 'an export' : `${adminOnly} exports`} on admin-only ` +
        'connections: only admins may change or refresh it.',
    );
  }
  return segment;
}

builder.queryFields((t) => ({
  segments: t.connection(
    {
      type: SegmentType,
      authScopes: { authenticated: true },
      description: 'Newest first.',
      resolve: (_root, args, ctx) =>
        uuidKeysetConnection(args, 'Query.segments', {
          cursorExists: async (cursor) => (await findSegment(ctx.db, cursor)) !== undefined,
          page: (page) => segmentPage(ctx.db, page),
          count: () => countSegments(ctx.db),
        }),
    },
    { name: 'SegmentsConnection' },
  ),
  segment: t.field({
    type: SegmentType,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadSegment(ctx, String(id)),
  }),
}));

const CreateSegmentInput = builder.inputType('CreateSegmentInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    rule: t.field({
      type: 'JSON',
      required: true,
      description: '{"all":[{"attribute":"Country","op":"EQ","value":"HU"}]} or {"customerIds":["c1","c2"]}',
    }),
  }),
});

/** The rule as given, parsed; BAD_USER_INPUT naming the bad node otherwise. */
function ruleFromInput(input: unknown): SegmentRule {
  try {
    return parseSegmentRule(input);
  } catch (error) {
    if (error instanceof SegmentRuleError) throw badInput(error.path, error.message);
    throw error;
  }
}

const SegmentPreviewType = builder.objectRef<{ memberCount: number }>('SegmentPreview').implement({
  fields: (t) => ({
    memberCount: t.exposeInt('memberCount', { description: 'Profiles the rule matches now.' }),
  }),
});

builder.queryFields((t) => ({
  previewSegment: t.field({
    type: SegmentPreviewType,
    authScopes: { authenticated: true },
    description:
      'How many profiles a rule matches now, without saving it (BAD_USER_INPUT for a bad rule, TIMEOUT past the ' +
      'segment refresh time limit).',
    args: { rule: t.arg({ type: 'JSON', required: true }) },
    resolve: async (_root, { rule }, ctx) => {
      const parsed = ruleFromInput(rule);
      const memberCount = await countRuleMatches(
        ctx.segmentRefreshDb,
        parsed,
        ctx.segmentRefreshTimeLimitMs,
      ).catch((error) => {
        throw refreshFailure(error);
      });
      return { memberCount };
    },
  }),
}));

const UpdateSegmentInput = builder.inputType('UpdateSegmentInput', {
  fields: (t) => ({
    name: t.string(),
    rule: t.field({ type: 'JSON', description: 'A new rule: the members are materialized again at once.' }),
  }),
});

builder.mutationFields((t) => ({
  updateSegment: t.field({
    type: SegmentType,
    authScopes: { editor: true },
    description:
      'Renames the segment and/or gives it a new rule (materialized at once, as createSegment). A segment exported ' +
      'through an admin-only connection may be changed by admins only.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateSegmentInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const segment = await changeableSegment(ctx, String(id));
      const name = input.name == null ? undefined : checkedName('name', input.name, 'segmentName');
      const rule = input.rule == null ? undefined : ruleFromInput(input.rule);
      const fields = [name !== undefined && 'name', rule && 'rule'].filter(Boolean);
      const changed = await changeSegment(
        ctx.segmentRefreshDb,
        segment.id,
        { name, rule },
        {
          timeLimitMs: ctx.segmentRefreshTimeLimitMs,
          alsoInTransaction: (tx) =>
            recordAudit(tx, ctx.viewer, 'segment.updated', 'Segment', segment.id, { fields }),
        },
      ).catch((error) => {
        throw refreshFailure(error);
      });
      if (!changed) throw notFound('segment', segment.id);
      return changed;
    },
  }),
  deleteSegment: deleteByIdField(t, {
    authScopes: { editor: true },
    description:
      'Deletes the segment and its members. CONFLICT naming the exports (extensions.exportIds) while any export ' +
      'still exports it. A segment exported through an admin-only connection may be deleted by admins only.',
    load: changeableSegment,
    remove: async (ctx, segment) => {
      const outcome = await deleteSegmentUnlessExported(ctx.db, segment.id, (tx) =>
        recordAudit(tx, ctx.viewer, 'segment.deleted', 'Segment', segment.id, { name: segment.name }),
      );
      if (!outcome.deleted) {
        const names = outcome.usedBy.map((e) => `“${e.name}”`).join(', ');
        throw conflict(
          `The segment is exported by ${outcome.usedBy.length === 1 ? 'the export' : 'the exports'} ${names}: ` +
            'take it out of them (or delete them) first.',
          { exportIds: outcome.usedBy.map((e) => e.id) },
        );
      }
    },
  }),
}));

builder.mutationFields((t) => ({
  createSegment: t.field({
    type: SegmentType,
    authScopes: { editor: true },
    description: 'Saves the segment and materializes its members once.',
    args: { input: t.arg({ type: CreateSegmentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const name = checkedName('name', input.name, 'segmentName');
      const rule = ruleFromInput(input.rule);
      // The segment, its first membership and the audit event land together or not at all, on the
      // segment refreshes' own pool.
      const id = await withSegmentRefreshShare(ctx, (refreshDb) =>
        createSegment(
          refreshDb,
          { name, rule },
          {
            timeLimitMs: ctx.segmentRefreshTimeLimitMs,
            alsoInTransaction: (tx, created) =>
              recordAudit(tx, ctx.viewer, 'segment.created', 'Segment', created.id, {
                memberCount: created.memberCount,
              }),
          },
        ),
      ).catch((error) => {
        throw refreshFailure(error);
      });
      return loadSegment(ctx, id);
    },
  }),
  refreshSegment: t.field({
    type: SegmentType,
    authScopes: { editor: true },
    description:
      'Materializes the membership now, in one statement, and records the count and time. CONFLICT when a refresh ' +
      'of the segment is already running; TIMEOUT when it runs past the time limit ' +
      '(OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS). A segment exported through an admin-only connection may be ' +
      'refreshed by admins only.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const segment = await changeableSegment(ctx, String(id));
      const refreshed = await withSegmentRefreshShare(ctx, (refreshDb) =>
        refreshSegmentMembers(refreshDb, segment.id, {
          timeLimitMs: ctx.segmentRefreshTimeLimitMs,
          whenBusy: 'fail',
        }),
      ).catch((error) => {
        throw refreshFailure(error);
      });
      await recordAudit(ctx.db, ctx.viewer, 'segment.refreshed', 'Segment', segment.id, {
        memberCount: refreshed.memberCount,
        previousMemberCount: segment.memberCount,
        generation: refreshed.generation,
      });
      return loadSegment(ctx, segment.id);
    },
  }),
}));
