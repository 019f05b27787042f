import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-cli.ts';
import { insertProfiles, makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import { startWorkerProcess, type WorkerProcess, workerEnv } from '../support/worker-process.ts';

const scale = 5;
const apiKey = 'temporal-restart-key-1';
const profiles = makeProfiles(10_000);
let fake: FakeActiveCampaign;
let temporal: TemporalDevServer;
let outbound: Outbound;
let worker: WorkerProcess | undefined;
let port: number;
const dbFile = join(mkdtempSync(join(tmpdir(), 'outbound-temporal-')), 'temporal.db');

beforeAll(async () => {
  port = await freePort();
  temporal = await startTemporalDevServer({ port, dbFile });
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({
    insecureHosts: [fake.host],
    rateScale: scale,
    worker: false,
    temporalAddress: temporal.address,
  });
  await insertProfiles(outbound.sql, profiles);
});

afterAll(async () => {
  await worker?.kill();
  await outbound?.close();
  await fake?.close();
  await temporal?.stop();
});

test('the Temporal server restarting mid-run does not stop the run from completing exactly', async () => {
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey,
    customerIds: profiles.map((p) => p.customerId),
  });
  worker = await startWorkerProcess(workerEnv(outbound.config));
  const runId = await runExport(outbound, exportId);
  await waitForRun(outbound, runId, { until: (run) => run.sentCount >= 2_000 });

  await temporal.stop();
  await new Promise((r) => setTimeout(r, 1_000));
  temporal = await startTemporalDevServer({ port, dbFile });

  const run = await waitForRun(outbound, runId, { timeoutMs: 240_000 });
  expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 10_000, totalProfiles: 10_000 });
  const emails = fake
    .account(apiKey)
    .listMembers(7)
    .map((m) => m.email);
  expect(emails).toEqual(profiles.map((p) => String(p.attributes.Email)).sort());
});
