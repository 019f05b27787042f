import './lib/stop-signals.ts';
import { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createLogger } from '../core/observability/logger.ts';
import { installProcessGuard } from '../core/observability/process-guard.ts';
import {
  describeSearchAttributeProblems,
  searchAttributeProblems,
} from '../core/temporal/namespace-search-attributes.ts';
import { ensureRefreshSchedule } from '../core/temporal/refresh-schedule.ts';
import { createDb } from '../db/client.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { checkPostgres } from './lib/check-postgres.ts';
import { freePort } from './lib/free-port.ts';
import { runMain } from './lib/run-main.ts';
import { connectTemporalClient, describeTemporal } from './lib/temporal-connection.ts';
import { installTemporalRuntime } from './lib/temporal-runtime.ts';
import { createOutboundWorker, workerStopWithinMs } from './lib/worker.ts';
import { startWorkerHttp } from './lib/worker-http.ts';

/** Creates the refresh schedule from the saved settings when it is missing; an existing one is left as it is. */
async function ensureScheduleAtStartup(config: Config): Promise<void> {
  const temporalConnection = await connectTemporalClient(config);
  const database = createDb(config.databaseUrl, { max: 1, applicationName: 'outbound-worker-startup' });
  try {
    await checkPostgres(database.sql, config.databaseUrl);
    await ensureRefreshSchedule({
      sql: database.sql,
      temporal: new Client({ connection: temporalConnection, namespace: config.temporalNamespace }),
      taskQueue: config.taskQueue,
      scheduleId: config.refreshScheduleId,
      runTimeLimitMs: config.runTimeLimitMs,
    });
  } finally {
    await database.close();
    await temporalConnection.close();
  }
}

installProcessGuard('worker');

/**
 * Exits with the missing ones named when the namespace lacks a search attribute of temporal.config.ts:
 * every run and sync would otherwise fail to start. A server that does not let this client list them
 * (an API key without the permission) is trusted, with a warning.
 */
async function checkSearchAttributesAtStartup(config: Config, logger: Logger): Promise<void> {
  const temporalConnection = await connectTemporalClient(config);
  try {
    const problems = await searchAttributeProblems(temporalConnection, config.temporalNamespace).catch(
      (error: unknown) => {
        logger.warn(
          { err: error },
          `Could not list the search attributes of namespace ${config.temporalNamespace}; not checked`,
        );
        return [];
      },
    );
    if (problems.length > 0)
      throw new ConfigError(describeSearchAttributeProblems(config.temporalNamespace, problems));
  } finally {
    await temporalConnection.close();
  }
}

runMain(
  async () => {
    const config = loadConfig();
    const logger = createLogger({ component: 'worker', level: config.logLevel });
    const runtime = installTemporalRuntime(
      createLogger({ component: 'temporal', level: config.logLevel }),
      await freePort(),
    );
    await checkSearchAttributesAtStartup(config, logger);
    await ensureScheduleAtStartup(config);
    const worker = await createOutboundWorker({
      ...config,
      extraMetrics: runtime.sdkMetrics,
    });
    const http = await startWorkerHttp(config.workerHttpPort, worker.health);
    const running = worker.run();
    logger.info(
      { taskQueue: config.taskQueue, temporal: describeTemporal(config), httpPort: http.port },
      `Outbound worker polling task queue ${config.taskQueue} (${describeTemporal(config)}); refresh schedule ${config.refreshScheduleId} is in place`,
    );
    let stopAsked = false;
    // A worker that stops unasked (Temporal gone for good, a fatal SDK error) must not leave a process
    // that holds its port and polls nothing: a supervisor restarts what exits.
    const exitUnasked = (reason: string, error?: unknown) => {
      logger.fatal({ err: error }, reason);
      process.exit(1);
    };
    running.then(
      () => stopAsked || exitUnasked('Temporal worker stopped though no stop was asked: exiting'),
      (error) =>
        // Stopping with Temporal or Postgres gone ends in an error too: the stop decides the exit code.
        stopAsked
          ? logger.warn({ err: error }, 'Temporal worker ended with an error while stopping')
          : exitUnasked('Temporal worker failed: exiting', error),
    );
    return async () => {
      stopAsked = true;
      logger.info('Stopping: no new tasks; activities in flight get 5 s, then hand over');
      await worker.shutdown();
      await http.close();
      logger.info('Outbound worker stopped');
    };
  },
  { stopWithinMs: workerStopWithinMs },
);
