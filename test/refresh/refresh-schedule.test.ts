import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';
import { ensureRefreshSchedule } from '../../core/temporal/refresh-schedule.ts';
import { tokenFor } from '../api/helpers.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { type ScheduleApi, scheduleFields, uniqueScheduleId, withScheduleId } from './schedule-api.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

let outbound: Outbound;
let schedule: ScheduleApi;
let viewerToken: string;

beforeAll(async () => {
  outbound = await startOutbound();
  schedule = withScheduleId(outbound, uniqueScheduleId('schedule'));
  viewerToken = await tokenFor(outbound, 'VIEWER');
});

beforeEach(async () => {
  await schedule.delete();
  await outbound.sql`delete from settings where key = 'refreshSchedule'`;
});

afterAll(async () => {
  await schedule?.delete();
  await outbound?.close();
});

type ScheduleView = {
  cron: string;
  timezone: string;
  maxConcurrentExports: number;
  nextRunAt: string | null;
  lastRunAt: string | null;
};

/** The schedule as the worker creates it at start-up: the defaults, for this test's task queue. */
const createDefaultSchedule = () =>
  ensureRefreshSchedule({
    sql: outbound.sql,
    temporal: outbound.deps.temporal,
    taskQueue: outbound.config.taskQueue,
    scheduleId: schedule.scheduleId,
    runTimeLimitMs: 60_000,
  });

const readSchedule = async () =>
  (await schedule.gql<{ refreshSchedule: ScheduleView }>(`{ refreshSchedule { ${scheduleFields} } }`))
    .refreshSchedule;

const updateMutation = `mutation($cron: String!, $timezone: String!) {
  updateRefreshSchedule(cron: $cron, timezone: $timezone) { ${scheduleFields} }
}`;

/** The hour, minute and weekday of `at` on the wall clock of `timeZone`. */
function wallClock(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { hour: Number(parts.hour), minute: Number(parts.minute), weekday: parts.weekday };
}

/** `npm run start:worker` as a child process in its own process group, for this test's database and schedule id. */
function startWorkerProcess(): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(`${projectRoot}node_modules/.bin/tsx`, ['scripts/start-worker.ts'], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: outbound.database.url,
      TEMPORAL_ADDRESS: outbound.config.temporalAddress,
      TEMPORAL_NAMESPACE: outbound.config.temporalNamespace,
      TEMPORAL_TASK_QUEUE: outbound.config.taskQueue,
      OUTBOUND_SECRET_KEY: outbound.config.secretKey,
      OUTBOUND_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      OUTBOUND_REFRESH_SCHEDULE_ID: schedule.scheduleId,
      OUTBOUND_WORKER_HTTP_PORT: '0',
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid)
        process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
}

describe('refresh schedule', () => {
  test('before the schedule exists, refreshSchedule shows the defaults and no runs', async () => {
    expect(await schedule.describe()).toBeNull();
    expect(await readSchedule()).toEqual({
      cron: '0 2 * * *',
      timezone: 'UTC',
      maxConcurrentExports: 4,
      nextRunAt: null,
      lastRunAt: null,
    });
  });

  test('the worker creates the schedule at start-up when it is missing', async () => {
    const worker = startWorkerProcess();
    try {
      const deadline = Date.now() + 60_000;
      // Started: it logs once the schedule is in place and the worker polls.
      while (!worker.output().includes('is in place')) {
        if (worker.child.exitCode !== null) throw new Error(`The worker exited early:\n${worker.output()}`);
        if (Date.now() > deadline) throw new Error(`Not started after 60 s:\n${worker.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await worker.stop();
    }
    expect(worker.output()).toContain(`refresh schedule ${schedule.scheduleId} is in place`);

    const description = await schedule.handle().describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'refreshWorkflow',
      taskQueue: outbound.config.taskQueue,
    });
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.spec.timezone).toBe('UTC');
    expect(description.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 2, end: 2, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });

    const shown = await readSchedule();
    expect(shown.lastRunAt).toBeNull();
    const next = new Date(shown.nextRunAt as string);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(next.toISOString()).toMatch(/T02:00:00\.000Z$/);
  });

  test('start-up leaves an existing schedule as it is', async () => {
    await createDefaultSchedule();
    await schedule.handle().pause('paused by the test');
    const before = await schedule.handle().describe();
    await ensureRefreshSchedule({
      sql: outbound.sql,
      temporal: outbound.deps.temporal,
      taskQueue: 'some-other-queue',
      scheduleId: schedule.scheduleId,
      runTimeLimitMs: 1000,
    });
    const after = await schedule.handle().describe();
    expect(after.state.paused).toBe(true);
    expect(after.action).toMatchObject({ taskQueue: outbound.config.taskQueue });
    expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
  });

  test.each([
    ['a cron of the wrong shape', 'every day at two', 'UTC', 'cron', /five-field cron/],
    ['a cron of six fields', '0 0 2 * * *', 'UTC', 'cron', /five-field cron/],
    ['a minute out of range', '99 2 * * *', 'UTC', 'cron', /Minute is not in range/],
    ['an unknown weekday', '0 2 * * FOO', 'UTC', 'cron', /DayOfWeek/],
    ['an unsupported cron feature', '0 2 L * *', 'UTC', 'cron', /Invalid cron expression/],
    ['an unknown time zone', '0 3 * * *', 'Mars/Olympus', 'timezone', /Unknown time zone "Mars\/Olympus"/],
    ['an empty time zone', '0 3 * * *', '', 'timezone', /Unknown time zone/],
    ['a UTC offset instead of a zone', '0 3 * * *', '+01:00', 'timezone', /IANA/],
  ])(
    'updateRefreshSchedule refuses %s with BAD_USER_INPUT naming the field, and changes nothing',
    async (_name, cron, timezone, field, message) => {
      await createDefaultSchedule();
      const before = await schedule.handle().describe();
      const result = await schedule.graphql(updateMutation, { cron, timezone });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(result.errors?.[0]?.message).toMatch(message);

      const after = await schedule.handle().describe();
      expect(after.spec).toEqual(before.spec);
      expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
      expect(await outbound.sql`select 1 from settings where key = 'refreshSchedule'`).toHaveLength(0);
      expect((await readSchedule()).cron).toBe('0 2 * * *');
    },
  );

  test('only an admin may change the schedule or trigger a refresh', async () => {
    const update = await schedule.graphql(
      updateMutation,
      { cron: '0 5 * * *', timezone: 'UTC' },
      viewerToken,
    );
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const trigger = await schedule.graphql('mutation { triggerRefresh }', {}, viewerToken);
    expect(trigger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await schedule.graphql(`{ refreshSchedule { cron } }`, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Viewers may look at it.
    const viewed = await schedule.graphql(`{ refreshSchedule { cron } }`, {}, viewerToken);
    expect(viewed.data?.refreshSchedule.cron).toBe('0 2 * * *');
  });

  test('updateRefreshSchedule changes the Temporal schedule, spells the time zone canonically and saves it', async () => {
    await createDefaultSchedule();
    const { updateRefreshSchedule } = await schedule.gql<{ updateRefreshSchedule: ScheduleView }>(
      updateMutation,
      {
        cron: ' 30  4 * * 1-5 ',
        timezone: 'europe/budapest',
      },
    );
    expect(updateRefreshSchedule).toMatchObject({
      cron: '30 4 * * 1-5',
      timezone: 'Europe/Budapest',
      lastRunAt: null,
    });

    const next = new Date(updateRefreshSchedule.nextRunAt as string);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(4 * 24 * 3600_000);
    const local = wallClock(next, 'Europe/Budapest');
    expect([local.hour, local.minute]).toEqual([4, 30]);
    expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(local.weekday);

    const description = await schedule.handle().describe();
    expect(description.spec.timezone).toBe('Europe/Budapest');
    expect(description.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 4, end: 4, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
    });
    expect(description.action).toMatchObject({
      workflowType: 'refreshWorkflow',
      taskQueue: outbound.config.taskQueue,
    });
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.info.nextActionTimes[0]?.toISOString()).toBe(updateRefreshSchedule.nextRunAt);

    // Saved: a later read (and a re-created schedule) uses it.
    expect(await readSchedule()).toMatchObject({ cron: '30 4 * * 1-5', timezone: 'Europe/Budapest' });
    const [audit] = await outbound.sql`
      select details from audit_events
      where action = 'schedule.updated' and subject_id = ${schedule.scheduleId}
      order by id desc limit 1`;
    expect(audit?.details).toEqual({ cron: '30 4 * * 1-5', timezone: 'Europe/Budapest' });
  });

  test('updateRefreshSchedule creates the schedule when it was deleted', async () => {
    await createDefaultSchedule();
    await schedule.delete();
    expect(await schedule.describe()).toBeNull();
    const { updateRefreshSchedule } = await schedule.gql<{ updateRefreshSchedule: ScheduleView }>(
      updateMutation,
      {
        cron: '15 1 * * *',
        timezone: 'UTC',
      },
    );
    expect(updateRefreshSchedule.nextRunAt).toMatch(/T01:15:00\.000Z$/);
    expect((await schedule.handle().describe()).spec.timezone).toBe('UTC');
  });

  test('triggerRefresh runs the refresh now and refreshSchedule shows it as the last run', async () => {
    await schedule.gql(updateMutation, { cron: '15 1 * * *', timezone: 'UTC' });
    const before = Date.now();
    expect(await schedule.gql('mutation { triggerRefresh }')).toEqual({ triggerRefresh: true });
    const refresh = await schedule.refreshWorkflow(0);
    expect(await refresh.result()).toEqual({ segments: 0, failedSegments: 0, started: 0, skipped: 0 });

    const shown = await readSchedule();
    const lastRunAt = new Date(shown.lastRunAt as string).getTime();
    expect(lastRunAt).toBeGreaterThanOrEqual(before - 1000);
    expect(lastRunAt).toBeLessThanOrEqual(Date.now());
    expect(shown.nextRunAt).toMatch(/T01:15:00\.000Z$/);
  });
});
