// Plain Node, no dependencies: makes `npm run dev` and `npm test` work on a fresh clone by installing
// the npm dependencies first when they are missing or older than package-lock.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const [target, ...args] = process.argv.slice(2);
const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log('Installing npm dependencies (npm ci)…');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const commands = {
  dev: ['npx', ['tsx', 'scripts/dev.ts', ...args]],
  test: ['npx', ['vitest', 'run', ...args]],
};
const [command, commandArgs] = commands[target] ?? [];
if (!command) {
  console.error(`bootstrap: unknown target ${target}`);
  process.exit(2);
}
// The child stops what it started on SIGINT/SIGTERM (Ctrl-C reaches it through the process group too); we follow.
const child = spawn(command, commandArgs, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
