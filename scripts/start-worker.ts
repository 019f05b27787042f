import { Client } from '@temporalio/client';
import { ensureRefreshSchedule } from '../core/refresh/schedule.ts';
import { createDb } from '../db/client.ts';
import { type Config, loadConfig } from './config.ts';
import { runMain } from './lib/run-main.ts';
import { connectTemporalClient, describeTemporal } from './lib/temporal-connection.ts';
import { createOutboundWorker } from './lib/worker.ts';

/** Creates the refresh schedule from the saved settings when it is missing; an existing one is left as it is. */
async function ensureScheduleAtStartup(config: Config): Promise<void> {
  const temporalConnection = await connectTemporalClient(config);
  const database = createDb(config.databaseUrl, { max: 1, applicationName: 'outbound-worker-startup' });
  try {
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

runMain(async () => {
  const config = loadConfig();
  await ensureScheduleAtStartup(config);
  const worker = await createOutboundWorker({
    ...config,
    workflowBundlePath: process.env.OUTBOUND_WORKFLOW_BUNDLE,
  });
  const running = worker.run();
  console.log(`Outbound worker polling task queue "${config.taskQueue}" (${describeTemporal(config)})`);
  console.log(`Refresh schedule "${config.refreshScheduleId}" is in place`);
  running.catch((error) => {
    console.error('Worker stopped:', error);
    process.exit(1);
  });
  return () => worker.shutdown();
});
