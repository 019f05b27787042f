import { and, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import type { Db } from '../db/client.ts';
import { auditEvents, users } from '../db/schema.ts';
import { type KeysetSource, keysetPage } from './paging/keyset.ts';

/** Where an audit event can be written: a drizzle database or transaction, or a postgres.js one. */
export type AuditHandle = Pick<Db, 'insert'> | postgres.Sql | postgres.TransactionSql;

/** Builds statements only (never connected): the postgres.js handles run the same insert drizzle would. */
const statements = drizzle.mock();

/**
 * The one writer of audit events, in the caller's transaction when given one. `details` hold ids, counts
 * and flags only: never keys or personal data. `actorId` null: no user's action (the operator's CLI).
 */
export async function insertAuditEvent(
  handle: AuditHandle,
  actorId: string | null,
  action: string,
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const insert = (db: Pick<Db, 'insert'>) =>
    db.insert(auditEvents).values({ actorId, action, subjectType, subjectId, details });
  if (typeof handle === 'function') {
    const { sql: text, params } = insert(statements).toSQL();
    await handle.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
  } else {
    await insert(handle);
  }
}

export type AuditRow = {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown> | null;
  createdAt: Date;
};

const auditRow = {
  id: sql<string>`${auditEvents.id}::text`,
  actorId: auditEvents.actorId,
  actorEmail: users.email,
  action: auditEvents.action,
  subjectType: auditEvents.subjectType,
  subjectId: auditEvents.subjectId,
  details: auditEvents.details,
  createdAt: auditEvents.createdAt,
};

/** A cursor of the audit log: an event's id. */
export const isAuditCursor = (cursor: string): boolean => /^[1-9]\d{0,17}$/.test(cursor);

/** The audit log, newest first, with each actor's email; of one subject when `subjectId` is given. */
export function auditEventPages(db: Db, subjectId: string | null): KeysetSource<AuditRow> {
  const ofSubject = subjectId == null ? undefined : eq(auditEvents.subjectId, subjectId);
  return {
    cursorExists: async (cursor) => (await db.$count(auditEvents, eq(auditEvents.id, Number(cursor)))) > 0,
    page: (page) => {
      const { where, orderBy } = keysetPage(page, {
        columns: [auditEvents.id],
        direction: 'desc',
        position: (cursor) => sql`(${cursor}::bigint)`,
      });
      return db
        .select(auditRow)
        .from(auditEvents)
        .leftJoin(users, eq(users.id, auditEvents.actorId))
        .where(and(ofSubject, where))
        .orderBy(...orderBy)
        .limit(page.limit);
    },
    count: () => db.$count(auditEvents, ofSubject),
  };
}
