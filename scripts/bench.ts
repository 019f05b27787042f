/**
 * npm run bench -- --profiles N [--scale S] [--unthrottled] [--skip-latency] [--latency-seconds 10]
 * Seeds N profiles, exports them to the fake ActiveCampaign (its limits S× faster) through the real
 * API, worker and Temporal, re-runs the unchanged export, measures API latency, and prints one JSON
 * line last.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { generateSecretKey } from '../core/secrets.ts';
import { createUserWithToken } from '../core/users.ts';
import { createDb } from '../db/client.ts';
import { ensureDatabase, runMigrations } from '../db/migrate.ts';
import { measureLatency } from './lib/bench/api-latency.ts';
import { graphqlClient } from './lib/bench/graphql-client.ts';
import { phaseSeconds } from './lib/bench/phase-times.ts';
import { measureCpu } from './lib/bench/process-cpu.ts';
import { seedProfiles } from './lib/bench/seed.ts';
import { startDenoWorker } from './lib/deno-worker.ts';
import { startEntryPoint } from './lib/entry-point.ts';
import { freePort } from './lib/free-port.ts';
import { startTemporalDevServer } from './lib/temporal-cli.ts';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    scale: { type: 'string', default: '60' },
    unthrottled: { type: 'boolean', default: false },
    'skip-latency': { type: 'boolean', default: false },
    'latency-seconds': { type: 'string', default: '10' },
    'worker-runtime': { type: 'string', default: 'node' },
  },
});
const profiles = Number(values.profiles);
const scale = Number(values.scale);
const unthrottled = values.unthrottled ?? false;
if (!Number.isInteger(profiles) || profiles < 1)
  throw new Error('--profiles must be a positive whole number');
if (!(scale > 0)) throw new Error('--scale must be a positive number');
const workerRuntime = values['worker-runtime'];
if (workerRuntime !== 'node' && workerRuntime !== 'deno')
  throw new Error('--worker-runtime must be node or deno');

const log = (message: string) => console.error(`[bench] ${message}`);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/outbound_bench';
const apiKey = 'bench-activecampaign-key';
const stops: Array<() => Promise<unknown>> = [];

async function main() {
  const admin = new URL(databaseUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const adminDb = createDb(admin.toString(), { max: 1 });
  await adminDb.sql.unsafe(`drop database if exists "${name}" with (force)`);
  await adminDb.close();
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  const database = createDb(databaseUrl, { max: 4, applicationName: 'outbound-bench' });
  stops.push(() => database.close());

  log(`seeding ${profiles} profiles (COPY) and one segment of all of them`);
  const started = performance.now();
  await seedProfiles(database, profiles);
  const seedSeconds = (performance.now() - started) / 1000;

  const temporal = await startTemporalDevServer({ port: await freePort() });
  stops.push(temporal.stop);
  const fakePort = await freePort();
  const fake = await startEntryPoint(
    'scripts/fake-activecampaign.ts',
    [
      '--port',
      String(fakePort),
      '--key',
      apiKey,
      '--lists',
      '7',
      '--scale',
      String(scale),
      ...(unthrottled ? ['--unthrottled'] : []),
    ],
    {},
    'listening',
  );
  stops.push(() => fake.kill());
  const fakePriorityRaised = raisePriority(fake.process.pid);
  if (!fakePriorityRaised) log('could not raise the fake ActiveCampaign’s CPU priority (needs root)');
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    OUTBOUND_SECRET_KEY: generateSecretKey(),
    OUTBOUND_INSECURE_HOSTS: `127.0.0.1:${fakePort}`,
    OUTBOUND_AC_RATE_SCALE: unthrottled ? '0' : String(scale),
    OUTBOUND_REFRESH_SCHEDULE_ID: 'bench-refresh',
    OUTBOUND_WORKER_HTTP_PORT: '0',
    PORT: String(await freePort()),
  };
  // `npm run start:worker:deno`, or on Node with the same heap limit as `npm run start:worker`.
  const worker =
    workerRuntime === 'deno'
      ? await startDenoWorker(env)
      : await startEntryPoint('scripts/start-worker.ts', [], env, 'Outbound worker polling', [
          '--max-old-space-size=192',
        ]);
  stops.push(() => worker.kill());
  const api = await startEntryPoint('scripts/start-api.ts', [], env, 'Outbound API');
  stops.push(() => api.kill());

  const { token } = await createUserWithToken(database.sql, 'bench@outbound.local', 'ADMIN');
  const gql = graphqlClient(`http://127.0.0.1:${env.PORT}/graphql`, token);
  const { createConnection } = await gql(
    `mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }`,
    {
      input: {
        displayName: 'Bench',
        apiHost: env.OUTBOUND_INSECURE_HOSTS,
        apiKey,
        acceptDataPrivacy: true,
      },
    },
  );
  const [segment] = await database.sql<[{ id: string }]>`select id from segments`;
  const { createExport } = await gql(
    `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
    {
      input: {
        name: 'Bench export',
        connectionId: createConnection.id,
        listId: '7',
        segmentIds: [segment.id],
        mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone' },
      },
    },
  );

  const runOnce = async () => {
    const begun = Date.now();
    const { runExport } = await gql(`mutation($id: ID!) { runExport(id: $id) { id } }`, {
      id: createExport.id,
    });
    for (;;) {
      const { exportRun } = await gql(
        `query($id: ID!) { exportRun(id: $id) { id status error finishedAt exportedCount rejectedCount failedCount sentCount unchangedCount } }`,
        { id: runExport.id },
      );
      if (!['QUEUED', 'RUNNING'].includes(exportRun.status))
        // From the request to the run's own finish time: independent of how often it is polled.
        return { ...exportRun, seconds: (Date.parse(exportRun.finishedAt) - begun) / 1000 };
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  log('first run (full push)');
  const cpu = measureCpu(
    { worker: worker.process.pid, api: api.process.pid, fake: fake.process.pid, bench: process.pid },
    { postgres: 'postgres', temporal: 'temporal' },
  );
  cpu.start();
  const first = await runOnce();
  const firstRunCpuSeconds = cpu.stop();
  log(`first run ${first.status} in ${first.seconds.toFixed(1)} s`);
  const fakeControl = (path: string) =>
    fetch(`http://127.0.0.1:${fakePort}/__fake/${path}`, { headers: { 'Api-Token': apiKey } }).then((r) =>
      r.json(),
    );
  const stats = await fakeControl('stats');
  const requestsByRoute: Record<string, number> = {};
  for (const { method, path } of await fakeControl('requests')) {
    const route = `${method} ${path.replace('/api/3', '')}`;
    requestsByRoute[route] = (requestsByRoute[route] ?? 0) + 1;
  }

  const rerunStartedAt = new Date().toISOString();
  log('unchanged re-run');
  const rerun = await runOnce();
  log(`unchanged re-run ${rerun.status} in ${rerun.seconds.toFixed(1)} s`);

  const temporalConnection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection: temporalConnection });
  const histories = [];
  for await (const execution of client.workflow.list({
    query: `WorkflowId = 'export-${createExport.id}' and StartTime < '${rerunStartedAt}'`,
  })) {
    histories.push(
      (await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory()).events ?? [],
    );
  }
  const historyEvents = Math.max(...histories.map((events) => events.length));
  await temporalConnection.close();

  let latency: Record<string, unknown> = {};
  if (!values['skip-latency']) {
    log('API latency: 50 concurrent clients');
    const latencyMs = Number(values['latency-seconds']) * 1000;
    const exportsLatency = await measureLatency(
      gql,
      '{ exports { nodes { id name enabled lastRun { status } } } }',
      {},
      50,
      latencyMs,
    );
    const runLatency = await measureLatency(
      gql,
      'query($id: ID!) { exportRun(id: $id) { id status exportedCount progress { processed total } } }',
      { id: first.id },
      50,
      latencyMs,
    );
    latency = {
      apiExportsP50Ms: exportsLatency.p50,
      apiExportsP99Ms: exportsLatency.p99,
      apiExportsPerSecond: exportsLatency.perSecond,
      apiExportRunP50Ms: runLatency.p50,
      apiExportRunP99Ms: runLatency.p99,
      apiExportRunPerSecond: runLatency.perSecond,
    };
  }

  const contactsPerSecond = first.exportedCount / first.seconds;
  const boundContactsPerSecond = unthrottled ? null : (25_000 / 60) * scale;
  const result = {
    profiles,
    scale: unthrottled ? null : scale,
    unthrottled,
    workerRuntime,
    status: first.status,
    exported: first.exportedCount,
    seconds: round(first.seconds, 2),
    contactsPerSecond: Math.round(contactsPerSecond),
    boundContactsPerSecond: boundContactsPerSecond && Math.round(boundContactsPerSecond),
    ratioToBound: boundContactsPerSecond && round(contactsPerSecond / boundContactsPerSecond, 3),
    requests429: stats.over429,
    requestsByRoute,
    workerPeakRssMb: worker.peakRssMb(),
    historyEvents,
    workflowExecutions: histories.length,
    firstRunActivitySeconds: phaseSeconds(histories),
    firstRunCpuSeconds,
    estimatedRealMinutes: unthrottled ? null : round((first.seconds * scale) / 60, 1),
    fakePriorityRaised,
    unchangedRerunSeconds: round(rerun.seconds, 2),
    unchangedRerunSent: rerun.sentCount,
    seedSeconds: round(seedSeconds, 1),
    ...latency,
  };
  console.log(JSON.stringify(result));
}

/**
 * The fake stands in for ActiveCampaign's own servers, which do not share our CPUs. Starved of CPU on
 * a saturated machine it stalls, then takes the requests that waited as arriving together (and may
 * answer 429 to requests that were sent apart); a higher priority keeps its clock closer to the wire.
 * Every thread's: Linux priorities are per thread, and the garbage collector's helper threads hold up
 * the pauses they work on (threads started later inherit the main thread's).
 */
function raisePriority(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) setPriority(Number(thread), -10);
    return true;
  } catch {
    return false;
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

try {
  await main();
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
}
