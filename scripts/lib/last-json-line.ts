import { spawn } from 'node:child_process';
import { projectRoot } from './temporal-cli.ts';

/**
 * Runs `node <nodeArgs>` in the project and resolves with the JSON of the last line it prints; a non-zero
 * exit rejects with the tail of its stderr, named `what`.
 */
export function lastJsonLineOf<T>(what: string, nodeArgs: string[], env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, {
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
        : reject(new Error(`${what} exited ${code}:\n${stderr}`)),
    );
  });
}
