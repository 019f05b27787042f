import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiDeps } from '../api/context.ts';
import { createApi } from '../api/yoga.ts';
import { createLogger } from '../core/observability/logger.ts';
import { generateSecretKey, isUndecryptableSecret } from '../core/secrets.ts';
import { ensureRefreshSchedule } from '../core/temporal/refresh-schedule.ts';
import { ensureDatabase, runMigrations } from '../db/migrate.ts';
import { startFakeActiveCampaign } from '../fake-activecampaign/index.ts';
import { loadConfig } from './config.ts';
import { apiSettings, openApiDeps } from './lib/api-deps.ts';
import { ensureConsoleBuilt } from './lib/console-build.ts';
import { seedDemoData } from './lib/demo-data.ts';
import { devAdminEmail, devAdminToken } from './lib/dev-admin.ts';
import { devDefaults } from './lib/dev-defaults.ts';
import { freePort } from './lib/free-port.ts';
import { runMain } from './lib/run-main.ts';
import { serveApi } from './lib/serve-api.ts';
import { projectRoot, startTemporalDevServer } from './lib/temporal-cli.ts';
import { installTemporalRuntime } from './lib/temporal-runtime.ts';
import { createOutboundWorker } from './lib/worker.ts';
import { startWorkerHttp } from './lib/worker-http.ts';

const dataDir = join(projectRoot, '.data');

/** A secret key that survives restarts, so connections saved in the dev database stay readable. */
function devSecretKey(): string {
  const file = join(dataDir, 'secret-key');
  if (!existsSync(file)) writeFileSync(file, generateSecretKey(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * Connections saved under another OUTBOUND_SECRET_KEY (another checkout's `.data/secret-key`, or a
 * removed `.data/`) cannot run: say so at start, with what to do, instead of at the first run.
 */
async function warnOfUnreadableConnections(deps: Pick<ApiDeps, 'sql' | 'secrets'>) {
  const sealed = await deps.sql<{ id: string; ciphertext: string }[]>`
    select id, api_key_ciphertext as ciphertext from connections
    where deleted_at is null and api_key_ciphertext is not null`;
  const unreadable: string[] = [];
  for (const { id, ciphertext } of sealed) {
    await deps.secrets.decrypt(ciphertext).catch((error) => {
      if (!isUndecryptableSecret(error)) throw error;
      unreadable.push(id);
    });
  }
  if (!unreadable.length) return;
  const source = process.env.OUTBOUND_SECRET_KEY ? 'OUTBOUND_SECRET_KEY' : `${join(dataDir, 'secret-key')}`;
  console.warn(`
${unreadable.length} connection(s) in this database were saved under another OUTBOUND_SECRET_KEY than the one
in use (${source}): ${unreadable.join(', ')}. Their runs fail until you either
start with the key they were saved with (OUTBOUND_SECRET_KEY=… or that checkout's .data/secret-key), or enter
their API keys again (updateConnection). Another checkout can also use its own database: DATABASE_URL=….`);
}

runMain(async () => {
  mkdirSync(dataDir, { recursive: true });
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(e));
  };
  try {
    const fakeHost = `127.0.0.1:${devDefaults.fakePort}`;
    const config = loadConfig(
      {
        ...process.env,
        DATABASE_URL: process.env.DATABASE_URL ?? devDefaults.databaseUrl,
        OUTBOUND_SECRET_KEY: process.env.OUTBOUND_SECRET_KEY ?? devSecretKey(),
        OUTBOUND_INSECURE_HOSTS: [process.env.OUTBOUND_INSECURE_HOSTS, fakeHost].filter(Boolean).join(','),
      },
      // Its own dev server: a Temporal Cloud profile or TEMPORAL_TLS_* in the shell are not for it.
      { temporalDevServer: `127.0.0.1:${devDefaults.temporalPort}` },
    );

    console.log('Starting Temporal (state in .data/temporal.db)…');
    const temporal = await startTemporalDevServer({
      port: devDefaults.temporalPort,
      uiPort: devDefaults.temporalUiPort,
      dbFile: join(dataDir, 'temporal.db'),
    });
    stops.push(temporal.stop);

    await ensureConsoleBuilt(console.log);

    console.log('Migrating the database…');
    await ensureDatabase(config.databaseUrl);
    await runMigrations(config.databaseUrl);

    const fake = await startFakeActiveCampaign({
      port: devDefaults.fakePort,
      accounts: [
        {
          apiKeys: [devDefaults.fakeApiKey],
          lists: [
            { id: 7, name: 'Newsletter' },
            { id: 8, name: 'Customers' },
          ],
          fields: [
            { id: 1, title: 'Tier' },
            { id: 2, title: 'City', type: 'dropdown', options: ['Budapest', 'Vienna'] },
          ],
          tags: ['vip', 'newsletter'],
        },
      ],
    });
    stops.push(() => fake.close());

    const runtime = installTemporalRuntime(
      createLogger({ component: 'temporal', level: config.logLevel }),
      await freePort(),
    );
    const worker = await createOutboundWorker({ ...config, extraMetrics: runtime.sdkMetrics });
    void worker.run();
    stops.push(() => worker.shutdown());
    const workerHttp = await startWorkerHttp(config.workerHttpPort, worker.health);
    stops.push(() => workerHttp.close());

    const deps = await openApiDeps(config);
    stops.push(() => deps.close());
    await ensureRefreshSchedule({
      ...deps,
      scheduleId: deps.refreshScheduleId,
      runTimeLimitMs: config.runTimeLimitMs,
    });
    const server = await serveApi(createApi(deps, apiSettings(config)), config.port);
    stops.push(() => new Promise((resolve) => server.close(resolve)));

    const adminEmail = devAdminEmail;
    const token = await devAdminToken(deps.sql, join(dataDir, 'admin-token'));
    await warnOfUnreadableConnections(deps);
    const demo = await seedDemoData(deps);

    console.log(`
Outbound is running.
  Console       http://localhost:${config.port}/#token=${token}
  GraphiQL      http://localhost:${config.port}/graphql
  Health        http://localhost:${config.port}/readyz, /metrics (worker: http://localhost:${workerHttp.port}/readyz, /metrics)
  Temporal UI   http://localhost:${devDefaults.temporalUiPort}
  Fake ActiveCampaign  host ${fakeHost}  API key ${devDefaults.fakeApiKey}  lists 7, 8  fields 1 (Tier), 2 (City, dropdown)
  Demo data     ${demo}

Admin ${adminEmail}: in GraphiQL's headers put
  {"Authorization": "Bearer ${token}"}

Ctrl-C stops everything.`);
    return stopAll;
  } catch (error) {
    await stopAll();
    throw error;
  }
});
