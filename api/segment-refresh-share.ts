import type { Db } from '../core/database.ts';
import type { Context } from './context.ts';
import { apiError } from './errors.ts';

/** Segment refreshes (createSegment, refreshSegment) one user who is not an admin may have running at once. */
export const segmentRefreshesPerUser = 1;

/** This API process's refreshes in flight per user. */
export type SegmentRefreshSlots = Map<string, number>;

export const createSegmentRefreshSlots = (): SegmentRefreshSlots => new Map();

/**
 * Runs a segment refresh requested through the API on its share of the refresh connections. Admins
 * refresh on connections of their own, so they never wait behind other users' refreshes; everyone else
 * shares the others, at most `segmentRefreshesPerUser` at a time each (TOO_MANY_REQUESTS beyond).
 */
export async function withSegmentRefreshShare<T>(ctx: Context, work: (db: Db) => Promise<T>): Promise<T> {
  const viewer = ctx.viewer;
  if (!viewer || viewer.role === 'ADMIN') return work(ctx.adminSegmentRefreshDb ?? ctx.segmentRefreshDb);
  const slots = ctx.segmentRefreshSlots;
  const mine = slots.get(viewer.id) ?? 0;
  if (mine >= segmentRefreshesPerUser) {
    throw apiError(
      'TOO_MANY_REQUESTS',
      `A segment refresh of yours is already running; one user may run ${segmentRefreshesPerUser} at a time: wait for it to finish.`,
    );
  }
  slots.set(viewer.id, mine + 1);
  try {
    return await work(ctx.segmentRefreshDb);
  } finally {
    const left = (slots.get(viewer.id) ?? 1) - 1;
    if (left > 0) slots.set(viewer.id, left);
    else slots.delete(viewer.id);
  }
}
