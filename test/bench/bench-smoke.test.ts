import { expect, inject, test } from 'vitest';
import { databaseUrl } from '../support/database.ts';
import { runBench } from './run-bench.ts';

/**
 * `npm run bench` end to end at a small size: two accounts, a store larger than the segment, the open
 * loop; it still works and reports every figure (no timing asserted).
 */
test('the benchmark exports a 10,000-member segment of a 30,000-profile store to two accounts through the real API, worker and Temporal and prints its figures', async () => {
  const env = { ...process.env, BENCH_DATABASE_URL: databaseUrl(`${inject('testRunPrefix')}_bench`) };
  const figures = await runBench(
    ['--profiles', '10000', '--store', '30000', '--accounts', '2', '--scale', '20', '--latency-seconds', '2'],
    env,
  );
  expect(figures).toMatchObject({
    profiles: 10_000,
    store: 30_000,
    status: 'SUCCEEDED',
    exported: 20_000,
    unchangedRerunSent: 0,
    requestsByRoute: { 'POST /import/bulk_import': 80 },
  });
  // Each account received its own export of the segment, not a share of one.
  expect(figures.accounts).toHaveLength(2);
  for (const account of figures.accounts) expect(account.exported).toBe(10_000);
  for (const key of [
    'seconds',
    'contactsPerSecond',
    'boundContactsPerSecond',
    'ratioToBound',
    'requests429',
    'workerPeakRssMb',
    'historyEvents',
    'estimatedRealMinutes',
    'unchangedRerunSeconds',
    'apiExportsP99Ms',
    'apiExportRunP99Ms',
    'slowestAccountRatio',
    'referenceCpuMicrosPerContact',
    'workerCpuPerContactVsReference',
    'postgresCpuPerContactVsReference',
    'refreshSeconds',
    'refreshUnchangedSeconds',
    'previewSeconds',
    'apiOpenLoopRate',
    'apiOpenLoopP50Ms',
    'apiOpenLoopP99Ms',
  ]) {
    expect(typeof figures[key], key).toBe('number');
  }
  // The first run's CPU per component: the worker and Postgres both did the push's work.
  expect(figures.firstRunCpuSeconds.worker).toBeGreaterThan(0);
  expect(figures.firstRunCpuSeconds.postgres).toBeGreaterThan(0);
  expect(figures.apiOpenLoopErrors).toBe(0);
}, 300_000);
