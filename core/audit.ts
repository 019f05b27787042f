import type postgres from 'postgres';

/**
 * One audit event, in the caller's transaction when given one. `details` hold ids, counts and flags
 * only: never keys or personal data. `actorId` null: no user's action (the operator's CLI).
 */
export async function insertAuditEvent(
  sql: postgres.Sql | postgres.TransactionSql,
  actorId: string | null,
  action: string,
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await sql`
    insert into audit_events (actor_id, action, subject_type, subject_id, details)
    values (${actorId}, ${action}, ${subjectType}, ${subjectId}, ${JSON.stringify(details)}::jsonb)`;
}
