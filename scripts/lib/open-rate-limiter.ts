import {
  createPostgresRateLimiter,
  documentedLimits,
  type RateLimiter,
  unlimitedRateLimiter,
} from '../../core/activecampaign/rate-limiter.ts';
import { createDb } from '../../db/client.ts';

/**
 * The shared per-account budget, on a small pool of its own: every request reserves a slot, so those
 * commits skip the WAL flush (a Postgres crash only forgets slots). Scale 0: no limiter at all.
 */
export function openRateLimiter(
  databaseUrl: string,
  scale: number,
): { limiter: RateLimiter; close(): Promise<void> } {
  if (scale <= 0) return { limiter: unlimitedRateLimiter, close: async () => {} };
  const database = createDb(databaseUrl, {
    max: 4,
    applicationName: 'outbound-rate-limiter',
    synchronousCommit: false,
  });
  return { limiter: createPostgresRateLimiter(database.sql, documentedLimits, scale), close: database.close };
}
