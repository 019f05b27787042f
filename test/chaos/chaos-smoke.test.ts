import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

test('a small seeded campaign (`npm run chaos -- --runs 2`) keeps every invariant', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/chaos.ts', '--runs', '2', '--seed', '11', '--profiles', '200'],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk).slice(-20_000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  expect(result).toMatchObject({
    seed: 11,
    runs: 2,
    contactsLost: 0,
    contactsResubscribed: 0,
    duplicateDeliveries: 0,
    stuckProcesses: 0,
    invariantViolations: 0,
  });
  expect(result.faults).toBeGreaterThan(0);
}, 600_000);
