import { beforeAll, expect, test } from 'vitest';
import { importsAfter } from '../support/fake-requests.ts';
import {
  insertProfiles,
  makeProfiles,
  newAccount,
  type ProfileFixture,
  runExport,
  setUpExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { readRun, waitForRun } from '../support/runs.ts';
import { startWorkerProcess, workerEnv } from '../support/worker-process.ts';

// Slow enough (≈ 8 bulk imports a second) that a run of 20,000 lasts long enough to crash it twice.
const scale = 5;
// `Member: main` keeps them apart from the sparse test's profiles, whatever order the tests run in.
const profiles: ProfileFixture[] = makeProfiles(20_000).map((p) => ({
  ...p,
  attributes: { ...p.attributes, Member: 'main' },
}));
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
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: 'main' }] },
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
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: 'main' }] },
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

test('changes spread thinly go out in full imports, and a SIGKILL mid-push still leaves the exact list', async () => {
  const { apiKey, account } = newAccount(stack.fake, { lists: [8] });
  const sparse: ProfileFixture[] = makeProfiles(10_000, { prefix: 'sparse' }).map((p) => ({
    ...p,
    attributes: { ...p.attributes, Member: 'sparse' },
  }));
  await insertProfiles(stack.outbound.sql, sparse);
  const { exportId } = await setUpExport(stack.outbound, stack.fake, {
    apiKey,
    listId: '8',
    name: 'Sparse export',
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: 'sparse' }] },
  });
  let worker = await startWorkerProcess(workerEnv(stack.outbound.config));
  expect(
    (await waitForRun(stack.outbound, await runExport(stack.outbound, exportId), { timeoutMs: 240_000 }))
      .status,
  ).toBe('SUCCEEDED');
  // 2,000 changes, one member in five: 8 imports of 250, where one per read batch of 2,000 made 10 of 200.
  const changed = sparse
    .filter((_, i) => i % 5 === 2)
    .map((p) => ({ ...p, attributes: { ...p.attributes, FirstName: `Changed ${p.customerId}` } }));
  await insertProfiles(stack.outbound.sql, changed);
  const requestsBefore = account.requests().length;
  const receivedBefore = account.contactsReceived();

  // The third import is held at the fake while the worker is killed: accepted, never recorded.
  account.holdRequests();
  const runId = await runExport(stack.outbound, exportId);
  while (importsAfter(account, requestsBefore) < 3) {
    await account.heldRequests();
    if (importsAfter(account, requestsBefore) >= 3) break;
    account.releaseRequests();
    account.holdRequests();
  }
  await worker.kill('SIGKILL');
  account.releaseRequests();
  worker = await startWorkerProcess(workerEnv(stack.outbound.config));
  const run = await waitForRun(stack.outbound, runId, { timeoutMs: 240_000 });
  await worker.kill();

  expect(run).toMatchObject({
    status: 'SUCCEEDED',
    totalProfiles: 10_000,
    sentCount: 2_000,
    exportedCount: 2_000,
  });
  const members = new Map(account.listMembers(8).map((m) => [m.email, m.firstName]));
  const changedNames = new Map(changed.map((p) => [p.customerId, p.attributes.FirstName]));
  const wrong = sparse.filter(
    (p) =>
      members.get(String(p.attributes.Email)) !== (changedNames.get(p.customerId) ?? p.attributes.FirstName),
  );
  expect(wrong).toEqual([]);
  // At most the import in flight is sent twice, and the imports stay full.
  const resent = account.contactsReceived() - receivedBefore - 2_000;
  expect(resent).toBeGreaterThanOrEqual(0);
  expect(resent).toBeLessThanOrEqual(250);
  expect(importsAfter(account, requestsBefore)).toBeLessThanOrEqual(9);

  const { text } = await workflowHistoryText(stack.outbound.deps.temporal, `export-${exportId}`);
  expect(text).not.toMatch(/@example\.com/);
  expect(text).not.toContain('Changed sparse');
});
