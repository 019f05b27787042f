import { type AnyColumn, and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { runRejects } from '../../db/schema.ts';

export type RejectRow = { customerId: string; reason: string };

/** A run's rejects are listed in customer-id order; a cursor is a customer id. */
export type RejectsKeyset = {
  columns: AnyColumn[];
  direction: 'asc';
  position: (cursor: string) => SQL;
};

const byCustomerId: RejectsKeyset = {
  columns: [runRejects.customerId],
  direction: 'asc',
  position: (cursor) => sql`(${cursor})`,
};

const ofRun = (runId: string) => eq(runRejects.runId, runId);

export async function runHasReject(db: Db, runId: string, customerId: string): Promise<boolean> {
  return (await db.$count(runRejects, and(ofRun(runId), eq(runRejects.customerId, customerId)))) > 0;
}

export const countRejects = (db: Db, runId: string): Promise<number> => db.$count(runRejects, ofRun(runId));

/** One page of the run's rejects, past the cursors `clauses` builds over their keyset. */
export function rejectsPage(
  db: Db,
  runId: string,
  limit: number,
  clauses: (keyset: RejectsKeyset) => { where: SQL | undefined; orderBy: SQL[] },
): Promise<RejectRow[]> {
  const { where, orderBy } = clauses(byCustomerId);
  return db
    .select({ customerId: runRejects.customerId, reason: runRejects.reason })
    .from(runRejects)
    .where(and(ofRun(runId), where))
    .orderBy(...orderBy)
    .limit(limit);
}
