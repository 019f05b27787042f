import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

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
