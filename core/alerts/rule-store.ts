import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { alertRules, exports } from '../../db/schema.ts';
import { insertAuditEvent } from '../audit.ts';
import { newestFirstOrder } from '../paging/keyset.ts';

export type RuleRow = typeof alertRules.$inferSelect;

/** Every rule, newest first. */
export function listRules(db: Db): Promise<RuleRow[]> {
  return db
    .select()
    .from(alertRules)
    .orderBy(...newestFirstOrder(alertRules));
}

/** Whether a rule may name the export: one of that id exists. */
export async function exportExists(db: Db, id: string): Promise<boolean> {
  return (await db.$count(exports, eq(exports.id, id))) > 0;
}

export type NewRule = Pick<
  RuleRow,
  'channelId' | 'exportId' | 'event' | 'thresholdPercent' | 'thresholdMinutes'
>;

export function createRule(db: Db, actorId: string | null, rule: NewRule): Promise<RuleRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(alertRules).values(rule).returning();
    if (!created) throw new Error('insert returned no row');
    await insertAuditEvent(tx, actorId, 'alert_rule.created', 'AlertRule', created.id, {
      channelId: rule.channelId,
      exportId: rule.exportId,
      event: rule.event,
    });
    return created;
  });
}

/** Deletes the rule; false when there was none. */
export function deleteRule(db: Db, actorId: string | null, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(alertRules)
      .where(eq(alertRules.id, id))
      .returning({ id: alertRules.id });
    if (!deleted) return false;
    await insertAuditEvent(tx, actorId, 'alert_rule.deleted', 'AlertRule', id);
    return true;
  });
}
