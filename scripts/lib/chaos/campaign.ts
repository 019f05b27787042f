import { isTerminalRunStatus } from '../../../core/runs/run-status.ts';
import { seededRandom } from '../../../fake-activecampaign/clock-and-chance.ts';
import type { EntryPoint } from '../entry-point.ts';
import { freePort } from '../free-port.ts';
import { type ChaosEnvironment, chaosApiKey, chaosListId, openChaosEnvironment } from './environment.ts';
import { type Counts, checkRun, newCounts } from './invariants.ts';
import { sigtermDuringStart, startApi, startWorker, stopsWithinBound } from './processes.ts';
import { drawSchedule, type Fault, type FaultKind, type RunPlan } from './schedule.ts';

export type CampaignOptions = { seed: number; runs: number; profiles: number; log(line: string): void };

export type CampaignResult = {
  seed: number;
  runs: number;
  faults: number;
  faultKinds: Partial<Record<FaultKind, number>>;
  contactsLost: number;
  contactsResubscribed: number;
  duplicateDeliveries: number;
  stuckProcesses: number;
  invariantViolations: number;
  seconds: number;
};

const scale = 20;

type Api = EntryPoint & { url: string };
type State = { env: ChaosEnvironment; api: Api; workers: EntryPoint[]; counts: Counts };

async function gql<T = Record<string, any>>(state: State, query: string, variables = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${state.api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${state.env.adminToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const result = (await response.json()) as { data: T; errors?: unknown };
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    } catch (error) {
      // The API may be restarting (a fault): a read is asked again.
      if (attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function profileRows(from: number, count: number, generation: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      customerId: `chaos${String(n).padStart(7, '0')}`,
      attributes: {
        Email: `person${n}@chaos.test`,
        FirstName: `First${n}g${generation}`,
        LastName: `Last${n}`,
      },
    };
  });
}

async function upsertProfiles(state: State, rows: ReturnType<typeof profileRows>) {
  await state.env.sql`
    insert into profiles (customer_id, attributes)
    select * from unnest(${rows.map((r) => r.customerId)}::text[], ${rows.map((r) => JSON.stringify(r.attributes))}::jsonb[])
    on conflict (customer_id) do update set attributes = excluded.attributes`;
}

async function setUpExport(state: State): Promise<{ exportId: string; segmentId: string }> {
  const { createConnection } = await gql(
    state,
    'mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }',
    {
      input: {
        displayName: 'Chaos AC',
        apiHost: state.env.fake.host,
        apiKey: chaosApiKey,
        acceptDataPrivacy: true,
      },
    },
  );
  const { createSegment } = await gql(
    state,
    'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }',
    { input: { name: 'Chaos segment', rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] } } },
  );
  const { createExport } = await gql(
    state,
    'mutation($input: CreateExportInput!) { createExport(input: $input) { id } }',
    {
      input: {
        name: 'Chaos export',
        connectionId: createConnection.id,
        listId: String(chaosListId),
        segmentIds: [createSegment.id],
        mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName' },
        onLeave: 'UNSUBSCRIBE',
      },
    },
  );
  return { exportId: createExport.id, segmentId: createSegment.id };
}

/** Changes the profiles the run kind calls for: names (incremental), leavers, leavers coming back. */
async function prepareRun(state: State, plan: RunPlan, total: number, left: Set<string>, segmentId: string) {
  const changed = Math.max(1, Math.round(total * plan.changed));
  if (plan.kind === 'incremental') await upsertProfiles(state, profileRows(1, changed, plan.run));
  if (plan.kind === 'leavers') {
    const leaving = profileRows(total - changed - left.size + 1, changed, plan.run).map((r) => r.customerId);
    await state.env
      .sql`update profiles set attributes = attributes - 'Email' where customer_id = any(${leaving})`;
    for (const id of leaving) left.add(id);
  }
  if (plan.kind === 'rejoin' && left.size) {
    const back = [...left].slice(0, changed);
    const rows = back.flatMap((id) => profileRows(Number(id.slice(5)), 1, plan.run));
    await upsertProfiles(state, rows);
    for (const id of back) left.delete(id);
  }
  await gql(state, 'mutation($id: ID!) { refreshSegment(id: $id) { id } }', { id: segmentId });
}

async function replaceWorker(state: State, index: number, how: 'SIGKILL' | 'SIGTERM') {
  const worker = state.workers[index];
  if (!worker) return;
  if (how === 'SIGKILL') await worker.kill('SIGKILL');
  else if (!(await stopsWithinBound(worker, 'worker'))) state.counts.stuckProcesses++;
  state.workers[index] = await startWorker(state.env.env);
}

async function inject(state: State, fault: Fault, random: () => number) {
  const account = state.env.fake.account(chaosApiKey);
  const index = Math.floor(random() * state.workers.length);
  switch (fault.kind) {
    case 'worker-sigkill':
      return replaceWorker(state, index, 'SIGKILL');
    case 'worker-sigterm':
      return replaceWorker(state, index, 'SIGTERM');
    case 'worker-sigterm-during-start':
      if (!(await sigtermDuringStart(state.env.env, Math.round(random() * 3_000))))
        state.counts.stuckProcesses++;
      return;
    case 'worker-sigterm-during-stop': {
      const worker = state.workers[index];
      if (!worker) return;
      worker.process.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100 + random() * 2_000));
      return replaceWorker(state, index, 'SIGTERM');
    }
    case 'api-restart': {
      if (!(await stopsWithinBound(state.api, 'api'))) state.counts.stuckProcesses++;
      state.api = await startApi(state.env.env, await freePort());
      return;
    }
    case 'temporal-restart':
      return state.env.restartTemporal();
    case 'pg-terminate-backends':
      await state.env.sql`
        select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and application_name in ('outbound-worker', 'outbound-api')`;
      return;
    case 'ac-5xx':
      return account.setFaults({ errorRate: 0.3 });
    case 'ac-429-storm':
      return account.setFaults({ rateLimitStormMs: 3_000 });
    case 'ac-slow':
      return account.setFaults({ latencyMs: 400 });
    case 'ac-resets':
      return account.setFaults({ dropConnectionRate: 0.2 });
    case 'ac-interrupted-import':
      return account.setFaults({ stuckBatches: 1 });
  }
}

type RunView = {
  id: string;
  status: string;
  sentCount: number;
  exportedCount: number;
  failedCount: number;
  unconfirmedCount: number;
};

async function waitForRun(state: State, runId: string, timeoutMs = 600_000): Promise<RunView> {
  const started = Date.now();
  for (;;) {
    const { exportRun } = await gql(
      state,
      'query($id: ID!) { exportRun(id: $id) { id status sentCount exportedCount failedCount unconfirmedCount rejectedCount skippedCount totalProfiles } }',
      { id: runId },
    );
    if (isTerminalRunStatus(exportRun.status)) return exportRun;
    if (Date.now() - started > timeoutMs) return { ...exportRun, status: 'STILL_RUNNING' };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Runs the seeded campaign: each run's faults injected while it runs, its invariants checked after. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const schedule = drawSchedule(options.seed, options.runs);
  const random = seededRandom(options.seed ^ 0x5eed);
  const env = await openChaosEnvironment(options.seed, scale);
  const counts = newCounts();
  const faultKinds: Partial<Record<FaultKind, number>> = {};
  const state = { env, workers: [], counts } as unknown as State;
  try {
    state.api = await startApi(env.env, await freePort());
    state.workers.push(await startWorker(env.env), await startWorker(env.env));
    await upsertProfiles(state, profileRows(1, options.profiles, 0));
    const { exportId, segmentId } = await setUpExport(state);
    const left = new Set<string>();
    for (const plan of schedule) {
      await prepareRun(state, plan, options.profiles, left, segmentId);
      const { runExport } = await gql(state, 'mutation($id: ID!) { runExport(id: $id) { id } }', {
        id: exportId,
      });
      const runStarted = Date.now();
      for (const fault of plan.faults) {
        const wait = runStarted + fault.afterMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await inject(state, fault, random);
        faultKinds[fault.kind] = (faultKinds[fault.kind] ?? 0) + 1;
      }
      const run = await waitForRun(state, runExport.id);
      env.fake.account(chaosApiKey).setFaults({});
      const problems = await checkRun(state.env, run, counts);
      options.log(
        JSON.stringify({ run: plan.run, kind: plan.kind, status: run.status, faults: plan.faults, problems }),
      );
      if (problems.length) {
        options.log(
          `Invariant broken in run ${plan.run} (seed ${options.seed}); schedule: ${JSON.stringify(schedule)}`,
        );
      }
    }
    for (const worker of state.workers)
      if (!(await stopsWithinBound(worker, 'worker'))) counts.stuckProcesses++;
    if (!(await stopsWithinBound(state.api, 'api'))) counts.stuckProcesses++;
  } finally {
    for (const entry of [...state.workers, state.api]) await entry?.kill('SIGKILL');
    await env.close();
  }
  return {
    seed: options.seed,
    runs: schedule.length,
    faults: Object.values(faultKinds).reduce((a, b) => a + (b ?? 0), 0),
    faultKinds,
    contactsLost: counts.contactsLost,
    contactsResubscribed: counts.contactsResubscribed,
    duplicateDeliveries: counts.duplicateDeliveries,
    stuckProcesses: counts.stuckProcesses,
    invariantViolations: counts.invariantViolations,
    seconds: Math.round((performance.now() - started) / 1000),
  };
}
