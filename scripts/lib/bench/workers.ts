import { startDenoWorker } from '../deno-worker.ts';
import { type EntryPoint, startEntryPoint } from '../entry-point.ts';

/**
 * `count` worker processes with the same environment (each its own health port: OUTBOUND_WORKER_HTTP_PORT
 * 0), polling the one task queue: `npm run start:worker:deno`, or on Node with the same heap limit as
 * `npm run start:worker`. One after another (the first creates the refresh schedule, the others find
 * it); `started` hears of each as soon as it polls, so it can be stopped whatever happens next.
 */
export async function startWorkers(
  count: number,
  runtime: 'node' | 'deno',
  env: NodeJS.ProcessEnv,
  started: (worker: EntryPoint) => void,
): Promise<EntryPoint[]> {
  const workerEnv = { ...env, OUTBOUND_WORKER_HTTP_PORT: '0' };
  const workers: EntryPoint[] = [];
  for (let i = 0; i < count; i++) {
    const worker =
      runtime === 'deno'
        ? await startDenoWorker(workerEnv)
        : await startEntryPoint('scripts/start-worker.ts', [], workerEnv, 'Outbound worker polling', [
            '--max-old-space-size=192',
          ]);
    started(worker);
    workers.push(worker);
  }
  return workers;
}
