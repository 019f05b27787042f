import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { builtConsoleDir } from '../../api/console-assets.ts';
import { ensureGraphiqlBuilt } from './graphiql-build.ts';
import { projectRoot } from './temporal-cli.ts';

const consoleDir = join(projectRoot, 'console');
const builtPage = join(builtConsoleDir, 'index.html');

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path)
      .filter((name) => name !== 'dist')
      .map((name) => newestChange(join(path, name))),
  );
}

/** The files outside console/ the console imports (shared with the API). */
const sharedSources = [join(projectRoot, 'core/input-limits.ts')];

/** True when console/dist is missing or older than a file of console/, a shared one, or the installed dependencies. */
export function consoleBuildIsStale(): boolean {
  if (!existsSync(builtPage)) return true;
  const lock = join(projectRoot, 'node_modules/.package-lock.json');
  const sources = Math.max(
    newestChange(consoleDir),
    ...sharedSources.map((file) => statSync(file).mtimeMs),
    existsSync(lock) ? statSync(lock).mtimeMs : 0,
  );
  return statSync(builtPage).mtimeMs < sources;
}

/**
 * `npm run console:build`, run by `npm run dev` and the tests: the console (console/dist) and GraphiQL's
 * files (dist/graphiql), each when missing or stale.
 */
export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<void> {
  await ensureGraphiqlBuilt(log);
  if (!consoleBuildIsStale()) return;
  log('Building the console (console/ → console/dist)…');
  const vite = join(projectRoot, 'node_modules/vite/bin/vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--config', join(consoleDir, 'vite.config.ts')], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`The console's build failed (exit ${code}):\n${output}`);
}
