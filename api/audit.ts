import type postgres from 'postgres';
import { insertAuditEvent } from '../core/audit.ts';
import type { Db } from '../db/client.ts';
import { auditEvents } from '../db/schema.ts';
import { builder } from './builder.ts';
import type { Viewer } from './context.ts';
import { storableText } from './text-input.ts';

type AuditRow = {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown> | null;
  createdAt: Date;
};

/** Who did what and when; details hold ids and flags only, never secrets or personal data. */
export async function recordAudit(
  db: Pick<Db, 'insert'>,
  actor: Viewer | null,
  action: string,
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db
    .insert(auditEvents)
    .values({ actorId: actor?.id ?? null, action, subjectType, subjectId, details });
}

/** recordAudit inside a postgres.js transaction (the profile store's). */
export const recordAuditIn = (
  tx: postgres.TransactionSql,
  actor: Viewer | null,
  action: string,
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown> = {},
): Promise<void> => insertAuditEvent(tx, actor?.id ?? null, action, subjectType, subjectId, details);

const AuditEventType = builder.objectRef<AuditRow>('AuditEvent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.exposeString('action'),
    actorId: t.exposeID('actorId', { nullable: true }),
    actorEmail: t.exposeString('actorEmail', { nullable: true }),
    subjectType: t.exposeString('subjectType'),
    subjectId: t.exposeID('subjectId'),
    details: t.expose('details', { type: 'JSON', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.field({
    type: [AuditEventType],
    authScopes: { admin: true },
    description: 'Newest first.',
    args: {
      subjectId: t.arg.id(),
      limit: t.arg.int({ defaultValue: 100 }),
    },
    resolve: (_root, { subjectId, limit }, { sql }) => {
      if (subjectId != null) storableText('subjectId', String(subjectId));
      return sql<AuditRow[]>`
      select a.id::text as id, a.actor_id as "actorId", u.email as "actorEmail", a.action, a.subject_type as "subjectType",
        a.subject_id as "subjectId", a.details, a.created_at as "createdAt"
      from audit_events a left join users u on u.id = a.actor_id
      where ${subjectId ? sql`a.subject_id = ${subjectId}` : sql`true`}
      order by a.id desc limit ${Math.min(Math.max(limit ?? 100, 1), 500)}`;
    },
  }),
);
