import type { Sql } from '../../db/client.ts';

/**
 * Fair shares of the workers: runs at once (QUEUED or RUNNING, on demand or scheduled) per user who
 * started them and per connection. An account's budget is shared by its runs, so a few saturate it:
 * more only hold worker activity slots while they wait for it, slots another account's runs need.
 */
export type ActiveRunCaps = { perUser: number; perConnection: number };

export const defaultActiveRunCaps: ActiveRunCaps = { perUser: 5, perConnection: 3 };

export const activeRunCapVariables = {
  perUser: 'OUTBOUND_MAX_ACTIVE_RUNS_PER_USER',
  perConnection: 'OUTBOUND_MAX_ACTIVE_RUNS_PER_CONNECTION',
} as const;

export type CapReached = { cap: keyof ActiveRunCaps; limit: number };

/**
 * Takes the connection's, then the user's lock for the rest of the transaction (always in this order,
 * so two reservations cannot wait on each other), then counts their active runs. Null: room for one more.
 */
export async function checkActiveRunCaps(
  tx: Sql,
  caps: ActiveRunCaps,
  { connectionId, userId }: { connectionId: string; userId: string | null },
): Promise<CapReached | null> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`active-runs:connection:${connectionId}`}, 0))`;
  if (userId) await tx`select pg_advisory_xact_lock(hashtextextended(${`active-runs:user:${userId}`}, 0))`;
  const [counts] = await tx<[{ connection: number; user: number }]>`
    select
      (select count(*)::int from export_runs r join exports e on e.id = r.export_id
        where e.connection_id = ${connectionId} and r.status in ('QUEUED', 'RUNNING')) as connection,
      (select count(*)::int from export_runs r
        where r.requested_by = ${userId} and r.status in ('QUEUED', 'RUNNING')) as "user"`;
  if (counts.connection >= caps.perConnection) return { cap: 'perConnection', limit: caps.perConnection };
  if (userId && counts.user >= caps.perUser) return { cap: 'perUser', limit: caps.perUser };
  return null;
}
