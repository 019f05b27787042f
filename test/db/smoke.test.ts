import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

test('the template database is migrated', async () => {
  const rows = await database.sql`select count(*)::int as n from profiles`;
  expect(rows[0]?.n).toBe(0);
});
