import { spawn } from 'node:child_process';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

export type CommandResult = { code: number | null; stdout: string; stderr: string };

/** Runs a command in the project root: its exit code and output; `stdin`, when given, is piped in. */
export function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: projectRoot,
      env,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(stdin);
  });
}

/** `npm run cli -- <args>`, the real command, with `env` over this process's environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<CommandResult> {
  return runCommand('npm', ['run', '--silent', 'cli', '--', ...args], { ...process.env, ...env }, stdin);
}
