import { decodeTimeoutType } from '@temporalio/common';
import { beforeAll, expect, test } from 'vitest';
import {
  insertProfiles,
  makeProfiles,
  newAccount,
  runExport,
  setUpExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { waitForRun } from '../support/runs.ts';

// ≈ 8 bulk imports a second: 5,000 profiles take a few seconds, enough to stall the push midway.
const scale = 5;
const profiles = makeProfiles(5_000, { prefix: 's' });
const stack = withFakeAndOutbound(scale);
let apiKey: string;

beforeAll(async () => {
  ({ apiKey } = newAccount(stack.fake));
  await insertProfiles(stack.outbound.sql, profiles);
});

test('a push whose query hangs ends its attempt at the heartbeat timeout; the retry finishes with exact counts', async () => {
  const { exportId } = await setUpExport(stack.outbound, stack.fake, {
    apiKey,
    customerIds: profiles.map((p) => p.customerId),
  });
  const runId = await runExport(stack.outbound, exportId);
  await waitForRun(stack.outbound, runId, { until: (run) => run.sentCount >= 1_000 });

  // The test holds the run's row: recording the next chunk waits for it, and the push stops progressing.
  const lock = await stack.outbound.sql.reserve();
  await lock`begin`;
  await lock`select id from export_runs where id = ${runId} for update`;

  // No timer heartbeats it meanwhile: the attempt ends at its heartbeat timeout (10 s) and is retried,
  // long before its start-to-close timeout (15 min).
  const handle = stack.outbound.deps.temporal.workflow.getHandle(`export-${exportId}`);
  let retried: { attempt?: number | null; lastFailure?: unknown } | undefined;
  for (let tries = 0; tries < 600 && !retried; tries++) {
    const { raw } = await handle.describe();
    retried = raw.pendingActivities?.find(
      (a) => a.activityType?.name === 'pushPage' && (a.attempt ?? 0) >= 2,
    );
    if (!retried) await new Promise((r) => setTimeout(r, 100));
  }
  expect(retried?.attempt).toBeGreaterThanOrEqual(2);
  // The retry resumes from the recorded cursor, sends the chunk the stalled attempt is recording again
  // and waits to record it too: both come back when the lock is released.
  const recordingChunks = async () => {
    const [row] = await stack.outbound.sql<[{ n: number }]>`
      select count(*)::int as n from pg_stat_activity
      where wait_event_type = 'Lock' and query like '%insert into run_batches%'`;
    return row.n;
  };
  for (let tries = 0; tries < 300 && (await recordingChunks()) < 2; tries++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await recordingChunks()).toBe(2);
  await lock`commit`;
  lock.release();
  const lastFailure = retried?.lastFailure as { timeoutFailureInfo?: { timeoutType?: number } } | undefined;
  expect(decodeTimeoutType(lastFailure?.timeoutFailureInfo?.timeoutType)).toBe('HEARTBEAT');

  // The stalled attempt records its chunk; its replacement finds the cursor moved, records nothing and
  // stops, and the next attempt goes on from there: every contact is counted once.
  const run = await waitForRun(stack.outbound, runId, { timeoutMs: 120_000 });
  expect(run).toMatchObject({ status: 'SUCCEEDED', sentCount: 5_000, exportedCount: 5_000, failedCount: 0 });
  expect(stack.fake.account(apiKey).listMembers(7)).toHaveLength(5_000);
}, 180_000);
