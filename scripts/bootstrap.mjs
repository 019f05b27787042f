// Plain Node, no dependencies: makes `npm run dev` and `npm test` work on a fresh clone by installing
// the npm dependencies first when they are missing or older than package-lock.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

// package.json's engines, said before anything else fails less clearly.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Outbound needs Node >= 20.19; this is Node ${process.versions.node}.`);
  process.exit(1);
}
const [target, ...args] = process.argv.slice(2);
const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log('Installing npm dependencies (npm ci)…');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
// The tools' own entry points run by this Node, not through npx and a shell: those do not pass
// SIGTERM on, and what the child started (Temporal, API, worker) would be left running.
const commands = {
  dev: ['node_modules/.bin/tsx', 'scripts/dev.ts', ...args],
  test: ['node_modules/.bin/vitest', 'run', ...args],
};
const commandArgs = commands[target];
if (!commandArgs) {
  console.error(`bootstrap: unknown target ${target}`);
  process.exit(2);
}
// The child stops what it started on SIGINT/SIGTERM (Ctrl-C reaches it through the process group too); we follow.
const child = spawn(process.execPath, commandArgs, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
