import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import type { Sql } from '../../db/client.ts';
import { refreshWorkflowId } from '../../temporal.config.ts';
import {
  type RefreshScheduleSettings,
  readScheduleSettings,
  saveScheduleSettings,
} from '../refresh/schedule-settings.ts';
import type { ScheduledRefreshInput } from './start-options.ts';

export type ScheduleDeps = {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  scheduleId: string;
  runTimeLimitMs: number;
};

function scheduleOptions(deps: ScheduleDeps, settings: RefreshScheduleSettings) {
  return {
    spec: { cronExpressions: [settings.cron], timezone: settings.timezone },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'refreshWorkflow',
      workflowId: refreshWorkflowId(deps.scheduleId),
      taskQueue: deps.taskQueue,
      args: [
        { maxConcurrentExports: settings.maxConcurrentExports, timeLimitMs: deps.runTimeLimitMs },
      ] satisfies [ScheduledRefreshInput],
    },
    // A tick while the previous refresh still runs is skipped, not queued.
    policies: { overlap: 'SKIP' as const },
  };
}

/** Creates the refresh schedule from the saved settings when it does not exist yet (at start-up). */
export async function ensureRefreshSchedule(deps: ScheduleDeps): Promise<void> {
  const settings = await readScheduleSettings(deps.sql);
  try {
    await deps.temporal.schedule.create({ scheduleId: deps.scheduleId, ...scheduleOptions(deps, settings) });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}

/** A cron expression or time zone the Temporal server refused; `field` is `cron` or `timezone`. */
export class RefreshScheduleInputError extends Error {
  constructor(
    readonly field: 'cron' | 'timezone',
    message: string,
  ) {
    super(message);
    this.name = 'RefreshScheduleInputError';
  }
}

/**
 * The server validates the spec and answers INVALID_ARGUMENT, which the client raises as a TypeError:
 * "Minute is not in range [0-59]", "unknown time zone utc".
 */
function asInputError(error: unknown, change: { cron: string; timezone: string }): unknown {
  if (!(error instanceof TypeError)) return error;
  if (/time ?zone/i.test(error.message)) {
    return new RefreshScheduleInputError(
      'timezone',
      `Unknown time zone "${change.timezone}": use an IANA name such as Europe/Budapest or UTC.`,
    );
  }
  return new RefreshScheduleInputError('cron', `Invalid cron expression "${change.cron}": ${error.message}.`);
}

/**
 * Changes the Temporal schedule first (the server validates cron and time zone: a refusal throws
 * RefreshScheduleInputError and changes nothing), then saves the settings.
 */
export async function saveRefreshSchedule(
  deps: ScheduleDeps,
  change: { cron: string; timezone: string },
): Promise<void> {
  const settings = { ...(await readScheduleSettings(deps.sql)), ...change };
  const handle = deps.temporal.schedule.getHandle(deps.scheduleId);
  try {
    try {
      await handle.update((previous) => ({ ...previous, ...scheduleOptions(deps, settings) }));
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      await deps.temporal.schedule.create({
        scheduleId: deps.scheduleId,
        ...scheduleOptions(deps, settings),
      });
    }
  } catch (error) {
    throw asInputError(error, change);
  }
  await saveScheduleSettings(deps.sql, settings);
}

export type RefreshScheduleState = RefreshScheduleSettings & {
  nextRunAt: Date | null;
  lastRunAt: Date | null;
};

export async function describeRefreshSchedule(deps: ScheduleDeps): Promise<RefreshScheduleState> {
  const settings = await readScheduleSettings(deps.sql);
  try {
    const description = await deps.temporal.schedule.getHandle(deps.scheduleId).describe();
    return {
      ...settings,
      nextRunAt: description.info.nextActionTimes[0] ?? null,
      lastRunAt: description.info.recentActions.at(-1)?.takenAt ?? null,
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return { ...settings, nextRunAt: null, lastRunAt: null };
    throw error;
  }
}

/** Runs a refresh now; skipped like a tick if one is already running. */
export async function triggerRefreshNow(deps: ScheduleDeps): Promise<void> {
  await ensureRefreshSchedule(deps);
  await deps.temporal.schedule.getHandle(deps.scheduleId).trigger('SKIP');
}
