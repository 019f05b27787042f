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

const update = `mutation($id: ID!, $input: UpdateExportInput!) {
  updateExport(id: $id, input: $input) { tags excludeAutomations onLeave } }`;

test('contacts arrive with the export’s tags; a leaver under REMOVE_TAGS loses them and stays subscribed', async () => {
  const apiKey = 'tags-key';
  const account = fake.addAccount({ apiKeys: [apiKey], lists: [7] });
  const profiles: ProfileFixture[] = makeProfiles(12, { prefix: 't' }).map((p) => ({
    ...p,
    attributes: { ...p.attributes, Member: 'tags' },
  }));
  await insertProfiles(outbound.sql, profiles);
  const ids = await setUpExport(outbound, fake, {
    apiKey,
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: 'tags' }] },
  });
  await expect(outbound.gql(update, { id: ids.exportId, input: { tags: ['bad,tag'] } })).rejects.toThrow(
    /comma/,
  );
  const { updateExport } = await outbound.gql(update, {
    id: ids.exportId,
    input: { tags: ['Newsletter', 'spring-2026'], excludeAutomations: true, onLeave: 'REMOVE_TAGS' },
  });
  expect(updateExport).toEqual({
    tags: ['Newsletter', 'spring-2026'],
    excludeAutomations: true,
    onLeave: 'REMOVE_TAGS',
  });
  // One of the tags exists already: it is used, not created again.
  await fetch(`${fake.url}/api/3/tags`, {
    method: 'POST',
    headers: { 'Api-Token': apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tag: { tag: 'newsletter', tagType: 'contact', description: '' } }),
  });

  const run = async () =>
    waitForRun(outbound, await runExport(outbound, ids.exportId), { timeoutMs: 120_000 });
  expect((await run()).status).toBe('SUCCEEDED');
  for (const p of profiles)
    expect(account.contactTags(String(p.attributes.Email))).toEqual(['newsletter', 'spring-2026']);
  expect(account.importAutomationFlags().length).toBeGreaterThan(0);
  expect(account.importAutomationFlags().every((flag) => flag)).toBe(true);

  const leaver = profiles[2] as ProfileFixture;
  await insertProfiles(outbound.sql, [{ ...leaver, attributes: { ...leaver.attributes, Member: 'gone' } }]);
  await outbound.gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, { id: ids.segmentId });
  expect((await run()).status).toBe('SUCCEEDED');
  const email = String(leaver.attributes.Email);
  expect(account.contactTags(email)).toEqual([]);
  expect(account.listMembers(7).find((m) => m.email === email)?.status).toBe('subscribed');
  const stayer = String((profiles[3] as ProfileFixture).attributes.Email);
  expect(account.contactTags(stayer)).toEqual(['newsletter', 'spring-2026']);
  // The test's own 'newsletter', and 'spring-2026' once by the first run: the second found both.
  const createdTags = account.requests().filter((r) => r.method === 'POST' && r.path === '/api/3/tags');
  expect(createdTags).toHaveLength(2);
});
