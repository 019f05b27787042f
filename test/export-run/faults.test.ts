import { expect, test } from 'vitest';
import { exportNewProfiles, runExport, withFakeAndOutbound } from '../support/fixtures.ts';
import { workflowHistoryText } from '../support/history.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 30;
const stack = withFakeAndOutbound(scale, { maxProfilesPerExport: 12_000 });

const exportTo = (prefix: string, count: number, options: { invalidEvery?: number } = {}) =>
  exportNewProfiles(stack.outbound, stack.fake, { prefix, count, ...options });

const emailsOf = (profiles: Array<{ attributes: Record<string, unknown> }>) =>
  profiles.map((p) => String(p.attributes.Email)).sort();

test('with 10% 5xx, 10% dropped connections and 429 storms the run still leaves the exact list', async () => {
  // 10,000 profiles: about 100 requests, half of them past the storms' 429s to where 5xx and dropped
  // connections are drawn: at 10% each, both are all but certain to happen (the draws are not seeded).
  const { apiKey, account, profiles, exportId } = await exportTo('f', 10_000);
  account.setFaults({ errorRate: 0.1, dropConnectionRate: 0.1, rateLimitStormMs: 1_500 });
  const storms = setInterval(
    () => account.setFaults({ errorRate: 0.1, dropConnectionRate: 0.1, rateLimitStormMs: 300 }),
    2_000,
  );
  try {
    const run = await waitForRun(stack.outbound, await runExport(stack.outbound, exportId), {
      timeoutMs: 240_000,
    });
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      exportedCount: 10_000,
      failedCount: 0,
      rejectedCount: 0,
    });
  } finally {
    clearInterval(storms);
    account.setFaults({});
  }
  expect(account.listMembers(7).map((m) => m.email)).toEqual(emailsOf(profiles));
  const statuses = new Set(account.requests().map((r) => r.status));
  expect(statuses).toContain(429);
  expect([...statuses].some((s) => s >= 500)).toBe(true);
  expect(statuses).toContain(0); // dropped connections
  const { text } = await workflowHistoryText(stack.outbound.deps.temporal, `export-${exportId}`);
  expect(text).not.toContain(apiKey);
  expect(text).not.toMatch(/@example\.com/);
});

test('5% invalid emails are rejects with reasons; everyone else is exported', async () => {
  const { account, profiles, exportId } = await exportTo('i', 2_000, { invalidEvery: 20 });
  const run = await waitForRun(stack.outbound, await runExport(stack.outbound, exportId), {
    timeoutMs: 120_000,
  });
  expect(run).toMatchObject({
    status: 'SUCCEEDED',
    totalProfiles: 2_000,
    exportedCount: 1_900,
    rejectedCount: 100,
  });
  const valid = profiles.filter((_, i) => (i + 1) % 20 !== 0);
  expect(account.listMembers(7).map((m) => m.email)).toEqual(emailsOf(valid));
  const { exportRun } = await stack.outbound.gql(
    `query($id: ID!) { exportRun(id: $id) { rejects(first: 100) { totalCount nodes { customerId reason message } } } }`,
    {
      id: run.id,
    },
  );
  expect(exportRun.rejects.totalCount).toBe(100);
  expect(exportRun.rejects.nodes).toHaveLength(100);
  expect(exportRun.rejects.nodes.map((r: { customerId: string }) => r.customerId)).toEqual(
    profiles.filter((_, i) => (i + 1) % 20 === 0).map((p) => p.customerId),
  );
  expect(new Set(exportRun.rejects.nodes.map((r: { reason: string }) => r.reason))).toEqual(
    new Set(['INVALID_EMAIL']),
  );
  expect(exportRun.rejects.nodes[0].message).toMatch(/format/);
});

test('an unsubscribed contact is skipped and never re-subscribed; an excluded one is NOT_CREATED, retried', async () => {
  const { account, profiles, exportId } = await exportTo('x', 300);
  const [excluded, unsubscribed] = emailsOf(profiles.slice(0, 2));
  account.exclude(excluded as string);
  account.unsubscribeAsContact(unsubscribed as string, 7);
  const run = await waitForRun(stack.outbound, await runExport(stack.outbound, exportId), {
    timeoutMs: 120_000,
  });
  expect(run).toMatchObject({
    status: 'SUCCEEDED',
    exportedCount: 298,
    skippedCount: 1,
    failedCount: 1,
    rejectedCount: 0,
  });
  const members = account.listMembers(7);
  expect(members.filter((m) => m.status === 'subscribed')).toHaveLength(298);
  expect(members.find((m) => m.email === unsubscribed)?.status).toBe('unsubscribed');
  expect(members.find((m) => m.email === excluded)).toBeUndefined();
  expect(account.resubscriptionsOfSelfUnsubscribed()).toBe(0);
});

test('a run over the per-export limit is refused before anything is sent, naming both numbers', async () => {
  const { account, exportId } = await exportTo('o', 12_001);
  const run = await waitForRun(stack.outbound, await runExport(stack.outbound, exportId), {
    timeoutMs: 60_000,
  });
  expect(run.status).toBe('FAILED');
  expect(run.error).toContain('12,001');
  expect(run.error).toContain('12,000');
  expect(account.requests().filter((r) => r.path.includes('bulk_import'))).toHaveLength(0);
  expect(account.listMembers(7)).toHaveLength(0);
});

test('a rejected key and a deleted list end the run FAILED at once with a clear error', async () => {
  const { account, exportId } = await exportTo('k', 10);
  account.deleteList(7);
  const listGone = await waitForRun(stack.outbound, await runExport(stack.outbound, exportId), {
    timeoutMs: 30_000,
  });
  expect(listGone).toMatchObject({
    status: 'FAILED',
    error: expect.stringMatching(/list 7 no longer exists/),
  });
  account.addList({ id: 7 });

  await stack.outbound
    .sql`update connections set api_key_ciphertext = ${await stack.outbound.deps.secrets.encrypt('revoked-key-000')}`;
  const revoked = await waitForRun(stack.outbound, await runExport(stack.outbound, exportId), {
    timeoutMs: 30_000,
  });
  expect(revoked).toMatchObject({
    status: 'FAILED',
    error: expect.stringMatching(/rejected the connection’s API key/),
  });
  expect(revoked.error).not.toContain('revoked-key-000');
});
