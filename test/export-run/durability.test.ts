import { beforeAll, expect, test } from 'vitest';
import {
  insertProfiles,
  makeProfiles,
  newAccount,
  runExport,
  setUpExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { readRun, waitForRun } from '../support/runs.ts';
import { startWorkerProcess, workerEnv } from '../support/worker-process.ts';

// Slow enough (≈ 8 bulk imports a second) that a run of 20,000 lasts long enough to crash it twice.
const scale = 5;
const profiles = makeProfiles(20_000);
const stack = withFakeAndOutbound(scale, { worker: false });
beforeAll(async () => {
  await insertProfiles(stack.outbound.sql, profiles);
});

/** The fake lists members sorted by email. */
const expectedMembers = profiles
  .map((p) => [String(p.attributes.Email), p.attributes.FirstName, p.attributes.LastName])
  .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));

test('a 20,000-profile run survives two worker SIGKILLs: exact list, at most one batch re-sent per crash', async () => {
  const { apiKey, account } = newAccount(stack.fake);
  const { exportId } = await setUpExport(stack.outbound, stack.fake, {
    apiKey,
    rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] },
  });
  let worker = await startWorkerProcess(workerEnv(stack.outbound.config));
  const runId = await runExport(stack.outbound, exportId);

  for (const sentAtLeast of [4_000, 10_000]) {
    await waitForRun(stack.outbound, runId, { until: (run) => run.sentCount >= sentAtLeast });
    await worker.kill('SIGKILL');
    worker = await startWorkerProcess(workerEnv(stack.outbound.config));
  }
  const run = await waitForRun(stack.outbound, runId, { timeoutMs: 240_000 });
  await worker.kill();

  expect(run).toMatchObject({
    status: 'SUCCEEDED',
    totalProfiles: 20_000,
    exportedCount: 20_000,
    rejectedCount: 0,
  });
  const members = account.listMembers(7);
  expect(members.map((m) => [m.email, m.firstName, m.lastName])).toEqual(expectedMembers);
  expect(members.every((m) => m.status === 'subscribed')).toBe(true);
  const resent = account.contactsReceived() - 20_000;
  expect(resent).toBeGreaterThanOrEqual(0);
  expect(resent).toBeLessThanOrEqual(2 * 250);

  const { text, events } = await workflowHistoryText(stack.outbound.deps.temporal, `export-${exportId}`);
  expect(events.length).toBeGreaterThan(0);
  expect(text).not.toContain(apiKey);
  expect(text).not.toMatch(/@example\.com/);
  expect(text).not.toContain('First1');
});

test('progress shows processed/total, a rate and an ETA while a run is going', async () => {
  const { exportId } = await setUpExport(stack.outbound, stack.fake, {
    apiKey: newAccount(stack.fake, { lists: [8] }).apiKey,
    listId: '8',
    name: 'Progress export',
    rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] },
  });
  const worker = await startWorkerProcess(workerEnv(stack.outbound.config));
  try {
    const runId = await runExport(stack.outbound, exportId);
    const midway = await waitForRun(stack.outbound, runId, {
      until: (run) => run.progress.processed >= 2_000,
    });
    expect(midway.status).toBe('RUNNING');
    expect(midway.progress.phase).toBe('PUSHING');
    expect(midway.progress.total).toBe(20_000);
    expect(midway.progress.ratePerSecond).toBeGreaterThan(0);
    expect(midway.progress.etaSeconds).toBeGreaterThan(0);
    const done = await waitForRun(stack.outbound, runId, { timeoutMs: 240_000 });
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      progress: { phase: 'FINISHED', processed: 20_000, total: 20_000, confirmed: 20_000, etaSeconds: 0 },
    });
    expect((await readRun(stack.outbound, runId)).exportedCount).toBe(20_000);
  } finally {
    await worker.kill();
  }
});
