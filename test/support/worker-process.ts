import { type ChildProcess, spawn } from 'node:child_process';
import { inject } from 'vitest';
import type { Config } from '../../scripts/config.ts';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

export type WorkerProcess = { child: ChildProcess; kill(signal?: NodeJS.Signals): Promise<void> };

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

/** Starts the real worker entry point as a child process and resolves once it polls. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-worker.ts'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Outbound worker polling')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before polling:\n${output}`));
    });
  });
  return {
    child,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
