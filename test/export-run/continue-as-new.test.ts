import { afterAll, beforeAll, expect, test } from 'vitest';
import { reserveRun } from '../../core/temporal/export-runs.ts';
import { exportRunStartOptions } from '../../core/temporal/start-options.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import type { ExportRunWorkflowInput, exportRunWorkflow } from '../../workflows/export-run-workflow.ts';
import { insertProfiles, makeProfiles, setUpExport } from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
const apiKey = 'continue-as-new-key-1';
let fake: FakeActiveCampaign;
let outbound: Outbound;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: [apiKey], lists: [7, 8] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

/** Starts an export run's workflow directly, with paging and history budgets a test chooses. */
async function startRun(
  profileCount: number,
  options: { prefix: string; listId: string; workflow: Partial<ExportRunWorkflowInput> },
) {
  const profiles = makeProfiles(profileCount, { prefix: options.prefix });
  await insertProfiles(outbound.sql, profiles);
  const { exportId, connectionId } = await setUpExport(outbound, fake, {
    apiKey,
    listId: options.listId,
    customerIds: profiles.map((p) => p.customerId),
  });
  const reserved = await reserveRun(outbound.sql, outbound.deps.temporal, {
    exportId,
    trigger: 'ON_DEMAND',
    requestedBy: null,
  });
  if (!('runId' in reserved)) throw new Error('export already running');
  const start = exportRunStartOptions({
    runId: reserved.runId,
    exportId,
    exportName: options.prefix,
    connectionId,
    listId: options.listId,
    trigger: 'ON_DEMAND',
    timeLimitMs: 600_000,
  });
  await outbound.deps.temporal.workflow.start<typeof exportRunWorkflow>('exportRunWorkflow', {
    ...start,
    taskQueue: outbound.config.taskQueue,
    args: [{ ...start.args[0], ...options.workflow }],
  });
  const run = await waitForRun(outbound, reserved.runId, { timeoutMs: 120_000 });
  return { run, history: await workflowHistoryText(outbound.deps.temporal, `export-${exportId}`) };
}

test('a run continues as new to keep each history short, carrying its cursor and deadline', async () => {
  // Pages of 250 profiles and a budget of 30 events: a new execution every few pages.
  const { run, history } = await startRun(3_000, {
    prefix: 'c',
    listId: '7',
    workflow: { pageContacts: 250, historyEventsBeforeContinueAsNew: 30 },
  });
  expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 3_000, totalProfiles: 3_000 });
  expect(fake.account(apiKey).listMembers(7)).toHaveLength(3_000);
  expect(fake.account(apiKey).contactsReceived()).toBe(3_000);
  expect(history.executions).toBeGreaterThanOrEqual(3);
  expect(Math.max(...history.events)).toBeLessThan(60);
});

test('a page ends once its time is up, and the next one resumes at its cursor', async () => {
  const sentBefore = fake.account(apiKey).contactsReceived();
  // No time at all: each page ends after the first rows it read (2,000).
  const { run, history } = await startRun(5_000, { prefix: 'p', listId: '8', workflow: { pageMs: 0 } });
  expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 5_000, totalProfiles: 5_000 });
  expect(fake.account(apiKey).listMembers(8)).toHaveLength(5_000);
  expect(fake.account(apiKey).contactsReceived() - sentBefore).toBe(5_000);
  expect(history.text.match(/activityType: name: pushPage/g)).toHaveLength(3);
});
