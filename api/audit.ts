import type postgres from 'postgres';
import { type AuditRow, auditEventPages, insertAuditEvent, isAuditCursor } from '../core/audit.ts';
import type { Db } from '../db/client.ts';
import { builder } from './builder.ts';
import type { Viewer } from './context.ts';
import { keysetConnection } from './keyset-connection.ts';
import { storableText } from './text-input.ts';

/** @deprecated Call `insertAuditEvent` (core/audit.ts) with the viewer's id: it is the one audit writer. */
export const recordAudit = (
  db: Pick<Db, 'insert'>,
  actor: Viewer | null,
  action: string,
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown> = {},
): Promise<void> => insertAuditEvent(db, actor?.id ?? null, action, subjectType, subjectId, details);

/** @deprecated Call `insertAuditEvent` (core/audit.ts) with the viewer's id: it is the one audit writer. */
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
  t.connection(
    {
      type: AuditEventType,
      authScopes: { admin: true },
      description: 'Newest first.',
      args: { subjectId: t.arg.id() },
      resolve: (_root, args, ctx) => {
        const subjectId = args.subjectId == null ? null : storableText('subjectId', String(args.subjectId));
        return keysetConnection({
          args,
          list: 'Query.auditEvents',
          cursorOf: (row: AuditRow) => row.id,
          isCursor: isAuditCursor,
          ...auditEventPages(ctx.db, subjectId),
        });
      },
    },
    { name: 'AuditEventsConnection' },
  ),
);
