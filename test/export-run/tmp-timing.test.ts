import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../fake-activecampaign/index.ts';
import { insertProfiles, makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';

let fake: FakeActiveCampaign;
let outbound: Outbound;
beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale: 60, accounts: [{ apiKeys: ['timing-key-1'], lists: [7] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 60 });
});
afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

test('timing', async () => {
  const profiles = makeProfiles(20_000);
  await insertProfiles(outbound.sql, profiles);
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey: 'timing-key-1',
    rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] },
  });
  const t0 = Date.now();
  const run = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 180_000 });
  console.log('run took', Date.now() - t0, run.status);
  const reqs = fake.account('timing-key-1').requests();
  const byPath = new Map<string, number>();
  for (const r of reqs) byPath.set(`${r.path} ${r.status}`, (byPath.get(`${r.path} ${r.status}`) ?? 0) + 1);
  console.log(byPath, 'first', reqs[0]?.at! - t0, 'last', reqs.at(-1)?.at! - t0);
  const bulk = reqs.filter((r) => r.path.endsWith('bulk_import'));
  const gaps = bulk.slice(1).map((r, i) => r.at - bulk[i]!.at);
  gaps.sort((a, b) => a - b);
  console.log(
    'bulk gaps p50',
    gaps[gaps.length >> 1],
    'p90',
    gaps[Math.floor(gaps.length * 0.9)],
    'max',
    gaps.at(-1),
    'durations',
    bulk
      .map((b) => b.durationMs)
      .sort((a, b) => a - b)
      .at(-1),
  );
  const rows = await outbound.sql`select seq, accepted_at, completed_at from run_batches order by seq`;
  console.log(rows.slice(0, 3), rows.slice(-2));
  const [r] = await outbound.sql`select snapshot from export_runs`;
  const snap = r!.snapshot[0];
  await outbound.sql`analyze export_contacts`;
  await outbound.sql`analyze segment_members`;
  const plan = await outbound.sql.unsafe(
    `explain analyze update export_contacts ec set state = 'left' where ec.export_id = '${exportId}' and ec.state = 'member' and not (exists (select 1 from segment_members sm where sm.segment_id = '${snap.segmentId}' and sm.generation = ${snap.generation} and sm.customer_id = ec.customer_id))`,
  );
  console.log(plan.map((p: any) => p['QUERY PLAN']).join('\n'));
  const handle = outbound.deps.temporal.workflow.getHandle(`export-${exportId}`);
  const history = await handle.fetchHistory();
  for (const e of history.events ?? [])
    console.log(
      Number(e.eventTime?.seconds) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6) - t0,
      e.eventType,
      e.activityTaskScheduledEventAttributes?.activityType?.name ?? '',
    );
  expect(run.status).toBe('SUCCEEDED');
});
