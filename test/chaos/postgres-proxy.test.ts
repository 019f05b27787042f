import { expect, test } from 'vitest';
import { createDb } from '../../db/client.ts';
import { startPostgresProxy } from '../../scripts/lib/chaos/postgres-proxy.ts';
import { baseDatabaseUrl } from '../support/database.ts';

/** Asks until the query answers, for up to a minute. */
async function answersAgain(query: () => Promise<unknown>): Promise<boolean> {
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    if (
      await query().then(
        () => true,
        () => false,
      )
    )
      return true;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return false;
}

test('a cut proxy stands in for a Postgres restart: connections drop, new ones are refused, then it is back', async () => {
  const target = new URL(baseDatabaseUrl);
  const proxy = await startPostgresProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const url = new URL(baseDatabaseUrl);
  url.host = proxy.host;
  const database = createDb(url.toString(), { max: 1, applicationName: 'outbound-chaos-proxy-test' });
  try {
    expect(await database.sql`select 1 as one`).toEqual([{ one: 1 }]);
    const inFlight = database.sql`select pg_sleep(30)`.then(
      () => 'answered',
      () => 'failed',
    );
    const direct = createDb(baseDatabaseUrl, { max: 1 });
    try {
      const sleeping = () =>
        direct.sql`select 1 from pg_stat_activity
          where application_name = 'outbound-chaos-proxy-test' and query like 'select pg_sleep%' and state = 'active'`;
      expect(await answersAgain(async () => ((await sleeping()).length ? true : Promise.reject()))).toBe(
        true,
      );
    } finally {
      await direct.close();
    }
    proxy.cut(8_000);
    expect(await inFlight).toBe('failed');
    expect(proxy.dropped()).toBe(1);
    await expect(database.sql`select 1`).rejects.toThrow();
    expect(proxy.refused()).toBeGreaterThan(0);

    // The same pool connects again once the database is back.
    expect(await answersAgain(() => database.sql`select 1`)).toBe(true);
  } finally {
    await database.close().catch(() => {});
    await proxy.close();
  }
});
