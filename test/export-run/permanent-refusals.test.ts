import { expect, test } from 'vitest';
import { exportNewProfiles, insertProfiles, runExport, withFakeAndOutbound } from '../support/fixtures.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
const stack = withFakeAndOutbound(scale);

const runQuery = `query($id: ID!) { exportRun(id: $id) {
  sentCount exportedCount failedCount skippedCount unchangedCount totalProfiles
  rejects { nodes { customerId reason } } } }`;

type RunResult = {
  sentCount: number;
  exportedCount: number;
  failedCount: number;
  skippedCount: number;
  unchangedCount: number;
  rejects: { nodes: Array<{ customerId: string; reason: string }> };
};

async function exportOf(member: string, count: number) {
  const { account, profiles, ...ids } = await exportNewProfiles(stack.outbound, stack.fake, {
    prefix: member,
    count,
    byRule: true,
  });
  const run = async (): Promise<RunResult> => {
    const finished = await waitForRun(stack.outbound, await runExport(stack.outbound, ids.exportId), {
      timeoutMs: 120_000,
    });
    return (await stack.outbound.gql(runQuery, { id: finished.id })).exportRun;
  };
  const preview = async () =>
    (
      await stack.outbound.gql(`query($id: ID!) { previewExport(id: $id) { adds updates skipped } }`, {
        id: ids.exportId,
      })
    ).previewExport;
  return { account, profiles, run, preview };
}

const at = <T>(items: T[], index: number): T => {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
};

test('a self-unsubscribed contact is skipped; an excluded one is NOT_CREATED, then REFUSED_REPEATEDLY on its third run, and both are sent again once their data changes', async () => {
  const { account, profiles, run, preview } = await exportOf('refusals', 30);
  const unsubscribed = at(profiles, 3);
  const excluded = at(profiles, 7);
  account.unsubscribeAsContact(String(unsubscribed.attributes.Email), 7);
  account.exclude(String(excluded.attributes.Email));

  const first = await run();
  expect(first).toMatchObject({ sentCount: 30, exportedCount: 28, failedCount: 1, skippedCount: 1 });
  expect(first.rejects.nodes).toEqual(
    expect.arrayContaining([
      { customerId: unsubscribed.customerId, reason: 'UNSUBSCRIBED' },
      { customerId: excluded.customerId, reason: 'NOT_CREATED' },
    ]),
  );
  // The lookups are documented calls: a contact by email, then its lists.
  const paths = account.requests().map((r) => `${r.method} ${r.path}`);
  expect(paths).toContain('GET /api/3/contacts');
  expect(paths.some((p) => /^GET \/api\/3\/contacts\/[0-9]+\/contactLists$/.test(p))).toBe(true);

  // Unchanged: the unsubscribed one is not sent again, the excluded one is retried.
  const received = account.contactsReceived();
  const second = await run();
  expect(second).toMatchObject({ sentCount: 1, failedCount: 1, skippedCount: 0, unchangedCount: 29 });
  expect(second.rejects.nodes).toEqual([{ customerId: excluded.customerId, reason: 'NOT_CREATED' }]);
  expect(account.contactsReceived()).toBe(received + 1);

  const third = await run();
  expect(third).toMatchObject({ sentCount: 1, failedCount: 0, skippedCount: 1 });
  expect(third.rejects.nodes).toEqual([{ customerId: excluded.customerId, reason: 'REFUSED_REPEATEDLY' }]);

  const fourth = await run();
  expect(fourth).toMatchObject({ sentCount: 0, failedCount: 0, skippedCount: 0, unchangedCount: 30 });
  expect(account.contactsReceived()).toBe(received + 2);
  expect(await preview()).toEqual({ adds: 0, updates: 0, skipped: 2 });

  // Changed data is sent again: the unsubscribed one is refused again, the excluded one starts over.
  await insertProfiles(stack.outbound.sql, [
    { ...excluded, attributes: { ...excluded.attributes, FirstName: 'Changed' } },
    { ...unsubscribed, attributes: { ...unsubscribed.attributes, FirstName: 'Changed' } },
  ]);
  const fifth = await run();
  expect(fifth).toMatchObject({ sentCount: 2, failedCount: 1, skippedCount: 1 });
  expect(fifth.rejects.nodes).toEqual(
    expect.arrayContaining([
      { customerId: unsubscribed.customerId, reason: 'UNSUBSCRIBED' },
      { customerId: excluded.customerId, reason: 'NOT_CREATED' },
    ]),
  );
  expect(account.resubscriptionsOfSelfUnsubscribed()).toBe(0);
});

test('an import that fails as a whole because of one contact is split until that contact alone fails', async () => {
  const { account, profiles, run } = await exportOf('split', 30);
  const culprit = at(profiles, 11);
  account.failImportsContaining(String(culprit.attributes.Email));

  const first = await run();
  expect(first).toMatchObject({ sentCount: 30, exportedCount: 29, failedCount: 1, skippedCount: 0 });
  expect(first.rejects.nodes).toEqual([{ customerId: culprit.customerId, reason: 'IMPORT_FAILED_ALONE' }]);
  const members = account.listMembers(7).map((m) => m.email.toLowerCase());
  expect(members).toHaveLength(29);
  expect(members).not.toContain(String(culprit.attributes.Email).toLowerCase());

  // Retried alone on the next runs; skipped after its third failure.
  const second = await run();
  expect(second).toMatchObject({ sentCount: 1, exportedCount: 0, failedCount: 1 });
  const third = await run();
  expect(third.rejects.nodes).toEqual([{ customerId: culprit.customerId, reason: 'REFUSED_REPEATEDLY' }]);
});
