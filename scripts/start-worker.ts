import './lib/stop-signals.ts';
import { Client } from '@temporalio/client';
import { createLogger } from '../core/observability/logger.ts';
import { ensureRefreshSchedule } from '../core/refresh/schedule.ts';
import { createDb } from '../db/client.ts';
import { type Config, loadConfig } from './config.ts';
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

runMain(
  async () => {
    const config = loadConfig();
    const logger = createLogger({ component: 'worker', level: config.logLevel });
    const runtime = installTemporalRuntime(
      createLogger({ component: 'temporal', level: config.logLevel }),
      await freePort(),
    );
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
      (error) => exitUnasked(`Temporal worker failed${stopAsked ? ' while stopping' : ''}: exiting`, error),
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
