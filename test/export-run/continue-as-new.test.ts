import { afterAll, beforeAll, expect, test } from 'vitest';
import { reserveRun } from '../../activities/run-reservation.ts';
import { exportRunStartOptions } from '../../workflows/export-run-start.ts';
import type { exportRunWorkflow } from '../../workflows/export-run-workflow.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../fake-activecampaign/index.ts';
import { insertProfiles, makeProfiles, setUpExport } from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
const apiKey = 'continue-as-new-key-1';
let fake: FakeActiveCampaign;
let outbound: Outbound;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

test('a run continues as new to keep each history short, carrying its cursor and deadline', async () => {
  const profiles = makeProfiles(3_000);
  await insertProfiles(outbound.sql, profiles);
  const { exportId, connectionId } = await setUpExport(outbound, fake, {
    apiKey,
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
    exportName: 'continue-as-new',
    connectionId,
    listId: '7',
    trigger: 'ON_DEMAND',
    timeLimitMs: 600_000,
  });
  await outbound.deps.temporal.workflow.start<typeof exportRunWorkflow>('exportRunWorkflow', {
    ...start,
    taskQueue: outbound.config.taskQueue,
    // Pages of 250 profiles and a budget of 30 events: a new execution every few pages.
    args: [{ ...start.args[0], pageContacts: 250, historyEventsBeforeContinueAsNew: 30 }],
  });

  const run = await waitForRun(outbound, reserved.runId, { timeoutMs: 120_000 });
  expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 3_000, totalProfiles: 3_000 });
  expect(fake.account(apiKey).listMembers(7)).toHaveLength(3_000);
  expect(fake.account(apiKey).contactsReceived()).toBe(3_000);

  const { executions, events } = await workflowHistoryText(outbound.deps.temporal, `export-${exportId}`);
  expect(executions).toBeGreaterThanOrEqual(3);
  expect(Math.max(...events)).toBeLessThan(60);
});
