import { findLiveConnection } from '../core/connections/store.ts';
import { removeUser } from '../core/user-removal.ts';
import { findUserInHistory, type UserRow } from '../core/users.ts';
import { builder } from './builder.ts';
import { type ConnectionRow, ConnectionType } from './connection.ts';
import type { Viewer } from './context.ts';
import { conflict, forbidden, isUuid, notFound } from './errors.ts';
import { UserType } from './user.ts';

type Removed = { user: UserRow; reassignedConnections: ConnectionRow[] };

const RemoveUserPayload = builder.objectRef<Removed>('RemoveUserPayload').implement({
  fields: (t) => ({
    user: t.field({
      type: UserType,
      description: 'The removed user (`removedAt` set).',
      resolve: (p) => p.user,
    }),
    reassignedConnections: t.field({
      type: [ConnectionType],
      description: 'The connections whose export user the removed user was: now the admin who removed them.',
      resolve: (p) => p.reassignedConnections,
    }),
  }),
});

builder.mutationField('removeUser', (t) =>
  t.field({
    type: RemoveUserPayload,
    authScopes: { admin: true },
    description: [
      'Removes a user (admins only). Their tokens are deleted and refused by every API process from this',
      'answer on; they leave `users`, and their email may be given to a new user (a new id: the removed',
      'history is not theirs). What they did stays: audit events (the runs they started included) and',
      'connections keep naming them (the user, with `removedAt`). The live connections whose export user they were pass',
      'to you, so their exports keep running with an active admin answering for them',
      '(`reassignedConnections`, and a `connection.export_user_changed` audit event each). Audited as',
      '`user.removed`. CONFLICT: removing yourself (another admin removes you), or the last admin (make',
      'another user an admin first). NOT_FOUND: no such user, or already removed.',
    ].join(' '),
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { sql, db, viewer, forgetToken }) => {
      const userId = String(id);
      if (!isUuid(userId)) throw notFound('user', userId);
      const removal = await removeUser(sql, (viewer as Viewer).id, userId);
      if (removal === 'notFound') throw notFound('user', userId);
      if (removal === 'lastAdmin')
        throw conflict('This is the last admin: make another user an admin before removing this one.', {
          field: 'id',
        });
      if (removal === 'self')
        throw conflict('You cannot remove yourself: another admin can remove you.', { field: 'id' });
      if (removal === 'actorNotAdmin') throw forbidden('You are no longer an admin.');
      for (const hash of removal.revokedTokenHashes) forgetToken(hash);
      const user = await findUserInHistory(sql, removal.userId);
      if (!user) throw notFound('user', userId);
      const reassigned = await Promise.all(
        removal.reassignedConnectionIds.map((c) => findLiveConnection(db, c)),
      );
      return { user, reassignedConnections: reassigned.filter((c): c is ConnectionRow => c != null) };
    },
  }),
);
