import { spawn } from 'node:child_process';

/**
 * podman as it works on these machines: the runc runtime (crun refuses cgroups in hybrid mode) and
 * rlimits the host grants (the defaults are refused).
 */
export const podmanGlobalArgs = ['--runtime', 'runc'];
export const podmanLimitArgs = ['--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096'];

export type CommandResult = { code: number | null; stdout: string; stderr: string };

/** Runs a command to its end (or kills it past `timeoutMs`); output is kept, the last 64 KB of each. */
export function runCommand(
  command: string,
  args: string[],
  options: { timeoutMs?: number; onLine?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const keep = (text: string, chunk: Buffer) => (text + chunk.toString()).slice(-65_536);
    const lines = (chunk: Buffer) => {
      if (!options.onLine) return;
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) options.onLine(line);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = keep(stdout, chunk);
      lines(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = keep(stderr, chunk);
      lines(chunk);
    });
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs).unref()
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function podman(
  args: string[],
  options: { timeoutMs?: number; onLine?: (line: string) => void } = {},
): Promise<CommandResult> {
  return runCommand('podman', [...podmanGlobalArgs, ...args], options);
}

/** The last lines of a failed command's output, for a one-line report. */
export function tail(result: CommandResult, lines = 15): string {
  return `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-lines).join('\n');
}
