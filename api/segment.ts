import { eq } from 'drizzle-orm';
import { adminOnlyExportsUsing } from '../core/segments/segment-access.ts';
import {
  refreshSegmentMembers,
  SegmentRefreshBusyError,
  SegmentRefreshTimeoutError,
} from '../core/segments/segment-refresh.ts';
import { parseSegmentRule, SegmentRuleError } from '../core/segments/segment-rule.ts';
import { segments } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { apiError, badInput, conflict, forbidden, isUuid, notFound } from './errors.ts';
import { keysetConnection, keysetPage, newestFirst } from './keyset-connection.ts';
import { withSegmentRefreshShare } from './segment-refresh-share.ts';
import { nameText } from './text-input.ts';

export type SegmentRow = typeof segments.$inferSelect;

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

async function loadSegment(ctx: Context, id: string): Promise<SegmentRow> {
  const [row] = isUuid(id) ? await ctx.db.select().from(segments).where(eq(segments.id, id)) : [];
  if (!row) throw notFound('segment', id);
  return row;
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
        keysetConnection({
          args,
          list: 'Query.segments',
          cursorOf: (row: SegmentRow) => row.id,
          isCursor: isUuid,
          cursorExists: async (cursor) => (await ctx.db.$count(segments, eq(segments.id, cursor))) > 0,
          page: (page) => {
            const { where, orderBy } = keysetPage(page, newestFirst(segments));
            return ctx.db
              .select()
              .from(segments)
              .where(where)
              .orderBy(...orderBy)
              .limit(page.limit);
          },
          count: () => ctx.db.$count(segments),
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

builder.mutationFields((t) => ({
  createSegment: t.field({
    type: SegmentType,
    authScopes: { editor: true },
    description: 'Saves the segment and materializes its members once.',
    args: { input: t.arg({ type: CreateSegmentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const name = nameText('name', input.name.trim());
      if (!name || name.length > 100) throw badInput('name', 'Enter a name of 1 to 100 characters.');
      let rule: unknown;
      try {
        rule = parseSegmentRule(input.rule);
      } catch (error) {
        if (error instanceof SegmentRuleError) throw badInput(error.path, error.message);
        throw error;
      }
      // The segment, its first membership and the audit event land together or not at all, on the
      // segment refreshes' own pool.
      const id = await withSegmentRefreshShare(ctx, (refreshDb) =>
        refreshDb.transaction(async (tx) => {
          const [created] = await tx.insert(segments).values({ name, rule }).returning({ id: segments.id });
          if (!created) throw new Error('insert returned no row');
          const { memberCount } = await refreshSegmentMembers(tx, created.id, {
            timeLimitMs: ctx.segmentRefreshTimeLimitMs,
            whenBusy: 'fail',
          });
          await recordAudit(tx, ctx.viewer, 'segment.created', 'Segment', created.id, { memberCount });
          return created.id;
        }),
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
