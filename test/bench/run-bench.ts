import { spawn } from 'node:child_process';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

/** Runs `npm run bench` with `args` and resolves with the JSON figures of its last line. */
export function runBench(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', ...args], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-5_000);
    });
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'))
        : reject(new Error(`bench exited ${code}:\n${stderr}`)),
    );
  });
}
