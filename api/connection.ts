import { and, eq, isNull } from 'drizzle-orm';
import { maskSecret } from '../core/secrets.ts';
import type { Db } from '../db/client.ts';
import { connections, exports, users } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
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
import { badInput, conflict, isUuid, notFound } from './errors.ts';
import { keysetConnection, keysetPage, newestFirst } from './keyset-connection.ts';
import { cancelActiveRun } from './run-control.ts';
import { UserType } from './user.ts';

export type ConnectionRow = typeof connections.$inferSelect;

export function canUseConnection(viewer: Viewer | null, connection: ConnectionRow): boolean {
  if (!viewer || connection.deletedAt) return false;
  return viewer.role === 'ADMIN' || (viewer.role === 'CONTRIBUTOR' && connection.contributorsCanUse);
}

/** Admins see every detail; others only of connections opened to contributors. Name and type are public. */
function detailsVisible(viewer: Viewer | null, connection: ConnectionRow): boolean {
  return viewer?.role === 'ADMIN' || connection.contributorsCanUse;
}

export async function loadConnection(ctx: Context, id: string): Promise<ConnectionRow> {
  const [row] = isUuid(id)
    ? await ctx.db
        .select()
        .from(connections)
        .where(and(eq(connections.id, id), isNull(connections.deletedAt)))
    : [];
  if (!row) throw notFound('connection', id);
  return row;
}

/**
 * The connection if it is not deleted, locked until the transaction ends: `share` holds off its
 * deletion, `update` any other change too.
 */
export async function lockLiveConnection(
  tx: Pick<Db, 'select'>,
  id: string,
  strength: 'share' | 'update',
): Promise<{ apiHost: string } | undefined> {
  const [live] = await tx
    .select({ apiHost: connections.apiHost })
    .from(connections)
    .where(and(eq(connections.id, id), isNull(connections.deletedAt)))
    .for(strength);
  return live;
}

async function userById(ctx: Context, id: string) {
  const [user] = await ctx.db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      canWriteProfiles: users.canWriteProfiles,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, id));
  return user ?? null;
}

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
      resolve: (_root, args, ctx) => {
        const live = isNull(connections.deletedAt);
        return keysetConnection({
          args,
          list: 'Query.connections',
          cursorOf: (row: ConnectionRow) => row.id,
          isCursor: isUuid,
          // A deleted connection still names its place in the list.
          cursorExists: async (cursor) => (await ctx.db.$count(connections, eq(connections.id, cursor))) > 0,
          page: (page) => {
            const { where, orderBy } = keysetPage(page, newestFirst(connections));
            return ctx.db
              .select()
              .from(connections)
              .where(and(live, where))
              .orderBy(...orderBy)
              .limit(page.limit);
          },
          count: () => ctx.db.$count(connections, live),
        });
      },
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
      const apiKeyCiphertext = await ctx.secrets.encrypt(apiKey);
      return ctx.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(connections)
          .values({
            displayName,
            apiHost,
            apiKeyCiphertext,
            apiKeyTail: apiKey.slice(-4),
            contributorsCanUse: input.contributorsCanUse ?? false,
            privacyAcceptedBy: viewer.id,
            privacyAcceptedAt: new Date(),
            exportUserId: viewer.id,
          })
          .returning();
        if (!created) throw new Error('insert returned no row');
        await recordAudit(tx, viewer, 'connection.created', 'Connection', created.id, { apiHost });
        await recordAudit(tx, viewer, 'connection.privacy_accepted', 'Connection', created.id);
        return created;
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
      // Only the fields given are written: a concurrent edit of the others stands.
      const changes = {
        ...(displayName !== null && { displayName }),
        ...(input.contributorsCanUse != null && { contributorsCanUse: input.contributorsCanUse }),
        ...(newKey && {
          apiHost,
          apiKeyCiphertext: await ctx.secrets.encrypt(newKey),
          apiKeyTail: newKey.slice(-4),
        }),
        updatedAt: new Date(),
      };
      return ctx.db.transaction(async (tx) => {
        const live = await lockLiveConnection(tx, current.id, 'update');
        // Deleted while the key was being checked: its key stays forgotten.
        if (!live) throw notFound('connection', current.id);
        if (newKey && input.apiHost == null && live.apiHost !== apiHost) {
          throw conflict('The connection’s host changed while the key was being checked. Try again.');
        }
        const [updated] = await tx
          .update(connections)
          .set(changes)
          .where(eq(connections.id, current.id))
          .returning();
        await recordAudit(tx, ctx.viewer, 'connection.updated', 'Connection', current.id, {
          fields: Object.keys(input).filter((k) => input[k as keyof typeof input] != null),
          keyChecked: newKey !== null,
        });
        return updated as ConnectionRow;
      });
    },
  }),

  deleteConnection: t.id({
    authScopes: { admin: true },
    description: 'Cancels running runs of its exports, disables them and forgets the API key.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const connection = await loadConnection(ctx, String(id));
      const affected = await ctx.db.transaction(async (tx) => {
        await tx
          .update(connections)
          .set({ deletedAt: new Date(), apiKeyCiphertext: null, updatedAt: new Date() })
          .where(eq(connections.id, connection.id));
        const disabled = await tx
          .update(exports)
          .set({ enabled: false, updatedAt: new Date() })
          .where(and(eq(exports.connectionId, connection.id), isNull(exports.deletedAt)))
          .returning({ id: exports.id });
        await recordAudit(tx, ctx.viewer, 'connection.deleted', 'Connection', connection.id, {
          disabledExports: disabled.map((e) => e.id),
        });
        return disabled;
      });
      for (const { id: exportId } of affected) await cancelActiveRun(ctx, exportId);
      return connection.id;
    },
  }),
}));
