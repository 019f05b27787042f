import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';

const apiKey = 'thin-slice-key-0001';
let fake: FakeActiveCampaign;
let outbound: Outbound;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale: 20, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 20 });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

test('one export travels from GraphQL through Temporal to the ActiveCampaign list', async () => {
  const profiles = makeProfiles(5);
  const upserted = await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, {
    p: profiles,
  });
  expect(upserted.upsertProfiles).toBe(5);
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey,
    customerIds: profiles.map((p) => p.customerId),
  });

  const runId = await runExport(outbound, exportId);
  const run = await waitForRun(outbound, runId);

  expect(run).toMatchObject({
    status: 'SUCCEEDED',
    totalProfiles: 5,
    exportedCount: 5,
    rejectedCount: 0,
    failedCount: 0,
    workflowId: `export-${exportId}`,
    error: null,
  });
  const members = fake.account(apiKey).listMembers(7);
  expect(members.map((m) => [m.email, m.firstName, m.lastName, m.status])).toEqual(
    profiles.map((p) => [p.attributes.Email, p.attributes.FirstName, p.attributes.LastName, 'subscribed']),
  );
});
