import { type RateLimiter, sleep } from './rate-limiter.ts';

/**
 * One process sending one request after another (a command line check): requests are spaced
 * `intervalMs` apart in memory, and pushed out when ActiveCampaign says to wait. Not for workers,
 * which share the account's budget through Postgres (createPostgresRateLimiter).
 */
export function createSpacedRateLimiter(intervalMs: number): RateLimiter {
  let nextAt = 0;
  const take = () => {
    const due = Math.max(performance.now(), nextAt);
    nextAt = due + intervalMs;
    return due;
  };
  return {
    async acquire(_account, _kind, signal) {
      await sleep(take() - performance.now(), signal);
    },
    async reserve() {
      return { due: take() };
    },
    async backOff(_account, _kind, ms) {
      nextAt = Math.max(nextAt, performance.now() + ms);
    },
  };
}
