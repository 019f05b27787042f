import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Sql = postgres.Sql;
export type Db = ReturnType<typeof createDb>['db'];

export type DbOptions = {
  max?: number;
  applicationName?: string;
  /** Off for state that is worthless after a Postgres crash (the rate limiter's slots): no WAL flush per commit. */
  synchronousCommit?: boolean;
};

/** One postgres.js pool and the drizzle instance over it; `close()` ends the pool. */
export function createDb(url: string, options: DbOptions = {}) {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? 'outbound',
      ...(options.synchronousCommit === false ? { synchronous_commit: 'off' } : {}),
    },
  });
  const db = drizzle(sql, { schema });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}
