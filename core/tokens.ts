import type { Sql } from '../db/client.ts';
import { recordAccessRevoked } from './access-revocations.ts';
import { newToken, sha256Hex } from './secrets.ts';
import type { UserRole } from './users.ts';

/** A token as its owner and admins see it: never the token itself. */
export type ApiTokenRow = {
  id: string;
  userId: string;
  name: string;
  /** `obt_…` and the token's last four characters. */
  masked: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
};

/** Who a valid token belongs to, and until when it is valid. */
export type TokenHolder = { id: string; email: string; role: UserRole; expiresAt: Date | null };

/** Postgres NOTIFY channel: the hash of each revoked token, so every API process drops its cached lookup. */
export const tokenRevokedChannel = 'outbound_token_revoked';

const columns = (sql: Sql) => sql`
  id, user_id as "userId", name, 'obt_…' || coalesce(hint, '') as masked,
  expires_at as "expiresAt", last_used_at as "lastUsedAt", created_at as "createdAt"`;

/**
 * A new token for a user; returned once, only its hash (and last four characters) stored. Dates go to
 * postgres.js as text: drizzle replaces its serializers on the shared client.
 */
export async function createToken(
  sql: Sql,
  userId: string,
  name: string,
  expiresAt: Date | null,
): Promise<{ token: string; apiToken: ApiTokenRow }> {
  const token = newToken();
  const [apiToken] = await sql<ApiTokenRow[]>`
    insert into api_tokens (user_id, token_hash, name, hint, expires_at)
    values (${userId}, ${sha256Hex(token)}, ${name}, ${token.slice(-4)}, ${expiresAt?.toISOString() ?? null})
    returning ${columns(sql)}`;
  if (!apiToken) throw new Error('insert returned no row');
  return { token, apiToken };
}

export function listTokens(sql: Sql, userId: string): Promise<ApiTokenRow[]> {
  return sql<ApiTokenRow[]>`
    select ${columns(sql)} from api_tokens where user_id = ${userId} order by created_at, id`;
}

export async function findToken(sql: Sql, id: string): Promise<ApiTokenRow | undefined> {
  const [row] = await sql<ApiTokenRow[]>`select ${columns(sql)} from api_tokens where id = ${id}`;
  return row;
}

/**
 * Deletes a token and, in the same transaction, moves the access revocation counter: from its commit on,
 * no API process accepts the token, whenever its NOTIFY (which only frees the cached lookup sooner)
 * arrives. Returns the revoked token and its hash, or undefined when there was none.
 */
export async function revokeToken(
  sql: Sql,
  id: string,
): Promise<{ apiToken: ApiTokenRow; tokenHash: string } | undefined> {
  return sql.begin(async (tx) => {
    const [row] = await tx<(ApiTokenRow & { tokenHash: string })[]>`
      delete from api_tokens where id = ${id}
      returning ${columns(tx as unknown as Sql)}, token_hash as "tokenHash"`;
    if (!row) return undefined;
    await recordAccessRevoked(tx as unknown as Sql);
    await tx`select pg_notify(${tokenRevokedChannel}, ${row.tokenHash})`;
    const { tokenHash, ...apiToken } = row;
    return { apiToken, tokenHash };
  });
}

/**
 * The holder of a token that exists and has not expired, or undefined. Records its use, at most once a
 * minute: a polling dashboard does not write a row per request.
 */
export async function tokenHolder(sql: Sql, tokenHash: string): Promise<TokenHolder | undefined> {
  const [holder] = await sql<(TokenHolder & { stale: boolean; tokenId: string })[]>`
    select u.id, u.email, u.role, t.expires_at as "expiresAt", t.id as "tokenId",
      (t.last_used_at is null or t.last_used_at < now() - interval '1 minute') as stale
    from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${tokenHash} and (t.expires_at is null or t.expires_at > now())
      and u.removed_at is null`;
  if (!holder) return undefined;
  if (holder.stale) await sql`update api_tokens set last_used_at = now() where id = ${holder.tokenId}`;
  const expiresAt = holder.expiresAt === null ? null : new Date(holder.expiresAt);
  return { id: holder.id, email: holder.email, role: holder.role, expiresAt };
}
