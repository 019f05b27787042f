import { spawn } from 'node:child_process';
import { type EntryPoint, startEntryPoint } from '../entry-point.ts';
import { apiStopWithinMs } from '../serve-api.ts';
import { projectRoot } from '../temporal-cli.ts';
import { workerStopWithinMs } from '../worker.ts';

/** The bound the campaign holds every process to after SIGTERM: its stated one, plus 5 s of slack. */
const slackMs = 5_000;

/**
 * Starts a process as a supervisor does: one that exits during its start-up (Postgres or Temporal away
 * while a fault lasts: it exits non-zero, as documented) is started again, for up to 2 minutes.
 */
async function startSupervised<T>(start: () => Promise<T>): Promise<T> {
  const until = Date.now() + 120_000;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (Date.now() > until || !/exited \(\d+\) before it was ready/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

export function startWorker(env: NodeJS.ProcessEnv): Promise<EntryPoint> {
  return startSupervised(() =>
    startEntryPoint('scripts/start-worker.ts', [], env, 'Outbound worker polling'),
  );
}

export async function startApi(env: NodeJS.ProcessEnv, port: number) {
  const entry = await startSupervised(() =>
    startEntryPoint('scripts/start-api.ts', [], { ...env, PORT: String(port) }, 'Outbound API:'),
  );
  return { ...entry, url: `http://127.0.0.1:${port}` };
}

/** Whether the process has exited (by itself, or by a signal). */
export function hasExited(entry: EntryPoint): boolean {
  return entry.process.exitCode !== null || entry.process.signalCode !== null;
}

function exited(child: EntryPoint['process']): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then true when the process exited within its bound; one that did not is SIGKILLed. */
export async function stopsWithinBound(entry: EntryPoint, kind: 'worker' | 'api'): Promise<boolean> {
  const bound = (kind === 'worker' ? workerStopWithinMs : apiStopWithinMs) + slackMs;
  entry.process.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    exited(entry.process).then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), bound);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) await entry.kill('SIGKILL');
  return inTime;
}

/** A worker that gets SIGTERM `delayMs` into its start-up: true when it exited within 30 s. */
export async function sigtermDuringStart(env: NodeJS.ProcessEnv, delayMs: number): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-worker.ts'], {
    cwd: projectRoot,
    env,
    stdio: 'ignore',
  });
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    done.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 30_000);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) child.kill('SIGKILL');
  return inTime;
}
