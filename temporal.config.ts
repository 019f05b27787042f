/**
 * Every Temporal setting of Outbound in one place. Pure constants: workflow code imports this file.
 */
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';

export const defaultTaskQueue = 'outbound';

/** One run per export at a time: the workflow id is the export's, started with conflict policy FAIL. */
export const exportWorkflowId = (exportId: string) => `export-${exportId}`;
export const refreshScheduleId = 'refresh';
export const refreshWorkflowId = (scheduleId: string) => `${scheduleId}-workflow`;
/** One sync per source at a time. */
export const sourceSyncWorkflowId = (sourceId: string) => `source-sync-${sourceId}`;
/** One watch of a source's change query at a time (started with conflict policy USE_EXISTING). */
export const sourceChangeWorkflowId = (sourceId: string) => `source-change-${sourceId}`;

/** Registered on the server before any workflow sets them (dev server: --search-attribute). */
export const searchAttributes = {
  ExportId: 'Keyword',
  ConnectionId: 'Keyword',
  RunTrigger: 'Keyword',
  SourceId: 'Keyword',
  SourceSyncStatus: 'Keyword',
} as const;

/** Error types a retry cannot fix; activities throw them as non-retryable ApplicationFailures. */
export const permanentErrorTypes = [
  'CredentialsRejected',
  'PaymentRequired',
  'ListNotFound',
  'ExportNotFound',
  'TooManyProfiles',
  'InvalidConfiguration',
  'MassUnsubscribe',
  'SecretKeyMismatch',
  'MassRemoval',
  'SourceQueryFailed',
  'SourceNotFound',
  'ResultsWriteRefused',
] as const;

const transientRetry: RetryPolicy = {
  // ActiveCampaign's limits reset within a minute; back off up to that and keep trying until the deadline.
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: [...permanentErrorTypes],
};

/** prepareRun: a few queries and two ActiveCampaign checks. */
export const prepareOptions: ActivityOptions = {
  // Two API checks and one count; a minute is generous even under rate limiting.
  startToCloseTimeout: '2m',
  retry: { ...transientRetry, maximumAttempts: 10 },
};

/**
 * pushPage: streams a page of the snapshot into bulk imports. It heartbeats the cursor it recorded, and
 * while ActiveCampaign requests and rate-limit waits (each of which ends by itself) go on; a Postgres
 * query is never covered (activities/heartbeat.ts).
 */
export const pushOptions: ActivityOptions = {
  // A page ends after pageMs, at the end of the 2,000 rows it is sending.
  startToCloseTimeout: '15m',
  // A killed worker, or a query that hangs, is noticed this fast and the page resumes (elsewhere)
  // from the last accepted batch. Longer than any healthy query of a push (reading 2,000 rows,
  // recording a chunk): well under a second.
  heartbeatTimeout: '10s',
  // A cancelled run records its outcome only once the push has really stopped (its last import recorded).
  cancellationType: 'WAIT_CANCELLATION_COMPLETED',
  // Unlimited attempts: the in-workflow deadline, not a retry count, decides when a run gives up.
  retry: transientRetry,
};

/** awaitImports: polls /import/info for the batches ActiveCampaign has not finished. */
export const awaitOptions: ActivityOptions = {
  startToCloseTimeout: '15m',
  // Heartbeats each round's count of polls and pending imports (a round is at most a second's pause,
  // a few polls and two short queries), and while polls go on: 10 s without one is a hang.
  heartbeatTimeout: '10s',
  cancellationType: 'WAIT_CANCELLATION_COMPLETED',
  retry: transientRetry,
};

/** handleLeavers: up to a minute of unsubscribes per call, each recorded as soon as it is done. */
export const leaversOptions: ActivityOptions = {
  startToCloseTimeout: '5m',
  // Heartbeats the count handled after each 50, and while their ActiveCampaign requests go on; its
  // queries (a batch of leavers, analyze of export_contacts) take well under 10 s when healthy.
  heartbeatTimeout: '10s',
  cancellationType: 'WAIT_CANCELLATION_COMPLETED',
  retry: transientRetry,
};

/** finishRun and the other bookkeeping activities: one Postgres transaction each. */
export const bookkeepingOptions: ActivityOptions = {
  startToCloseTimeout: '30s',
  // Bookkeeping must land even after cancellation, so retry Postgres hiccups for a while.
  retry: { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 20 },
};

/** The refresh workflow's activities: segment refreshes are single SQL statements over all profiles. */
export const refreshOptions: ActivityOptions = {
  startToCloseTimeout: '30m',
  // Heartbeats how many segments are done, and once a second while a segment's statement is seen
  // executing (not waiting for a lock: core/segments/statement-watch.ts), so a statement of any
  // length is fine. A killed worker, a lost connection or a lock held this long ends the attempt,
  // which is retried, instead of it lasting the start-to-close timeout. Covers the attribute-name
  // scan before the first segment too (about 1.5 s per million profiles).
  heartbeatTimeout: '30s',
  retry: { initialInterval: '5s', maximumInterval: '1m', maximumAttempts: 5 },
};

/**
 * How long one pushPage call pushes before it returns with its cursor recorded: well inside its
 * start-to-close timeout however slowly a throttled account takes imports (at the documented limits,
 * ~125,000 contacts; 8 calls per 1,000,000).
 */
export const pageMs = 5 * 60_000;

/** At most this many members per pushPage call (tests lower it); in practice `pageMs` ends a page. */
export const pageContacts = 1_000_000;

/** Continue-as-new well before Temporal's 10,240-event warning. */
export const historyEventsBeforeContinueAsNew = 2_000;

/** Exports a refresh lists at once (ids and names, into its history). */
export const scheduledExportsPerPage = 100;

/** Business deadline of a run; the server-side execution timeout is only a backstop above it. */
export const defaultRunTimeLimitMs = 90 * 60_000;
export const executionTimeoutBackstopMs = 10 * 60_000;

/** The run's alerts are delivered by a workflow of their own, one per run: the run never waits for them. */
export const runAlertsWorkflowId = (runId: string) => `run-alerts-${runId}`;

/** A refresh-level event's alerts (core/alerts/event-alerts.ts): one workflow per subject, like a run's. */
export const eventAlertsWorkflowId = (subject: string) => `alerts-${subject}`;

/** deliverRunAlerts and deliverEventAlerts: a few HTTP or SMTP sends, each given up after 10 s. */
export const alertOptions: ActivityOptions = {
  startToCloseTimeout: '2m',
  // A receiver that is down gets its alert when it is back: retried quickly at first, then once a
  // minute, for about a day; a sent delivery is never sent again (core/alerts/deliver.ts).
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 1_500 },
};

/**
 * syncSource: streams a source's rows into staged batches, then swaps them into profiles. Heartbeats the
 * rows read after each batch of 2,000 and once a second during the swap; a killed worker is noticed
 * within the heartbeat timeout and the sync continues after its last staged batch.
 */
export const sourceSyncOptions: ActivityOptions = {
  startToCloseTimeout: '2h',
  heartbeatTimeout: '30s',
  retry: {
    initialInterval: '5s',
    maximumInterval: '1m',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...permanentErrorTypes],
  },
};

/**
 * writeRunResults: streams a run's contacts and the list mirror into the results target, heartbeating the
 * rows written. Retried a few times only: the export's next run waits for it, and a failure fails nothing
 * else (the run records resultsWriteError and RESULTS_WRITE_FAILED alerts).
 */
export const resultsWriteOptions: ActivityOptions = {
  startToCloseTimeout: '1h',
  heartbeatTimeout: '1m',
  retry: {
    initialInterval: '5s',
    maximumInterval: '30s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...permanentErrorTypes],
  },
};

/** checkSourceChange: one short read-only query (its own timeout is 30 s) on the team's database. */
export const changeCheckOptions: ActivityOptions = {
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 },
};
