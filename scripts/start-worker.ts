import { loadConfig } from './config.ts';
import { runMain } from './lib/run-main.ts';
import { createOutboundWorker } from './lib/worker.ts';

runMain(async () => {
  const config = loadConfig();
  const worker = await createOutboundWorker({ ...config, workflowBundlePath: process.env.OUTBOUND_WORKFLOW_BUNDLE });
  const running = worker.run();
  console.log(`Outbound worker polling task queue "${config.taskQueue}" on ${config.temporalAddress}`);
  running.catch((error) => {
    console.error('Worker stopped:', error);
    process.exit(1);
  });
  return () => worker.shutdown();
});
