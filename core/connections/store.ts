import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { connections, exports } from '../../db/schema.ts';
import { insertAuditEvent } from '../audit.ts';
import { type KeysetSource, keysetPage, newestFirst } from '../paging/keyset.ts';

export type ConnectionRow = typeof connections.$inferSelect;

/** The connection unless it is deleted (or there is none of that id). */
export async function findLiveConnection(db: Db, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, id), isNull(connections.deletedAt)));
  return row;
}

/** Connections by id, deleted ones too (an export still names its deleted connection). */
export function connectionsByIds(db: Db, ids: string[]): Promise<ConnectionRow[]> {
  return db.select().from(connections).where(inArray(connections.id, ids));
}

/** The live connections, newest first; a deleted connection's id still names its place in the list. */
export function liveConnectionPages(db: Db): KeysetSource<ConnectionRow> {
  const live = isNull(connections.deletedAt);
  return {
    cursorExists: async (cursor) => (await db.$count(connections, eq(connections.id, cursor))) > 0,
    page: (page) => {
      const { where, orderBy } = keysetPage(page, newestFirst(connections));
      return db
        .select()
        .from(connections)
        .where(and(live, where))
        .orderBy(...orderBy)
        .limit(page.limit);
    },
    count: () => db.$count(connections, live),
  };
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

export type NewConnection = {
  displayName: string;
  apiHost: string;
  apiKeyCiphertext: string;
  apiKeyTail: string;
  contributorsCanUse: boolean;
};

/** A connection the admin `actorId` accepted the privacy terms for, and whose exports run on their behalf. */
export function createConnection(db: Db, actorId: string, connection: NewConnection): Promise<ConnectionRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(connections)
      .values({
        ...connection,
        privacyAcceptedBy: actorId,
        privacyAcceptedAt: new Date(),
        exportUserId: actorId,
      })
      .returning();
    if (!created) throw new Error('insert returned no row');
    await insertAuditEvent(tx, actorId, 'connection.created', 'Connection', created.id, {
      apiHost: connection.apiHost,
    });
    await insertAuditEvent(tx, actorId, 'connection.privacy_accepted', 'Connection', created.id);
    return created;
  });
}

export type ConnectionChange = Partial<
  Pick<ConnectionRow, 'displayName' | 'contributorsCanUse' | 'apiHost' | 'apiKeyCiphertext' | 'apiKeyTail'>
>;

/** Why a connection could not be changed: deleted meanwhile, or its host changed while a key was checked. */
export type ConnectionChangeRefusal = 'deleted' | 'hostChanged';

/**
 * Writes only the fields given (a concurrent edit of the others stands), with the connection locked.
 * `expectedHost`: the host a new key was checked against, when the change does not set the host itself.
 */
export function changeConnection(
  db: Db,
  actorId: string | null,
  id: string,
  change: ConnectionChange,
  audit: { fields: string[]; keyChecked: boolean; expectedHost?: string },
): Promise<ConnectionRow | ConnectionChangeRefusal> {
  return db.transaction(async (tx) => {
    const live = await lockLiveConnection(tx, id, 'update');
    if (!live) return 'deleted';
    if (audit.expectedHost !== undefined && live.apiHost !== audit.expectedHost) return 'hostChanged';
    const [updated] = await tx
      .update(connections)
      .set({ ...change, updatedAt: new Date() })
      .where(eq(connections.id, id))
      .returning();
    await insertAuditEvent(tx, actorId, 'connection.updated', 'Connection', id, {
      fields: audit.fields,
      keyChecked: audit.keyChecked,
    });
    return updated as ConnectionRow;
  });
}

/** Marks the connection deleted, forgets its key and disables its live exports; returns their ids. */
export function deleteConnection(db: Db, actorId: string | null, id: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx
      .update(connections)
      .set({ deletedAt: new Date(), apiKeyCiphertext: null, updatedAt: new Date() })
      .where(eq(connections.id, id));
    const disabled = await tx
      .update(exports)
      .set({ enabled: false, updatedAt: new Date() })
      .where(and(eq(exports.connectionId, id), isNull(exports.deletedAt)))
      .returning({ id: exports.id });
    const disabledExports = disabled.map((e) => e.id);
    await insertAuditEvent(tx, actorId, 'connection.deleted', 'Connection', id, { disabledExports });
    return disabledExports;
  });
}
