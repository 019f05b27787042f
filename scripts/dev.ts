import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApi } from '../api/yoga.ts';
import { ensureRefreshSchedule } from '../core/refresh/schedule.ts';
import { generateSecretKey } from '../core/secrets.ts';
import { createUserWithToken, findUserByEmail, issueToken } from '../core/users.ts';
import { ensureDatabase, runMigrations } from '../db/migrate.ts';
import { startFakeActiveCampaign } from '../fake-activecampaign/index.ts';
import { loadConfig } from './config.ts';
import { apiSettings, openApiDeps } from './lib/api-deps.ts';
import { seedDemoData } from './lib/demo-data.ts';
import { devDefaults } from './lib/dev-defaults.ts';
import { runMain } from './lib/run-main.ts';
import { serveApi } from './lib/serve-api.ts';
import { projectRoot, startTemporalDevServer } from './lib/temporal-cli.ts';
import { createOutboundWorker } from './lib/worker.ts';

const dataDir = join(projectRoot, '.data');

/** A secret key that survives restarts, so connections saved in the dev database stay readable. */
function devSecretKey(): string {
  const file = join(dataDir, 'secret-key');
  if (!existsSync(file)) writeFileSync(file, generateSecretKey(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

runMain(async () => {
  mkdirSync(dataDir, { recursive: true });
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(e));
  };
  try {
    const fakeHost = `127.0.0.1:${devDefaults.fakePort}`;
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? devDefaults.databaseUrl,
      OUTBOUND_SECRET_KEY: process.env.OUTBOUND_SECRET_KEY ?? devSecretKey(),
      OUTBOUND_AC_INSECURE_HOSTS: [process.env.OUTBOUND_AC_INSECURE_HOSTS, fakeHost]
        .filter(Boolean)
        .join(','),
      TEMPORAL_ADDRESS: `127.0.0.1:${devDefaults.temporalPort}`,
    });

    console.log('Starting Temporal (state in .data/temporal.db)…');
    const temporal = await startTemporalDevServer({
      port: devDefaults.temporalPort,
      uiPort: devDefaults.temporalUiPort,
      dbFile: join(dataDir, 'temporal.db'),
    });
    stops.push(temporal.stop);

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
            { id: 2, title: 'City' },
          ],
        },
      ],
    });
    stops.push(() => fake.close());

    const worker = await createOutboundWorker(config);
    void worker.run();
    stops.push(() => worker.shutdown());

    const deps = await openApiDeps(config);
    stops.push(() => deps.close());
    await ensureRefreshSchedule({
      ...deps,
      scheduleId: deps.refreshScheduleId,
      runTimeLimitMs: config.runTimeLimitMs,
    });
    const server = await serveApi(createApi(deps, apiSettings(config)), config.port);
    stops.push(() => new Promise((resolve) => server.close(resolve)));

    const adminEmail = 'admin@outbound.local';
    const existing = await findUserByEmail(deps.sql, adminEmail);
    const token = existing
      ? await issueToken(deps.sql, existing.id)
      : (await createUserWithToken(deps.sql, adminEmail, 'ADMIN')).token;
    const demo = await seedDemoData(deps);

    console.log(`
Outbound is running.
  GraphiQL      http://localhost:${config.port}/graphql
  Temporal UI   http://localhost:${devDefaults.temporalUiPort}
  Fake ActiveCampaign  host ${fakeHost}  API key ${devDefaults.fakeApiKey}  lists 7, 8  fields 1 (Tier), 2 (City)
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
