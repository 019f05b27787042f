import { existsSync } from 'node:fs';
import { generateSecretKey } from '../../../core/secrets.ts';
import { runMigrations } from '../../../db/migrate.ts';
import { startEntryPoint } from '../entry-point.ts';
import { freePort } from '../free-port.ts';
import { ensureGraphiqlBuilt } from '../graphiql-build.ts';
import { startTemporalDevServer } from '../temporal-cli.ts';
import { freshDatabase } from './fresh-database.ts';
import { type GraphiqlLoad, measureGraphiqlLoads, medianLoad } from './graphiql-load.ts';

const chromiumPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * `npm run bench -- --graphiql [--runs N]`: GraphiQL's first load in headless Chromium against the real
 * API (start-api.ts, OUTBOUND_PLAYGROUND on), N times: each time a freshly started API (its first GraphiQL
 * request) and a browser with an empty cache, then two more empty-cache loads from the same API.
 */
export async function runGraphiqlBench(
  runs: number,
  databaseUrl: string,
  log: (message: string) => void,
  stops: Array<() => Promise<unknown>>,
) {
  const chromium = [process.env.CHROMIUM_PATH, ...chromiumPaths].find(
    (p): p is string => !!p && existsSync(p),
  );
  if (!chromium) throw new Error('No Chromium: apt-get install chromium, or set CHROMIUM_PATH');
  await ensureGraphiqlBuilt(log);
  await freshDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  const temporal = await startTemporalDevServer({ port: await freePort() });
  stops.push(temporal.stop);
  const firstLoads: GraphiqlLoad[] = [];
  const laterLoads: GraphiqlLoad[] = [];
  for (let run = 0; run < runs; run++) {
    const port = await freePort();
    const api = await startEntryPoint(
      'scripts/start-api.ts',
      [],
      {
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporal.address,
        OUTBOUND_SECRET_KEY: generateSecretKey(),
        OUTBOUND_PLAYGROUND: 'on',
        PORT: String(port),
      },
      'Outbound API',
    );
    try {
      const [first, ...later] = await measureGraphiqlLoads(chromium, `http://127.0.0.1:${port}/graphql`, 3);
      log(
        `run ${run + 1}: first load after the API started ${first?.interactiveMs} ms, then ${later.map((l) => l.interactiveMs).join(', ')} ms`,
      );
      if (first) firstLoads.push(first);
      laterLoads.push(...later);
    } finally {
      await api.kill();
    }
  }
  return {
    bench: 'graphiql-first-load',
    runs,
    /** Medians: a browser with an empty cache, on the API's first GraphiQL request since it started. */
    afterApiStart: medianLoad(firstLoads),
    /** Medians: a browser with an empty cache, the API already having served GraphiQL. */
    emptyBrowserCache: medianLoad(laterLoads),
    interactiveMs: {
      afterApiStart: firstLoads.map((l) => l.interactiveMs),
      emptyBrowserCache: laterLoads.map((l) => l.interactiveMs),
    },
  };
}
