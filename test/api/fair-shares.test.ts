import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { connectionMutation, insertProfiles, makeProfiles } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { readRun, waitForRun } from '../support/runs.ts';
import { cancelRunDoc, expectNothingWritten, expectRejected, runExportDoc } from './helpers.ts';

const scale = 20;
const caps = { perConnection: 2, perUser: 3 };
let fake: FakeActiveCampaign;
let outbound: Outbound;
let keys = 0;
const profiles = makeProfiles(5, { prefix: 'fair' });

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale });
  // As few activity slots as the account's runs may hold, plus one: any more runs on the account
  // would take the last slot and leave another account's run QUEUED behind them (issue 30, row 6).
  outbound = await startOutbound({
    insecureHosts: [fake.host],
    rateScale: scale,
    activeRunCaps: caps,
    workerMaxActivities: caps.perConnection + 1,
  });
  await insertProfiles(outbound.sql, profiles);
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

/** An account of its own with one connection, and `exports` exports of the same segment on it. */
async function account(exports: number) {
  const apiKey = `fair-key-${++keys}-abcdef`;
  const fakeAccount = fake.addAccount({ apiKeys: [apiKey], lists: [7] });
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: { displayName: `Account ${keys}`, apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  const { createSegment } = await outbound.gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
    { input: { name: `Fair ${keys}`, rule: { customerIds: profiles.map((p) => p.customerId) } } },
  );
  const exportIds: string[] = [];
  for (let i = 1; i <= exports; i++) {
    const { createExport } = await outbound.gql(
      `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
      {
        input: {
          name: `Fair ${keys}.${i}`,
          connectionId: createConnection.id,
          listId: '7',
          segmentIds: [createSegment.id],
          mapping: { email: 'Email', firstName: 'FirstName' },
        },
      },
    );
    exportIds.push(createExport.id);
  }
  return { account: fakeAccount, exportIds };
}

const startRun = async (exportId: string) =>
  (await outbound.gql(runExportDoc, { id: exportId })).runExport.id as string;

/** Runs whose imports never finish: each stays RUNNING (in awaitImports, holding a slot) until cancelled. */
async function stuckRuns(exportIds: string[]) {
  const runIds: string[] = [];
  for (const id of exportIds) runIds.push(await startRun(id));
  for (const id of runIds) await waitForRun(outbound, id, { until: (run) => run.sentCount === 5 });
  return runIds;
}

async function cancelAll(runIds: string[]) {
  for (const id of runIds) await outbound.gql(cancelRunDoc, { id });
  for (const id of runIds) expect((await waitForRun(outbound, id)).status).toBe('CANCELLED');
}

describe('fair shares of the workers', () => {
  test('a saturated connection refuses one more run (TOO_MANY_REQUESTS naming the cap); another account’s run finishes meanwhile', async () => {
    const busy = await account(caps.perConnection + 1);
    busy.account.setFaults({ stuckBatches: caps.perConnection });
    const running = await stuckRuns(busy.exportIds.slice(0, caps.perConnection));

    const refused = await expectNothingWritten(outbound, () =>
      outbound.graphql(runExportDoc, { id: busy.exportIds[caps.perConnection] }),
    );
    expectRejected(refused, {
      code: 'TOO_MANY_REQUESTS',
      message: `Export "Fair ${keys}.3" cannot start now: its connection already has 2 runs queued or running, the cap (OUTBOUND_MAX_ACTIVE_RUNS_PER_CONNECTION=2). Start it when one of them has finished.`,
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      cap: 'OUTBOUND_MAX_ACTIVE_RUNS_PER_CONNECTION',
      limit: 2,
    });

    const other = await account(1);
    const small = await waitForRun(outbound, await startRun(other.exportIds[0] as string));
    expect(small).toMatchObject({ status: 'SUCCEEDED', exportedCount: 5 });
    expect(other.account.listMembers(7)).toHaveLength(5);
    for (const id of running) expect((await readRun(outbound, id)).status).toBe('RUNNING');

    await cancelAll(running);
    // Room again: the refused export runs now.
    busy.account.setFaults({});
    const later = await waitForRun(outbound, await startRun(busy.exportIds[caps.perConnection] as string));
    expect(later.status).toBe('SUCCEEDED');
  });

  test('a user with runs on several connections reaches the per-user cap', async () => {
    const accounts = [await account(1), await account(1), await account(1), await account(1)];
    for (const a of accounts) a.account.setFaults({ stuckBatches: 1 });
    const firstIds = accounts.slice(0, caps.perUser).map((a) => a.exportIds[0] as string);
    const runIds: string[] = [];
    for (const id of firstIds) runIds.push(await startRun(id));
    const refused = await outbound.graphql(runExportDoc, { id: accounts[caps.perUser]?.exportIds[0] });
    expectRejected(refused, {
      code: 'TOO_MANY_REQUESTS',
      message: /you already have 3 runs queued or running, the cap \(OUTBOUND_MAX_ACTIVE_RUNS_PER_USER=3\)/,
    });
    await cancelAll(runIds);
  });

  test('previewExport is priced as the dry run it is: two in one request, not three (QUERY_TOO_COSTLY)', async () => {
    const { exportIds } = await account(1);
    const previews = (count: number) =>
      `query($id: ID!) { ${Array.from({ length: count }, (_, i) => `p${i}: previewExport(id: $id) { totalProfiles adds }`).join(' ')} }`;
    const two = await outbound.gql(previews(2), { id: exportIds[0] });
    expect(two).toEqual({ p0: { totalProfiles: 5, adds: 5 }, p1: { totalProfiles: 5, adds: 5 } });
    const three = await outbound.graphql(previews(3), { id: exportIds[0] });
    expect(three.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(three.data).toBeUndefined();
  });
});
