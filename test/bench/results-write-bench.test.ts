import { expect, inject, test } from 'vitest';
import { runShape } from '../../scripts/lib/bench/results-write.ts';
import { databaseUrl } from '../support/database.ts';
import { runBench } from './run-bench.ts';

/** `npm run bench -- --results-write`: one contact row each, the list mirror, and a rewrite adds nothing (no timing asserted). */
test('the results-write benchmark writes a finished run’s contacts and list exactly once, and prints its figures', async () => {
  const env = { ...process.env, BENCH_DATABASE_URL: databaseUrl(`${inject('testRunPrefix')}_results_write`) };
  const figures = await runBench(['--results-write', '--profiles', '5000'], env);
  const shape = runShape(5_000);
  expect(figures).toMatchObject({
    profiles: 5_000,
    rowsWritten: { outbound_runs: 1, outbound_run_contacts: 5_000, outbound_list_members: shape.listMembers },
    outcomes: { SENT: 4_778, SKIPPED: 73, FAILED: 49, UNSUBSCRIBED: 100 },
    rowsAddedByRewrite: { outbound_runs: 0, outbound_run_contacts: 0, outbound_list_members: 0 },
    exact: true,
    idempotent: true,
  });
  for (const key of [
    'resultsWriteSeconds',
    'resultsWritePeakRssMb',
    'resultsRewritePeakRssMb',
    'workerMemoryTargetMb',
  ])
    expect(typeof figures[key], key).toBe('number');
}, 180_000);
