import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sha256Hex } from '../../core/secrets.ts';
import { createUserWithToken, findUserByEmail, issueToken } from '../../core/users.ts';
import type { Sql } from '../../db/client.ts';

export const devAdminEmail = 'admin@outbound.local';

/**
 * The dev admin's token, kept in `tokenFile` (`.data/admin-token`) so every `npm run dev` prints the
 * same one. When the file is missing or its token is no longer in the database (a fresh database), a
 * new token is issued and the dev admin's earlier ones are revoked: one valid dev token at a time.
 */
export async function devAdminToken(sql: Sql, tokenFile: string): Promise<string> {
  const kept = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  const admin = await findUserByEmail(sql, devAdminEmail);
  if (kept && admin) {
    const [valid] = await sql`
      select 1 from api_tokens where user_id = ${admin.id} and token_hash = ${sha256Hex(kept)}`;
    if (valid) return kept;
  }
  let token: string;
  if (admin) {
    token = await issueToken(sql, admin.id);
    await sql`delete from api_tokens where user_id = ${admin.id} and token_hash <> ${sha256Hex(token)}`;
  } else {
    token = (await createUserWithToken(sql, devAdminEmail, 'ADMIN')).token;
  }
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  return token;
}
