import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sha256Hex } from '../../core/secrets.ts';
import { devAdminEmail, devAdminToken } from '../../scripts/lib/dev-admin.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'outbound-dev-admin-'));
});

afterAll(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const tokensOfAdmin = async () =>
  (
    await database.sql<{ token_hash: string }[]>`
      select t.token_hash from api_tokens t join users u on u.id = t.user_id where u.email = ${devAdminEmail}`
  ).map((r) => r.token_hash);

test('npm run dev prints the same admin token on every start, and only that one is valid', async () => {
  const file = join(dir, 'admin-token');
  // An empty database: the dev admin is created with its token, kept in the file for the user only.
  const first = await devAdminToken(database.sql, file);
  expect(first).toMatch(/^obt_/);
  expect(readFileSync(file, 'utf8').trim()).toBe(first);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(await tokensOfAdmin()).toEqual([sha256Hex(first)]);

  expect(await devAdminToken(database.sql, file)).toBe(first);
  expect(await tokensOfAdmin()).toEqual([sha256Hex(first)]);

  // The file lost (a fresh .data/): a new token, and the old one stops working.
  rmSync(file);
  const second = await devAdminToken(database.sql, file);
  expect(second).not.toBe(first);
  expect(await tokensOfAdmin()).toEqual([sha256Hex(second)]);

  // A token in the file the database does not know (another database): replaced, not trusted.
  const elsewhere = join(dir, 'other-admin-token');
  await database.sql`delete from api_tokens`;
  const third = await devAdminToken(database.sql, file);
  expect(third).not.toBe(second);
  expect(await tokensOfAdmin()).toEqual([sha256Hex(third)]);
  expect(await devAdminToken(database.sql, elsewhere)).not.toBe(third);
  expect(await tokensOfAdmin()).toHaveLength(1);
});
