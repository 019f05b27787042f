import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

// Seed 184: run 2 is a tags run with an API restart, a Postgres restart and 5xx answers.
test('a small seeded campaign (`npm run chaos -- --runs 2`) keeps every invariant, tags and a Postgres restart included', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/chaos.ts', '--runs', '2', '--seed', '184', '--profiles', '200'],
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
    seed: 184,
    runs: 2,
    runKinds: { fresh: 1, tags: 1 },
    contactsLost: 0,
    contactsResubscribed: 0,
    duplicateDeliveries: 0,
    stuckProcesses: 0,
    invariantViolations: 0,
    tagsMissing: 0,
    tagsDoubled: 0,
    tagsOnLeavers: 0,
  });
  expect(result.faults).toBeGreaterThan(0);
  expect(result.faultKinds['postgres-restart']).toBe(1);
  expect(result.postgresConnectionsDropped).toBeGreaterThan(0);
  expect(result.tagsChecked).toBeGreaterThan(0);
}, 600_000);
