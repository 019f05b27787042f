import type { Sql } from '../db/client.ts';
import { recordAccessRevoked } from './access-revocations.ts';
import { insertAuditEvent } from './audit.ts';
import { tokenRevokedChannel } from './tokens.ts';
import type { UserRole } from './users.ts';

/** Why a user was not removed; `actorNotAdmin`: the admin asking was demoted or removed meanwhile. */
export type UserRemovalRefusal = 'notFound' | 'self' | 'lastAdmin' | 'actorNotAdmin';

export type UserRemoval = {
  userId: string;
  /** The hashes of the tokens deleted with the user: the caller's process forgets them at once. */
  revokedTokenHashes: string[];
  /** The live connections whose export user the user was: now the admin who removed them. */
  reassignedConnectionIds: string[];
};

/**
 * Removes a user softly, in one transaction: `removed_at` is set (runs, audit events and connections keep
 * naming them), their tokens are deleted and the access revocation counter moved (every API process refuses
 * the tokens from the commit on), and the live connections they were the export user of pass to `actorId`,
 * the admin removing them, so those exports keep an active admin answering for them. The admins are locked
 * first: two admins removing each other at once cannot leave none.
 */
export async function removeUser(
  sql: Sql,
  actorId: string,
  userId: string,
): Promise<UserRemoval | UserRemovalRefusal> {
  return sql.begin(async (txSql) => {
    const tx = txSql as unknown as Sql;
    const admins = await tx<{ id: string }[]>`
      select id from users where role = 'ADMIN' and removed_at is null order by id for update`;
    const [user] = await tx<{ id: string; role: UserRole }[]>`
      select id, role from users where id = ${userId} and removed_at is null for update`;
    if (!user) return 'notFound';
    if (user.role === 'ADMIN' && !admins.some((a) => a.id !== user.id)) return 'lastAdmin';
    if (user.id === actorId) return 'self';
    if (!admins.some((a) => a.id === actorId)) return 'actorNotAdmin';
    await tx`update users set removed_at = now() where id = ${user.id}`;
    const tokens = await tx<{ tokenHash: string }[]>`
      delete from api_tokens where user_id = ${user.id} returning token_hash as "tokenHash"`;
    await recordAccessRevoked(tx);
    const hashes = tokens.map((t) => t.tokenHash);
    if (hashes.length) await tx`select pg_notify(${tokenRevokedChannel}, h) from unnest(${hashes}::text[]) h`;
    const reassigned = await tx<{ id: string }[]>`
      update connections set export_user_id = ${actorId}, updated_at = now()
      where export_user_id = ${user.id} and deleted_at is null
      returning id`;
    const reassignedConnectionIds = reassigned.map((c) => c.id).sort();
    for (const id of reassignedConnectionIds) {
      await insertAuditEvent(txSql, actorId, 'connection.export_user_changed', 'Connection', id, {
        previousExportUserId: user.id,
        exportUserId: actorId,
      });
    }
    await insertAuditEvent(txSql, actorId, 'user.removed', 'User', user.id, {
      role: user.role,
      revokedTokens: tokens.length,
      reassignedConnectionIds,
    });
    return { userId: user.id, revokedTokenHashes: hashes, reassignedConnectionIds };
  });
}
