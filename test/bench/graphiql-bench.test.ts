import { expect, inject, test } from 'vitest';
import { databaseUrl } from '../support/database.ts';
import { runBench } from './run-bench.ts';

/** `npm run bench -- --graphiql`: GraphiQL loads in Chromium from a started API, its files compressed (no timing asserted). */
test('the GraphiQL benchmark loads GraphiQL from a freshly started API into empty browser caches, and prints its figures', async () => {
  const env = {
    ...process.env,
    BENCH_DATABASE_URL: databaseUrl(`${inject('testRunPrefix')}_graphiql_bench`),
    CHROMIUM_PATH: inject('chromiumPath'),
  };
  const figures = await runBench(['--graphiql', '--runs', '1'], env);
  expect(figures).toMatchObject({ bench: 'graphiql-first-load', runs: 1 });
  expect(figures.interactiveMs.afterApiStart).toHaveLength(1);
  expect(figures.interactiveMs.emptyBrowserCache).toHaveLength(2);
  for (const load of [figures.afterApiStart, figures.emptyBrowserCache]) {
    // The page, its styles, GraphiQL's script, the boot script, the icon, three workers, the schema.
    expect(load.requests).toBeGreaterThanOrEqual(8);
    // Compressed: GraphiQL's files are 7.5 MB as they are, under 2.3 MB even gzipped.
    expect(load.kilobytesTotal).toBeGreaterThan(1_000);
    expect(load.kilobytesTotal).toBeLessThan(2_300);
    expect(load.scriptMs).toBeGreaterThan(0);
  }
}, 300_000);
