import { describe, expect, test } from 'vitest';
import { importsAfter } from '../support/fake-requests.ts';
import {
  exportNewProfiles,
  insertProfiles,
  makeProfiles,
  type ProfileFixture,
  runExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
const stack = withFakeAndOutbound(scale);

/** A fresh account on the fake and an export of the profiles whose `Member` attribute is `prefix`. */
async function exportOf(prefix: string, count: number, onLeave: 'KEEP' | 'UNSUBSCRIBE' = 'KEEP') {
  const { account, profiles, ...ids } = await exportNewProfiles(stack.outbound, stack.fake, {
    prefix,
    count,
    onLeave,
    byRule: true,
  });
  const run = async () =>
    waitForRun(stack.outbound, await runExport(stack.outbound, ids.exportId), { timeoutMs: 180_000 });
  const refresh = () =>
    stack.outbound.gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, {
      id: ids.segmentId,
    });
  return { ...ids, account, profiles, run, refresh };
}

const counts = `{ exportRun(id: $id) { addedCount updatedCount unchangedCount leaverCount unsubscribedCount } }`;

async function changeCounts(runId: string) {
  const { exportRun } = await stack.outbound.gql(`query($id: ID!) ${counts}`, { id: runId });
  return exportRun;
}

describe('incremental mirror sync', () => {
  test('a second run of an unchanged segment sends no contact; 100 changed profiles send exactly those', async () => {
    const exp = await exportOf('u', 20_000);
    const first = await exp.run();
    expect(first).toMatchObject({ status: 'SUCCEEDED', exportedCount: 20_000, sentCount: 20_000 });
    expect(exp.account.listMembers(7)).toHaveLength(20_000);

    const received = exp.account.contactsReceived();
    const second = await exp.run();
    expect(second).toMatchObject({
      status: 'SUCCEEDED',
      sentCount: 0,
      exportedCount: 0,
      totalProfiles: 20_000,
    });
    expect(await changeCounts(second.id)).toMatchObject({
      addedCount: 0,
      updatedCount: 0,
      unchangedCount: 20_000,
    });
    expect(exp.account.contactsReceived()).toBe(received);

    const changed: ProfileFixture[] = exp.profiles
      .filter((_, i) => i % 200 === 0)
      .map((p) => ({
        ...p,
        attributes: { ...p.attributes, FirstName: `Renamed ${p.customerId}` },
      }));
    expect(changed).toHaveLength(100);
    await insertProfiles(stack.outbound.sql, changed);
    const requestsBefore = exp.account.requests().length;
    const third = await exp.run();
    expect(third).toMatchObject({ status: 'SUCCEEDED', sentCount: 100, exportedCount: 100 });
    // Spread over ten read batches, they still go out together.
    expect(importsAfter(exp.account, requestsBefore)).toBe(1);
    expect(await changeCounts(third.id)).toMatchObject({
      addedCount: 0,
      updatedCount: 100,
      unchangedCount: 19_900,
    });
    expect(exp.account.contactsReceived()).toBe(received + 100);
    const renamed = exp.account.listMembers(7).filter((m) => m.firstName.startsWith('Renamed'));
    expect(renamed.map((m) => m.email).sort()).toEqual(changed.map((p) => String(p.attributes.Email)).sort());
  });

  test('300 changes spread over 5,000 members go out as 2 full imports, not one per read batch', async () => {
    const exp = await exportOf('sp', 5_000);
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const changed: ProfileFixture[] = exp.profiles
      .filter((_, i) => i % 50 === 7 || i % 50 === 31 || i % 50 === 44)
      .map((p) => ({ ...p, attributes: { ...p.attributes, LastName: `Moved ${p.customerId}` } }));
    expect(changed).toHaveLength(300);
    await insertProfiles(stack.outbound.sql, changed);
    const requestsBefore = exp.account.requests().length;
    const received = exp.account.contactsReceived();

    const run = await exp.run();
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      sentCount: 300,
      exportedCount: 300,
      totalProfiles: 5_000,
    });
    expect(await changeCounts(run.id)).toMatchObject({ updatedCount: 300, unchangedCount: 4_700 });
    expect(importsAfter(exp.account, requestsBefore)).toBe(2);
    expect(exp.account.contactsReceived()).toBe(received + 300);
    const moved = exp.account.listMembers(7).filter((m) => m.lastName.startsWith('Moved'));
    expect(moved.map((m) => m.email).sort()).toEqual(changed.map((p) => String(p.attributes.Email)).sort());
    expect(exp.account.listMembers(7)).toHaveLength(5_000);
  });

  test('leavers are unsubscribed under UNSUBSCRIBE, but never someone who unsubscribed themselves', async () => {
    const exp = await exportOf('l', 1_000, 'UNSUBSCRIBE');
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const leaving = exp.profiles.slice(0, 50);
    const selfUnsubscribed = exp.profiles[500] as (typeof exp.profiles)[number];
    exp.account.unsubscribeAsContact(String(selfUnsubscribed.attributes.Email), 7);
    await insertProfiles(
      stack.outbound.sql,
      [...leaving, selfUnsubscribed].map((p) => ({ ...p, attributes: { ...p.attributes, Member: 'gone' } })),
    );
    await exp.refresh();

    const run = await exp.run();
    expect(run.status).toBe('SUCCEEDED');
    expect(await changeCounts(run.id)).toMatchObject({ leaverCount: 51, unsubscribedCount: 50 });
    const status = new Map(exp.account.listMembers(7).map((m) => [m.email, m]));
    for (const p of leaving) expect(status.get(String(p.attributes.Email))?.status).toBe('unsubscribed');
    expect(status.get(String(selfUnsubscribed.attributes.Email))).toMatchObject({
      status: 'unsubscribed',
      unsubscribedBy: 'contact',
    });
    expect([...status.values()].filter((m) => m.status === 'subscribed')).toHaveLength(949);
    expect(exp.account.resubscriptionsOfSelfUnsubscribed()).toBe(0);

    // Back in the segment: pushed again, but never re-subscribed.
    await insertProfiles(stack.outbound.sql, [selfUnsubscribed]);
    await exp.refresh();
    expect((await exp.run()).status).toBe('SUCCEEDED');
    expect(
      exp.account.listMembers(7).find((m) => m.email === selfUnsubscribed.attributes.Email)?.status,
    ).toBe('unsubscribed');
    expect(exp.account.resubscriptionsOfSelfUnsubscribed()).toBe(0);
  });

  test('a leaver whose email a member now has is not unsubscribed: the contact is the member’s', async () => {
    const exp = await exportOf('s', 40, 'UNSUBSCRIBE');
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const [leaver, movedAway] = exp.profiles;
    if (!leaver || !movedAway) throw new Error('two profiles expected');
    const sharedEmail = String(leaver.attributes.Email);
    const takenEmail = String(movedAway.attributes.Email);
    const [heir] = makeProfiles(1, { prefix: 's-heir' });
    if (!heir) throw new Error('no profile');
    await insertProfiles(stack.outbound.sql, [
      // Leaves the segment, keeping its email; a new member has the same one.
      { ...leaver, attributes: { ...leaver.attributes, Member: 'gone' } },
      { ...heir, attributes: { ...heir.attributes, Member: 's', Email: sharedEmail } },
      // Leaves with a new email; a member that stays takes the old one over.
      {
        ...movedAway,
        attributes: { ...movedAway.attributes, Member: 'gone', Email: 'elsewhere@example.com' },
      },
      {
        ...(exp.profiles[2] as ProfileFixture),
        attributes: { ...exp.profiles[2]?.attributes, Email: takenEmail },
      },
    ]);
    await exp.refresh();

    const run = await exp.run();
    expect(run.status).toBe('SUCCEEDED');
    expect(await changeCounts(run.id)).toMatchObject({ leaverCount: 2, unsubscribedCount: 0 });
    const status = new Map(exp.account.listMembers(7).map((m) => [m.email, m.status]));
    expect(status.get(sharedEmail)).toBe('subscribed');
    expect(status.get(takenEmail)).toBe('subscribed');
  });

  test('leavers stay subscribed under KEEP, and are counted', async () => {
    const exp = await exportOf('k', 1_000, 'KEEP');
    expect((await exp.run()).status).toBe('SUCCEEDED');
    await insertProfiles(
      stack.outbound.sql,
      exp.profiles.slice(0, 50).map((p) => ({ ...p, attributes: { ...p.attributes, Member: 'gone' } })),
    );
    await exp.refresh();
    const run = await exp.run();
    expect(run.status).toBe('SUCCEEDED');
    expect(await changeCounts(run.id)).toMatchObject({ leaverCount: 50, unsubscribedCount: 0 });
    expect(exp.account.listMembers(7).filter((m) => m.status === 'subscribed')).toHaveLength(1_000);
  });

  test('the mass-removal guard stops a run that would unsubscribe over 10% before changing anything', async () => {
    const exp = await exportOf('g', 200, 'UNSUBSCRIBE');
    expect((await exp.run()).status).toBe('SUCCEEDED');
    await insertProfiles(
      stack.outbound.sql,
      exp.profiles.slice(0, 21).map((p) => ({ ...p, attributes: { ...p.attributes, Member: 'gone' } })),
    );
    await exp.refresh();
    const requestsBefore = exp.account.requests().length;
    const run = await exp.run();
    expect(run.status).toBe('FAILED');
    expect(run.error).toContain('21 of the 200');
    expect(run.error).toContain('10%');
    expect(
      exp.account
        .requests()
        .slice(requestsBefore)
        .map((r) => r.path),
    ).toEqual(['/api/3/users/me', '/api/3/lists/7']);
    expect(exp.account.listMembers(7).filter((m) => m.status === 'subscribed')).toHaveLength(200);

    const { runExport } = await stack.outbound.gql(
      `mutation($id: ID!) { runExport(id: $id, confirmMassUnsubscribe: true) { id } }`,
      {
        id: exp.exportId,
      },
    );
    const confirmed = await waitForRun(stack.outbound, runExport.id);
    expect(confirmed.status).toBe('SUCCEEDED');
    expect(await changeCounts(confirmed.id)).toMatchObject({ leaverCount: 21, unsubscribedCount: 21 });
    expect(exp.account.listMembers(7).filter((m) => m.status === 'subscribed')).toHaveLength(179);
  });

  test('the dry run predicts the run that follows it, without touching ActiveCampaign', async () => {
    const exp = await exportOf('p', 1_200, 'UNSUBSCRIBE');
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const broken = exp.profiles
      .slice(0, 30)
      .map((p) => ({ ...p, attributes: { ...p.attributes, Email: 'not-an-email' } }));
    const changed = exp.profiles
      .slice(30, 130)
      .map((p) => ({ ...p, attributes: { ...p.attributes, LastName: 'Changed' } }));
    const leaving = exp.profiles
      .slice(130, 190)
      .map((p) => ({ ...p, attributes: { ...p.attributes, Member: 'gone' } }));
    const added = makeProfiles(70, { prefix: 'pnew' }).map((p) => ({
      ...p,
      attributes: { ...p.attributes, Member: 'p' },
    }));
    await insertProfiles(stack.outbound.sql, [...broken, ...changed, ...leaving, ...added]);
    await exp.refresh();

    const requestsBefore = exp.account.requests().length;
    const { previewExport } = await stack.outbound.gql(
      `query($id: ID!) { previewExport(id: $id) { totalProfiles adds updates unchanged leavers rejects
        rejectSamples { customerId reason } bulkImports etaSeconds } }`,
      { id: exp.exportId },
    );
    expect(exp.account.requests()).toHaveLength(requestsBefore);
    expect(previewExport).toMatchObject({
      totalProfiles: 1_210,
      adds: 70,
      updates: 100,
      unchanged: 1_010,
      leavers: 60,
      rejects: 30,
    });
    expect(previewExport.rejectSamples).toHaveLength(30);
    expect(previewExport.rejectSamples[0]).toEqual({
      customerId: broken[0]?.customerId,
      reason: 'INVALID_EMAIL',
    });
    expect(previewExport.etaSeconds).toBeGreaterThan(0);

    const run = await exp.run();
    expect(run).toMatchObject({ status: 'SUCCEEDED', totalProfiles: 1_210, rejectedCount: 30 });
    expect(await changeCounts(run.id)).toMatchObject({
      addedCount: previewExport.adds,
      updatedCount: previewExport.updates,
      unchangedCount: previewExport.unchanged,
      leaverCount: previewExport.leavers,
    });
  });

  test('contacts of imports an ended run never checked are sent again by the next run', async () => {
    const exp = await exportOf('n', 2_000);
    // Two imports ActiveCampaign never finishes: the run waits on them until it is cancelled.
    exp.account.setFaults({ stuckBatches: 2 });
    const runId = await runExport(stack.outbound, exp.exportId);
    await waitForRun(stack.outbound, runId, { until: (run) => run.sentCount === 2_000 });
    await stack.outbound.gql(`mutation($id: ID!) { cancelExportRun(id: $id) { id } }`, { id: runId });
    expect((await waitForRun(stack.outbound, runId)).status).toBe('CANCELLED');
    expect(exp.account.listMembers(7)).toHaveLength(1_500);

    exp.account.setFaults({});
    // Every import the cancelled run had not seen finish is sent again (the poller waited on the stuck
    // oldest, so none of them was checked): re-sending is harmless, losing the stuck 500 is not.
    const next = await exp.run();
    expect(next).toMatchObject({ status: 'SUCCEEDED', sentCount: 2_000, exportedCount: 2_000 });
    expect(exp.account.listMembers(7)).toHaveLength(2_000);
  });

  test('fullResync pushes every member again', async () => {
    const exp = await exportOf('r', 500);
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const { runExport } = await stack.outbound.gql(
      `mutation($id: ID!) { runExport(id: $id, fullResync: true) { id } }`,
      {
        id: exp.exportId,
      },
    );
    const run = await waitForRun(stack.outbound, runExport.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', sentCount: 500, exportedCount: 500 });
    expect(await changeCounts(run.id)).toMatchObject({ updatedCount: 500, unchangedCount: 0 });
    expect(exp.account.contactsReceived()).toBe(1_000);
  });

  test('a profile whose email changed updates its existing contact instead of creating a second one', async () => {
    const exp = await exportOf('e', 10);
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const [moved] = exp.profiles;
    if (!moved) throw new Error('no profile');
    await insertProfiles(stack.outbound.sql, [
      { ...moved, attributes: { ...moved.attributes, Email: 'moved.address@example.com' } },
    ]);
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const emails = exp.account.listMembers(7).map((m) => m.email);
    expect(emails).toHaveLength(10);
    expect(emails).toContain('moved.address@example.com');
    expect(emails).not.toContain(moved.attributes.Email);
    expect(exp.account.contactCount()).toBe(10);
  });
});
