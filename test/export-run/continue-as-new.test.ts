import { expect, test } from 'vitest';
import { reserveRun } from '../../core/temporal/export-runs.ts';
import { exportRunStartOptions } from '../../core/temporal/start-options.ts';
import type { ExportRunWorkflowInput, exportRunWorkflow } from '../../workflows/export-run-workflow.ts';
import {
  insertProfiles,
  makeProfiles,
  newAccount,
  setUpExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
const stack = withFakeAndOutbound(scale);

/** Starts an export run's workflow directly, to an account of its own, with paging and history budgets a test chooses. */
async function startRun(
  profileCount: number,
  options: { prefix: string; listId: string; workflow: Partial<ExportRunWorkflowInput> },
) {
  const { apiKey, account } = newAccount(stack.fake, { lists: [Number(options.listId)] });
  const profiles = makeProfiles(profileCount, { prefix: options.prefix });
  await insertProfiles(stack.outbound.sql, profiles);
  const { exportId, connectionId } = await setUpExport(stack.outbound, stack.fake, {
    apiKey,
    listId: options.listId,
    customerIds: profiles.map((p) => p.customerId),
  });
  const reserved = await reserveRun(stack.outbound.sql, stack.outbound.deps.temporal, {
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
  await stack.outbound.deps.temporal.workflow.start<typeof exportRunWorkflow>('exportRunWorkflow', {
    ...start,
    taskQueue: stack.outbound.config.taskQueue,
    args: [{ ...start.args[0], ...options.workflow }],
  });
  const run = await waitForRun(stack.outbound, reserved.runId, { timeoutMs: 120_000 });
  return {
    run,
    account,
    history: await workflowHistoryText(stack.outbound.deps.temporal, `export-${exportId}`),
  };
}

test('a run continues as new to keep each history short, carrying its cursor and deadline', async () => {
  // Pages of 250 profiles and a budget of 30 events: a new execution every few pages.
  const { run, account, history } = await startRun(3_000, {
    prefix: 'c',
    listId: '7',
    workflow: { pageContacts: 250, historyEventsBeforeContinueAsNew: 30 },
  });
  expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 3_000, totalProfiles: 3_000 });
  expect(account.listMembers(7)).toHaveLength(3_000);
  expect(account.contactsReceived()).toBe(3_000);
  expect(history.executions).toBeGreaterThanOrEqual(3);
  expect(Math.max(...history.events)).toBeLessThan(60);
});

test('a page ends once its time is up, and the next one resumes at its cursor', async () => {
  // No time at all: each page ends after the first rows it read (2,000).
  const { run, account, history } = await startRun(5_000, {
    prefix: 'p',
    listId: '8',
    workflow: { pageMs: 0 },
  });
  expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 5_000, totalProfiles: 5_000 });
  expect(account.listMembers(8)).toHaveLength(5_000);
  expect(account.contactsReceived()).toBe(5_000);
  expect(history.text.match(/activityType: name: pushPage/g)).toHaveLength(3);
});
