import type { Sql } from '../../db/client.ts';
import { ConfigError } from '../config.ts';

/** Where DATABASE_URL points, without its user or password: for start-up messages. */
function describeDatabase(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** One query at start-up: Postgres unreachable (or refusing us) stops start-up with what to check. */
export async function checkPostgres(sql: Sql, databaseUrl: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    const cause =
      (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError(
      `Outbound cannot connect to Postgres:\n  - ${describeDatabase(databaseUrl)} did not answer (${cause}): check DATABASE_URL and that Postgres is up`,
    );
  }
}
