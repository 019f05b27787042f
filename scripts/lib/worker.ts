import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import { createConnector } from '../../core/activecampaign/connector.ts';
import { healthRoutes } from '../../core/observability/health.ts';
import { createMetrics, type Metrics } from '../../core/observability/metrics.ts';
import { openReadinessChecks } from '../../core/observability/readiness.ts';
import { createSecretBox } from '../../core/secrets.ts';
import { createDb } from '../../db/client.ts';
import { type Config, defaultWorkerMaxActivities } from '../config.ts';
import { openRateLimiter } from './open-rate-limiter.ts';
import {
  checkTemporalTls,
  connectTemporalClient,
  temporalConnectError,
  temporalConnectionOptions,
} from './temporal-connection.ts';
import type { TemporalSettings } from './temporal-settings.ts';
import { workerWorkflowBundle } from './workflow-bundle.ts';

export type WorkerSetup = Pick<
  Config,
  | 'databaseUrl'
  | keyof TemporalSettings
  | 'taskQueue'
  | 'secretKey'
  | 'insecureHosts'
  | 'maxProfilesPerExport'
  | 'maxContactAttempts'
  | 'rateScale'
  | 'unsubscribeGuardPercent'
  | 'sourceMaxRemovalPercent'
  | 'sourceStatementTimeoutMs'
  | 'profileLimits'
  | 'segmentRefreshTimeLimitMs'
  | 'temporalUiUrl'
  | 'smtpUrl'
  | 'alertEmailFrom'
  | 'publicUrl'
> & {
  /** Activities run at once (OUTBOUND_WORKER_MAX_ACTIVITIES); defaultWorkerMaxActivities when absent. */
  workerMaxActivities?: number;
  /** A prebuilt bundle (tests build it once); otherwise workflows/ is bundled at start (see workerWorkflowBundle). */
  workflowBundlePath?: string;
  /** The process's metrics; one of its own when absent. */
  metrics?: Metrics;
  /** More Prometheus text for `/metrics`: the Temporal SDK's (see installTemporalRuntime). */
  extraMetrics?: () => Promise<string>;
};

/** The worker process exits within this of SIGTERM, whatever Postgres and Temporal do (docs/operations.md, "Stopping and starting"). */
export const workerStopWithinMs = 25_000;

/** The worker with its activities' dependencies; `shutdown()` stops polling and closes what it opened. */
export async function createOutboundWorker(setup: WorkerSetup, overrides: Partial<WorkerOptions> = {}) {
  const temporalClientConnection = await connectTemporalClient(setup);
  await checkTemporalTls(setup);
  const workerConnection = await NativeConnection.connect(temporalConnectionOptions(setup)).catch(
    async (error) => {
      await temporalClientConnection.close();
      throw temporalConnectError(setup, error);
    },
  );
  const maxActivities = setup.workerMaxActivities ?? defaultWorkerMaxActivities;
  // Pushes running side by side each keep a query or two in flight: a pool far smaller than the
  // activities makes their slot reservations wait for a connection.
  const database = createDb(setup.databaseUrl, {
    max: Math.min(8 + Math.ceil(maxActivities / 4), 24),
    applicationName: 'outbound-worker',
  });
  const rateLimiter = openRateLimiter(setup.databaseUrl, setup.rateScale);
  // How fast the account's clock runs: its limits, and so imports and pauses, at 1× in production.
  const timeScale = setup.rateScale > 0 ? setup.rateScale : 100;
  const metrics = setup.metrics ?? createMetrics();
  const activities = createActivities({
    db: database.db,
    sql: database.sql,
    temporal: new Client({ connection: temporalClientConnection, namespace: setup.temporalNamespace }),
    secrets: await createSecretBox(setup.secretKey),
    connect: createConnector({
      insecureHosts: setup.insecureHosts,
      limiter: rateLimiter.limiter,
      rateLimitPauseMs: 60_000 / 100 / timeScale,
      rateWindowMs: 1000 / timeScale,
      metrics,
    }),
    maxProfilesPerExport: setup.maxProfilesPerExport,
    unsubscribeGuardShare: setup.unsubscribeGuardPercent / 100,
    segmentRefreshTimeLimitMs: setup.segmentRefreshTimeLimitMs,
    insecureHosts: setup.insecureHosts,
    sourceMaxRemovalPercent: setup.sourceMaxRemovalPercent,
    sourceStatementTimeoutMs: setup.sourceStatementTimeoutMs,
    ownDatabaseUrl: setup.databaseUrl,
    profileLimits: setup.profileLimits,
    importPollMs: 2_000 / timeScale,
    importWaitLimitMs: (30 * 60_000) / timeScale,
    maxContactAttempts: setup.maxContactAttempts,
    metrics,
    alerts: {
      hostPolicy: { insecureHosts: setup.insecureHosts },
      smtpUrl: setup.smtpUrl,
      emailFrom: setup.alertEmailFrom,
      links: {
        publicUrl: setup.publicUrl,
        temporalUiUrl: setup.temporalUiUrl,
        temporalNamespace: setup.temporalNamespace,
      },
    },
  });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: setup.temporalNamespace,
    taskQueue: setup.taskQueue,
    activities,
    workflowBundle: await workerWorkflowBundle(setup.workflowBundlePath),
    // Cancellation reaches an activity with its next heartbeat: keep them flowing at least every second.
    maxHeartbeatThrottleInterval: '1s',
    // Each push holds a few pages of profiles: this bounds memory under the worker's 192 MB heap.
    maxConcurrentActivityTaskExecutions: maxActivities,
    // On stop: activities in flight get 5 s, then are cancelled (a push hands over at its last page);
    // 10 s more and the worker stops without them (see workerStopWithinMs).
    shutdownGraceTime: '5s',
    shutdownForceTime: '10s',
    ...overrides,
  });
  const readiness = openReadinessChecks({ sql: database.sql, temporal: temporalConnectionOptions(setup) });
  let running: Promise<void> | undefined;
  return {
    worker,
    metrics,
    /** `/healthz`, `/readyz` (Postgres, Temporal, migrations), `/metrics`: see startWorkerHttp. */
    health: healthRoutes({
      checks: readiness.checks,
      registry: metrics.registry,
      extraMetrics: setup.extraMetrics,
    }),
    run: () => {
      running ??= worker.run();
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => {});
      await readiness.close();
      await workerConnection.close();
      await temporalClientConnection.close();
      await rateLimiter.close();
      await database.close();
    },
  };
}
