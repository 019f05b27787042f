import { sql as fragment, type SQL } from 'drizzle-orm';
import type { Db, Sql } from '../../db/client.ts';
import { type Liveness, noLiveness } from '../liveness.ts';
import { refreshProfileAttributeNames } from '../profiles/store.ts';
import { parseSegmentRule, SegmentRuleError, segmentMembersSelect } from './segment-rule.ts';
import { type StatementWatch, watchBackend } from './statement-watch.ts';

export type RefreshedSegment = { id: string; generation: number; memberCount: number; refreshedAt: Date };

/** A refresh's time budget unless configured (OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS). */
export const defaultSegmentRefreshTimeLimitMs = 120_000;

export type SegmentRefreshOptions = {
  /** The whole refresh's budget: each of its statements runs under what is left of it. */
  timeLimitMs: number;
  /** Another refresh of the segment is running: `fail` at once (SegmentRefreshBusyError) or `wait` for it, within the budget. */
  whenBusy: 'fail' | 'wait';
};

/** Another refresh of this segment is running; this one did nothing. */
export class SegmentRefreshBusyError extends Error {
  readonly segmentId: string;
  constructor(segmentId: string) {
    super(`Segment ${segmentId} is already being refreshed.`);
    this.name = 'SegmentRefreshBusyError';
    this.segmentId = segmentId;
  }
}

/** The refresh ran past its time budget and was stopped; the segment's membership is as it was. */
export class SegmentRefreshTimeoutError extends Error {
  readonly segmentId: string;
  readonly timeLimitMs: number;
  constructor(segmentId: string, timeLimitMs: number) {
    super(`Refreshing segment ${segmentId} took longer than its limit of ${timeLimitMs} ms and was stopped.`);
    this.name = 'SegmentRefreshTimeoutError';
    this.segmentId = segmentId;
    this.timeLimitMs = timeLimitMs;
  }
}

/** Postgres's "canceling statement due to statement timeout" (drizzle wraps the driver's error in `cause`). */
function isStatementTimeout(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: string }).code === '57014' && /statement timeout/.test(e.message)) return true;
  }
  return false;
}

/** One refresh at a time per segment: a transaction-scoped advisory lock keyed by the segment id. */
const refreshLockKey = (segmentId: string) =>
  fragment`hashtextextended(${`segment-refresh:${segmentId}`}, 0)`;

/**
 * Materializes a segment's membership as a new generation in one INSERT … SELECT, then retires the
 * generations no active run has pinned. One refresh of a segment runs at a time (the other fails at
 * once or waits, per `whenBusy`). The segment row stays locked meanwhile, so a run that is pinning its
 * snapshot waits and then sees either the old generation (kept) or the new one. Runs without JIT (it
 * spent minutes compiling long rules) and within `timeLimitMs` (SegmentRefreshTimeoutError after it,
 * nothing kept). Given a transaction, it runs in a savepoint of it and restores its settings after.
 * Ends with fresh statistics of the members table.
 */
export async function refreshSegmentMembers(
  db: Pick<Db, 'transaction'>,
  segmentId: string,
  { timeLimitMs, whenBusy }: SegmentRefreshOptions,
  watch?: StatementWatch,
): Promise<RefreshedSegment> {
  const deadline = Date.now() + timeLimitMs;
  try {
    return await db.transaction(async (tx) => {
      const refresh = () => refreshInTransaction(tx, segmentId, deadline, whenBusy);
      if (!watch) return refresh();
      const [backend] = await tx.execute<{ pid: number }>(fragment`select pg_backend_pid() as pid`);
      return watchBackend(watch, Number(backend?.pid), refresh);
    });
  } catch (error) {
    if (isStatementTimeout(error)) throw new SegmentRefreshTimeoutError(segmentId, timeLimitMs);
    throw error;
  }
}

type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

async function refreshInTransaction(
  tx: Transaction,
  segmentId: string,
  deadline: number,
  whenBusy: SegmentRefreshOptions['whenBusy'],
): Promise<RefreshedSegment> {
  /** Each statement under what is left of the budget (a statement_timeout of at least 1 ms). */
  const run = async <T extends Record<string, unknown>>(statement: SQL) => {
    const left = String(Math.max(1, Math.ceil(deadline - Date.now())));
    await tx.execute(
      fragment`select set_config('statement_timeout', ${left}, true), set_config('jit', 'off', true)`,
    );
    return tx.execute<T>(statement);
  };
  if (whenBusy === 'wait') {
    await run(fragment`select pg_advisory_xact_lock(${refreshLockKey(segmentId)})`);
  } else {
    const [lock] = await run<{ locked: boolean }>(
      fragment`select pg_try_advisory_xact_lock(${refreshLockKey(segmentId)}) as locked`,
    );
    if (!lock?.locked) throw new SegmentRefreshBusyError(segmentId);
  }
  const [segment] = await run<{ rule: unknown; generation: number }>(
    fragment`select rule, generation from segments where id = ${segmentId} for update`,
  );
  if (!segment) throw new Error(`No segment with id ${segmentId}.`);
  const generation = segment.generation + 1;
  const inserted = await run(
    fragment`insert into segment_members (segment_id, generation, customer_id) ${segmentMembersSelect(parseSegmentRule(segment.rule), segmentId, generation)}`,
  );
  const [updated] = await run<RefreshedSegment>(fragment`
    update segments set generation = ${generation}, member_count = ${inserted.count}, refreshed_at = now()
    where id = ${segmentId}
    returning id, generation, member_count as "memberCount", refreshed_at as "refreshedAt"`);
  await run(fragment`
    delete from segment_members m
    where m.segment_id = ${segmentId} and m.generation < ${generation}
      and m.generation not in (
        select (pinned->>'generation')::int from export_runs r, jsonb_array_elements(r.snapshot) pinned
        where r.status in ('QUEUED', 'RUNNING') and pinned->>'segmentId' = ${segmentId})`);
  // Statistics that know the new generation before any run pages through it: without them the
  // planner takes it for a few rows and sorts everything after the cursor for each page.
  await run(fragment`analyze segment_members`);
  // An enclosing transaction (createSegment) goes on with its own settings.
  await tx.execute(
    fragment`select set_config(name, reset_val, true) from pg_settings where name in ('statement_timeout', 'jit')`,
  );
  return updated as RefreshedSegment;
}

export type SegmentRefreshFailure = { segmentId: string; reason: 'invalidRule' | 'timeLimit'; path?: string };

export type RefreshAllOptions = {
  /** Each segment's own budget (OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS). */
  timeLimitMs: number;
  /** A segment whose stored rule no longer parses or that ran past its budget: left as it was. */
  onFailure: (failure: SegmentRefreshFailure) => void;
  /** After each segment: how many are done (refreshed or left as they were) of how many. */
  onProgress?: (progress: { done: number; of: number }) => void;
  /** Told while a segment's statements are seen executing; `signal` cancels them (see watchBackend). */
  liveness?: Liveness;
  signal?: AbortSignal;
};

/**
 * Refreshes every segment, one statement each, and the attribute names mappings choose from. Each
 * segment has its own time budget: one whose stored rule no longer parses, or whose refresh runs past
 * it, is reported to `onFailure` (ids and rule paths only) and left as it was, and the others go on.
 * A refresh of a segment already running (refreshSegment) is waited for, within the budget.
 */
export async function refreshAllSegments(
  db: Pick<Db, 'transaction'>,
  sql: Sql,
  { timeLimitMs, onFailure, onProgress = () => {}, liveness = noLiveness, signal }: RefreshAllOptions,
): Promise<{ segments: number; failed: number }> {
  await refreshProfileAttributeNames(sql);
  const rows = await sql<{ id: string }[]>`select id from segments order by created_at, id`;
  let failed = 0;
  for (const [index, { id }] of rows.entries()) {
    signal?.throwIfAborted();
    try {
      await refreshSegmentMembers(db, id, { timeLimitMs, whenBusy: 'wait' }, { sql, liveness, signal });
    } catch (error) {
      signal?.throwIfAborted(); // a statement cancelled on purpose fails with Postgres' error
      if (error instanceof SegmentRuleError) {
        onFailure({ segmentId: id, reason: 'invalidRule', path: error.path });
      } else if (error instanceof SegmentRefreshTimeoutError) {
        onFailure({ segmentId: id, reason: 'timeLimit' });
      } else {
        throw error;
      }
      failed++;
    }
    onProgress({ done: index + 1, of: rows.length });
  }
  return { segments: rows.length - failed, failed };
}
