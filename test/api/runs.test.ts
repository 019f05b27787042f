import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSecretBox, generateSecretKey } from '../../core/secrets.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { insertProfiles, makeProfiles, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { readRun, waitForRun } from '../support/runs.ts';
import {
  auditDoc,
  cancelRunDoc,
  expectNothingWritten,
  expectRejected,
  runExportDoc,
  tokenFor,
} from './helpers.ts';

const scale = 20;
let fake: FakeActiveCampaign;
let outbound: Outbound;
let viewer: string;
let contributor: string;
let keys = 0;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale });
  viewer = await tokenFor(outbound, 'VIEWER');
  contributor = await tokenFor(outbound, 'CONTRIBUTOR');
  await insertProfiles(outbound.sql, makeProfiles(5));
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

/** An export of five profiles on an account of its own, whose requests take `latencyMs` once set up. */
async function newExport(latencyMs = 0) {
  const apiKey = `runs-key-${++keys}-abcdef`;
  const account = fake.addAccount({ apiKeys: [apiKey], lists: [7] });
  const ids = await setUpExport(outbound, fake, {
    apiKey,
    name: `Export ${keys}`,
    customerIds: makeProfiles(5).map((p) => p.customerId),
  });
  account.setFaults({ latencyMs });
  return { ...ids, account };
}

const startRun = async (exportId: string, token?: string) =>
  (await outbound.gql(runExportDoc, { id: exportId }, token)).runExport;
const actions = async (subjectId: string) =>
  (await outbound.gql(auditDoc, { subjectId })).auditEvents.nodes.map(
    (e: { action: string; actorEmail: string }) => [e.action, e.actorEmail],
  );

describe('runExport and cancelExportRun', () => {
  test('one run at a time: a second request is a CONFLICT naming the active run', async () => {
    const exp = await newExport(1_500);
    const run = await startRun(exp.exportId);
    expect(run).toMatchObject({
      status: 'QUEUED',
      trigger: 'ON_DEMAND',
      workflowId: `export-${exp.exportId}`,
    });
    expect(await actions(run.id)).toEqual([['run.started', 'admin@outbound.test']]);

    const second = await expectNothingWritten(outbound, () =>
      outbound.graphql(runExportDoc, { id: exp.exportId }),
    );
    expectRejected(second, { code: 'CONFLICT', message: new RegExp(`already running \\(run ${run.id}\\)`) });
    expect(second.errors?.[0]?.extensions?.runId).toBe(run.id);

    const { cancelExportRun } = await outbound.gql(cancelRunDoc, { id: run.id });
    expect(cancelExportRun.id).toBe(run.id);
    expect(await actions(run.id)).toEqual([
      ['run.cancelled', 'admin@outbound.test'],
      ['run.started', 'admin@outbound.test'],
    ]);
    expect((await waitForRun(outbound, run.id)).status).toBe('CANCELLED');

    exp.account.setFaults({});
    const next = await startRun(exp.exportId);
    expect((await waitForRun(outbound, next.id)).status).toBe('SUCCEEDED');
    const { cancelExportRun: finished } = await outbound.gql(cancelRunDoc, { id: next.id });
    expect(finished.status).toBe('SUCCEEDED');
    expect(await actions(next.id)).toEqual([['run.started', 'admin@outbound.test']]);
  });

  test('"Run now" right after a run without results target ended starts the next run', async () => {
    const exp = await newExport();
    const first = await startRun(exp.exportId);
    expect((await waitForRun(outbound, first.id)).status).toBe('SUCCEEDED');
    const next = await startRun(exp.exportId);
    expect(next).toMatchObject({ status: 'QUEUED', workflowId: `export-${exp.exportId}` });
    expect((await waitForRun(outbound, next.id)).status).toBe('SUCCEEDED');

    // Without a results target the workflow ends with the outcome and the alerts, no results write.
    const [{ temporalRunId }] = await outbound.sql<[{ temporalRunId: string }]>`
      select temporal_run_id as "temporalRunId" from export_runs where id = ${first.id}`;
    const history = await outbound.deps.temporal.workflow
      .getHandle(first.workflowId, temporalRunId)
      .fetchHistory();
    const activities = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter((name) => name !== undefined);
    expect(activities.at(-1)).toBe('finishRun');
    expect(activities).not.toContain('writeRunResults');
  });

  test('a workflow still closing delays the start until it closes; one that stays open is a CONFLICT', async () => {
    const exp = await newExport();
    const workflowId = `export-${exp.exportId}`;
    // Stands in for a run that recorded its outcome but whose workflow has not closed yet.
    const lingering = () =>
      outbound.deps.temporal.workflow.start('exportRunWorkflow', {
        taskQueue: 'nobody-polls-this-queue',
        workflowId,
        args: [{ runId: 'lingering', timeLimitMs: 60_000 }],
      });
    const closing = await lingering();
    // Each start the API asks of Temporal, and how Temporal answered (the calls themselves go through).
    const workflows = outbound.deps.temporal.workflow;
    const realStart = workflows.start.bind(workflows);
    const answers: string[] = [];
    let refusedOnce: () => void = () => {};
    const refused = new Promise<void>((resolve) => {
      refusedOnce = resolve;
    });
    workflows.start = (async (...args: Parameters<typeof realStart>) => {
      try {
        const handle = await realStart(...args);
        answers.push('started');
        return handle;
      } catch (error) {
        answers.push(error instanceof WorkflowExecutionAlreadyStartedError ? 'already started' : 'error');
        refusedOnce();
        throw error;
      }
    }) as typeof workflows.start;
    let run: { id: string };
    try {
      const starting = startRun(exp.exportId);
      // The start was refused while the previous workflow was open; it closes only now.
      await refused;
      await closing.terminate();
      run = await starting;
    } finally {
      Reflect.deleteProperty(workflows, 'start');
    }
    expect(answers[0]).toBe('already started');
    expect(answers.at(-1)).toBe('started');
    expect(answers.filter((a) => a === 'started')).toHaveLength(1);
    expect((await waitForRun(outbound, run.id)).status).toBe('SUCCEEDED');
    // The run records its outcome a moment before its workflow closes.
    await outbound.deps.temporal.workflow.getHandle(workflowId).result();

    const stuck = await lingering();
    const conflicting = await expectNothingWritten(outbound, () =>
      outbound.graphql(runExportDoc, { id: exp.exportId }),
    );
    expectRejected(conflicting, {
      code: 'CONFLICT',
      message: new RegExp(`previous run has ended, but its workflow ${workflowId} is still closing`),
    });
    expect(conflicting.errors?.[0]?.extensions?.workflowId).toBe(workflowId);
    await stuck.terminate();
  });

  test('viewers, and contributors on admin-only connections, can neither run nor cancel', async () => {
    const exp = await newExport(1_500);
    for (const token of [viewer, contributor]) {
      const refused = await expectNothingWritten(outbound, () =>
        outbound.graphql(runExportDoc, { id: exp.exportId }, token),
      );
      expectRejected(refused, { code: 'FORBIDDEN' });
    }
    const run = await startRun(exp.exportId);
    for (const token of [viewer, contributor]) {
      expectRejected(await outbound.graphql(cancelRunDoc, { id: run.id }, token), { code: 'FORBIDDEN' });
    }
    expect((await readRun(outbound, run.id)).status).not.toBe('CANCELLED');
    await outbound.gql(cancelRunDoc, { id: run.id });
    expect((await waitForRun(outbound, run.id)).status).toBe('CANCELLED');
    expectRejected(await outbound.graphql(runExportDoc, { id: 'nope' }), { code: 'NOT_FOUND' });
    expectRejected(await outbound.graphql(cancelRunDoc, { id: 'nope' }), { code: 'NOT_FOUND' });
  });

  test('deleting the export cancels its running run', async () => {
    const exp = await newExport(1_500);
    const run = await startRun(exp.exportId);
    await outbound.gql('mutation($id: ID!) { deleteExport(id: $id) }', { id: exp.exportId });
    expect((await waitForRun(outbound, run.id)).status).toBe('CANCELLED');
  });

  test('deleting the connection cancels running runs, and its exports cannot run again', async () => {
    const exp = await newExport(1_500);
    const run = await startRun(exp.exportId);
    await outbound.gql('mutation($id: ID!) { deleteConnection(id: $id) }', { id: exp.connectionId });
    expect((await waitForRun(outbound, run.id)).status).toBe('CANCELLED');
    const again = await expectNothingWritten(outbound, () =>
      outbound.graphql(runExportDoc, { id: exp.exportId }),
    );
    expectRejected(again, { code: 'CONFLICT', message: /was deleted/ });
  });
});

describe('finding, following and failing runs', () => {
  test('a run is found in a Temporal list filter by RunTrigger, ExportId and ConnectionId', async () => {
    const exp = await newExport();
    const { runExport } = await outbound.gql(
      `mutation($id: ID!) { runExport(id: $id) { id workflowId temporalUrl } }`,
      { id: exp.exportId },
    );
    // runExport links the execution itself, as exportRun does.
    const { runId } = await outbound.deps.temporal.workflow.getHandle(runExport.workflowId).describe();
    expect(runExport.temporalUrl).toBe(
      `http://localhost:8233/namespaces/default/workflows/${runExport.workflowId}/${runId}/history`,
    );
    expect((await waitForRun(outbound, runExport.id)).status).toBe('SUCCEEDED');
    // The filters docs/api-guide.md gives, as the Temporal UI and CLI send them. Visibility is eventually
    // consistent: first wait until it lists the closed run at all, so that an empty answer means something.
    const listed = async (query: string) => {
      const found: Array<{ runId: string; status: string }> = [];
      for await (const workflow of outbound.deps.temporal.workflow.list({ query }))
        found.push({ runId: workflow.runId, status: workflow.status.name });
      return found;
    };
    await expect
      .poll(() => listed(`ExportId = "${exp.exportId}"`), { timeout: 60_000, interval: 200 })
      .toEqual([{ runId, status: 'COMPLETED' }]);
    const query = `RunTrigger = "ON_DEMAND" AND ExportId = "${exp.exportId}" AND ConnectionId = "${exp.connectionId}"`;
    expect((await listed(query)).map((w) => w.runId)).toEqual([runId]);
    expect(await listed(`RunTrigger = "SCHEDULED" AND ExportId = "${exp.exportId}"`)).toEqual([]);
    expect(
      await listed(`RunTrigger = "ON_DEMAND" AND ExportId = "${exp.exportId}" AND ConnectionId = "x"`),
    ).toEqual([]);
  });

  test('progress shows the phase and what ActiveCampaign confirmed, not a finished look while waiting on it', async () => {
    const exp = await newExport();
    exp.account.setFaults({ stuckBatches: 1 });
    const run = await startRun(exp.exportId);
    const waiting = await waitForRun(outbound, run.id, {
      until: (r) =>
        r.progress.phase === 'AWAITING_IMPORTS' || (r.status !== 'RUNNING' && r.status !== 'QUEUED'),
    });
    expect(waiting).toMatchObject({
      status: 'RUNNING',
      exportedCount: 0,
      progress: { phase: 'AWAITING_IMPORTS', processed: 5, total: 5, confirmed: 0, etaSeconds: null },
    });
    await outbound.gql(cancelRunDoc, { id: run.id });
    const cancelled = await waitForRun(outbound, run.id);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', progress: { phase: 'FINISHED', confirmed: 0 } });

    exp.account.setFaults({});
    const next = await waitForRun(outbound, (await startRun(exp.exportId)).id);
    expect(next).toMatchObject({
      status: 'SUCCEEDED',
      exportedCount: 5,
      progress: { phase: 'FINISHED', processed: 5, total: 5, confirmed: 5, etaSeconds: 0 },
    });
  });

  test('a key sealed under another OUTBOUND_SECRET_KEY fails the run at once, saying what to do', async () => {
    const exp = await newExport();
    // As after a fresh .data/ or a second checkout against the same database.
    const otherBox = await createSecretBox(generateSecretKey());
    const sealed = await otherBox.encrypt(`runs-key-${keys}-abcdef`);
    await outbound.sql`update connections set api_key_ciphertext = ${sealed} where id = ${exp.connectionId}`;
    const run = await startRun(exp.exportId);
    // Retries would take minutes; a permanent failure ends the run within this timeout.
    const failed = await waitForRun(outbound, run.id, { timeoutMs: 30_000 });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/OUTBOUND_SECRET_KEY/);
    expect(failed.error).toMatch(/enter the connection’s API key again/);
    const history = await outbound.deps.temporal.workflow.getHandle(failed.workflowId).fetchHistory();
    const events = history.events ?? [];
    const scheduled = events
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter((name) => name !== undefined);
    const attempts = events
      .filter((e) => e.activityTaskStartedEventAttributes)
      .map((e) => e.activityTaskStartedEventAttributes?.attempt);
    // prepareRun once and not retried; then only the run's ending (finishRun).
    expect(scheduled.filter((name) => name === 'prepareRun')).toHaveLength(1);
    expect(scheduled).not.toContain('pushPage');
    expect(attempts.every((attempt) => attempt === 1)).toBe(true);

    // The API says the same where it decrypts: checking an export against ActiveCampaign.
    const update = await outbound.graphql(
      `mutation($id: ID!) { updateExport(id: $id, input: { listId: "8" }) { id } }`,
      {
        id: exp.exportId,
      },
    );
    expect(update.errors?.[0]?.message).toMatch(/OUTBOUND_SECRET_KEY/);
    expect(update.errors?.[0]?.extensions?.field).toBe('connectionId');
  });
});

describe('Export.runs', () => {
  const runsDoc = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    export(id: $id) { runs(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id status } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    } }
  }`;

  test('pages newest first with first/after and last/before, even within one millisecond', async () => {
    const exp = await newExport();
    // Microseconds apart: a cursor rounded to JavaScript's milliseconds would skip some of these.
    const times = ['00:00:00.000100', '00:00:00.000200', '00:00:00.000300', '00:00:00.000900', '00:00:01'];
    const ids: string[] = [];
    for (const time of times) {
      const [row] = await outbound.sql<[{ id: string }]>`
        insert into export_runs (export_id, trigger, status, workflow_id, created_at)
        values (${exp.exportId}, 'SCHEDULED', 'SUCCEEDED', ${`export-${exp.exportId}`}, ${`2026-01-01T${time}Z`}::timestamptz)
        returning id`;
      ids.unshift(row.id);
    }
    const page = async (variables: Record<string, unknown>) =>
      (await outbound.gql(runsDoc, { id: exp.exportId, ...variables })).export.runs;

    const first = await page({ first: 2 });
    expect(first.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(0, 2));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(2, 4));
    expect(second.pageInfo.hasNextPage).toBe(true);
    const third = await page({ first: 2, after: second.pageInfo.endCursor });
    expect(third.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(4));
    expect(third.pageInfo.hasNextPage).toBe(false);

    const back = await page({ last: 2, before: third.pageInfo.startCursor });
    expect(back.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(2, 4));
    expect(back.pageInfo.hasPreviousPage).toBe(true);

    expectRejected(await outbound.graphql(runsDoc, { id: exp.exportId, first: 2, after: 'garbage' }), {
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});
