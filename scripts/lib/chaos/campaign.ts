import { isTerminalRunStatus } from '../../../core/runs/run-status.ts';
import { seededRandom } from '../../../fake-activecampaign/clock-and-chance.ts';
import type { EntryPoint } from '../entry-point.ts';
import { freePort } from '../free-port.ts';
import {
  type ChaosEnvironment,
  chaosApiKey,
  chaosListId,
  chaosTaggedListId,
  openChaosEnvironment,
} from './environment.ts';
import { type Counts, checkRun, checkTaggedRun, newCounts } from './invariants.ts';
import { hasExited, sigtermDuringStart, startApi, startWorker, stopsWithinBound } from './processes.ts';
import {
  drawSchedule,
  type Fault,
  type FaultKind,
  type RunKind,
  type RunPlan,
  restartsPostgres,
} from './schedule.ts';

export type CampaignOptions = { seed: number; runs: number; profiles: number; log(line: string): void };

export type CampaignResult = {
  seed: number;
  runs: number;
  faults: number;
  faultKinds: Partial<Record<FaultKind, number>>;
  /** Runs per kind (`tags`: runs of the tagged export). */
  runKinds: Partial<Record<RunKind, number>>;
  contactsLost: number;
  contactsResubscribed: number;
  duplicateDeliveries: number;
  stuckProcesses: number;
  invariantViolations: number;
  /** Segment members checked on the list, over all runs. */
  contactsChecked: number;
  /** Runs alerted (MEMBERS_CHANGED), each delivered to the receiver. */
  alertsDelivered: number;
  /** Alerts sent again under an id the receiver had taken (at-least-once; dropped by the id). */
  alertRedeliveries: number;
  /** Tagged export: contacts whose tags were checked; tags missing on members, doubled, left on leavers. */
  tagsChecked: number;
  tagsMissing: number;
  tagsDoubled: number;
  tagsOnLeavers: number;
  /** Connections to Postgres dropped by its restarts, and new ones refused while it was away. */
  postgresConnectionsDropped: number;
  postgresConnectionsRefused: number;
  /** Workers or APIs that exited without being told to (started again, as a supervisor does). */
  unexpectedExits: number;
  seconds: number;
};

/** The tagged export's tags: one of them already in the account under another case (it is used, not created). */
export const chaosTags = ['chaos-members', 'Campaign 2026'];
const existingTag = 'CHAOS-Members';

const scale = 20;

type Api = EntryPoint & { url: string };
type State = {
  env: ChaosEnvironment;
  api: Api;
  workers: EntryPoint[];
  counts: Counts;
  unexpectedExits: number;
};

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

/** Rows of the source's table: customer ids and emails of their own, beside the campaign's profiles. */
function sourceRows(from: number, count: number, generation: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return { customerId: `source${String(n).padStart(7, '0')}`, email: `source${n}@chaos.test`, generation };
  });
}

async function writeSourceRows(state: State, rows: ReturnType<typeof sourceRows>) {
  await state.env.source.sql`
    insert into people (customer_id, "Email", "FirstName", "LastName")
    select r.id, r.email, 'Source' || r.generation, 'Row'
    from unnest(${rows.map((r) => r.customerId)}::text[], ${rows.map((r) => r.email)}::text[],
      ${rows.map((r) => r.generation)}::int[]) as r(id, email, generation)
    on conflict (customer_id) do update set "FirstName" = excluded."FirstName"`;
}

/** Syncs the source and waits for the sync's end; a sync that does not succeed is a problem of the run. */
async function syncSource(state: State, sourceId: string): Promise<string | null> {
  const { syncSource: sync } = await gql(state, 'mutation($id: ID!) { syncSource(id: $id) { id } }', {
    id: sourceId,
  });
  for (const started = Date.now(); Date.now() - started < 300_000; ) {
    const { source } = await gql(
      state,
      'query($id: ID!) { source(id: $id) { lastSync { id status error } } }',
      {
        id: sourceId,
      },
    );
    const last = source.lastSync;
    if (last?.id === sync.id && last.status !== 'RUNNING')
      return last.status === 'SUCCEEDED' ? null : `source sync ${last.status}: ${last.error}`;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return 'source sync still RUNNING after 5 min';
}

async function upsertProfiles(state: State, rows: ReturnType<typeof profileRows>) {
  await state.env.sql`
    insert into profiles (customer_id, attributes)
    select * from unnest(${rows.map((r) => r.customerId)}::text[], ${rows.map((r) => JSON.stringify(r.attributes))}::jsonb[])
    on conflict (customer_id) do update set attributes = excluded.attributes`;
}

type Exports = { exportId: string; taggedExportId: string; segmentId: string };

/**
 * Two exports of one segment: one unsubscribing leavers from its list, one tagging its members on
 * another list and untagging leavers (REMOVE_TAGS), run by the `tags` runs.
 */
async function setUpExports(state: State): Promise<Exports> {
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
  const create = async (input: Record<string, unknown>) =>
    (
      await gql(state, 'mutation($input: CreateExportInput!) { createExport(input: $input) { id } }', {
        input: {
          connectionId: createConnection.id,
          segmentIds: [createSegment.id],
          mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName' },
          ...input,
        },
      })
    ).createExport.id as string;
  const exportId = await create({
    name: 'Chaos export',
    listId: String(chaosListId),
    onLeave: 'UNSUBSCRIBE',
  });
  state.env.fake.account(chaosApiKey).addTag(existingTag);
  const taggedExportId = await create({
    name: 'Chaos tagged export',
    listId: String(chaosTaggedListId),
    tags: chaosTags,
    onLeave: 'REMOVE_TAGS',
  });
  const { createNotificationChannel } = await gql(
    state,
    'mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { channel { id } } }',
    { input: { name: 'Chaos receiver', kind: 'WEBHOOK', url: state.env.alerts.url } },
  );
  // Leaver and rejoin runs change the members: each of their runs is alerted once.
  for (const input of [{ event: 'MEMBERS_CHANGED', thresholdPercent: 0 }, { event: 'RUN_FAILED' }]) {
    await gql(state, 'mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }', {
      input: { channelId: createNotificationChannel.channel.id, ...input },
    });
  }
  return { exportId, taggedExportId, segmentId: createSegment.id };
}

/** The source's table as the campaign left it: the ids of its rows, and the next new id. */
type SourceTable = { id: string; rows: string[]; next: number };

/**
 * Changes the profiles the run kind calls for: names (incremental), leavers, leavers coming back, or the
 * source's table (names changed, a few rows gone, a few new). Then, as the scheduled refresh does, syncs the
 * source and refreshes the segment. Returns what went wrong before the run.
 */
async function prepareRun(
  state: State,
  plan: RunPlan,
  total: number,
  left: Set<string>,
  segmentId: string,
  source: SourceTable,
): Promise<string[]> {
  const changed = Math.max(1, Math.round(total * plan.changed));
  const leave = async (count: number) => {
    const leaving = profileRows(total - count - left.size + 1, count, plan.run).map((r) => r.customerId);
    await state.env
      .sql`update profiles set attributes = attributes - 'Email' where customer_id = any(${leaving})`;
    for (const id of leaving) left.add(id);
  };
  const rejoin = async (count: number) => {
    const back = [...left].slice(0, count);
    const rows = back.flatMap((id) => profileRows(Number(id.slice(5)), 1, plan.run));
    await upsertProfiles(state, rows);
    for (const id of back) left.delete(id);
  };
  if (plan.kind === 'incremental') await upsertProfiles(state, profileRows(1, changed, plan.run));
  if (plan.kind === 'leavers') await leave(changed);
  if (plan.kind === 'rejoin') await rejoin(changed);
  if (plan.kind === 'tags') {
    // Tags to add and to remove: half the share come back (or join), as many others leave.
    await rejoin(Math.ceil(changed / 2));
    await leave(Math.ceil(changed / 2));
  }
  if (plan.kind === 'source') {
    const renamed = Math.max(1, Math.round(source.rows.length * plan.changed));
    await state.env.source.sql`
      update people set "FirstName" = ${`Source${plan.run}`} where customer_id = any(${source.rows.slice(0, renamed)})`;
    // Under the sync's removal guard (OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT, 10 %).
    const gone = source.rows.splice(-Math.max(1, Math.floor(source.rows.length / 20)));
    await state.env.source.sql`delete from people where customer_id = any(${gone})`;
    const added = sourceRows(source.next, Math.max(1, Math.round(renamed / 2)), plan.run);
    await writeSourceRows(state, added);
    source.next += added.length;
    source.rows.push(...added.map((r) => r.customerId));
  }
  const synced = await syncSource(state, source.id);
  await gql(state, 'mutation($id: ID!) { refreshSegment(id: $id) { id } }', { id: segmentId });
  return synced ? [synced] : [];
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
    case 'postgres-restart':
      // Outbound's database away for `downMs` (through the proxy; the machine's Postgres is not touched).
      state.env.postgres?.cut(fault.downMs ?? 5_000);
      return;
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
    case 'alert-receiver-down':
      return state.env.alerts.goDown(5_000 + Math.round(random() * 25_000));
  }
}

type RunView = {
  id: string;
  status: string;
  sentCount: number;
  exportedCount: number;
  failedCount: number;
  skippedCount: number;
  unconfirmedCount: number;
  totalProfiles: number | null;
};

/**
 * Waits (up to the alert retries' backoff after a receiver was down) until every run expected to alert was
 * delivered; returns the run ids still missing.
 */
async function undeliveredAlerts(state: State, expected: string[], timeoutMs = 180_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken = state.env.alerts.runIds();
    const missing = expected.filter((runId) => !taken.has(runId));
    if (!missing.length || Date.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** A worker or the API that exited by itself is counted and started again, as a supervisor does. */
async function reviveExited(state: State, log: (line: string) => void) {
  for (const [index, worker] of state.workers.entries()) {
    if (!hasExited(worker)) continue;
    state.unexpectedExits++;
    log(`A worker exited by itself (${worker.process.exitCode ?? worker.process.signalCode}); started again`);
    state.workers[index] = await startWorker(state.env.env);
  }
  if (hasExited(state.api)) {
    state.unexpectedExits++;
    log(
      `The API exited by itself (${state.api.process.exitCode ?? state.api.process.signalCode}); started again`,
    );
    state.api = await startApi(state.env.env, await freePort());
  }
}

async function waitForRun(
  state: State,
  runId: string,
  log: (line: string) => void,
  timeoutMs = 600_000,
): Promise<RunView> {
  const started = Date.now();
  for (;;) {
    await reviveExited(state, log);
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
  const env = await openChaosEnvironment(options.seed, scale, restartsPostgres(schedule));
  const counts = newCounts();
  const faultKinds: Partial<Record<FaultKind, number>> = {};
  const runKinds: Partial<Record<RunKind, number>> = {};
  const state = { env, workers: [], counts, unexpectedExits: 0 } as unknown as State;
  try {
    state.api = await startApi(env.env, await freePort());
    state.workers.push(await startWorker(env.env), await startWorker(env.env));
    await upsertProfiles(state, profileRows(1, options.profiles, 0));
    const { exportId, taggedExportId, segmentId } = await setUpExports(state);
    const initial = sourceRows(1, Math.max(20, Math.round(options.profiles / 4)), 0);
    await writeSourceRows(state, initial);
    const { createSource } = await gql(
      state,
      'mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }',
      { input: { name: 'Chaos source', databaseUrl: env.source.url, table: 'people' } },
    );
    const source: SourceTable = {
      id: createSource.id,
      rows: initial.map((r) => r.customerId),
      next: initial.length + 1,
    };
    const left = new Set<string>();
    const alerted: string[] = [];
    const lastMembers = new Map<string, number>();
    // The tagged export's first run, without faults: every tags run then has tags to add and to remove.
    const setUp = await syncSource(state, source.id);
    await gql(state, 'mutation($id: ID!) { refreshSegment(id: $id) { id } }', { id: segmentId });
    const { runExport: firstTagged } = await gql(state, 'mutation($id: ID!) { runExport(id: $id) { id } }', {
      id: taggedExportId,
    });
    const tagged = await waitForRun(state, firstTagged.id, options.log);
    const setUpProblems = [
      ...(setUp ? [setUp] : []),
      ...(await checkTaggedRun(env, tagged, chaosTags, counts)),
    ];
    counts.invariantViolations += setUp ? 1 : 0;
    if (tagged.totalProfiles !== null) lastMembers.set(taggedExportId, tagged.totalProfiles);
    options.log(
      JSON.stringify({ run: 0, kind: 'tags', status: tagged.status, faults: [], problems: setUpProblems }),
    );
    for (const plan of schedule) {
      runKinds[plan.kind] = (runKinds[plan.kind] ?? 0) + 1;
      const before = await prepareRun(state, plan, options.profiles, left, segmentId, source);
      const runsExport = plan.kind === 'tags' ? taggedExportId : exportId;
      const { runExport } = await gql(state, 'mutation($id: ID!) { runExport(id: $id) { id } }', {
        id: runsExport,
      });
      const runStarted = Date.now();
      for (const fault of plan.faults) {
        const wait = runStarted + fault.afterMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await inject(state, fault, random);
        faultKinds[fault.kind] = (faultKinds[fault.kind] ?? 0) + 1;
      }
      const run = await waitForRun(state, runExport.id, options.log);
      env.fake.account(chaosApiKey).setFaults({});
      const checked =
        plan.kind === 'tags'
          ? await checkTaggedRun(state.env, run, chaosTags, counts)
          : await checkRun(state.env, run, counts);
      const problems = [...before, ...checked];
      counts.invariantViolations += before.length;
      if (run.status === 'SUCCEEDED' && run.totalProfiles !== null) {
        // MEMBERS_CHANGED (threshold 0) fires when the members differ from the export's last successful run's.
        const last = lastMembers.get(runsExport);
        if (last !== undefined && run.totalProfiles !== last) alerted.push(run.id);
        lastMembers.set(runsExport, run.totalProfiles);
      }
      options.log(
        JSON.stringify({ run: plan.run, kind: plan.kind, status: run.status, faults: plan.faults, problems }),
      );
      if (problems.length) {
        options.log(
          `Invariant broken in run ${plan.run} (seed ${options.seed}); schedule: ${JSON.stringify(schedule)}`,
        );
      }
    }
    const missing = await undeliveredAlerts(state, alerted);
    counts.alertsDelivered = alerted.length - missing.length;
    counts.duplicateDeliveries = env.alerts.duplicates();
    if (missing.length) {
      counts.invariantViolations++;
      options.log(`Alerts of runs ${missing.join(', ')} never delivered (seed ${options.seed})`);
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
    runKinds,
    contactsLost: counts.contactsLost,
    contactsResubscribed: counts.contactsResubscribed,
    duplicateDeliveries: counts.duplicateDeliveries,
    stuckProcesses: counts.stuckProcesses,
    invariantViolations: counts.invariantViolations,
    contactsChecked: counts.contactsChecked,
    alertsDelivered: counts.alertsDelivered,
    alertRedeliveries: env.alerts.redeliveries(),
    tagsChecked: counts.tagsChecked,
    tagsMissing: counts.tagsMissing,
    tagsDoubled: counts.tagsDoubled,
    tagsOnLeavers: counts.tagsOnLeavers,
    postgresConnectionsDropped: env.postgres?.dropped() ?? 0,
    postgresConnectionsRefused: env.postgres?.refused() ?? 0,
    unexpectedExits: state.unexpectedExits,
    seconds: Math.round((performance.now() - started) / 1000),
  };
}
