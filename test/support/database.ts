import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb } from '../../db/client.ts';

export const baseDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Test databases are named obt_<unix seconds>_<random>_*, so a later run can drop what a killed one left. */
export function newTestRunPrefix(): string {
  return `obt_${Math.floor(Date.now() / 1000)}_${Math.random().toString(36).slice(2, 8)}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(baseDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminSql<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(databaseUrl('postgres'), { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type TestDatabase = ReturnType<typeof createDb> & { url: string; drop: () => Promise<void> };

/** A fresh, migrated database of its own for one test file, cloned from the template globalSetup migrated. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const prefix = inject('testRunPrefix');
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdminSql((sql) => sql.unsafe(`create database ${name} template ${prefix}_template`));
  const url = databaseUrl(name);
  const handle = createDb(url);
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      await withAdminSql((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Drops this run's databases, and those of runs older than six hours that never cleaned up. */
export async function dropTestDatabases(prefix: string): Promise<void> {
  const staleBefore = Math.floor(Date.now() / 1000) - 6 * 3600;
  await withAdminSql(async (sql) => {
    const rows = await sql<
      { datname: string }[]
    >`select datname from pg_database where datname like 'obt\\_%'`;
    for (const { datname } of rows) {
      const startedAt = Number(datname.split('_')[1]);
      if (datname.startsWith(`${prefix}_`) || startedAt < staleBefore) {
        await sql.unsafe(`drop database if exists ${datname} with (force)`);
      }
    }
  });
}
