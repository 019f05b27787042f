import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sql } from './client.ts';

const journalPath = fileURLToPath(new URL('./migrations/meta/_journal.json', import.meta.url));

/** The `when` of the newest committed migration (drizzle records it as `created_at` once applied). */
function newestMigrationMillis(): number {
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ when: number }> };
  return Math.max(...journal.entries.map((e) => e.when));
}

/** Throws unless the database has every committed migration applied (`npm run db:migrate`). */
export async function assertMigrationsCurrent(sql: Sql): Promise<void> {
  const [row] = await sql<[{ applied: string | null }]>`
    select max(created_at)::text as applied from drizzle.__drizzle_migrations`;
  if (Number(row.applied ?? 0) < newestMigrationMillis()) {
    throw new Error('The database is missing migrations: run npm run db:migrate.');
  }
}
