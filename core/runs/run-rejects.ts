import { type AnyColumn, and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { runRejects } from '../../db/schema.ts';

export type RejectRow = {
  customerId: string;
  reason: string;
  /** Personal data: the email and the refused value are for roles that may see profiles' data. */
  email?: string | null;
  field?: string | null;
  value?: string | null;
  /** ActiveCampaign's own failure reason. */
  detail?: string | null;
};

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

const rejectColumns = {
  customerId: runRejects.customerId,
  reason: runRejects.reason,
  email: runRejects.email,
  field: runRejects.field,
  value: runRejects.value,
  detail: runRejects.detail,
};

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
    .select(rejectColumns)
    .from(runRejects)
    .where(and(ofRun(runId), where))
    .orderBy(...orderBy)
    .limit(limit);
}

/**
 * Every reject of the run in customer-id order, read `pageSize` at a time past the last one read: a
 * run's rejects can be many, and only one page is held at once.
 */
export async function* allRejects(db: Db, runId: string, pageSize = 1_000): AsyncGenerator<RejectRow[]> {
  let after: string | undefined;
  for (;;) {
    const page = await db
      .select(rejectColumns)
      .from(runRejects)
      .where(and(ofRun(runId), after === undefined ? undefined : gt(runRejects.customerId, after)))
      .orderBy(asc(runRejects.customerId))
      .limit(pageSize);
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]?.customerId;
  }
}
