import { expect, inject, test } from 'vitest';
import { churnCounts, churnFloorSeconds } from '../../scripts/lib/bench/churn.ts';
import { databaseUrl } from '../support/database.ts';
import { runBench } from './run-bench.ts';

test("ActiveCampaign's floor is its imports at 100 a minute, one at least", () => {
  expect(churnFloorSeconds(1)).toBe(0.6);
  expect(churnFloorSeconds(10_000)).toBe(24);
  expect(churnCounts(1_000_000, 0.01)).toEqual({ updated: 6_000, inserted: 2_000, deleted: 2_000 });
});

/** `npm run bench -- --churn`: the cycle after a change sends exactly the changed rows (no timing asserted). */
test('the churn benchmark syncs a changed Postgres source, refreshes and exports exactly the changed contacts at the real limits, and prints its figures', async () => {
  const env = { ...process.env, BENCH_DATABASE_URL: databaseUrl(`${inject('testRunPrefix')}_churn`) };
  const figures = await runBench(['--churn', '0.05', '--profiles', '2000'], env);
  expect(figures).toMatchObject({
    profiles: 2_000,
    churn: 0.05,
    churnChangedContacts: 80,
    churnUpdated: 60,
    churnInserted: 20,
    churnDeleted: 20,
    // Incremental: every key, in full the 80 changed rows and the 5 the 5-minute overlap reads again.
    cycleSync: { incremental: true, keysRead: 2_000, read: 85, added: 20, updated: 60, removed: 20 },
    // The 80 changes spread over the segment go out as one import.
    cycleRun: { status: 'SUCCEEDED', sent: 80, imports: 1, exported: 80, failed: 0 },
    contactsReceived: 80,
    requests429: 0,
  });
  for (const key of [
    'churnEndToEndSeconds',
    'churnFloorSeconds',
    'sourceSyncSeconds',
    'refreshSeconds',
    'pushSeconds',
    'overheadSecondsPerMillionProfiles',
    'workerPeakRssMb',
  ]) {
    expect(typeof figures[key], key).toBe('number');
  }
}, 360_000);
