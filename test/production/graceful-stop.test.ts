import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxContactsPerImport } from '../../core/export-run/chunk-plan.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-cli.ts';
import { apiEnv, exitCodeOf, startApiProcess } from '../support/api-process.ts';
import { withAdminSql } from '../support/database.ts';
import { insertProfiles, makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { readRun, waitForRun } from '../support/runs.ts';
import { startWorkerProcess, workerEnv } from '../support/worker-process.ts';

// ≈ 8 bulk imports a second: a push of 20,000 outlasts a stopping worker's 5 s of grace.
const scale = 5;
const apiKey = 'graceful-stop-key-0001';
// The first test's run stays active (it has no worker) until the second test's workers take it up: it
// sends to an account of its own, so the second test counts only its own contacts.
const apiTestKey = 'graceful-stop-api-key-0001';
const profiles = makeProfiles(20_000);
let fake: FakeActiveCampaign;
// A Temporal server of this file's own: the last test stops it.
let temporal: TemporalDevServer;
let outbound: Outbound;

beforeAll(async () => {
  temporal = await startTemporalDevServer({ port: await freePort() });
  fake = await startFakeActiveCampaign({
    scale,
    accounts: [
      { apiKeys: [apiKey], lists: [7] },
      { apiKeys: [apiTestKey], lists: [8] },
    ],
  });
  outbound = await startOutbound({
    insecureHosts: [fake.host],
    rateScale: scale,
    worker: false,
    temporalAddress: temporal.address,
  });
  await insertProfiles(outbound.sql, profiles);
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
  await temporal?.stop();
});

/** Resolves once a new connection to `url` is refused. */
async function untilRefused(url: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const refused = await fetch(`${url}/healthz`, { headers: { connection: 'close' } }).then(
      () => false,
      () => true,
    );
    if (refused) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} still accepts connections`);
}

// The last test takes Temporal and Postgres away from this file's stack: the order is the scenario.
describe('graceful stop', { shuffle: false }, () => {
  test('on SIGTERM the API refuses new connections, ends subscriptions, answers the request in flight and exits 0', async () => {
    const { exportId } = await setUpExport(outbound, fake, {
      apiKey: apiTestKey,
      name: 'Stop API',
      listId: '8',
      customerIds: ['c0000001'],
    });
    // No worker: the run stays active, and its progress stream open.
    const runId = await runExport(outbound, exportId);
    const api = await startApiProcess(apiEnv(outbound.config, await freePort()));
    const exited = exitCodeOf(api);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` };

    const stream = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, accept: 'text/event-stream' },
      body: JSON.stringify({
        query: 'subscription($id: ID!) { exportRunProgress(id: $id) { id status } }',
        variables: { id: runId },
      }),
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let events = '';
    while (!events.includes('data:')) events += decoder.decode((await reader.read()).value);

    // A request in flight: its body half sent when the signal comes.
    const body = JSON.stringify({ query: '{ viewer { role } }' });
    const inFlight = request(`${api.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    const answer = new Promise<{ status?: number; text: string }>((resolve, reject) => {
      inFlight.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, text }));
      });
      inFlight.on('error', reject);
    });
    inFlight.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 200));

    api.process.kill('SIGTERM');
    await untilRefused(api.url);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      events += decoder.decode(value);
    }
    expect(events).toContain(runId);
    expect(events).toContain('event: complete');

    inFlight.end(body.slice(10));
    expect(await answer).toEqual({
      status: 200,
      text: JSON.stringify({ data: { viewer: { role: 'ADMIN' } } }),
    });
    expect(await exited).toBe(0);
  });

  test('SIGTERM during a push: the worker hands over and exits 0, the other finishes with the exact list', async () => {
    const account = fake.account(apiKey);
    const { exportId } = await setUpExport(outbound, fake, {
      apiKey,
      rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] },
    });
    const stopping = await startWorkerProcess(workerEnv(outbound.config));
    const exited = exitCodeOf(stopping);
    const runId = await runExport(outbound, exportId);
    await waitForRun(outbound, runId, { until: (run) => run.sentCount >= 1_000 });
    // The push waits at the fake's gate while the second worker boots and the first stops, so the hand-over
    // happens mid-push however slow the machine is.
    account.holdRequests();
    await account.heldRequests(1);
    const other = await startWorkerProcess(workerEnv(outbound.config));
    try {
      stopping.process.kill('SIGTERM');
      expect(await exited).toBe(0);
      // It stopped before the run ended: the other worker carries on from where the push was.
      expect((await readRun(outbound, runId)).status).toBe('RUNNING');
      account.releaseRequests();
      const run = await waitForRun(outbound, runId, { timeoutMs: 180_000 });
      expect(run).toMatchObject({ status: 'SUCCEEDED', totalProfiles: 20_000, exportedCount: 20_000 });
    } finally {
      account.releaseRequests();
      await other.kill();
    }
    const emails = account.listMembers(7).map((m) => m.email);
    expect(emails).toEqual(profiles.map((p) => String(p.attributes.Email)).sort());
    // Only the import in flight at the hand-over is sent twice.
    expect(account.contactsReceived() - 20_000).toBeLessThanOrEqual(maxContactsPerImport);
  });

  test('with Temporal and Postgres gone, SIGTERM still stops the API and the worker', async () => {
    const api = await startApiProcess(apiEnv(outbound.config, await freePort()));
    const worker = await startWorkerProcess(workerEnv(outbound.config));
    const exits = [exitCodeOf(api), exitCodeOf(worker)];
    await temporal.stop();
    const database = new URL(outbound.config.databaseUrl).pathname.slice(1);
    await withAdminSql(async (sql) => {
      await sql.unsafe(`alter database ${database} allow_connections false`);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database}`;
    });
    try {
      api.process.kill('SIGTERM');
      worker.process.kill('SIGTERM');
      // Both within their stated bound (docs/operations.md, "Stopping and starting"); the test only waits generously.
      const codes = await Promise.race([
        Promise.all(exits),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('still running after 90 s')), 90_000),
        ),
      ]);
      expect(codes).toEqual([0, 0]);
    } finally {
      await withAdminSql((sql) => sql.unsafe(`alter database ${database} allow_connections true`));
      await api.kill('SIGKILL');
      await worker.kill('SIGKILL');
    }
  });
});
