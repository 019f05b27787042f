import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import {
  insertProfiles,
  makeProfiles,
  type ProfileFixture,
  runExport,
  setUpExport,
} from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
let fake: FakeActiveCampaign;
let outbound: Outbound;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

const runQuery = `query($id: ID!) { exportRun(id: $id) {
  sentCount exportedCount failedCount skippedCount unchangedCount totalProfiles
  rejects { nodes { customerId reason } } } }`;

test('a self-unsubscribed and an excluded contact are skipped with reasons, and an unchanged second run does not send them', async () => {
  const apiKey = 'refusals-key';
  const account = fake.addAccount({ apiKeys: [apiKey], lists: [7] });
  const profiles: ProfileFixture[] = makeProfiles(30, { prefix: 'r' }).map((p) => ({
    ...p,
    attributes: { ...p.attributes, Member: 'refusals' },
  }));
  await insertProfiles(outbound.sql, profiles);
  const unsubscribed = profiles[3];
  const excluded = profiles[7];
  if (!unsubscribed || !excluded) throw new Error('fixtures');
  account.unsubscribeAsContact(String(unsubscribed.attributes.Email), 7);
  account.exclude(String(excluded.attributes.Email));
  const ids = await setUpExport(outbound, fake, {
    apiKey,
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: 'refusals' }] },
  });
  const run = async () => {
    const finished = await waitForRun(outbound, await runExport(outbound, ids.exportId), {
      timeoutMs: 120_000,
    });
    return (await outbound.gql(runQuery, { id: finished.id })).exportRun;
  };

  const first = await run();
  expect(first).toMatchObject({ sentCount: 30, exportedCount: 28, failedCount: 0, skippedCount: 2 });
  expect(first.sentCount).toBe(first.exportedCount + first.failedCount + first.skippedCount);
  expect(first.rejects.nodes).toEqual(
    expect.arrayContaining([
      { customerId: unsubscribed.customerId, reason: 'UNSUBSCRIBED' },
      { customerId: excluded.customerId, reason: 'EXCLUDED' },
    ]),
  );

  const { previewExport } = await outbound.gql(
    `query($id: ID!) { previewExport(id: $id) { adds updates skipped } }`,
    {
      id: ids.exportId,
    },
  );
  expect(previewExport).toEqual({ adds: 0, updates: 0, skipped: 2 });

  const received = account.contactsReceived();
  const second = await run();
  expect(second).toMatchObject({ sentCount: 0, skippedCount: 0, failedCount: 0, unchangedCount: 30 });
  expect(account.contactsReceived()).toBe(received);

  // Changed data is sent again (and refused again).
  await insertProfiles(outbound.sql, [
    { ...excluded, attributes: { ...excluded.attributes, FirstName: 'Changed' } },
  ]);
  const third = await run();
  expect(third).toMatchObject({ sentCount: 1, skippedCount: 1 });
  expect(account.contactsReceived()).toBe(received + 1);
});
