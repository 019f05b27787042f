import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { projectRoot } from './temporal-cli.ts';

export type EntryPoint = {
  process: ChildProcess;
  peakRssMb(): number;
  /** Everything the process wrote to stdout and stderr so far, from its start. */
  output(): string;
  /** Sends the signal (default SIGTERM: a clean stop) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
};

/** Runs a project entry point under Node + tsx and resolves once its output contains `readyText`. */
export function startEntryPoint(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyText: string,
  nodeArgs: string[] = [],
): Promise<EntryPoint> {
  return startCommand(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', script, ...args],
    env,
    readyText,
    script,
  );
}

/** Runs a command in the project's root and resolves once its output contains `readyText`. */
export async function startCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyText: string,
  script = command,
): Promise<EntryPoint> {
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // All of it, for tests that read the logs (up to 64 MB: a long benchmark's workers must not grow).
  const everything: Buffer[] = [];
  let recorded = 0;
  const record = (chunk: Buffer) => {
    if (recorded > 64 * 1024 * 1024) return;
    recorded += chunk.length;
    everything.push(chunk);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start within 90 s:\n${output}`)),
      90_000,
    );
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    process: child,
    /** Peak resident memory of the process so far (Linux VmHWM). */
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    },
    output: () => Buffer.concat(everything).toString('utf8'),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
