import type { Config } from '../../scripts/config.ts';
import { type EntryPoint, startEntryPoint } from '../../scripts/lib/entry-point.ts';
import { workerEnv } from './worker-process.ts';

export type ApiProcess = EntryPoint & { url: string };

/** The environment `npm run start:api` reads, for a config built by startOutbound, on `port`. */
export function apiEnv(config: Config, port: number): NodeJS.ProcessEnv {
  return { ...workerEnv(config), PORT: String(port) };
}

/** Starts the real API entry point (`npm run start:api`) as a child process, once it listens. */
export async function startApiProcess(env: NodeJS.ProcessEnv): Promise<ApiProcess> {
  const entry = await startEntryPoint('scripts/start-api.ts', [], env, 'Outbound API:');
  return { ...entry, url: `http://127.0.0.1:${env.PORT}` };
}

/** The exit code of a started entry point (null when a signal ended it), once it has exited. */
export function exitCodeOf(entry: EntryPoint): Promise<number | null> {
  const child = entry.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
