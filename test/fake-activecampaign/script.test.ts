import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { consecutiveFreePorts } from '../../scripts/lib/bench/accounts.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('npm run fake:activecampaign: dev defaults, one line once listening, clean stop on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/fake-activecampaign.ts', '--port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('\n')) resolve(output.split('\n')[0] ?? '');
    });
    child.on('exit', (code) => reject(new Error(`exited early (${code})`)));
  });
  expect(line).toMatch(/^Fake ActiveCampaign listening on http:\/\/127\.0\.0\.1:\d+ \(scale 1\)$/);
  const url = line.split(' ')[4] ?? '';
  const headers = { 'Api-Token': 'dev-activecampaign-key' };
  const lists = await (await fetch(`${url}/api/3/lists`, { headers })).json();
  expect(lists.lists.map((l: { id: string; name: string }) => [l.id, l.name])).toEqual([
    ['7', 'Newsletter'],
    ['8', 'Customers'],
  ]);
  const fields = await (await fetch(`${url}/api/3/fields`, { headers })).json();
  expect(fields.fields.map((f: { title: string }) => f.title)).toEqual(['Tier', 'City']);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  expect(code).toBe(0);
  expect(output.trim().split('\n')).toHaveLength(1);
});

test('npm run fake:activecampaign -- --accounts 3: an account per consecutive port, each with its own suffixed key', async () => {
  const base = await consecutiveFreePorts(3);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/fake-activecampaign.ts',
      '--port',
      String(base),
      '--accounts',
      '3',
      '--key',
      'k',
      '--lists',
      '7',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  const lines = await new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const complete = output.split('\n').slice(0, -1);
      if (complete.length >= 3) resolve(complete);
    });
    child.on('exit', (code) => reject(new Error(`exited early (${code})`)));
  });
  expect(lines).toEqual(
    [1, 2, 3].map(
      (n) => `Fake ActiveCampaign listening on http://127.0.0.1:${base + n - 1} (scale 1, account ${n} of 3)`,
    ),
  );
  const status = async (n: number, key: string) =>
    (await fetch(`http://127.0.0.1:${base + n - 1}/api/3/lists`, { headers: { 'Api-Token': key } })).status;
  for (const n of [1, 2, 3]) expect(await status(n, `k-${n}`)).toBe(200);
  // Each account only knows its own key; the unsuffixed key belongs to none.
  expect(await status(1, 'k-2')).toBe(403);
  expect(await status(2, 'k')).toBe(403);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  expect(code).toBe(0);
});
