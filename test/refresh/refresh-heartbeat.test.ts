import { randomUUID } from 'node:crypto';
import { decodeTimeoutType } from '@temporalio/common';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RefreshWorkflowInput, RefreshWorkflowResult } from '../../workflows/refresh-workflow.ts';
import { insertProfiles, makeProfiles } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { startWorkerProcess, type WorkerProcess, workerEnv } from '../support/worker-process.ts';

let outbound: Outbound;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  await insertProfiles(outbound.sql, makeProfiles(50));
});

afterAll(async () => {
  await worker?.kill();
  // The worker process created its refresh schedule (a nightly cron): not left behind for other files.
  await outbound?.deps.temporal.schedule
    .getHandle(`refresh-${outbound.config.taskQueue}`)
    .delete()
    .catch(() => {});
  await outbound?.close();
});

async function createSegment(name: string): Promise<string> {
  const { createSegment } = await outbound.gql<{ createSegment: { id: string } }>(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
    { input: { name, rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] } } },
  );
  return createSegment.id;
}

const generations = async (ids: string[]) =>
  (
    await outbound.sql<{ id: string; generation: number }[]>`
      select id, generation from segments where id = any(${ids}::uuid[]) order by id`
  ).map((s) => [s.id, s.generation] as const);

test('a worker killed during a refresh is replaced within the heartbeat timeout, not start-to-close', async () => {
  const ids = [await createSegment('First'), await createSegment('Second'), await createSegment('Last')];
  const before = new Map(await generations(ids));

  // The test holds the last segment's row: the refresh does the first two and then waits there.
  const lock = await outbound.sql.reserve();
  await lock`begin`;
  await lock`select id from segments where id = ${ids[2] as string} for update`;

  worker = await startWorkerProcess(workerEnv(outbound.config));
  const input: RefreshWorkflowInput = { maxConcurrentExports: 1, timeLimitMs: 60_000 };
  const handle = await outbound.deps.temporal.workflow.start('refreshWorkflow', {
    taskQueue: outbound.config.taskQueue,
    workflowId: `refresh-heartbeat-${randomUUID()}`,
    args: [input],
  });

  // Its heartbeats carry how far it got.
  let reached: unknown;
  for (let tries = 0; tries < 300 && (reached as { done?: number })?.done !== 2; tries++) {
    const { raw } = await handle.describe();
    const payload = raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
    reached = payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(reached).toEqual({ done: 2, of: 3 });

  await worker.kill('SIGKILL');
  await lock`commit`;
  lock.release();
  worker = await startWorkerProcess(workerEnv(outbound.config));

  // The refresh completes: the killed attempt was given up after the heartbeat timeout (30 s), where
  // without heartbeats it would have been only after its start-to-close timeout (30 min).
  const result: RefreshWorkflowResult = await handle.result();
  expect(result).toMatchObject({ segments: 3, failedSegments: 0 });
  const after = await generations(ids);
  for (const [id, generation] of after) expect(generation).toBeGreaterThan(before.get(id) as number);

  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'refreshAllSegments',
  );
  const started = events.find(
    (e) =>
      e.activityTaskStartedEventAttributes &&
      String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(scheduled?.eventId),
  )?.activityTaskStartedEventAttributes;
  expect(started?.attempt).toBeGreaterThanOrEqual(2);
  expect(decodeTimeoutType(started?.lastFailure?.timeoutFailureInfo?.timeoutType)).toBe('HEARTBEAT');
}, 150_000);
