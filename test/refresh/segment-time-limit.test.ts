import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import type { RefreshWorkflowResult } from '../../workflows/refresh-workflow.ts';
import { makeProfiles, type ProfileFixture, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { lockRows } from '../support/row-locks.ts';

const key = 'segment-time-limit-key-0001';
const [p1, p2, p3, p4, p5] = makeProfiles(5) as [
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
];
const emailOf = (...ps: ProfileFixture[]) => ps.map((p) => String(p.attributes.Email)).sort();

let fake: FakeActiveCampaign;
let outbound: Outbound;
const held = { exportId: '', segmentId: '' };
const fresh = { exportId: '', segmentId: '' };

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale: 20, accounts: [{ apiKeys: [key], lists: [7, 8] }] });
  // Two seconds per segment refresh: a segment held longer than that is given up.
  outbound = await startOutbound({
    insecureHosts: [fake.host],
    rateScale: 20,
    segmentRefreshTimeLimitMs: 2_000,
  });
  await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, {
    p: [p1, p2, p3, p4],
  });
  // Created first, so the refresh comes to it before the other. Country is HU for odd numbers, AT for even.
  Object.assign(
    held,
    await setUpExport(outbound, fake, {
      apiKey: key,
      listId: '7',
      name: 'Held',
      rule: { all: [{ attribute: 'Country', op: 'EQ', value: 'AT' }] },
    }),
  );
  Object.assign(
    fresh,
    await setUpExport(outbound, fake, {
      apiKey: key,
      listId: '8',
      name: 'Fresh',
      rule: { all: [{ attribute: 'Country', op: 'EQ', value: 'HU' }] },
    }),
  );
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const runStatuses = async (exportId: string) =>
  (
    await outbound.sql<{ status: string }[]>`select status from export_runs where export_id = ${exportId}`
  ).map((r) => r.status);

const listEmails = (listId: number) =>
  fake
    .account(key)
    .listMembers(listId)
    .filter((m) => m.status === 'subscribed')
    .map((m) => m.email)
    .sort();

describe('the scheduled refresh gives each segment a time budget', () => {
  test('a segment whose refresh runs past its budget is reported failed; the others refresh and every export still starts', async () => {
    // A new HU profile: only a refresh of the fresh segment brings it in.
    await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, { p: [p5] });
    const [heldBefore] = await outbound.sql`select generation from segments where id = ${held.segmentId}`;

    // Another transaction holds the segment's row: its refresh waits, past its two seconds.
    const hold = await lockRows(outbound.sql, 'segments', [held.segmentId]);

    let refresh: Promise<RefreshWorkflowResult> | undefined;
    try {
      refresh = outbound.deps.temporal.workflow.execute('refreshWorkflow', {
        taskQueue: outbound.config.taskQueue,
        workflowId: `refresh-time-limit-${Math.random().toString(36).slice(2, 10)}`,
        args: [{ maxConcurrentExports: 2, timeLimitMs: 120_000 }],
      });
      // Before the budget the refresh waited for the held segment and no export ever started.
      await until('the fresh export to have run', async () =>
        (await runStatuses(fresh.exportId)).includes('SUCCEEDED'),
      );
    } finally {
      // The held export's run pins its segment's rows too, so it finishes once they are released.
      await hold.release();
    }

    expect(await refresh).toEqual({ segments: 1, failedSegments: 1, started: 2, skipped: 0 });
    expect(listEmails(8)).toEqual(emailOf(p1, p3, p5));
    // The held segment kept its membership, and its export ran with it.
    expect(await outbound.sql`select generation from segments where id = ${held.segmentId}`).toEqual([
      heldBefore,
    ]);
    expect(await runStatuses(held.exportId)).toEqual(['SUCCEEDED']);
    expect(listEmails(7)).toEqual(emailOf(p2, p4));
  });
});
