import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Config } from '../../scripts/config.ts';
import { type EntryPoint, startCommand, startEntryPoint } from '../../scripts/lib/entry-point.ts';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

export type WorkerProcess = EntryPoint;

/** The environment `npm run start:worker` reads, for a config built by startOutbound. */
export function workerEnv(config: Config, temporalAddress = config.temporalAddress): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: config.taskQueue,
    OUTBOUND_SECRET_KEY: config.secretKey,
    OUTBOUND_AC_INSECURE_HOSTS: [...config.insecureHosts].join(','),
    OUTBOUND_AC_RATE_SCALE: String(config.rateScale),
    OUTBOUND_MAX_PROFILES_PER_EXPORT: String(config.maxProfilesPerExport),
    OUTBOUND_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    OUTBOUND_REFRESH_SCHEDULE_ID: `refresh-${config.taskQueue}`,
  };
}

/** Starts the real worker entry point (`npm run start:worker`) as a child process, once it polls. */
export function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return startEntryPoint('scripts/start-worker.ts', [], env, 'Outbound worker polling');
}

/** The command `npm run start:worker:deno` runs (package.json, so the test runs its permissions as they are). */
const denoWorkerScript: string = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).scripts[
  'start:worker:deno'
];

/**
 * Starts `npm run start:worker:deno` as a child process (Deno from the `deno` dev dependency), once it
 * polls. `exec` makes the shell become Deno, so signals reach the worker itself.
 */
export function startDenoWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return startCommand(
    '/bin/sh',
    ['-c', `exec ${denoWorkerScript}`],
    {
      ...env,
      PATH: `${join(projectRoot, 'node_modules/.bin')}:${process.env.PATH}`,
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
    },
    'Outbound worker polling',
    'npm run start:worker:deno',
  );
}
