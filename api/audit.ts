import { and, eq, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { insertAuditEvent } from '../core/audit.ts';
import type { Db } from '../db/client.ts';
import { auditEvents, users } from '../db/schema.ts';
import { builder } from './builder.ts';
import type { Viewer } from './context.ts';
import { keysetConnection, keysetPage } from './keyset-connection.ts';
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

builder.queryField('auditEvents', (t) =>
  t.connection(
    {
      type: AuditEventType,
      authScopes: { admin: true },
      description: 'Newest first.',
      args: { subjectId: t.arg.id() },
      resolve: (_root, args, ctx) => {
        if (args.subjectId != null) storableText('subjectId', String(args.subjectId));
        const ofSubject =
          args.subjectId == null ? undefined : eq(auditEvents.subjectId, String(args.subjectId));
        return keysetConnection({
          args,
          list: 'Query.auditEvents',
          cursorOf: (row: AuditRow) => row.id,
          isCursor: (cursor) => /^[1-9]\d{0,17}$/.test(cursor),
          cursorExists: async (cursor) =>
            (await ctx.db.$count(auditEvents, eq(auditEvents.id, Number(cursor)))) > 0,
          page: (page) => {
            const { where, orderBy } = keysetPage(page, {
              columns: [auditEvents.id],
              direction: 'desc',
              position: (cursor) => sql`(${cursor}::bigint)`,
            });
            return ctx.db
              .select(auditRow)
              .from(auditEvents)
              .leftJoin(users, eq(users.id, auditEvents.actorId))
              .where(and(ofSubject, where))
              .orderBy(...orderBy)
              .limit(page.limit);
          },
          count: () => ctx.db.$count(auditEvents, ofSubject),
        });
      },
    },
    { name: 'AuditEventsConnection' },
  ),
);
