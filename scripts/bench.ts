/**
 * npm run bench -- [--profiles N] [--store N] [--accounts K] [--workers N] [--scale S] [--unthrottled]
 *   [--skip-latency] [--latency-seconds 10] [--api-rate 100] [--worker-runtime node|deno]
 * Seeds a store of `--store` profiles and a rule segment of `--profiles` of them, exports it to K
 * accounts on the fake ActiveCampaign (its limits S× faster) through the real API, N workers and
 * Temporal, all K runs started together; re-runs them unchanged, measures API latency (open loop during
 * the runs, closed loop after), and prints one JSON line last. With `--churn P` it times instead one
 * source sync → refresh → export cycle after P of a Postgres source's rows changed (churn.ts); with
 * `--results-write`, one results write of a finished run of `--profiles` contacts (results-write.ts);
 * with `--graphiql`, GraphiQL's first load in Chromium (graphiql.ts).
 * docs/benchmark.md explains each figure.
 */
import { generateSecretKey } from '../core/secrets.ts';
import { createUserWithToken } from '../core/users.ts';
import { createDb } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { accountResults } from './lib/bench/account-results.ts';
import { fakeTraffic, startFakeAccounts } from './lib/bench/accounts.ts';
import { activitySeconds } from './lib/bench/activity-times.ts';
import { measureLatency } from './lib/bench/api-latency.ts';
import { runChurnBench } from './lib/bench/churn.ts';
import { createExports, type PolledRun, runTogether } from './lib/bench/exports.ts';
import { round, seconds } from './lib/bench/figures.ts';
import { freshDatabase } from './lib/bench/fresh-database.ts';
import { runGraphiqlBench } from './lib/bench/graphiql.ts';
import { graphqlClient } from './lib/bench/graphql-client.ts';
import { exportHistories } from './lib/bench/histories.ts';
import { consoleRequests, measureOpenLoop, type OpenLoopResult } from './lib/bench/open-loop-latency.ts';
import { parseBenchOptions } from './lib/bench/options.ts';
import { postgresOf } from './lib/bench/postgres-cpu.ts';
import { raisePriority } from './lib/bench/priority.ts';
import { measureCpu } from './lib/bench/process-cpu.ts';
import { measureReferenceWorkload } from './lib/bench/reference-workload.ts';
import { runResultsWriteBench } from './lib/bench/results-write.ts';
import { copyProfiles, createRankSegment, materializeSegment } from './lib/bench/seed.ts';
import { startWorkers } from './lib/bench/workers.ts';
import { startEntryPoint } from './lib/entry-point.ts';
import { freePort } from './lib/free-port.ts';
import { startTemporalDevServer } from './lib/temporal-cli.ts';

const options = parseBenchOptions();
const { profiles, store, scale, unthrottled } = options;

const log = (message: string) => console.error(`[bench] ${message}`);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/outbound_bench';
const apiKey = 'bench-activecampaign-key';
const stops: Array<() => Promise<unknown>> = [];

async function main() {
  const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await freshDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  const database = createDb(databaseUrl, { max: 4, applicationName: 'outbound-bench' });
  stops.push(() => database.close());

  log(`seeding ${store} profiles (COPY), a rule segment of ${profiles} of them (Rank ≤ ${profiles})`);
  const seedSeconds = await copyProfiles(database.sql, store);
  const segmentId = await createRankSegment(database.sql, profiles);
  const refreshSeconds = await materializeSegment(database.db, segmentId);
  log(`COPY ${seedSeconds.toFixed(1)} s, first refresh ${refreshSeconds.toFixed(1)} s`);

  const temporal = await startTemporalDevServer({ port: await freePort() });
  stops.push(temporal.stop);
  const fake = await startFakeAccounts({ count: options.accounts, key: apiKey, scale, unthrottled });
  stops.push(() => fake.entry.kill());
  const fakePriorityRaised = raisePriority(fake.entry.process.pid);
  if (!fakePriorityRaised) log('could not raise the fake ActiveCampaign’s CPU priority (needs root)');
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    OUTBOUND_SECRET_KEY: generateSecretKey(),
    OUTBOUND_INSECURE_HOSTS: fake.accounts.map((account) => account.host).join(','),
    OUTBOUND_AC_RATE_SCALE: unthrottled ? '0' : String(scale),
    OUTBOUND_REFRESH_SCHEDULE_ID: 'bench-refresh',
    // A refresh of a store of millions through the API must not meet the 2-minute default.
    OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS: String(60 * 60_000),
    // The benchmark starts all its runs at once on purpose: the caps on runs at once would refuse most.
    OUTBOUND_MAX_ACTIVE_RUNS_PER_USER: '100000',
    OUTBOUND_MAX_ACTIVE_RUNS_PER_CONNECTION: '100000',
    PORT: String(await freePort()),
  };
  const workers = await startWorkers(options.workers, options.workerRuntime, env, (worker) =>
    stops.push(() => worker.kill()),
  );
  const api = await startEntryPoint('scripts/start-api.ts', [], env, 'Outbound API');
  stops.push(() => api.kill());

  const { token } = await createUserWithToken(database.sql, 'bench@outbound.local', 'ADMIN');
  const gql = graphqlClient(`http://127.0.0.1:${env.PORT}/graphql`, token);
  const exports = await createExports(gql, fake.accounts, segmentId);
  const exportIds = exports.map((e) => e.exportId);

  const [refreshUnchangedSeconds] = await seconds(() =>
    gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, { id: segmentId }),
  );
  const [previewSeconds, { previewExport }] = await seconds(() =>
    gql(`query($id: ID!) { previewExport(id: $id) { totalProfiles adds } }`, { id: exportIds[0] }),
  );
  log(
    `unchanged refresh ${refreshUnchangedSeconds.toFixed(2)} s; preview ${previewSeconds.toFixed(2)} s (${previewExport.adds} adds)`,
  );

  const reference = measureReferenceWorkload();
  log(
    `reference workload: ${reference.microsPerContact.toFixed(3)} µs CPU per contact (passes: ${reference.rounds.map((r) => r.toFixed(3)).join(', ')})`,
  );

  log(
    `first run (full push): ${exports.length} export(s) of ${profiles} profiles, ${workers.length} worker(s)`,
  );
  const cpu = measureCpu({
    worker: workers.map((w) => w.process.pid),
    api: api.process.pid,
    fake: fake.entry.process.pid,
    bench: process.pid,
    postgres: postgresOf(databaseName),
    // This bench's Temporal dev server (a child of this process), not another one on the machine.
    temporal: (p) => p.name === 'temporal' && p.ppid === process.pid,
  });
  // Open loop: from the first poll that sees a contact processed, a warm-up, then --latency-seconds.
  const openLoopWarmupSeconds = 2;
  let openLoop: Promise<OpenLoopResult> | undefined;
  const startOpenLoop = (runs: PolledRun[]) => {
    if (openLoop || options.skipLatency || !runs.some((r) => r.progress.processed > 0)) return;
    log(
      `API latency, open loop: ${options.apiRate} requests/s for ${openLoopWarmupSeconds} s (warm-up) + ${options.latencySeconds} s`,
    );
    const runIds = runs.map((r) => r.id);
    openLoop = measureOpenLoop(
      gql,
      consoleRequests(exportIds, runIds),
      options.apiRate,
      options.latencySeconds * 1000,
      openLoopWarmupSeconds * 1000,
    );
  };
  cpu.start();
  const first = await runTogether(gql, exports, startOpenLoop);
  const firstRunCpuSeconds = cpu.stop();
  for (const run of first.runs)
    if (run.status !== 'SUCCEEDED') log(`run ${run.id} ${run.status}: ${run.error}`);
  const openLoopResult = await openLoop;

  const traffic = await fakeTraffic(fake);
  const boundContactsPerSecond = unthrottled ? null : (25_000 / 60) * scale;
  const results = accountResults(first.runs, traffic.requests429, first.begunMs, boundContactsPerSecond);
  log(`first run(s) ${results.status} in ${results.seconds.toFixed(1)} s`);

  const rerunStartedAt = new Date().toISOString();
  log('unchanged re-run');
  const rerun = await runTogether(gql, exports);
  const rerunSeconds = (Math.max(...rerun.runs.map((r) => r.finishedAtMs)) - rerun.begunMs) / 1000;
  log(`unchanged re-run in ${rerunSeconds.toFixed(1)} s`);

  // When the last first run finished, on the clock of performance.now().
  const firstRunsEndedAt = Math.max(...first.runs.map((r) => r.finishedAtMs)) - performance.timeOrigin;
  const histories = await exportHistories(temporal.address, exportIds, rerunStartedAt);
  const historyEvents = Math.max(...histories.map((events) => events.length));

  let latency: Record<string, unknown> = {};
  if (!options.skipLatency && openLoopResult) {
    latency = {
      apiOpenLoopRate: openLoopResult.rate,
      apiOpenLoopP50Ms: openLoopResult.p50Ms,
      apiOpenLoopP99Ms: openLoopResult.p99Ms,
      apiOpenLoopRequests: openLoopResult.requests,
      apiOpenLoopErrors: openLoopResult.errors,
      apiOpenLoopSendLagP99Ms: openLoopResult.sendLagP99Ms,
      apiOpenLoopWarmupSeconds: openLoopWarmupSeconds,
      // The share of the open-loop window the first runs were still running (small runs end first).
      apiOpenLoopDuringRuns: round(
        Math.max(
          0,
          Math.min(
            1,
            (firstRunsEndedAt - openLoopResult.startedAt) /
              (openLoopResult.endedAt - openLoopResult.startedAt),
          ),
        ),
        2,
      ),
    };
  }
  if (!options.skipLatency) {
    log('API latency: 50 concurrent clients');
    const latencyMs = options.latencySeconds * 1000;
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
      { id: first.runs[0]?.id },
      50,
      latencyMs,
    );
    latency = {
      ...latency,
      apiExportsP50Ms: exportsLatency.p50,
      apiExportsP99Ms: exportsLatency.p99,
      apiExportsPerSecond: exportsLatency.perSecond,
      apiExportRunP50Ms: runLatency.p50,
      apiExportRunP99Ms: runLatency.p99,
      apiExportRunPerSecond: runLatency.perSecond,
    };
  }

  // CPU per contact exported, all first runs together, and against the machine's yardstick.
  const perContact = (cpuSeconds: number | undefined) =>
    cpuSeconds === undefined || results.exported === 0 ? null : (cpuSeconds * 1e6) / results.exported;
  const workerMicros = perContact(firstRunCpuSeconds.worker);
  const postgresMicros = perContact(firstRunCpuSeconds.postgres);
  const vsReference = (micros: number | null) =>
    micros === null || !(reference.microsPerContact > 0)
      ? null
      : round(micros / reference.microsPerContact, 2);
  const result = {
    profiles,
    store,
    workers: workers.length,
    scale: unthrottled ? null : scale,
    unthrottled,
    workerRuntime: options.workerRuntime,
    status: results.status,
    exported: results.exported,
    seconds: round(results.seconds, 2),
    contactsPerSecond: Math.round(results.contactsPerSecond),
    boundContactsPerSecond: boundContactsPerSecond && Math.round(boundContactsPerSecond),
    ratioToBound: results.ratioToBound,
    slowestAccountRatio: results.slowestAccountRatio,
    accounts: results.accounts,
    requests429: results.requests429,
    requestsByRoute: traffic.requestsByRoute,
    workerPeakRssMb: Math.max(...workers.map((w) => w.peakRssMb())),
    historyEvents,
    workflowExecutions: histories.length,
    firstRunActivitySeconds: activitySeconds(histories),
    firstRunCpuSeconds: Object.fromEntries(
      Object.entries(firstRunCpuSeconds).map(([component, s]) => [component, round(s, 1)]),
    ),
    referenceCpuMicrosPerContact: round(reference.microsPerContact, 3),
    workerCpuMicrosPerContact: workerMicros === null ? null : round(workerMicros, 2),
    postgresCpuMicrosPerContact: postgresMicros === null ? null : round(postgresMicros, 2),
    workerCpuPerContactVsReference: vsReference(workerMicros),
    postgresCpuPerContactVsReference: vsReference(postgresMicros),
    estimatedRealMinutes: unthrottled ? null : round((results.seconds * scale) / 60, 1),
    fakePriorityRaised,
    unchangedRerunSeconds: round(rerunSeconds, 2),
    unchangedRerunSent: rerun.runs.reduce((sum, r) => sum + r.sentCount, 0),
    seedSeconds: round(seedSeconds, 1),
    refreshSeconds: round(refreshSeconds, 2),
    refreshUnchangedSeconds: round(refreshUnchangedSeconds, 2),
    previewSeconds: round(previewSeconds, 2),
    ...latency,
  };
  console.log(JSON.stringify(result));
}

try {
  if (options.graphiql)
    console.log(JSON.stringify(await runGraphiqlBench(options.runs, databaseUrl, log, stops)));
  else if (options.resultsWrite)
    console.log(JSON.stringify(await runResultsWriteBench(options, databaseUrl, log)));
  else if (options.churn === undefined) await main();
  else console.log(JSON.stringify(await runChurnBench({ ...options, churn: options.churn }, log, stops)));
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
}
