import { inject } from 'vitest';
import type { Config } from '../../scripts/config.ts';
import { startDenoWorker } from '../../scripts/lib/deno-worker.ts';
import { type EntryPoint, startEntryPoint } from '../../scripts/lib/entry-point.ts';

export type WorkerProcess = EntryPoint;

/** The environment `npm run start:worker` reads, for a config built by startOutbound. */
export function workerEnv(config: Config, temporalAddress = config.temporalAddress): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: config.taskQueue,
    OUTBOUND_SECRET_KEY: config.secretKey,
    OUTBOUND_INSECURE_HOSTS: [...config.insecureHosts].join(','),
    OUTBOUND_AC_RATE_SCALE: String(config.rateScale),
    OUTBOUND_MAX_PROFILES_PER_EXPORT: String(config.maxProfilesPerExport),
    OUTBOUND_MAX_CONTACT_ATTEMPTS: String(config.maxContactAttempts),
    OUTBOUND_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    OUTBOUND_REFRESH_SCHEDULE_ID: `refresh-${config.taskQueue}`,
    // A free port of its own: test workers run side by side.
    OUTBOUND_WORKER_HTTP_PORT: '0',
  };
}

/** Starts the real worker entry point (`npm run start:worker`) as a child process, once it polls. */
export function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return startEntryPoint('scripts/start-worker.ts', [], env, 'Outbound worker polling');
}

/** Starts `npm run start:worker:deno` as a child process, once it polls. */
export function startDenoWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return startDenoWorker(env);
}
