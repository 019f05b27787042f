/**
 * `npm run histories:capture`: runs one small execution of every shape the replay corpus covers against
 * the test stack and saves their histories into test/fixtures/histories/. Only histories missing from the
 * corpus are captured (a capture whose files all exist is skipped); CAPTURE_OVERWRITE=1 re-records them
 * all. Not part of `npm test`: the replay test replays what this wrote and was committed.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reserveRun } from '../../core/temporal/export-runs.ts';
import { exportRunStartOptions } from '../../core/temporal/start-options.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import {
  eventAlertsWorkflowId,
  runAlertsWorkflowId,
  sourceChangeWorkflowId,
  sourceSyncWorkflowId,
} from '../../temporal.config.ts';
import type { ExportRunWorkflowInput, exportRunWorkflow } from '../../workflows/export-run-workflow.ts';
import { startReceiver } from '../alerts/receivers.ts';
import {
  connectionMutation,
  insertProfiles,
  makeProfiles,
  type ProfileFixture,
  setUpExport,
} from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { alertsOf as alertsOfRun, waitForRun } from '../support/runs.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';
import { startWorkerProcess, type WorkerProcess, workerEnv } from '../support/worker-process.ts';
import { findPersonalData, historiesDir } from './corpus.ts';
import { historyToJSON } from './history-json.ts';

const scale = 20;
let fake: FakeActiveCampaign;
let outbound: Outbound;
let worker: WorkerProcess;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let team: TeamDatabase;
let accounts = 0;

/** Re-record histories that already exist (never done by a routine capture: they prove old code paths). */
const overwrite = process.env.CAPTURE_OVERWRITE === '1';
const captured = (name: string) => existsSync(new URL(`${name}.json`, historiesDir));

/** A capture of the histories `names`, run only when one of them is missing from the corpus. */
function capture(title: string, names: string[], drive: () => Promise<void>, timeout?: number) {
  const wanted = overwrite || names.some((name) => !captured(name));
  (wanted ? test : test.skip)(`${title} (${names.join(', ')})`, drive, timeout);
}

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale });
  receiver = await startReceiver();
  team = await createTeamDatabase();
  const teamUrl = new URL(team.url);
  const teamHost = `${teamUrl.hostname}:${teamUrl.port || '5432'}`;
  // The worker runs as `npm run start:worker` does, in a child process, so one capture can kill it.
  outbound = await startOutbound({
    insecureHosts: [fake.host, receiver.host, teamHost],
    rateScale: scale,
    worker: false,
  });
  worker = await startWorkerProcess(workerEnv(outbound.config));
  await mkdir(historiesDir, { recursive: true });
});

afterAll(async () => {
  await worker?.kill();
  await outbound?.close();
  await fake?.close();
  await receiver?.stop();
  await team?.drop();
});

/** Every execution of a chain, following continue-as-new from `firstRunId`. */
async function executionsOf(client: Client, workflowId: string, firstRunId?: string) {
  const histories = [];
  let runId = firstRunId;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next || !firstRunId) return histories;
    runId = next;
  }
}

/**
 * Saves a history as `<name>.json` once it is checked to hold no email, name, phone or API key; an existing
 * file is kept unless CAPTURE_OVERWRITE=1.
 */
async function save(name: string, history: Awaited<ReturnType<typeof executionsOf>>[number]) {
  const json = historyToJSON(history);
  expect(findPersonalData(json), name).toEqual([]);
  if (captured(name) && !overwrite) return;
  await writeFile(new URL(`${name}.json`, historiesDir), `${json}\n`);
}

/** A fresh account with list 7 and an export of `count` new profiles (a segment of their own). */
async function exportOf(prefix: string, count: number, onLeave: 'KEEP' | 'UNSUBSCRIBE' = 'KEEP') {
  const apiKey = `capture-key-${++accounts}`;
  const account = fake.addAccount({ apiKeys: [apiKey], lists: [7] });
  const profiles: ProfileFixture[] = makeProfiles(count, { prefix }).map((p) => ({
    ...p,
    attributes: { ...p.attributes, Member: prefix },
  }));
  await insertProfiles(outbound.sql, profiles);
  const ids = await setUpExport(outbound, fake, {
    apiKey,
    name: `Capture ${prefix}`,
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: prefix }] },
    onLeave,
  });
  const refresh = () =>
    outbound.gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, { id: ids.segmentId });
  const leave = (left: ProfileFixture[]) =>
    insertProfiles(
      outbound.sql,
      left.map((p) => ({ ...p, attributes: { ...p.attributes, Member: 'gone' } })),
    );
  return { ...ids, apiKey, account, profiles, refresh, leave };
}

async function runExport(exportId: string, options = ''): Promise<string> {
  const { runExport } = await outbound.gql(`mutation($id: ID!) { runExport(id: $id${options}) { id } }`, {
    id: exportId,
  });
  return runExport.id;
}

/** The latest execution of the export's workflow (its last run). */
async function lastRunHistory(exportId: string) {
  const [history] = await executionsOf(outbound.deps.temporal, `export-${exportId}`);
  if (!history) throw new Error('no history');
  return history;
}

/** Starts the export's workflow directly, with the budgets and deadline the capture chooses. */
async function startDirectly(
  exp: Awaited<ReturnType<typeof exportOf>>,
  workflow: Partial<ExportRunWorkflowInput>,
) {
  const reserved = await reserveRun(outbound.sql, outbound.deps.temporal, {
    exportId: exp.exportId,
    trigger: 'ON_DEMAND',
    requestedBy: null,
  });
  if (!('runId' in reserved)) throw new Error('export already running');
  const start = exportRunStartOptions({
    runId: reserved.runId,
    exportId: exp.exportId,
    exportName: 'Capture',
    connectionId: exp.connectionId,
    listId: '7',
    trigger: 'ON_DEMAND',
    timeLimitMs: 600_000,
  });
  const handle = await outbound.deps.temporal.workflow.start<typeof exportRunWorkflow>('exportRunWorkflow', {
    ...start,
    taskQueue: outbound.config.taskQueue,
    args: [{ ...start.args[0], ...workflow }],
  });
  return { runId: reserved.runId, handle };
}

capture('a plain successful run', ['export-run-succeeded'], async () => {
  const exp = await exportOf('s', 5);
  expect((await waitForRun(outbound, await runExport(exp.exportId))).status).toBe('SUCCEEDED');
  await save('export-run-succeeded', await lastRunHistory(exp.exportId));
});

capture('a run resumed after its worker was killed', ['export-run-resumed-after-worker-kill'], async () => {
  const exp = await exportOf('k', 750);
  // Every request takes a second: the push is still going when the worker is killed.
  exp.account.setFaults({ latencyMs: 1_000 });
  const runId = await runExport(exp.exportId);
  await waitForRun(outbound, runId, { until: (run) => run.sentCount >= 250 });
  await worker.kill('SIGKILL');
  exp.account.setFaults({});
  worker = await startWorkerProcess(workerEnv(outbound.config));
  const run = await waitForRun(outbound, runId);
  expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 750 });
  const history = await lastRunHistory(exp.exportId);
  // The push was retried on the new worker after its heartbeat timed out.
  expect(history.events?.some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1)).toBe(true);
  await save('export-run-resumed-after-worker-kill', history);
});

capture('a cancelled run', ['export-run-cancelled'], async () => {
  const exp = await exportOf('c', 750);
  exp.account.setFaults({ latencyMs: 1_000 });
  const runId = await runExport(exp.exportId);
  await waitForRun(outbound, runId, { until: (run) => run.sentCount >= 250 });
  await outbound.gql(`mutation($id: ID!) { cancelExportRun(id: $id) { id } }`, { id: runId });
  expect((await waitForRun(outbound, runId)).status).toBe('CANCELLED');
  exp.account.setFaults({});
  await save('export-run-cancelled', await lastRunHistory(exp.exportId));
});

capture('a timed-out run', ['export-run-timed-out'], async () => {
  const exp = await exportOf('t', 750);
  exp.account.setFaults({ latencyMs: 1_000 });
  const { runId } = await startDirectly(exp, { timeLimitMs: 3_000 });
  expect((await waitForRun(outbound, runId)).status).toBe('TIMED_OUT');
  exp.account.setFaults({});
  await save('export-run-timed-out', await lastRunHistory(exp.exportId));
});

capture(
  'a run that continued as new',
  ['export-run-continued-as-new-first', 'export-run-continued-as-new-last'],
  async () => {
    const exp = await exportOf('n', 750);
    // Pages of 100 and a budget of 20 events: a new execution every few pages.
    const { runId, handle } = await startDirectly(exp, {
      pageContacts: 100,
      historyEventsBeforeContinueAsNew: 20,
    });
    expect((await waitForRun(outbound, runId)).status).toBe('SUCCEEDED');
    const chain = await executionsOf(outbound.deps.temporal, handle.workflowId, handle.firstExecutionRunId);
    expect(chain.length).toBeGreaterThanOrEqual(2);
    await save('export-run-continued-as-new-first', chain[0] as (typeof chain)[number]);
    await save('export-run-continued-as-new-last', chain.at(-1) as (typeof chain)[number]);
  },
);

capture('a run that unsubscribed the members who left', ['export-run-unsubscribed-leavers'], async () => {
  const exp = await exportOf('l', 20, 'UNSUBSCRIBE');
  expect((await waitForRun(outbound, await runExport(exp.exportId))).status).toBe('SUCCEEDED');
  await exp.leave(exp.profiles.slice(0, 2));
  await exp.refresh();
  expect((await waitForRun(outbound, await runExport(exp.exportId))).status).toBe('SUCCEEDED');
  expect(exp.account.listMembers(7).filter((m) => m.status === 'unsubscribed')).toHaveLength(2);
  await save('export-run-unsubscribed-leavers', await lastRunHistory(exp.exportId));
});

capture('a mass unsubscribe stopped by the guard', ['export-run-mass-unsubscribe-guarded'], async () => {
  const exp = await exportOf('g', 20, 'UNSUBSCRIBE');
  expect((await waitForRun(outbound, await runExport(exp.exportId))).status).toBe('SUCCEEDED');
  await exp.leave(exp.profiles.slice(0, 5));
  await exp.refresh();
  const run = await waitForRun(outbound, await runExport(exp.exportId));
  expect(run.status).toBe('FAILED');
  expect(run.error).toContain('5 of the 20');
  await save('export-run-mass-unsubscribe-guarded', await lastRunHistory(exp.exportId));
});

capture(
  'a refresh that ran several exports and continued as new',
  ['refresh-continued-as-new-first', 'refresh-continued-as-new-last'],
  async () => {
    const handle = await outbound.deps.temporal.workflow.start('refreshWorkflow', {
      taskQueue: outbound.config.taskQueue,
      workflowId: `refresh-capture-${Math.random().toString(36).slice(2, 10)}`,
      // A page of one export and a budget of 30 events: a new execution every export or two.
      args: [
        {
          maxConcurrentExports: 2,
          timeLimitMs: 120_000,
          exportsPerPage: 1,
          historyEventsBeforeContinueAsNew: 30,
        },
      ],
    });
    const result = await handle.result();
    expect(result.started).toBeGreaterThanOrEqual(3);
    const chain = await executionsOf(outbound.deps.temporal, handle.workflowId, handle.firstExecutionRunId);
    expect(chain.length).toBeGreaterThanOrEqual(2);
    await save('refresh-continued-as-new-first', chain[0] as (typeof chain)[number]);
    await save('refresh-continued-as-new-last', chain.at(-1) as (typeof chain)[number]);
  },
);

const alertsOf = (runId: string) => alertsOfRun(outbound, runId);

const runAlertsHistory = (runId: string) =>
  outbound.deps.temporal.workflow.getHandle(runAlertsWorkflowId(runId)).fetchHistory();

const startsChild = (history: Awaited<ReturnType<typeof runAlertsHistory>>, type: string) =>
  history.events?.some(
    (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name === type,
  );

capture(
  'a failed run and its recovery, each alerting a webhook through runAlertsWorkflow',
  [
    'export-run-failed-with-alerts',
    'run-alerts-failed',
    'export-run-succeeded-with-alerts',
    'run-alerts-recovered',
  ],
  async () => {
    const { createNotificationChannel } = await outbound.gql(
      `mutation($input: CreateNotificationChannelInput!) {
        createNotificationChannel(input: $input) { channel { id } } }`,
      { input: { name: 'Capture webhook', kind: 'WEBHOOK', url: receiver.url } },
    );
    const exp = await exportOf('a', 5);
    for (const event of ['RUN_FAILED', 'RUN_RECOVERED']) {
      await outbound.gql(
        `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`,
        { input: { channelId: createNotificationChannel.channel.id, exportId: exp.exportId, event } },
      );
    }
    const [key] = await outbound.sql<{ sealed: string }[]>`
      select api_key_ciphertext as sealed from connections where id = ${exp.connectionId}`;
    const revoked = await outbound.deps.secrets.encrypt('revoked');
    await outbound.sql`update connections set api_key_ciphertext = ${revoked} where id = ${exp.connectionId}`;

    const failed = await waitForRun(outbound, await runExport(exp.exportId), { timeoutMs: 60_000 });
    expect(failed.status).toBe('FAILED');
    expect(await alertsOf(failed.id)).toEqual({ sent: 1 });
    const failedHistory = await lastRunHistory(exp.exportId);
    expect(startsChild(failedHistory, 'runAlertsWorkflow')).toBe(true);
    await save('export-run-failed-with-alerts', failedHistory);
    await save('run-alerts-failed', await runAlertsHistory(failed.id));

    await outbound.sql`update connections set api_key_ciphertext = ${key?.sealed ?? ''} where id = ${exp.connectionId}`;
    const recovered = await waitForRun(outbound, await runExport(exp.exportId));
    expect(recovered.status).toBe('SUCCEEDED');
    expect(await alertsOf(recovered.id)).toEqual({ sent: 1 });
    expect(receiver.accepted.map((r) => r.json.event)).toEqual(['RUN_FAILED', 'RUN_RECOVERED']);
    const recoveredHistory = await lastRunHistory(exp.exportId);
    expect(startsChild(recoveredHistory, 'runAlertsWorkflow')).toBe(true);
    await save('export-run-succeeded-with-alerts', recoveredHistory);
    await save('run-alerts-recovered', await runAlertsHistory(recovered.id));
  },
);

capture(
  'a source synced on demand, then by a refresh before the segments',
  ['source-sync-succeeded', 'refresh-synced-sources-before-segments'],
  async () => {
    await team.sql`create table customers (customer_id text primary key, email text, plan text)`;
    await team.sql`insert into customers
      select 'src-' || i, 'src' || i || '@outbound.test', 'pro' from generate_series(1, 5) i`;
    const { createSource } = await outbound.gql(
      `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
      { input: { name: 'Capture CRM', databaseUrl: team.url, table: 'customers' } },
    );
    await outbound.gql(`mutation($id: ID!) { syncSource(id: $id) { id } }`, { id: createSource.id });
    const sync = outbound.deps.temporal.workflow.getHandle(sourceSyncWorkflowId(createSource.id));
    expect(await sync.result()).toMatchObject({ read: 5, added: 5 });
    await save('source-sync-succeeded', await sync.fetchHistory());

    await team.sql`update customers set plan = 'free' where customer_id = 'src-1'`;
    const handle = await outbound.deps.temporal.workflow.start('refreshWorkflow', {
      taskQueue: outbound.config.taskQueue,
      workflowId: `refresh-capture-${Math.random().toString(36).slice(2, 10)}`,
      args: [{ maxConcurrentExports: 2, timeLimitMs: 120_000 }],
    });
    await handle.result();
    const [plan] = await outbound.sql<{ plan: string }[]>`
      select attributes->>'plan' as plan from profiles where customer_id = 'src-1'`;
    expect(plan?.plan).toBe('free');
    const [history] = await executionsOf(
      outbound.deps.temporal,
      handle.workflowId,
      handle.firstExecutionRunId,
    );
    if (!history) throw new Error('no history');
    expect(startsChild(history, 'sourceSyncWorkflow')).toBe(true);
    await save('refresh-synced-sources-before-segments', history);
  },
  180_000,
);

/** An event's alerts workflow, once its caller has started it: its result and history. */
async function eventAlertsOf(subject: string) {
  const handle = outbound.deps.temporal.workflow.getHandle(eventAlertsWorkflowId(subject));
  for (let tries = 0; ; tries++) {
    try {
      return { result: await handle.result(), history: await handle.fetchHistory() };
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError) || tries > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

capture(
  'a source sync failing and a refresh with a broken segment, each alerting a webhook',
  [
    'source-sync-failed-with-alerts',
    'event-alerts-source-sync-failed',
    'refresh-segment-failed-with-alerts',
    'event-alerts-refresh-failed',
  ],
  async () => {
    const { createNotificationChannel } = await outbound.gql(
      `mutation($input: CreateNotificationChannelInput!) {
        createNotificationChannel(input: $input) { channel { id } } }`,
      { input: { name: 'Capture event webhook', kind: 'WEBHOOK', url: receiver.url } },
    );
    for (const event of ['SOURCE_SYNC_FAILED', 'REFRESH_FAILED']) {
      await outbound.gql(
        `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`,
        {
          input: { channelId: createNotificationChannel.channel.id, event },
        },
      );
    }
    await team.sql`create table leaving_customers (customer_id text primary key, plan text)`;
    const { createSource } = await outbound.gql(
      `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
      { input: { name: 'Capture failing CRM', databaseUrl: team.url, table: 'leaving_customers' } },
    );
    await team.sql`alter table leaving_customers rename to left_customers`;
    const { syncSource } = await outbound.gql(`mutation($id: ID!) { syncSource(id: $id) { id } }`, {
      id: createSource.id,
    });
    const sync = outbound.deps.temporal.workflow.getHandle(sourceSyncWorkflowId(createSource.id));
    await expect(sync.result()).rejects.toThrow();
    const syncAlerts = await eventAlertsOf(`source-sync-${syncSource.id}`);
    expect(syncAlerts.result).toEqual({ sent: 1 });
    await save('source-sync-failed-with-alerts', await sync.fetchHistory());
    await save('event-alerts-source-sync-failed', syncAlerts.history);

    await outbound.gql(`mutation($id: ID!) { updateSource(id: $id, input: { enabled: false }) { id } }`, {
      id: createSource.id,
    });
    await outbound.sql`insert into segments (name, rule) values ('Capture broken rule', '{"no": "rule"}')`;
    const handle = await outbound.deps.temporal.workflow.start('refreshWorkflow', {
      taskQueue: outbound.config.taskQueue,
      workflowId: `refresh-capture-${Math.random().toString(36).slice(2, 10)}`,
      args: [{ maxConcurrentExports: 2, timeLimitMs: 120_000 }],
    });
    expect((await handle.result()).failedSegments).toBe(1);
    const refreshAlerts = await eventAlertsOf(`refresh-${handle.firstExecutionRunId}`);
    expect(refreshAlerts.result).toEqual({ sent: 1 });
    const [history] = await executionsOf(
      outbound.deps.temporal,
      handle.workflowId,
      handle.firstExecutionRunId,
    );
    if (!history) throw new Error('no history');
    expect(startsChild(history, 'eventAlertsWorkflow')).toBe(true);
    await save('refresh-segment-failed-with-alerts', history);
    await save('event-alerts-refresh-failed', refreshAlerts.history);
  },
  180_000,
);

capture('a run writing its results to a results target', ['export-run-wrote-results'], async () => {
  const exp = await exportOf('r', 5);
  const { createResultsTarget } = await outbound.gql(
    `mutation($input: CreateResultsTargetInput!) { createResultsTarget(input: $input) { id } }`,
    { input: { name: 'Capture warehouse', databaseUrl: team.url, schema: 'capture_results' } },
  );
  await outbound.gql(
    `mutation($id: ID!, $input: UpdateExportInput!) { updateExport(id: $id, input: $input) { id } }`,
    {
      id: exp.exportId,
      input: { resultsTargetId: createResultsTarget.id },
    },
  );
  const run = await waitForRun(outbound, await runExport(exp.exportId));
  expect(run.status).toBe('SUCCEEDED');
  await outbound.deps.temporal.workflow.getHandle(`export-${exp.exportId}`).result();
  expect(await team.sql`select 1 from capture_results.outbound_runs`).toHaveLength(1);
  await save('export-run-wrote-results', await lastRunHistory(exp.exportId));
});

capture(
  'runs writing results only when their export has a results target',
  ['export-run-succeeded-without-results-target', 'export-run-wrote-results-to-its-target'],
  async () => {
    const plain = await exportOf('nt', 5);
    expect((await waitForRun(outbound, await runExport(plain.exportId))).status).toBe('SUCCEEDED');
    await outbound.deps.temporal.workflow.getHandle(`export-${plain.exportId}`).result();
    await save('export-run-succeeded-without-results-target', await lastRunHistory(plain.exportId));

    const exp = await exportOf('wt', 5);
    const { createResultsTarget } = await outbound.gql(
      `mutation($input: CreateResultsTargetInput!) { createResultsTarget(input: $input) { id } }`,
      { input: { name: 'Capture warehouse (checked)', databaseUrl: team.url, schema: 'capture_checked' } },
    );
    await outbound.gql(
      `mutation($id: ID!, $input: UpdateExportInput!) { updateExport(id: $id, input: $input) { id } }`,
      { id: exp.exportId, input: { resultsTargetId: createResultsTarget.id } },
    );
    expect((await waitForRun(outbound, await runExport(exp.exportId))).status).toBe('SUCCEEDED');
    await outbound.deps.temporal.workflow.getHandle(`export-${exp.exportId}`).result();
    expect(await team.sql`select 1 from capture_checked.outbound_runs`).toHaveLength(1);
    await save('export-run-wrote-results-to-its-target', await lastRunHistory(exp.exportId));
  },
);

capture(
  'a source change watch running an export, then ending when its change query is removed',
  ['source-change-ran-exports'],
  async () => {
    await team.sql`create table watched_customers (customer_id text primary key, email text, updated_at timestamptz not null default now())`;
    await team.sql`insert into watched_customers (customer_id, email)
      select 'watch-' || i, 'watch' || i || '@outbound.test' from generate_series(1, 3) i`;
    const { createSource } = await outbound.gql(
      `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
      {
        input: {
          name: 'Capture watched CRM',
          databaseUrl: team.url,
          table: 'watched_customers',
          changeQuery: 'select max(updated_at) from watched_customers',
          changeCheckSeconds: 5,
        },
      },
    );
    const sourceId = createSource.id as string;
    await outbound.gql(`mutation($id: ID!) { syncSource(id: $id) { id } }`, { id: sourceId });
    await outbound.deps.temporal.workflow.getHandle(sourceSyncWorkflowId(sourceId)).result();
    const apiKey = `capture-key-${++accounts}`;
    fake.addAccount({ apiKeys: [apiKey], lists: [7] });
    const { createConnection } = await outbound.gql(connectionMutation, {
      input: { displayName: 'Capture watched AC', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
    });
    const { createSegment } = await outbound.gql(
      `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
      { input: { name: 'Capture watched', rule: { all: [{ attribute: 'email', op: 'EXISTS' }] } } },
    );
    const { createExport } = await outbound.gql(
      `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
      {
        input: {
          name: 'Capture watched',
          connectionId: createConnection.id,
          listId: '7',
          segmentIds: [createSegment.id],
          mapping: { email: 'email' },
        },
      },
    );
    const exp = { exportId: createExport.id as string };
    for (let i = 0; i < 600; i++) {
      const [row] = await outbound.sql<
        { last: string | null }[]
      >`select last_change_value as last from sources where id = ${sourceId}`;
      if (row?.last) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await team.sql`update watched_customers set updated_at = now() + interval '1 second' where customer_id = 'watch-1'`;
    let runId: string | undefined;
    for (let i = 0; i < 1_200 && !runId; i++) {
      const [row] = await outbound.sql<{ id: string }[]>`
        select id from export_runs where export_id = ${exp.exportId} and trigger = 'SOURCE_CHANGED'`;
      runId = row?.id;
      if (!runId) await new Promise((r) => setTimeout(r, 100));
    }
    if (!runId) throw new Error('no SOURCE_CHANGED run');
    expect((await waitForRun(outbound, runId)).status).toBe('SUCCEEDED');
    await outbound.gql(`mutation($id: ID!) { updateSource(id: $id, input: { changeQuery: "" }) { id } }`, {
      id: sourceId,
    });
    const watch = outbound.deps.temporal.workflow.getHandle(sourceChangeWorkflowId(sourceId));
    await watch.result();
    await save('source-change-ran-exports', await watch.fetchHistory());
  },
  180_000,
);
