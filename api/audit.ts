import {
  type AuditHandle,
  type AuditRow,
  auditEventPages,
  insertAuditEvent,
  isAuditCursor,
} from '../core/audit.ts';
import { builder } from './builder.ts';
import type { Viewer } from './context.ts';
import { keysetConnection } from './keyset-connection.ts';
import { storableText } from './text-input.ts';

/** Audits an action as the viewer (anonymous: null), through core's one audit writer. */
export const recordAudit = (
  handle: AuditHandle,
  actor: Viewer | null,
  action: string,
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown> = {},
): Promise<void> => insertAuditEvent(handle, actor?.id ?? null, action, subjectType, subjectId, details);

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
