import type { Sql } from '../db/client.ts';
import { newToken, sha256Hex } from './secrets.ts';

export type UserRole = 'ADMIN' | 'CONTRIBUTOR' | 'VIEWER';
export const userRoles: readonly UserRole[] = ['ADMIN', 'CONTRIBUTOR', 'VIEWER'];
export type UserRow = { id: string; email: string; role: UserRole; createdAt: Date };

/**
 * Creates a user and its first API token ("default", expiring at `tokenExpiresAt` if given); the token is
 * returned once and only its hash (and last four characters) is stored.
 */
export async function createUserWithToken(
  sql: Sql,
  email: string,
  role: UserRole,
  tokenExpiresAt: Date | null = null,
): Promise<{ user: UserRow; token: string }> {
  const token = newToken();
  const tokenHash = await sha256Hex(token);
  const user = await sql.begin(async (tx) => {
    const [created] = await tx<UserRow[]>`
      insert into users (email, role) values (${email.trim().toLowerCase()}, ${role})
      returning id, email, role, created_at as "createdAt"`;
    if (!created) throw new Error('insert returned no row');
    await tx`
      insert into api_tokens (user_id, token_hash, hint, expires_at)
      values (${created.id}, ${tokenHash}, ${token.slice(-4)}, ${tokenExpiresAt?.toISOString() ?? null})`;
    return created;
  });
  return { user, token };
}

export async function findUserByEmail(sql: Sql, email: string): Promise<UserRow | undefined> {
  const [user] = await sql<UserRow[]>`
    select id, email, role, created_at as "createdAt" from users where email = ${email.trim().toLowerCase()}`;
  return user;
}

/** A new token for an existing user (the demo admin gets a fresh one at each `npm run dev`). */
export async function issueToken(sql: Sql, userId: string): Promise<string> {
  const token = newToken();
  await sql`
    insert into api_tokens (user_id, token_hash, hint) values (${userId}, ${sha256Hex(token)}, ${token.slice(-4)})`;
  return token;
}

export function listUsers(sql: Sql): Promise<UserRow[]> {
  return sql<UserRow[]>`select id, email, role, created_at as "createdAt" from users order by email`;
}

export async function findUserById(sql: Sql, id: string): Promise<UserRow | undefined> {
  const [user] = await sql<
    UserRow[]
  >`select id, email, role, created_at as "createdAt" from users where id = ${id}`;
  return user;
}
