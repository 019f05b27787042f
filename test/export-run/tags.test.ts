import { expect, test } from 'vitest';
import {
  exportNewProfiles,
  insertProfiles,
  type ProfileFixture,
  runExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { waitForRun } from '../support/runs.ts';

const scale = 60;
const stack = withFakeAndOutbound(scale);

const update = `mutation($id: ID!, $input: UpdateExportInput!) {
  updateExport(id: $id, input: $input) { tags excludeAutomations onLeave } }`;

test('contacts arrive with the export’s tags; a leaver under REMOVE_TAGS loses them and stays subscribed', async () => {
  const { apiKey, account, profiles, ...ids } = await exportNewProfiles(stack.outbound, stack.fake, {
    prefix: 'tags',
    count: 12,
    byRule: true,
  });
  await expect(
    stack.outbound.gql(update, { id: ids.exportId, input: { tags: ['bad,tag'] } }),
  ).rejects.toThrow(/comma/);
  const { updateExport } = await stack.outbound.gql(update, {
    id: ids.exportId,
    input: { tags: ['Newsletter', 'spring-2026'], excludeAutomations: true, onLeave: 'REMOVE_TAGS' },
  });
  expect(updateExport).toEqual({
    tags: ['Newsletter', 'spring-2026'],
    excludeAutomations: true,
    onLeave: 'REMOVE_TAGS',
  });
  // One of the tags exists already: it is used, not created again.
  await fetch(`${stack.fake.url}/api/3/tags`, {
    method: 'POST',
    headers: { 'Api-Token': apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tag: { tag: 'newsletter', tagType: 'contact', description: '' } }),
  });

  const run = async () =>
    waitForRun(stack.outbound, await runExport(stack.outbound, ids.exportId), { timeoutMs: 120_000 });
  expect((await run()).status).toBe('SUCCEEDED');
  for (const p of profiles)
    expect(account.contactTags(String(p.attributes.Email))).toEqual(['newsletter', 'spring-2026']);
  expect(account.importAutomationFlags().length).toBeGreaterThan(0);
  expect(account.importAutomationFlags().every((flag) => flag)).toBe(true);

  const leaver = profiles[2] as ProfileFixture;
  await insertProfiles(stack.outbound.sql, [
    { ...leaver, attributes: { ...leaver.attributes, Member: 'gone' } },
  ]);
  await stack.outbound.gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, {
    id: ids.segmentId,
  });
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
