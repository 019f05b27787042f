import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { insertProfiles, makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import {
  startDenoWorkerProcess,
  startWorkerProcess,
  type WorkerProcess,
  workerEnv,
} from '../support/worker-process.ts';

// `npm run start:worker:deno` as it is (its permissions, the tests' prebuilt workflow bundle), against
// real Postgres, Temporal and the fake ActiveCampaign. Slow enough (≈ 8 imports a second) to kill mid-push.
const scale = 5;
const profiles = makeProfiles(6_000);
const keys = {
  full: 'deno-full-key-0001',
  crash: 'deno-crash-key-0001',
  mixed: 'deno-mixed-key-0001',
  cancel: 'deno-cancel-key-0001',
};
let fake: FakeActiveCampaign;
let outbound: Outbound;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({
    scale,
    accounts: Object.values(keys).map((key) => ({ apiKeys: [key], lists: [7] })),
  });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale, worker: false });
  await insertProfiles(outbound.sql, profiles);
}, 120_000);

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

/** The fake lists members sorted by email. */
function expectedMembers(count: number) {
  return profiles
    .slice(0, count)
    .map((p) => [String(p.attributes.Email), p.attributes.FirstName, p.attributes.LastName])
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
}

function listed(apiKey: string) {
  return fake
    .account(apiKey)
    .listMembers(7)
    .map((m) => [m.email, m.firstName, m.lastName]);
}

test('a Deno worker bundling workflows/ itself runs a whole export: the exact list, and SIGTERM stops it cleanly', async () => {
  const count = 2_000;
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey: keys.full,
    customerIds: profiles.slice(0, count).map((p) => p.customerId),
  });
  // No prebuilt bundle here (the other tests pass the tests' one): the worker bundles in its own
  // process, which the script's permissions must allow (SWC's addon, webpack's uid and gid).
  const worker = await startDenoWorkerProcess({
    ...workerEnv(outbound.config),
    OUTBOUND_WORKFLOW_BUNDLE: undefined,
  });
  try {
    const run = await waitForRun(outbound, await runExport(outbound, exportId));
    expect(run).toMatchObject({ status: 'SUCCEEDED', totalProfiles: count, exportedCount: count });
    expect(listed(keys.full)).toEqual(expectedMembers(count));
    expect(fake.account(keys.full).contactsReceived()).toBe(count);
  } finally {
    await worker.kill('SIGTERM');
  }
  // The same drain as the Node worker: SIGTERM shuts the worker down and the process exits 0.
  expect(worker.process.exitCode).toBe(0);
});

test('a Deno worker killed mid-push is replaced by another: exact list, at most the import in flight re-sent', async () => {
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey: keys.crash,
    customerIds: profiles.map((p) => p.customerId),
  });
  let worker = await startDenoWorkerProcess(workerEnv(outbound.config));
  try {
    const runId = await runExport(outbound, exportId);
    const midway = await waitForRun(outbound, runId, { until: (run) => run.sentCount >= 1_500 });
    expect(midway.status).toBe('RUNNING');
    await worker.kill('SIGKILL');
    worker = await startDenoWorkerProcess(workerEnv(outbound.config));
    const run = await waitForRun(outbound, runId, { timeoutMs: 180_000 });
    expect(run).toMatchObject({ status: 'SUCCEEDED', totalProfiles: 6_000, exportedCount: 6_000 });
  } finally {
    await worker.kill();
  }
  expect(listed(keys.crash)).toEqual(expectedMembers(6_000));
  const resent = fake.account(keys.crash).contactsReceived() - 6_000;
  expect(resent).toBeGreaterThanOrEqual(0);
  expect(resent).toBeLessThanOrEqual(250);
});

test('a Node and a Deno worker on one task queue finish one run, whichever of them is killed mid-push', async () => {
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey: keys.mixed,
    customerIds: profiles.map((p) => p.customerId),
  });
  const workers: Record<string, WorkerProcess> = {
    node: await startWorkerProcess(workerEnv(outbound.config)),
    deno: await startDenoWorkerProcess(workerEnv(outbound.config)),
  };
  try {
    const runId = await runExport(outbound, exportId);
    await waitForRun(outbound, runId, { until: (run) => run.sentCount >= 1_500 });
    // The worker running the push (its identity is `<pid>@<host>`) is killed; the other runtime finishes.
    const { raw } = await outbound.deps.temporal.workflow.getHandle(`export-${exportId}`).describe();
    const push = raw.pendingActivities?.find((a) => a.activityType?.name === 'pushPage');
    const pid = Number(push?.lastWorkerIdentity?.split('@')[0]);
    const pushing = Object.keys(workers).find((name) => workers[name]?.process.pid === pid);
    expect(pushing, `pushPage ran on ${push?.lastWorkerIdentity}`).toBeDefined();
    await workers[pushing as string]?.kill('SIGKILL');
    const run = await waitForRun(outbound, runId, { timeoutMs: 180_000 });
    expect(run).toMatchObject({ status: 'SUCCEEDED', totalProfiles: 6_000, exportedCount: 6_000 });
  } finally {
    await Promise.all(Object.values(workers).map((worker) => worker.kill()));
  }
  expect(listed(keys.mixed)).toEqual(expectedMembers(6_000));
  const resent = fake.account(keys.mixed).contactsReceived() - 6_000;
  expect(resent).toBeGreaterThanOrEqual(0);
  expect(resent).toBeLessThanOrEqual(250);

  const { text } = await workflowHistoryText(outbound.deps.temporal, `export-${exportId}`);
  expect(text).not.toContain(keys.mixed);
  expect(text).not.toMatch(/@example\.com/);
});

test('cancelExportRun reaches a push on a Deno worker: CANCELLED within seconds, nothing sent after', async () => {
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey: keys.cancel,
    customerIds: profiles.map((p) => p.customerId),
  });
  const account = fake.account(keys.cancel);
  const worker = await startDenoWorkerProcess(workerEnv(outbound.config));
  try {
    const runId = await runExport(outbound, exportId);
    await waitForRun(outbound, runId, { until: (run) => run.sentCount >= 500 });
    await outbound.gql(`mutation($id: ID!) { cancelExportRun(id: $id) { id } }`, { id: runId });
    const run = await waitForRun(outbound, runId, { timeoutMs: 15_000 });
    expect(run.status).toBe('CANCELLED');
    expect(run.sentCount).toBeGreaterThanOrEqual(500);
    expect(run.sentCount).toBeLessThan(6_000);
    const sentAtEnd = account.contactsReceived();
    // A clean stop lets activities in flight finish (5 s of grace) before the process exits: once it has
    // exited nothing more can come from it, and a push that went on after the cancel shows in the count.
    await worker.kill('SIGTERM');
    expect(account.contactsReceived()).toBe(sentAtEnd);
    // The imports accepted before the end finish on ActiveCampaign's side: each lands on the list.
    await expect.poll(() => account.listMembers(7).length, { timeout: 30_000 }).toBe(run.sentCount);
  } finally {
    await worker.kill();
  }
});
