import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../fake-activecampaign/index.ts';
import { type ProfileFixture, insertProfiles, makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
let fake: FakeActiveCampaign;
let outbound: Outbound;
let keys = 0;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

/** A fresh account on the fake and an export of the profiles whose `Member` attribute is "yes". */
async function exportOf(prefix: string, count: number, onLeave: 'KEEP' | 'UNSUBSCRIBE' = 'KEEP') {
  const apiKey = `incremental-key-${++keys}`;
  const account = fake.addAccount({ apiKeys: [apiKey], lists: [7] });
  const profiles: ProfileFixture[] = makeProfiles(count, { prefix }).map((p) => ({
    ...p,
    attributes: { ...p.attributes, Member: prefix },
  }));
  await insertProfiles(outbound.sql, profiles);
  const ids = await setUpExport(outbound, fake, {
    apiKey,
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: prefix }] },
    onLeave,
  });
  const run = async () => waitForRun(outbound, await runExport(outbound, ids.exportId), { timeoutMs: 180_000 });
  const refresh = () => outbound.gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, { id: ids.segmentId });
  return { ...ids, account, profiles, run, refresh };
}

const counts = `{ exportRun(id: $id) { addedCount updatedCount unchangedCount leaverCount unsubscribedCount } }`;

async function changeCounts(runId: string) {
  const { exportRun } = await outbound.gql(`query($id: ID!) ${counts}`, { id: runId });
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
    expect(second).toMatchObject({ status: 'SUCCEEDED', sentCount: 0, exportedCount: 0, totalProfiles: 20_000 });
    expect(await changeCounts(second.id)).toMatchObject({ addedCount: 0, updatedCount: 0, unchangedCount: 20_000 });
    expect(exp.account.contactsReceived()).toBe(received);

    const changed: ProfileFixture[] = exp.profiles.filter((_, i) => i % 200 === 0).map((p) => ({
      ...p,
      attributes: { ...p.attributes, FirstName: `Renamed ${p.customerId}` },
    }));
    expect(changed).toHaveLength(100);
    await insertProfiles(outbound.sql, changed);
    const third = await exp.run();
    expect(third).toMatchObject({ status: 'SUCCEEDED', sentCount: 100, exportedCount: 100 });
    expect(await changeCounts(third.id)).toMatchObject({ addedCount: 0, updatedCount: 100, unchangedCount: 19_900 });
    expect(exp.account.contactsReceived()).toBe(received + 100);
    const renamed = exp.account.listMembers(7).filter((m) => m.firstName.startsWith('Renamed'));
    expect(renamed.map((m) => m.email).sort()).toEqual(changed.map((p) => String(p.attributes.Email)).sort());
  });

  test('leavers are unsubscribed under UNSUBSCRIBE, but never someone who unsubscribed themselves', async () => {
    const exp = await exportOf('l', 1_000, 'UNSUBSCRIBE');
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const leaving = exp.profiles.slice(0, 50);
    const selfUnsubscribed = exp.profiles[500] as (typeof exp.profiles)[number];
    exp.account.unsubscribeAsContact(String(selfUnsubscribed.attributes.Email), 7);
    await insertProfiles(
      outbound.sql,
      [...leaving, selfUnsubscribed].map((p) => ({ ...p, attributes: { ...p.attributes, Member: 'gone' } })),
    );
    await exp.refresh();

    const run = await exp.run();
    expect(run.status).toBe('SUCCEEDED');
    expect(await changeCounts(run.id)).toMatchObject({ leaverCount: 51, unsubscribedCount: 50 });
    const status = new Map(exp.account.listMembers(7).map((m) => [m.email, m]));
    for (const p of leaving) expect(status.get(String(p.attributes.Email))?.status).toBe('unsubscribed');
    expect(status.get(String(selfUnsubscribed.attributes.Email))).toMatchObject({ status: 'unsubscribed', unsubscribedBy: 'contact' });
    expect([...status.values()].filter((m) => m.status === 'subscribed')).toHaveLength(949);
    expect(exp.account.resubscriptionsOfSelfUnsubscribed()).toBe(0);

    // Back in the segment: pushed again, but never re-subscribed.
    await insertProfiles(outbound.sql, [selfUnsubscribed]);
    await exp.refresh();
    expect((await exp.run()).status).toBe('SUCCEEDED');
    expect(exp.account.listMembers(7).find((m) => m.email === selfUnsubscribed.attributes.Email)?.status).toBe('unsubscribed');
    expect(exp.account.resubscriptionsOfSelfUnsubscribed()).toBe(0);
  });

  test('leavers stay subscribed under KEEP, and are counted', async () => {
    const exp = await exportOf('k', 1_000, 'KEEP');
    expect((await exp.run()).status).toBe('SUCCEEDED');
    await insertProfiles(
      outbound.sql,
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
      outbound.sql,
      exp.profiles.slice(0, 21).map((p) => ({ ...p, attributes: { ...p.attributes, Member: 'gone' } })),
    );
    await exp.refresh();
    const requestsBefore = exp.account.requests().length;
    const run = await exp.run();
    expect(run.status).toBe('FAILED');
    expect(run.error).toContain('21 of the 200');
    expect(run.error).toContain('10%');
    expect(exp.account.requests().slice(requestsBefore).map((r) => r.path)).toEqual(['/api/3/users/me', '/api/3/lists/7']);
    expect(exp.account.listMembers(7).filter((m) => m.status === 'subscribed')).toHaveLength(200);
  });

  test('a profile whose email changed updates its existing contact instead of creating a second one', async () => {
    const exp = await exportOf('e', 10);
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const [moved] = exp.profiles;
    if (!moved) throw new Error('no profile');
    await insertProfiles(outbound.sql, [{ ...moved, attributes: { ...moved.attributes, Email: 'moved.address@example.com' } }]);
    expect((await exp.run()).status).toBe('SUCCEEDED');
    const emails = exp.account.listMembers(7).map((m) => m.email);
    expect(emails).toHaveLength(10);
    expect(emails).toContain('moved.address@example.com');
    expect(emails).not.toContain(moved.attributes.Email);
    expect(exp.account.contactCount()).toBe(10);
  });
});
