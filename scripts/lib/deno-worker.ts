import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EntryPoint, startCommand } from './entry-point.ts';
import { projectRoot } from './temporal-cli.ts';

/** The command `npm run start:worker:deno` runs, as package.json has it (its permissions included). */
function denoWorkerScript(): string {
  return JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).scripts['start:worker:deno'];
}

/**
 * Starts `npm run start:worker:deno` (Deno from the `deno` dev dependency) and resolves once it polls.
 * `exec` makes the shell become Deno, so signals reach the worker itself.
 */
export function startDenoWorker(env: NodeJS.ProcessEnv): Promise<EntryPoint> {
  return startCommand(
    '/bin/sh',
    ['-c', `exec ${denoWorkerScript()}`],
    {
      ...env,
      PATH: `${join(projectRoot, 'node_modules/.bin')}:${env.PATH ?? process.env.PATH}`,
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
    },
    'Outbound worker polling',
    'npm run start:worker:deno',
  );
}
