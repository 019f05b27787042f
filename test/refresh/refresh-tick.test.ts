import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRefreshActivities } from '../../activities/refresh.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import type { RefreshWorkflowResult } from '../../workflows/refresh-workflow.ts';
import { makeProfiles, type ProfileFixture, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import { type ScheduleApi, uniqueScheduleId, withScheduleId } from './schedule-api.ts';

const key = 'refresh-tick-key-0001';
const slowKey = 'refresh-tick-slow-key-0001';
const profiles = makeProfiles(7);
const [p1, p2, p3, p4, p5, p6, p7] = profiles as [
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
  ProfileFixture,
];
const emailOf = (...ps: typeof profiles) => ps.map((p) => String(p.attributes.Email)).sort();

let fake: FakeActiveCampaign;
let outbound: Outbound;
let schedule: ScheduleApi;
const exportIds: Record<'hu' | 'pair' | 'off' | 'slow', string> = { hu: '', pair: '', off: '', slow: '' };

beforeAll(async () => {
  fake = await startFakeActiveCampaign({
    scale: 20,
    accounts: [
      { apiKeys: [key], lists: [7, 8, 9] },
      { apiKeys: [slowKey], lists: [7] },
    ],
  });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 20 });
  schedule = withScheduleId(outbound, uniqueScheduleId('tick'));
  await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, {
    p: profiles.slice(0, 6),
  });
  // Country is HU for odd numbers; Tier is gold for every third.
  exportIds.hu = (
    await setUpExport(outbound, fake, {
      apiKey: key,
      listId: '7',
      name: 'HU',
      rule: { all: [{ attribute: 'Country', op: 'EQ', value: 'HU' }] },
    })
  ).exportId;
  exportIds.pair = (
    await setUpExport(outbound, fake, {
      apiKey: key,
      listId: '8',
      name: 'Pair',
      customerIds: [p2.customerId, p4.customerId],
    })
  ).exportId;
  exportIds.off = (
    await setUpExport(outbound, fake, {
      apiKey: key,
      listId: '9',
      name: 'Disabled',
      rule: { any: [{ attribute: 'Tier', op: 'EQ', value: 'gold' }] },
    })
  ).exportId;
  await outbound.gql(
    `mutation($id: ID!) { updateExport(id: $id, input: { enabled: false }) { id enabled } }`,
    {
      id: exportIds.off,
    },
  );
});

afterAll(async () => {
  await schedule?.delete();
  await outbound?.close();
  await fake?.close();
});

type RunRow = {
  id: string;
  exportId: string;
  trigger: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
};

async function runsOf(exportId: string): Promise<RunRow[]> {
  return outbound.sql<RunRow[]>`
    select id, export_id as "exportId", trigger, status, created_at as "createdAt", finished_at as "finishedAt"
    from export_runs where export_id = ${exportId} order by created_at`;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const listEmails = (apiKey: string, listId: number) =>
  fake
    .account(apiKey)
    .listMembers(listId)
    .filter((m) => m.status === 'subscribed')
    .map((m) => m.email)
    .sort();

/** Starts a refresh workflow directly (not through the schedule) on this test's worker and waits for it. */
function runRefreshDirectly(maxConcurrentExports: number): Promise<RefreshWorkflowResult> {
  return outbound.deps.temporal.workflow.execute('refreshWorkflow', {
    taskQueue: outbound.config.taskQueue,
    workflowId: `refresh-direct-${Math.random().toString(36).slice(2, 10)}`,
    args: [{ maxConcurrentExports, timeLimitMs: 120_000 }],
  });
}

// One schedule's life, in order: its ticks are counted (refreshWorkflow(n) is the n-th action, a skipped
// overlap is the second), and the later refreshes count the slow export and the broken segment the
// earlier steps added. Shuffling would test a different story, so this file keeps its order.
describe('the scheduled refresh', { shuffle: false }, () => {
  test('a tick refreshes every segment, then runs every enabled export (SCHEDULED) and no disabled one', async () => {
    // A new HU profile after the segment was created: only a segment refresh brings it in.
    await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, { p: [p7] });
    expect(await outbound.sql`select 1 from export_runs`).toHaveLength(0);

    expect(await schedule.gql('mutation { triggerRefresh }')).toEqual({ triggerRefresh: true });
    const refresh = await schedule.refreshWorkflow(0);
    expect(await refresh.result()).toEqual({ segments: 3, failedSegments: 0, started: 2, skipped: 0 });

    const hu = await runsOf(exportIds.hu);
    const pair = await runsOf(exportIds.pair);
    expect(hu.map((r) => [r.trigger, r.status])).toEqual([['SCHEDULED', 'SUCCEEDED']]);
    expect(pair.map((r) => [r.trigger, r.status])).toEqual([['SCHEDULED', 'SUCCEEDED']]);
    expect(await runsOf(exportIds.off)).toEqual([]);
    const [huRun] =
      await outbound.sql`select total_profiles, exported_count from export_runs where id = ${hu[0]?.id as string}`;
    expect(huRun).toEqual({ total_profiles: 4, exported_count: 4 });

    expect(listEmails(key, 7)).toEqual(emailOf(p1, p3, p5, p7));
    expect(listEmails(key, 8)).toEqual(emailOf(p2, p4));
    expect(listEmails(key, 9)).toEqual([]);

    const { segments } = await outbound.gql<{
      segments: { nodes: Array<{ name: string; memberCount: number; refreshedAt: string }> };
    }>('{ segments { nodes { name memberCount refreshedAt } } }');
    expect(Object.fromEntries(segments.nodes.map((s) => [s.name, s.memberCount]))).toEqual({
      'HU segment': 4,
      'Pair segment': 2,
      'Disabled segment': 2,
    });
  });

  test('a tick while the refresh still runs is skipped, not queued, and a running export is not doubled', async () => {
    exportIds.slow = (
      await setUpExport(outbound, fake, {
        apiKey: slowKey,
        listId: '7',
        name: 'Slow',
        customerIds: [p6.customerId],
      })
    ).exportId;
    // Every request of the slow account takes seconds: its run stays RUNNING while the test looks.
    fake.account(slowKey).setFaults({ latencyMs: 2_500 });

    await schedule.gql('mutation { triggerRefresh }');
    const first = await schedule.refreshWorkflow(1);
    const [slowRun] = await until('the slow run to start', async () => {
      const runs = await runsOf(exportIds.slow);
      return runs.some((r) => r.status === 'RUNNING') && runs;
    });

    // The refresh waits for its runs, so it is still running: this tick must be skipped.
    await schedule.gql('mutation { triggerRefresh }');
    const described = await until('the second tick to be skipped', async () => {
      const d = await schedule.handle().describe();
      return d.info.numActionsSkippedOverlap >= 1 && d;
    });
    expect(described.info.numActionsSkippedOverlap).toBe(1);
    expect(described.info.recentActions).toHaveLength(2);
    expect(described.info.runningActions.map((a) => a.workflow.workflowId)).toEqual([first.workflowId]);

    // A refresh that is not a tick of this schedule (say, one started by hand) skips the running export.
    const direct = await runRefreshDirectly(4);
    expect(direct.skipped).toBeGreaterThanOrEqual(1);
    expect(direct.started + direct.skipped).toBe(3);
    expect((await runsOf(exportIds.slow)).map((r) => r.id)).toEqual([slowRun?.id]);

    fake.account(slowKey).setFaults({});
    expect(await first.result()).toEqual({ segments: 4, failedSegments: 0, started: 3, skipped: 0 });
    expect((await runsOf(exportIds.slow)).map((r) => [r.trigger, r.status])).toEqual([
      ['SCHEDULED', 'SUCCEEDED'],
    ]);
    expect(listEmails(slowKey, 7)).toEqual(emailOf(p6));
    expect(fake.account(slowKey).listMembers(7)[0]?.firstName).toBe(p6.attributes.FirstName);
    expect((await schedule.handle().describe()).info.recentActions).toHaveLength(2);
  });

  test('a tick skips an export whose on-demand run is still going', async () => {
    // A changed profile gives the run something to send; with the latency that keeps it going for seconds.
    await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, {
      p: [{ ...p6, attributes: { ...p6.attributes, FirstName: 'Renamed' } }],
    });
    fake.account(slowKey).setFaults({ latencyMs: 2_500 });
    const onDemandId = await runExport(outbound, exportIds.slow);
    await waitForRun(outbound, onDemandId, { until: (run) => run.status === 'RUNNING' });

    await schedule.gql('mutation { triggerRefresh }');
    const tick = await schedule.refreshWorkflow(2);
    expect(await tick.result()).toEqual({ segments: 4, failedSegments: 0, started: 2, skipped: 1 });
    expect((await runsOf(exportIds.off)).length).toBe(0);

    fake.account(slowKey).setFaults({});
    expect((await waitForRun(outbound, onDemandId)).status).toBe('SUCCEEDED');
    expect((await runsOf(exportIds.slow)).map((r) => [r.trigger, r.status])).toEqual([
      ['SCHEDULED', 'SUCCEEDED'],
      ['ON_DEMAND', 'SUCCEEDED'],
    ]);
    expect(fake.account(slowKey).listMembers(7)[0]?.firstName).toBe('Renamed');
  });

  test('at most maxConcurrentExports run at once, and a segment with a broken stored rule does not stop the refresh', async () => {
    await outbound.sql`insert into segments (name, rule) values ('Broken', ${JSON.stringify({ all: [] })}::jsonb)`;
    const startedAt = new Date();
    const result = await runRefreshDirectly(1);
    expect(result).toEqual({ segments: 4, failedSegments: 1, started: 3, skipped: 0 });

    const runs = await outbound.sql<RunRow[]>`
      select id, export_id as "exportId", trigger, status, created_at as "createdAt", finished_at as "finishedAt"
      from export_runs where created_at >= ${startedAt.toISOString()}::timestamptz order by created_at`;
    expect(runs.map((r) => [r.trigger, r.status])).toEqual(Array(3).fill(['SCHEDULED', 'SUCCEEDED']));
    expect(new Set(runs.map((r) => r.exportId))).toEqual(
      new Set([exportIds.hu, exportIds.pair, exportIds.slow]),
    );
    // One at a time: each run was reserved only after the one before it finished.
    for (let i = 1; i < runs.length; i++) {
      const previousFinished = new Date((runs[i - 1] as RunRow).finishedAt ?? Number.NaN).getTime();
      expect(new Date((runs[i] as RunRow).createdAt).getTime()).toBeGreaterThanOrEqual(previousFinished);
    }
  });

  test('a refresh whose history grows long continues as new and runs every export exactly once', async () => {
    const startedAt = new Date();
    const refresh = await outbound.deps.temporal.workflow.start('refreshWorkflow', {
      taskQueue: outbound.config.taskQueue,
      workflowId: `refresh-long-${Math.random().toString(36).slice(2, 10)}`,
      // A page of one export and a budget of a few dozen events: a new run every export or two.
      args: [
        {
          maxConcurrentExports: 2,
          timeLimitMs: 120_000,
          exportsPerPage: 1,
          historyEventsBeforeContinueAsNew: 30,
        },
      ],
    });
    expect(await refresh.result()).toEqual({ segments: 4, failedSegments: 1, started: 3, skipped: 0 });

    const described = await refresh.describe();
    expect(described.runId).not.toBe(refresh.firstExecutionRunId);
    const runs = await outbound.sql<RunRow[]>`
      select id, export_id as "exportId", trigger, status, created_at as "createdAt", finished_at as "finishedAt"
      from export_runs where created_at >= ${startedAt.toISOString()}::timestamptz order by export_id`;
    expect(runs.map((r) => [r.exportId, r.trigger, r.status])).toEqual(
      [exportIds.hu, exportIds.pair, exportIds.slow].sort().map((id) => [id, 'SCHEDULED', 'SUCCEEDED']),
    );
  });

  test('reserving a scheduled run is safe to retry and frees an export whose run was lost', async () => {
    const { reserveScheduledRun } = createRefreshActivities({
      db: outbound.database.db,
      sql: outbound.sql,
      temporal: outbound.deps.temporal,
      segmentRefreshTimeLimitMs: outbound.config.segmentRefreshTimeLimitMs,
    });
    const runId = randomUUID();
    expect(await reserveScheduledRun({ exportId: exportIds.hu, runId })).toEqual({ runId });
    // The retry of an attempt whose completion was lost finds its own run instead of skipping the export.
    expect(await reserveScheduledRun({ exportId: exportIds.hu, runId })).toEqual({ runId });
    const active =
      await outbound.sql`select id, trigger from export_runs where export_id = ${exportIds.hu} and status = 'QUEUED'`;
    expect(active).toEqual([{ id: runId, trigger: 'SCHEDULED' }]);

    // Someone else's fresh reservation (its workflow may be starting right now) is respected.
    expect(await reserveScheduledRun({ exportId: exportIds.hu, runId: randomUUID() })).toBeNull();
    // A reservation whose workflow never came is abandoned after a minute, and the export runs again.
    await outbound.sql`update export_runs set created_at = now() - interval '2 minutes' where id = ${runId}`;
    const next = randomUUID();
    expect(await reserveScheduledRun({ exportId: exportIds.hu, runId: next })).toEqual({ runId: next });
    const [lost] = await outbound.sql`select status from export_runs where id = ${runId}`;
    expect(lost?.status).toBe('FAILED');

    // Disabled exports are never reserved, even when a refresh listed them before they were disabled.
    const offRun = randomUUID();
    expect(await reserveScheduledRun({ exportId: exportIds.off, runId: offRun })).toBeNull();
    expect(await runsOf(exportIds.off)).toEqual([]);
    await outbound.sql`delete from export_runs where id = ${next}`;
  });
});
