import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url));

type Journal = { entries: Array<{ idx: number; when: number; tag: string }> };

export function migrationJournal(): Journal {
  return JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;
}

/**
 * Applies the committed migrations up to and including `lastTag`, with drizzle's own migrator over a copy
 * of the folder whose journal ends there: the same SQL files and the same `drizzle.__drizzle_migrations`
 * rows (hash, `when` as created_at), so `runMigrations` later continues with the entries after it.
 */
export async function migrateUpTo(url: string, lastTag: string): Promise<void> {
  const journal = migrationJournal();
  const end = journal.entries.findIndex((e) => e.tag === lastTag);
  if (end < 0) throw new Error(`No migration ${lastTag} in the journal.`);
  const folder = mkdtempSync(join(tmpdir(), 'outbound-migrations-'));
  try {
    mkdirSync(join(folder, 'meta'));
    const entries = journal.entries.slice(0, end + 1);
    for (const { tag } of entries)
      copyFileSync(join(migrationsFolder, `${tag}.sql`), join(folder, `${tag}.sql`));
    writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle(sql), { migrationsFolder: folder });
    } finally {
      await sql.end({ timeout: 5 });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
