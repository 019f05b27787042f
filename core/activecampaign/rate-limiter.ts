import type { Sql } from '../../db/client.ts';
import { type Liveness, noLiveness } from '../liveness.ts';

/** `bulk`: a bulk import of 2 or more contacts; `bulkSingle`: one of a single contact (its own, lower limit). */
export type RequestKind = 'general' | 'bulk' | 'bulkSingle';

/** ActiveCampaign's documented limits per account: 5 requests/s; bulk imports 100/min (20/min single-contact). */
export type AccountLimits = {
  requestsPerSecond: number;
  bulkPerMinute: number;
  singleBulkPerMinute?: number;
};
export const documentedLimits: AccountLimits = {
  requestsPerSecond: 5,
  bulkPerMinute: 100,
  singleBulkPerMinute: 20,
};

/** A reserved slot: when (on the `performance.now()` clock) its request may be sent. */
export type Slot = { due: number };

/**
 * A request of a series sent one after another (a push's imports, a poller's polls): the slot
 * reserved for it while the one before was on its way, and `sent`, told when it goes out, so the next
 * one's slot can be reserved.
 */
export type Pace = { reserved?: Promise<Slot>; sent?: () => void };

export interface RateLimiter {
  /**
   * Resolves when the account may send one more request of this kind; every worker shares the budget.
   * `reserved`: a slot reserved ahead for this request, used if the request is ready in time for it.
   */
  acquire(
    account: string,
    kind: RequestKind,
    signal?: AbortSignal,
    reserved?: Promise<Slot>,
    liveness?: Liveness,
  ): Promise<void>;
  /**
   * Reserves the next slot of this kind, none sooner than `notBeforeMs` from now, for a request that is
   * not ready yet: a sender working one request after another has its next slot waiting when it is.
   */
  reserve(account: string, kind: RequestKind, notBeforeMs: number): Promise<Slot>;
  /** Moves the account's next free slot out, after the API said a limit was hit anyway. */
  backOff(account: string, kind: RequestKind, ms: number): Promise<void>;
}

export const unlimitedRateLimiter: RateLimiter = {
  acquire: async () => {},
  reserve: async () => ({ due: 0 }),
  backOff: async () => {},
};

/** How much later than its slot a request may reach ActiveCampaign (scaled with the limits' windows). */
export const jitterBudgetMs = (scale: number) => Math.max(100 / scale, 3.5);

/**
 * Spacing between requests so that no sliding window ever holds more than the limit, even when
 * arrivals are delayed by up to `jitterMs`: with spacing T and a slot allowed up to τ early, a window W
 * holds at most (W + jitter + τ) / T + 1. Bulk imports may come one slot early (τ = T), so a sender
 * that fell behind by a few milliseconds catches up instead of losing the slot; general requests
 * may not (τ = 0), which keeps a poll per import within 5 requests a second at the documented limits.
 */
export function slotIntervals(limits: AccountLimits, scale: number): Record<RequestKind, number> {
  const jitterMs = jitterBudgetMs(scale);
  return {
    general: (1000 / scale + jitterMs) / Math.max(limits.requestsPerSecond - 1, 1),
    bulk: (60_000 / scale + jitterMs) / perMinuteDivisor(limits.bulkPerMinute),
    bulkSingle: (60_000 / scale + jitterMs) / perMinuteDivisor(limits.singleBulkPerMinute ?? 20),
  };
}

/** One slot early needs one more spare slot in the window; below 3 a minute there is none to spare. */
const perMinuteDivisor = (limit: number) => (limit >= 3 ? limit - 2 : Math.max(limit - 1, 1));

export function slotTolerances(limits: AccountLimits, scale: number): Record<RequestKind, number> {
  const intervals = slotIntervals(limits, scale);
  const early = (limit: number, interval: number) => (limit >= 3 ? interval : 0);
  return {
    general: 0,
    bulk: early(limits.bulkPerMinute, intervals.bulk),
    bulkSingle: early(limits.singleBulkPerMinute ?? 20, intervals.bulkSingle),
  };
}

/** The budgets a request draws on: every request counts against the general one. */
export function budgetsOf(kind: RequestKind): RequestKind[] {
  return kind === 'general' ? ['general'] : ['general', kind];
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The budget lives in Postgres (rate_limit_slots, reserve_rate_slots()): each request reserves the
 * account's next free slot in one statement on the database clock, so workers scaled out side by
 * side still space their requests as one client would.
 */
export function createPostgresRateLimiter(sql: Sql, limits: AccountLimits, scale = 1): RateLimiter {
  const intervals = slotIntervals(limits, scale);
  const tolerances = slotTolerances(limits, scale);
  const reservation = (account: string, kind: RequestKind) => {
    const kinds = budgetsOf(kind);
    return {
      keys: kinds.map((k) => `${account}|${k}`),
      intervals: kinds.map((k) => intervals[k]),
      tolerances: kinds.map((k) => tolerances[k]),
    };
  };
  // Half the jitter budget for the wake-up, half for the way to ActiveCampaign.
  const lateMs = jitterBudgetMs(scale) / 2;
  const reserve = async (account: string, kind: RequestKind, notBeforeMs = 0): Promise<Slot> => {
    const slot = reservation(account, kind);
    const [row] = await sql<[{ waitMs: number }]>`
      select reserve_rate_slots(${slot.keys}::text[], ${slot.intervals}::float8[], ${slot.tolerances}::float8[],
        ${notBeforeMs}::float8) as "waitMs"`;
    return { due: performance.now() + row.waitMs };
  };
  return {
    reserve,
    async acquire(account, kind, signal, reserved, liveness = noLiveness) {
      // A process that stalls (GC, a busy event loop) wakes up late for its slot and would send together
      // with the requests scheduled after it: such a slot is given up (left unused) and a new one taken.
      // So is a slot reserved ahead for a request that was not ready in time.
      for (let attempt = 1; ; attempt++) {
        const { due } = await (attempt === 1 && reserved ? reserved : reserve(account, kind));
        // The wait for a slot ends by itself; the reservation before it is a query, so not covered.
        await liveness.during(() => sleep(due - performance.now(), signal));
        if (performance.now() - due <= lateMs || attempt >= 3) return;
      }
    },
    async backOff(account, kind, ms) {
      // A slot may come `tolerance` early: push the key that far further, so no worker sends before `ms`.
      await sql`
        update rate_limit_slots
        set next_at = greatest(next_at, clock_timestamp() + ${ms + tolerances[kind]} * interval '1 millisecond')
        where key = ${`${account}|${kind}`}`;
    },
  };
}
