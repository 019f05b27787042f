import { type runPhase, runStatus, runTrigger } from '../../db/schema.ts';

/**
 * A run's statuses, triggers and stored phases: the pgEnums of db/schema.ts are their one spelling;
 * the TypeScript unions and the GraphQL enums are derived from them.
 */

export const runStatuses = runStatus.enumValues;
export type RunStatus = (typeof runStatuses)[number];

/** Queued or running: an export has one such run at most. */
export const activeRunStatuses = ['QUEUED', 'RUNNING'] as const satisfies readonly RunStatus[];
export type ActiveRunStatus = (typeof activeRunStatuses)[number];

/** How a run ended: every status but the active ones. */
export type RunOutcomeStatus = Exclude<RunStatus, ActiveRunStatus>;
export const terminalRunStatuses = runStatuses.filter(
  (status): status is RunOutcomeStatus => !(activeRunStatuses as readonly string[]).includes(status),
);

export function isTerminalRunStatus(status: string): status is RunOutcomeStatus {
  return (terminalRunStatuses as readonly string[]).includes(status);
}

export const runTriggers = runTrigger.enumValues;
export type RunTrigger = (typeof runTriggers)[number];
/** The triggers of runs a workflow starts (the refresh, a source's change watch). */
export type ScheduledTrigger = Exclude<RunTrigger, 'ON_DEMAND'>;

/** What a running run is doing, as recorded (export_runs.phase). */
export type RunPhase = (typeof runPhase.enumValues)[number];
