import { expect, test } from 'vitest';
import { exportNewProfiles, runExport, withFakeAndOutbound } from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { type RunView, waitForIdleWorker, waitForRun } from '../support/runs.ts';

// ActiveCampaign's real limits (≈ 400 contacts a second): 5,000 profiles take longer than the deadline.
const scale = 1;
const runTimeLimitMs = 8_000;
const stack = withFakeAndOutbound(scale, { runTimeLimitMs });

/** A running export of 5,000 profiles on an account of its own, once it has pushed its first 500. */
async function runningExport(prefix: string, importProcessingMs = 200) {
  const exp = await exportNewProfiles(stack.outbound, stack.fake, {
    prefix,
    count: 5_000,
    account: { importProcessingMs },
  });
  const runId = await runExport(stack.outbound, exp.exportId);
  await waitForRun(stack.outbound, runId, { until: (run) => run.sentCount >= 500 });
  return { ...exp, runId };
}

/** Ends within seconds, nothing is sent after it ended, and what was pushed before is counted. */
async function expectStopped(
  exp: Awaited<ReturnType<typeof runningExport>>,
  status: string,
): Promise<RunView> {
  const run = await waitForRun(stack.outbound, exp.runId, { timeoutMs: 15_000 });
  expect(run.status).toBe(status);
  expect(run.sentCount).toBeGreaterThanOrEqual(500);
  expect(run.sentCount).toBeLessThan(5_000);
  const sentAtEnd = exp.account.contactsReceived();
  // Once no activity runs any more, nothing can be sent: a push that went on after the end shows here.
  await waitForIdleWorker(stack.outbound);
  expect(exp.account.contactsReceived()).toBe(sentAtEnd);
  // The imports accepted before the end finish on ActiveCampaign's side: each lands on the list.
  await expect.poll(() => exp.account.listMembers(7).length, { timeout: 30_000 }).toBe(run.sentCount);
  // Every accepted contact is accounted for: imported, failed, or sent with its outcome unknown.
  expect(run.exportedCount + run.failedCount + run.unconfirmedCount).toBe(run.sentCount);
  const { text } = await workflowHistoryText(stack.outbound.deps.temporal, `export-${exp.exportId}`);
  expect(text).not.toContain(exp.apiKey);
  expect(text).not.toMatch(/@example\.com/);
  return run;
}

test('cancelExportRun ends the run CANCELLED within seconds, with what was pushed counted', async () => {
  const exp = await runningExport('a');
  await stack.outbound.gql(`mutation($id: ID!) { cancelExportRun(id: $id) { id } }`, { id: exp.runId });
  await expectStopped(exp, 'CANCELLED');
});

test('a run cancelled while ActiveCampaign still imports counts those contacts as sent, outcome unknown', async () => {
  // Imports take 4 s to finish: when the run is cancelled, those accepted so far are still importing.
  const exp = await runningExport('e', 4_000);
  await stack.outbound.gql(`mutation($id: ID!) { deleteConnection(id: $id) }`, { id: exp.connectionId });
  const run = await waitForRun(stack.outbound, exp.runId, { timeoutMs: 15_000 });
  expect(run.status).toBe('CANCELLED');
  expect(run.unconfirmedCount).toBeGreaterThan(0);
  // ActiveCampaign finishes the imports it accepted: they all land on the list.
  const deadline = Date.now() + 15_000;
  while (exp.account.listMembers(7).length < run.sentCount && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const landed = exp.account.listMembers(7).length;
  expect(landed).toBe(run.sentCount);
  expect(run.exportedCount + run.unconfirmedCount).toBe(landed);
  expect(run.exportedCount + run.failedCount + run.unconfirmedCount).toBe(run.sentCount);
});

test('deleting the export cancels its run', async () => {
  const exp = await runningExport('b');
  await stack.outbound.gql(`mutation($id: ID!) { deleteExport(id: $id) }`, { id: exp.exportId });
  await expectStopped(exp, 'CANCELLED');
});

test('deleting the connection cancels its exports’ runs and disables them', async () => {
  const exp = await runningExport('c');
  await stack.outbound.gql(`mutation($id: ID!) { deleteConnection(id: $id) }`, { id: exp.connectionId });
  await expectStopped(exp, 'CANCELLED');
  const [row] = await stack.outbound.sql`select enabled from exports where id = ${exp.exportId}`;
  expect(row?.enabled).toBe(false);
});

test('the deadline ends the run TIMED_OUT with its counts', async () => {
  const exp = await runningExport('d');
  const run = await expectStopped(exp, 'TIMED_OUT');
  expect(run.error).toMatch(/time limit \(8 s\)/);
});
