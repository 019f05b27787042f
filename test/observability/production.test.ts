import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { withAdminSql } from '../support/database.ts';
import { makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import { startWorkerProcess, type WorkerProcess, workerEnv } from '../support/worker-process.ts';

const apiKey = 'observability-key-0001';
const profiles = makeProfiles(12, { invalidEvery: 4 });
let fake: FakeActiveCampaign;
let outbound: Outbound;
let worker: WorkerProcess;
let workerUrl: string;
const workerOutput: string[] = [];

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale: 20, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  // The worker is the real entry point (`npm run start:worker`), with its HTTP port and JSON logs.
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 20, worker: false });
  const port = await freePort();
  workerUrl = `http://127.0.0.1:${port}`;
  worker = await startWorkerProcess({
    ...workerEnv(outbound.config),
    OUTBOUND_WORKER_HTTP_PORT: String(port),
    OUTBOUND_LOG_LEVEL: 'debug',
  });
  const collect = (chunk: Buffer) => workerOutput.push(chunk.toString());
  worker.process.stdout?.on('data', collect);
  worker.process.stderr?.on('data', collect);
});

afterAll(async () => {
  await worker?.kill();
  await outbound?.close();
  await fake?.close();
});

const api = (path: string, init?: RequestInit) =>
  outbound.api.fetch(new Request(`http://outbound.test${path}`, init));
const workerGet = (path: string) => fetch(`${workerUrl}${path}`);

/** The value of one series of a Prometheus text exposition, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function readiness(get: (path: string) => Promise<Response>) {
  const response = await get('/readyz');
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Polls until `get('/readyz')` answers `status`, for up to 20 s. */
async function untilReadiness(get: (path: string) => Promise<Response>, status: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await readiness(get);
    if (result.status === status || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a run shows in the metrics of the worker and the API, and its logs are JSON without personal data', async () => {
  await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, { p: profiles });
  const { exportId } = await setUpExport(outbound, fake, {
    apiKey,
    customerIds: profiles.map((p) => p.customerId),
  });
  const first = await waitForRun(outbound, await runExport(outbound, exportId));
  expect(first).toMatchObject({ status: 'SUCCEEDED', exportedCount: 9, rejectedCount: 3 });
  const second = await waitForRun(outbound, await runExport(outbound, exportId));
  expect(second.status).toBe('SUCCEEDED');

  const named = await api('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
    body: JSON.stringify({
      query: `query RunStatus($id: ID!) { exportRun(id: $id) { status } }`,
      variables: { id: first.id },
    }),
  });
  expect(named.status).toBe(200);
  // An operation name is client-chosen text: one that could carry data is not a label.
  await api('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
    body: JSON.stringify({ query: `query { viewer { email } }`, operationName: 'person1.c@example.com' }),
  });

  const workerMetrics = await (await workerGet('/metrics')).text();
  expect(sample(workerMetrics, 'outbound_runs_started_total{trigger="ON_DEMAND"}')).toBe(2);
  expect(sample(workerMetrics, 'outbound_runs_finished_total{status="SUCCEEDED",trigger="ON_DEMAND"}')).toBe(
    2,
  );
  expect(sample(workerMetrics, 'outbound_contacts_total{outcome="sent"}')).toBe(9);
  expect(sample(workerMetrics, 'outbound_contacts_total{outcome="rejected"}')).toBe(6); // 3 a run
  expect(sample(workerMetrics, 'outbound_contacts_total{outcome="skipped"}')).toBe(9); // the unchanged re-run
  expect(
    sample(
      workerMetrics,
      'outbound_activecampaign_requests_total{method="POST",route="/api/3/import/bulk_import",status="200"}',
    ),
  ).toBe(1);
  expect(
    sample(
      workerMetrics,
      'outbound_activecampaign_requests_total{method="GET",route="/api/3/lists/:id",status="200"}',
    ),
  ).toBe(2);
  expect(sample(workerMetrics, 'outbound_limiter_wait_seconds_count{kind="bulk"}')).toBe(1);
  expect(sample(workerMetrics, 'outbound_import_completion_seconds_count')).toBe(1);
  expect(sample(workerMetrics, 'outbound_push_contacts_per_second')).toBeGreaterThan(0);
  // The Temporal SDK's own worker metrics, from its Prometheus exporter.
  expect(workerMetrics).toMatch(/^temporal_activity_execution_latency_count\{.*activity_type="pushPage"/m);
  expect(workerMetrics).toMatch(/^temporal_workflow_completed_total\{/m);

  const apiMetrics = await (await api('/metrics')).text();
  expect(sample(apiMetrics, 'outbound_api_request_duration_seconds_count{operation="RunStatus"}')).toBe(1);
  expect(sample(apiMetrics, 'outbound_api_request_duration_seconds_count{operation="other"}')).toBe(1);
  expect(apiMetrics).toMatch(/^outbound_api_request_duration_seconds_count\{operation="anonymous"\} \d+/m);
  for (const text of [workerMetrics, apiMetrics]) {
    expect(text).not.toContain('@');
    expect(text).not.toContain(apiKey);
  }

  const lines = workerOutput.join('').split('\n').filter(Boolean);
  const entries = lines.map((line) => {
    expect(() => JSON.parse(line), line).not.toThrow();
    return JSON.parse(line) as Record<string, unknown>;
  });
  for (const entry of entries) {
    expect(entry).toMatchObject({
      level: expect.any(String),
      time: expect.any(String),
      component: expect.any(String),
    });
  }
  expect(entries.some((e) => e.runId === first.id && e.exportId === exportId)).toBe(true);
  expect(entries.some((e) => e.component === 'temporal' && e.exportId === exportId)).toBe(true);
  const logs = lines.join('\n');
  for (const { attributes } of profiles) {
    for (const value of [attributes.Email, attributes.FirstName, attributes.LastName, attributes.Phone]) {
      expect(logs).not.toContain(String(value));
    }
  }
  expect(logs).not.toContain(apiKey);
  expect(logs).not.toContain('@example');
});

test('/healthz answers, and /readyz turns 503 while Postgres is unreachable and 200 when it is back', async () => {
  expect((await api('/healthz')).status).toBe(200);
  expect((await workerGet('/healthz')).status).toBe(200);
  for (const get of [api, workerGet]) {
    expect(await readiness(get)).toEqual({
      status: 200,
      body: {
        status: 'ready',
        checks: { postgres: { ok: true }, migrations: { ok: true }, temporal: { ok: true } },
      },
    });
  }

  // The test's own database stops taking connections and loses the ones it had.
  const database = new URL(outbound.config.databaseUrl).pathname.slice(1);
  await withAdminSql(async (sql) => {
    await sql.unsafe(`alter database ${database} allow_connections false`);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database}`;
  });
  try {
    for (const get of [api, workerGet]) {
      const down = await untilReadiness(get, 503);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        status: 'unavailable',
        checks: { postgres: { ok: false }, temporal: { ok: true } },
      });
    }
    expect((await workerGet('/healthz')).status).toBe(200);
  } finally {
    await withAdminSql((sql) => sql.unsafe(`alter database ${database} allow_connections true`));
  }
  for (const get of [api, workerGet]) expect((await untilReadiness(get, 200)).status).toBe(200);
});

test('/readyz is 503 while the database lacks a committed migration', async () => {
  const [newest] = await outbound.sql<[{ id: number; hash: string; created_at: string }]>`
    delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)
    returning id, hash, created_at`;
  try {
    for (const get of [api, workerGet]) {
      expect(await readiness(get)).toMatchObject({
        status: 503,
        body: { checks: { postgres: { ok: true }, migrations: { ok: false }, temporal: { ok: true } } },
      });
    }
  } finally {
    await outbound.sql`
      insert into drizzle.__drizzle_migrations (id, hash, created_at)
      values (${newest.id}, ${newest.hash}, ${newest.created_at})`;
  }
  for (const get of [api, workerGet]) expect((await readiness(get)).status).toBe(200);
});
