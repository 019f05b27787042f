import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { notificationChannels, notificationDeliveries } from '../../db/schema.ts';
import { insertAuditEvent } from '../audit.ts';
import { type KeysetSource, keysetPage, newestFirst, newestFirstOrder } from '../paging/keyset.ts';
import type { Delivery } from './deliver.ts';

export type ChannelRow = typeof notificationChannels.$inferSelect;

export async function findChannel(db: Db, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(notificationChannels).where(eq(notificationChannels.id, id));
  return row;
}

/** Every channel, newest first. */
export function listChannels(db: Db): Promise<ChannelRow[]> {
  return db
    .select()
    .from(notificationChannels)
    .orderBy(...newestFirstOrder(notificationChannels));
}

/** Every delivery (run alerts and test messages), newest first. */
export function deliveryPages(db: Db): KeysetSource<Delivery> {
  return {
    cursorExists: async (cursor) =>
      (await db.$count(notificationDeliveries, eq(notificationDeliveries.id, cursor))) > 0,
    page: (page) => {
      const { where, orderBy } = keysetPage(page, newestFirst(notificationDeliveries));
      return db
        .select({
          id: notificationDeliveries.id,
          status: notificationDeliveries.status,
          attempts: notificationDeliveries.attempts,
          lastError: notificationDeliveries.lastError,
          createdAt: notificationDeliveries.createdAt,
        })
        .from(notificationDeliveries)
        .where(where)
        .orderBy(...orderBy)
        .limit(page.limit);
    },
    count: () => db.$count(notificationDeliveries),
  };
}

export type NewChannel = Pick<
  ChannelRow,
  'name' | 'kind' | 'urlCiphertext' | 'urlMasked' | 'emailTo' | 'signingSecretCiphertext'
>;

export function createChannel(db: Db, actorId: string | null, channel: NewChannel): Promise<ChannelRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(notificationChannels).values(channel).returning();
    if (!created) throw new Error('insert returned no row');
    await insertAuditEvent(tx, actorId, 'notification_channel.created', 'NotificationChannel', created.id, {
      kind: channel.kind,
    });
    return created;
  });
}

export type ChannelChange = Partial<Pick<ChannelRow, 'name' | 'urlCiphertext' | 'urlMasked' | 'emailTo'>>;

/** Writes the fields given (`fields`: the input's names, for the audit log); undefined when there is no such channel. */
export function changeChannel(
  db: Db,
  actorId: string | null,
  id: string,
  change: ChannelChange,
  fields: string[],
): Promise<ChannelRow | undefined> {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(notificationChannels)
      .set({ ...change, updatedAt: new Date() })
      .where(eq(notificationChannels.id, id))
      .returning();
    if (!updated) return undefined;
    await insertAuditEvent(tx, actorId, 'notification_channel.updated', 'NotificationChannel', id, {
      fields,
    });
    return updated;
  });
}

/** Deletes the channel with its rules and deliveries. */
export function deleteChannel(db: Db, actorId: string | null, id: string): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.delete(notificationChannels).where(eq(notificationChannels.id, id));
    await insertAuditEvent(tx, actorId, 'notification_channel.deleted', 'NotificationChannel', id);
  });
}
