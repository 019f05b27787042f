import postgres from 'postgres';
import { inject } from 'vitest';
import { databaseUrl, withAdminSql } from './database.ts';

/** An empty database of the test's own, standing in for the team's database a source reads. */
export async function createTeamDatabase() {
  const name = `${inject('testRunPrefix')}_team_${Math.random().toString(36).slice(2, 8)}`;
  await withAdminSql((sql) => sql.unsafe(`create database ${name}`));
  const url = databaseUrl(name);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      await withAdminSql((admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

export type TeamDatabase = Awaited<ReturnType<typeof createTeamDatabase>>;
