import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecretKey } from '../../../core/secrets.ts';
import { createUserWithToken } from '../../../core/users.ts';
import { createDb } from '../../../db/client.ts';
import { ensureDatabase, runMigrations } from '../../../db/migrate.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../../fake-activecampaign/index.ts';
import { devDefaults } from '../dev-defaults.ts';
import { freePort } from '../free-port.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../temporal-cli.ts';
import { bundleWorkflowsInChildProcess } from '../workflow-bundle.ts';
import { startAlertReceiver } from './alert-receiver.ts';
import { type PostgresProxy, startPostgresProxy } from './postgres-proxy.ts';

export const chaosApiKey = 'chaos-key-0001';
export const chaosListId = 7;
/** The list of the campaign's second export, which tags its members and untags leavers (REMOVE_TAGS). */
export const chaosTaggedListId = 8;

/**
 * A database, a Temporal dev server whose state is in a file (so it can be restarted), the fake, an alert
 * receiver. With `proxyPostgres`, the API and workers reach the database through a proxy the campaign can
 * cut (a Postgres restart); the campaign itself (loading profiles, checking) goes straight to it.
 */
export async function openChaosEnvironment(seed: number, scale: number, proxyPostgres: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-chaos-'));
  const base = new URL(process.env.DATABASE_URL ?? devDefaults.databaseUrl);
  base.pathname = `/outbound_chaos_${seed}_${process.pid}`;
  const databaseUrl = base.toString();
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  const database = createDb(databaseUrl, { max: 4, applicationName: 'outbound-chaos' });
  // The team's own database a source reads: a table of people, changed by the campaign's source runs.
  const sourceUrl = new URL(base);
  sourceUrl.pathname = `/outbound_chaos_source_${seed}_${process.pid}`;
  await ensureDatabase(sourceUrl.toString());
  const source = createDb(sourceUrl.toString(), { max: 2, applicationName: 'outbound-chaos-source' });
  await source.sql`
    create table if not exists people (customer_id text primary key, "Email" text, "FirstName" text, "LastName" text)`;
  let postgres: PostgresProxy | null = null;
  const processDatabaseUrl = new URL(databaseUrl);
  if (proxyPostgres) {
    postgres = await startPostgresProxy({ host: base.hostname, port: Number(base.port || 5432) });
    processDatabaseUrl.host = postgres.host;
  }
  const temporalPort = await freePort();
  const temporalDbFile = join(dir, 'temporal.db');
  let temporal: TemporalDevServer = await startTemporalDevServer({
    port: temporalPort,
    dbFile: temporalDbFile,
  });
  const fake: FakeActiveCampaign = await startFakeActiveCampaign({
    scale,
    accounts: [{ apiKeys: [chaosApiKey], lists: [chaosListId, chaosTaggedListId] }],
  });
  const alerts = await startAlertReceiver();
  const bundlePath = await bundleWorkflowsInChildProcess();
  const { token } = await createUserWithToken(database.sql, 'chaos@outbound.test', 'ADMIN');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: processDatabaseUrl.toString(),
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `chaos-${seed}`,
    OUTBOUND_SECRET_KEY: generateSecretKey(),
    OUTBOUND_INSECURE_HOSTS: `${fake.host},${alerts.host},${base.hostname}:${base.port || 5432}`,
    OUTBOUND_AC_RATE_SCALE: String(scale),
    OUTBOUND_WORKFLOW_BUNDLE: bundlePath,
    OUTBOUND_REFRESH_SCHEDULE_ID: `refresh-chaos-${seed}`,
    OUTBOUND_WORKER_HTTP_PORT: '0',
    // Leaver runs drop up to 25 % of the segment: above the default 10 % guard, which would hold them.
    OUTBOUND_UNSUBSCRIBE_GUARD_PERCENT: '30',
  };
  return {
    sql: database.sql,
    source: { sql: source.sql, url: sourceUrl.toString() },
    fake,
    alerts,
    env,
    adminToken: token,
    /** The proxy before the database of the API and workers, when the schedule restarts Postgres. */
    postgres,
    /** Stops the Temporal server and starts it again on the same port with the same state file. */
    async restartTemporal() {
      await temporal.stop();
      temporal = await startTemporalDevServer({ port: temporalPort, dbFile: temporalDbFile });
    },
    async close() {
      await database.close();
      await source.close();
      await fake.close();
      await alerts.close();
      await postgres?.close();
      await temporal.stop();
      const adminUrl = new URL(base);
      adminUrl.pathname = '/postgres';
      const admin = createDb(adminUrl.toString(), { max: 1 });
      for (const url of [base, sourceUrl])
        await admin.sql
          .unsafe(`drop database if exists ${url.pathname.slice(1)} with (force)`)
          .catch(() => {});
      await admin.close();
    },
  };
}

export type ChaosEnvironment = Awaited<ReturnType<typeof openChaosEnvironment>>;
