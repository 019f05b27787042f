import type { Sql } from '../db/client.ts';

export type FailureLimit = {
  /** Failed authentications an address may make in one window… */
  failures: number;
  /** …of this many milliseconds; after that it gets 429 until the window ends. */
  windowMs: number;
};

/**
 * Failed sign-ins per address key in fixed windows, in Postgres: every API process counts into and
 * reads the same row, so scaling out does not multiply a guesser's tries.
 */
export function createFailureStore(sql: Sql, limit: FailureLimit) {
  let recorded = 0;
  return {
    /** Seconds until the key may try again; 0 while it may. */
    async retryAfterSeconds(key: string): Promise<number> {
      const [row] = await sql<[{ failures: number; leftMs: number }?]>`
        select failures,
          extract(epoch from window_start + ${limit.windowMs} * interval '1 millisecond' - now()) * 1000 as "leftMs"
        from auth_failures
        where address_key = ${key} and window_start > now() - ${limit.windowMs} * interval '1 millisecond'`;
      if (!row || row.failures < limit.failures) return 0;
      return Math.max(1, Math.ceil(Number(row.leftMs) / 1000));
    },
    /** Counts a failure; true when it is the one that locks the key out. */
    async recordFailure(key: string): Promise<boolean> {
      // Expired windows are swept now and then, so the table holds about one window's addresses.
      if (++recorded % 1_000 === 0) {
        await sql`delete from auth_failures where window_start < now() - ${limit.windowMs} * interval '1 millisecond'`;
      }
      const [row] = await sql<[{ failures: number }]>`
        insert into auth_failures (address_key, window_start, failures) values (${key}, now(), 1)
        on conflict (address_key) do update set
          failures = case when auth_failures.window_start > now() - ${limit.windowMs} * interval '1 millisecond'
            then auth_failures.failures + 1 else 1 end,
          window_start = case when auth_failures.window_start > now() - ${limit.windowMs} * interval '1 millisecond'
            then auth_failures.window_start else now() end
        returning failures`;
      return row?.failures === limit.failures;
    },
  };
}

export type FailureStore = ReturnType<typeof createFailureStore>;
