import { apiError } from './errors.ts';

/** Open subscriptions per user and per API process: each one polls Postgres every second. */
export type SubscriptionLimits = { maxSubscriptionsPerUser: number; maxSubscriptionsPerProcess: number };
export const defaultSubscriptionLimits: SubscriptionLimits = {
  maxSubscriptionsPerUser: 10,
  maxSubscriptionsPerProcess: 500,
};

export type SubscriptionSlots = {
  /** Takes a slot or throws TOO_MANY_REQUESTS; the returned function gives it back (once). */
  acquire(userId: string): () => void;
  open(): number;
  /** Aborted when the process stops: every open stream ends (its last event already sent). */
  stopping: AbortSignal;
  /** Ends every open stream after its current event; one opened later ends after its first (graceful stop). */
  closeAll(): void;
};

export function createSubscriptionSlots(limits: SubscriptionLimits): SubscriptionSlots {
  const byUser = new Map<string, number>();
  let total = 0;
  const stop = new AbortController();
  return {
    acquire(userId) {
      const mine = byUser.get(userId) ?? 0;
      if (mine >= limits.maxSubscriptionsPerUser) {
        throw apiError(
          'TOO_MANY_REQUESTS',
          `You have ${mine} subscriptions open, the most one user may (OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER): close one first.`,
        );
      }
      if (total >= limits.maxSubscriptionsPerProcess) {
        throw apiError(
          'TOO_MANY_REQUESTS',
          'This API process has as many subscriptions open as it may (OUTBOUND_MAX_SUBSCRIPTIONS_PER_PROCESS): try again later.',
        );
      }
      byUser.set(userId, mine + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (byUser.get(userId) ?? 1) - 1;
        if (left > 0) byUser.set(userId, left);
        else byUser.delete(userId);
      };
    },
    open: () => total,
    stopping: stop.signal,
    closeAll: () => stop.abort(),
  };
}

/**
 * The events of `source`, giving the slot back once they end, fail or are closed: also when the client
 * goes away before the first event (a generator closed before it started never runs its `finally`).
 */
export function releasingOnClose<T>(source: AsyncGenerator<T>, release: () => void): AsyncGenerator<T> {
  const iterator: AsyncGenerator<T> = {
    async next() {
      try {
        const result = await source.next();
        if (result.done) release();
        return result;
      } catch (error) {
        release();
        throw error;
      }
    },
    async return(value) {
      release();
      return source.return(value);
    },
    async throw(error) {
      release();
      return source.throw(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
