import type { Sql } from '../db/client.ts';

/**
 * Moves the access revocation counter, in the caller's transaction: every API process stops trusting the
 * token lookups it cached before (see `revocationGenerations`).
 */
export async function recordAccessRevoked(sql: Sql): Promise<void> {
  await sql`
    insert into access_revocations (id, generation) values (true, 1)
    on conflict (id) do update set generation = access_revocations.generation + 1`;
}

async function readGeneration(sql: Sql): Promise<number> {
  const [row] = await sql<[{ generation: number }?]>`select generation from access_revocations where id`;
  return Number(row?.generation ?? 0);
}

/**
 * The access revocation counter as a request sees it: each call resolves with a value read by a query that
 * started after the call, so a revocation committed before the request arrived is always seen, in every API
 * process, whether or not anything told that process about it. Calls that arrive while a read is under way
 * share the next read: a busy process makes about one read per round trip, not one per request.
 */
export function revocationGenerations(sql: Sql): () => Promise<number> {
  let reading: Promise<number> | null = null;
  let next: Promise<number> | null = null;
  const start = () => {
    const read = readGeneration(sql).finally(() => {
      if (reading === read) reading = null;
    });
    reading = read;
    return read;
  };
  return () => {
    if (!reading) return start();
    next ??= reading
      .catch(() => {})
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
}
