import { Client, Connection } from '@temporalio/client';
import { ensureRefreshSchedule } from '../activities/refresh/schedule.ts';
import { createDb } from '../db/client.ts';
import { refreshScheduleId } from '../temporal.config.ts';
import { type Config, loadConfig } from './config.ts';
import { runMain } from './lib/run-main.ts';
import { createOutboundWorker } from './lib/worker.ts';

/** Creates the refresh schedule from the saved settings when it is missing; an existing one is left as it is. */
async function ensureScheduleAtStartup(config: Config, scheduleId: string): Promise<void> {
  const database = createDb(config.databaseUrl, { max: 1, applicationName: 'outbound-worker-startup' });
  try {
    const connection = await Connection.connect({ address: config.temporalAddress });
    try {
      await ensureRefreshSchedule({
        sql: database.sql,
        temporal: new Client({ connection, namespace: config.temporalNamespace }),
        taskQueue: config.taskQueue,
        scheduleId,
        runTimeLimitMs: config.runTimeLimitMs,
      });
    } finally {
      await connection.close();
    }
  } finally {
    await database.close();
  }
}

runMain(async () => {
  const config = loadConfig();
  const scheduleId = process.env.OUTBOUND_REFRESH_SCHEDULE_ID?.trim() || refreshScheduleId;
  await ensureScheduleAtStartup(config, scheduleId);
  const worker = await createOutboundWorker({ ...config, workflowBundlePath: process.env.OUTBOUND_WORKFLOW_BUNDLE });
  const running = worker.run();
  console.log(`Outbound worker polling task queue "${config.taskQueue}" on ${config.temporalAddress}`);
  console.log(`Refresh schedule "${scheduleId}" is in place`);
  running.catch((error) => {
    console.error('Worker stopped:', error);
    process.exit(1);
  });
  return () => worker.shutdown();
});
