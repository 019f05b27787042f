import type { Sql } from '../db/client.ts';
import { userRole } from '../db/schema.ts';
import { recordAccessRevoked } from './access-revocations.ts';
import { newToken, sha256Hex } from './secrets.ts';

/** A user's roles: the pgEnum of db/schema.ts is the one spelling. */
export const userRoles = userRole.enumValues;
export type UserRole = (typeof userRoles)[number];
export type UserRow = {
  id: string;
  email: string;
  role: UserRole;
  /** The grant as stored; what it allows is `mayWriteProfiles`. */
  canWriteProfiles: boolean;
  createdAt: Date;
  /** Null: active. A removed user has no tokens, and is kept only for the history that names them. */
  removedAt: Date | null;
};

const userColumns = (sql: Sql) =>
  sql`id, email, role, can_write_profiles as "canWriteProfiles", created_at as "createdAt", removed_at as "removedAt"`;

/**
 * Who may create, replace or delete profiles: admins, and contributors an admin has granted it. Profiles
 * are shared by every segment and export, admin-only ones included, so the grant is the admin's call.
 */
export const mayWriteProfiles = (user: Pick<UserRow, 'role' | 'canWriteProfiles'>): boolean =>
  user.role === 'ADMIN' || (user.role === 'CONTRIBUTOR' && user.canWriteProfiles);

/** Why a role cannot hold the profile-writer grant, or null. */
export function profileWriterGrantProblem(role: UserRole, canWriteProfiles: boolean): string | null {
  return canWriteProfiles && role === 'VIEWER'
    ? 'Viewers cannot write profiles: make the user a CONTRIBUTOR to grant it.'
    : null;
}

/**
 * Creates a user and its first API token ("default", expiring at `tokenExpiresAt` if given); the token is
 * returned once and only its hash (and last four characters) is stored.
 */
export async function createUserWithToken(
  sql: Sql,
  email: string,
  role: UserRole,
  options: { canWriteProfiles?: boolean; tokenExpiresAt?: Date | null } = {},
): Promise<{ user: UserRow; token: string }> {
  const token = newToken();
  const tokenHash = await sha256Hex(token);
  const canWriteProfiles = options.canWriteProfiles ?? false;
  const user = await sql.begin(async (tx) => {
    const [created] = await tx<UserRow[]>`
      insert into users (email, role, can_write_profiles)
      values (${email.trim().toLowerCase()}, ${role}, ${canWriteProfiles})
      returning ${userColumns(sql)}`;
    if (!created) throw new Error('insert returned no row');
    await tx`
      insert into api_tokens (user_id, token_hash, hint, expires_at)
      values (${created.id}, ${tokenHash}, ${token.slice(-4)}, ${options.tokenExpiresAt?.toISOString() ?? null})`;
    return created;
  });
  return { user, token };
}

/** The active user with this email (a removed user's email may have been given to a new one). */
export async function findUserByEmail(sql: Sql, email: string): Promise<UserRow | undefined> {
  const [user] = await sql<UserRow[]>`
    select ${userColumns(sql)} from users where email = ${email.trim().toLowerCase()} and removed_at is null`;
  return user;
}

/** An active user; `findUserInHistory` finds removed ones too. */
export async function findUserById(sql: Sql, id: string): Promise<UserRow | undefined> {
  const [user] = await sql<UserRow[]>`
    select ${userColumns(sql)} from users where id = ${id} and removed_at is null`;
  return user;
}

/** A user who is or was: what history (a connection's export user, who accepted its terms) names. */
export async function findUserInHistory(sql: Sql, id: string): Promise<UserRow | undefined> {
  const [user] = await sql<UserRow[]>`select ${userColumns(sql)} from users where id = ${id}`;
  return user;
}

/**
 * Changes the role and/or the profile-writer grant; only the fields given are written. A role change
 * locks the active admins first (as removeUser does) and is made only while `byAdminId` is still one of
 * them: two admins demoting or removing each other at once leave one admin, never none.
 */
export async function updateUser(
  sql: Sql,
  id: string,
  changes: { role?: UserRole; canWriteProfiles?: boolean },
  byAdminId: string,
): Promise<UserRow | undefined | 'not-an-admin'> {
  return sql.begin(async (tx) => {
    if (changes.role) {
      const admins = await tx<{ id: string }[]>`
        select id from users where role = 'ADMIN' and removed_at is null order by id for update`;
      if (!admins.some((admin) => admin.id === byAdminId)) return 'not-an-admin' as const;
    }
    const [user] = await tx<UserRow[]>`
      update users set
        role = coalesce(${changes.role ?? null}::user_role, role),
        can_write_profiles = coalesce(${changes.canWriteProfiles ?? null}::boolean, can_write_profiles)
      where id = ${id} and removed_at is null
      returning ${userColumns(tx as unknown as Sql)}`;
    // Tokens cached with the old role are looked up again by every API process.
    if (user && changes.role) await recordAccessRevoked(tx as unknown as Sql);
    return user;
  });
}

/** A new token for an existing user (the demo admin gets a fresh one at each `npm run dev`). */
export async function issueToken(sql: Sql, userId: string): Promise<string> {
  const token = newToken();
  await sql`
    insert into api_tokens (user_id, token_hash, hint) values (${userId}, ${sha256Hex(token)}, ${token.slice(-4)})`;
  return token;
}

/** The active users by email; with `includeRemoved`, the removed ones too (after them). */
export function listUsers(sql: Sql, { includeRemoved = false } = {}): Promise<UserRow[]> {
  return sql<UserRow[]>`
    select ${userColumns(sql)} from users
    where ${includeRemoved ? sql`true` : sql`removed_at is null`}
    order by removed_at nulls first, email, id`;
}
