import {
  type ConnectionRow,
  changeConnection,
  createConnection,
  deleteConnection,
  findLiveConnection,
  liveConnectionPages,
} from '../core/connections/store.ts';
import { maskSecret } from '../core/secrets.ts';
import { findUserInHistory } from '../core/users.ts';
import { builder } from './builder.ts';
import { deleteByIdField } from './by-id-fields.ts';
import {
  CreateConnectionInput,
  checkConsent,
  checkDisplayName,
  checkHost,
  checkKey,
  UpdateConnectionInput,
  verifyKey,
} from './connection-input.ts';
import type { Context, Viewer } from './context.ts';
import { badInput, conflict, notFound } from './errors.ts';
import { uuidKeysetConnection } from './keyset-connection.ts';
import { loadById } from './load-by-id.ts';
import { cancelActiveRun } from './run-control.ts';
import { UserType } from './user.ts';

export type { ConnectionRow } from '../core/connections/store.ts';

export function canUseConnection(viewer: Viewer | null, connection: ConnectionRow): boolean {
  if (!viewer || connection.deletedAt) return false;
  return viewer.role === 'ADMIN' || (viewer.role === 'CONTRIBUTOR' && connection.contributorsCanUse);
}

/** Admins see every detail; others only of connections opened to contributors. Name and type are public. */
function detailsVisible(viewer: Viewer | null, connection: ConnectionRow): boolean {
  return viewer?.role === 'ADMIN' || connection.contributorsCanUse;
}

export function loadConnection(ctx: Context, id: string): Promise<ConnectionRow> {
  return loadById('connection', id, (known) => findLiveConnection(ctx.db, known));
}

/** Removed users too: who accepted the terms stays true after they leave. */
const userById = async (ctx: Context, id: string) => (await findUserInHistory(ctx.sql, id)) ?? null;

export const ConnectionType = builder.objectRef<ConnectionRow>('Connection').implement({
  fields: (t) => {
    const detail =
      <T>(pick: (c: ConnectionRow) => T) =>
      (c: ConnectionRow, _a: unknown, ctx: Context) =>
        detailsVisible(ctx.viewer, c) ? pick(c) : null;
    return {
      id: t.exposeID('id'),
      displayName: t.exposeString('displayName'),
      type: t.exposeString('type'),
      removed: t.boolean({
        description:
          'Deleted: its exports are stopped (disabled) until deleted or pointed at another connection.',
        resolve: (c) => c.deletedAt != null,
      }),
      canUse: t.boolean({
        description: 'Whether the signed-in user may configure and run exports on this connection.',
        resolve: (c, _a, ctx) => canUseConnection(ctx.viewer, c),
      }),
      apiHost: t.string({ nullable: true, resolve: detail((c) => c.apiHost) }),
      apiKeyMasked: t.string({ nullable: true, resolve: detail((c) => maskSecret(c.apiKeyTail)) }),
      contributorsCanUse: t.boolean({ nullable: true, resolve: detail((c) => c.contributorsCanUse) }),
      privacyAcceptedAt: t.field({
        type: 'DateTime',
        nullable: true,
        resolve: detail((c) => c.privacyAcceptedAt),
      }),
      privacyAcceptedBy: t.field({
        type: UserType,
        nullable: true,
        resolve: (c, _a, ctx) => (detailsVisible(ctx.viewer, c) ? userById(ctx, c.privacyAcceptedBy) : null),
      }),
      exportUser: t.field({
        type: UserType,
        nullable: true,
        description: 'The admin who connected the account: exports run on their behalf.',
        resolve: (c, _a, ctx) => (detailsVisible(ctx.viewer, c) ? userById(ctx, c.exportUserId) : null),
      }),
      createdAt: t.field({ type: 'DateTime', nullable: true, resolve: detail((c) => c.createdAt) }),
      updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: detail((c) => c.updatedAt) }),
    };
  },
});

builder.queryFields((t) => ({
  connections: t.connection(
    {
      type: ConnectionType,
      authScopes: { authenticated: true },
      description: 'Newest first.',
      resolve: (_root, args, ctx) =>
        uuidKeysetConnection(args, 'Query.connections', liveConnectionPages(ctx.db)),
    },
    { name: 'ConnectionsConnection' },
  ),
  connection: t.field({
    type: ConnectionType,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadConnection(ctx, String(id)),
  }),
}));

builder.mutationFields((t) => ({
  createConnection: t.field({
    type: ConnectionType,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateConnectionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const displayName = checkDisplayName(input.displayName);
      checkConsent(input.acceptDataPrivacy);
      const apiHost = checkHost(input.apiHost);
      const apiKey = checkKey(input.apiKey);
      await verifyKey(ctx, apiHost, apiKey);
      const viewer = ctx.viewer as Viewer;
      return createConnection(ctx.db, viewer.id, {
        displayName,
        apiHost,
        apiKeyCiphertext: await ctx.secrets.encrypt(apiKey),
        apiKeyTail: apiKey.slice(-4),
        contributorsCanUse: input.contributorsCanUse ?? false,
      });
    },
  }),

  updateConnection: t.field({
    type: ConnectionType,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateConnectionInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await loadConnection(ctx, String(id));
      const displayName = input.displayName == null ? null : checkDisplayName(input.displayName);
      const apiHost = input.apiHost == null ? current.apiHost : checkHost(input.apiHost);
      const newKey = input.apiKey == null ? null : checkKey(input.apiKey);
      if (apiHost !== current.apiHost && !newKey) {
        // The stored key only ever goes to the host it was checked with: a typo must not send it elsewhere.
        throw badInput('apiKey', 'A new host needs the API key again: enter it together with the host.');
      }
      if (newKey) await verifyKey(ctx, apiHost, newKey);
      const changed = await changeConnection(
        ctx.db,
        ctx.viewer?.id ?? null,
        current.id,
        {
          ...(displayName !== null && { displayName }),
          ...(input.contributorsCanUse != null && { contributorsCanUse: input.contributorsCanUse }),
          ...(newKey && {
            apiHost,
            apiKeyCiphertext: await ctx.secrets.encrypt(newKey),
            apiKeyTail: newKey.slice(-4),
          }),
        },
        {
          fields: Object.keys(input).filter((k) => input[k as keyof typeof input] != null),
          keyChecked: newKey !== null,
          ...(newKey && input.apiHost == null && { expectedHost: apiHost }),
        },
      );
      // Deleted while the key was being checked: its key stays forgotten.
      if (changed === 'deleted') throw notFound('connection', current.id);
      if (changed === 'hostChanged') {
        throw conflict('The connection’s host changed while the key was being checked. Try again.');
      }
      return changed;
    },
  }),

  deleteConnection: deleteByIdField(t, {
    authScopes: { admin: true },
    description: 'Cancels running runs of its exports, disables them and forgets the API key.',
    load: loadConnection,
    remove: async (ctx, connection) => {
      const disabledExports = await deleteConnection(ctx.db, ctx.viewer?.id ?? null, connection.id);
      for (const exportId of disabledExports) await cancelActiveRun(ctx, exportId);
    },
  }),
}));
