import { beforeEach, expect, test } from 'vitest';
import {
  insertProfiles,
  makeProfiles,
  newAccount,
  type ProfileFixture,
  runExport,
  setUpExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { holdAtFirstImport, waitForRun } from '../support/runs.ts';

const scale = 20;
const stack = withFakeAndOutbound(scale);

// The segments' rules match whatever profiles exist: each test starts without any.
beforeEach(async () => {
  await stack.outbound.sql`truncate profiles, segments, connections cascade`;
});

const emails = (profiles: ProfileFixture[]) => profiles.map((p) => String(p.attributes.Email)).sort();

async function segment(name: string, rule: unknown): Promise<string> {
  const { createSegment } = await stack.outbound.gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
    { input: { name, rule } },
  );
  return createSegment.id;
}

/** An export of these segments on an account of its own. */
async function exportOf(segmentIds: string[]) {
  const { apiKey, account } = newAccount(stack.fake);
  const { exportId } = await setUpExport(stack.outbound, stack.fake, { apiKey, name: 'Union', segmentIds });
  return { exportId, account };
}

test('an export of overlapping segments sends their union, each contact once', async () => {
  const profiles = makeProfiles(12, { prefix: 'u' });
  await insertProfiles(stack.outbound.sql, profiles);
  const ids = (from: number, to: number) => profiles.slice(from - 1, to).map((p) => p.customerId);
  // 1–6 and 4–9 overlap; 2–3 lies inside the first; the HU rule (odd numbers) overlaps all of them.
  const segments = [
    await segment('One to six', { customerIds: ids(1, 6) }),
    await segment('Four to nine', { customerIds: ids(4, 9) }),
    await segment('Two and three', { customerIds: ids(2, 3) }),
    await segment('HU among the first ten', {
      all: [
        { attribute: 'Country', op: 'EQ', value: 'HU' },
        { attribute: 'FirstName', op: 'IN', value: ['First1', 'First3', 'First11'] },
      ],
    }),
  ];
  const { exportId, account } = await exportOf(segments);
  const run = await waitForRun(stack.outbound, await runExport(stack.outbound, exportId));
  const union = [...profiles.slice(0, 9), profiles[10] as ProfileFixture];
  expect(run).toMatchObject({ status: 'SUCCEEDED', totalProfiles: 10, exportedCount: 10, rejectedCount: 0 });
  expect(account.listMembers(7).map((m) => m.email)).toEqual(emails(union));
  // Each contact went to ActiveCampaign once, not once per segment it is in.
  expect(account.contactsReceived()).toBe(10);
});

test('a segment refreshed while its export runs does not change what that run sends', async () => {
  // More than two read-ahead batches (2,000 rows each): the run reads its last rows after the refresh.
  const profiles = makeProfiles(6_000, { prefix: 'g' }).map((p) => ({
    ...p,
    attributes: { ...p.attributes, Group: 'in' },
  }));
  await insertProfiles(stack.outbound.sql, profiles);
  const segmentId = await segment('Group in', { attribute: 'Group', op: 'EQ', value: 'in' });
  const { exportId, account } = await exportOf([segmentId]);
  const [{ generation: pinned }] = await stack.outbound.sql<[{ generation: number }]>`
    select generation from segments where id = ${segmentId}`;

  account.holdRequests();
  let runId: string;
  try {
    runId = await runExport(stack.outbound, exportId);
    // The run has pinned its generation and its first request waits at the account.
    await holdAtFirstImport(account);
    // Meanwhile half the members leave and newcomers join; the segment is refreshed.
    const leaving = profiles
      .slice(3_000)
      .map((p) => ({ ...p, attributes: { ...p.attributes, Group: 'out' } }));
    const joining = makeProfiles(500, { prefix: 'n' }).map((p) => ({
      ...p,
      attributes: { ...p.attributes, Group: 'in' },
    }));
    await insertProfiles(stack.outbound.sql, [...leaving, ...joining]);
    const { refreshSegment } = await stack.outbound.gql(
      `mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`,
      { id: segmentId },
    );
    expect(refreshSegment.memberCount).toBe(3_500);
    const [{ generation }] = await stack.outbound.sql<[{ generation: number }]>`
      select generation from segments where id = ${segmentId}`;
    expect(generation).toBeGreaterThan(pinned);
  } finally {
    account.releaseRequests();
  }
  const run = await waitForRun(stack.outbound, runId);
  expect(run).toMatchObject({ status: 'SUCCEEDED', totalProfiles: 6_000, exportedCount: 6_000 });
  expect(account.listMembers(7).map((m) => m.email)).toEqual(emails(profiles));
});
