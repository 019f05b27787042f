import { spawn } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import {
  type FakeActiveCampaign,
  type FakeDeviations,
  startFakeActiveCampaign,
} from '../../fake-activecampaign/index.ts';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';
import { runCli } from '../support/cli.ts';

const apiKey = 'contract-check-key-9f8e';
let fake: FakeActiveCampaign | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A fake account with list 7 and more fields and tags than one page holds, as `deviations` say. */
async function startFake(deviations: FakeDeviations = {}) {
  fake = await startFakeActiveCampaign({
    scale: 20,
    accounts: [
      {
        apiKeys: [apiKey],
        lists: [7],
        fields: Array.from({ length: 130 }, (_, i) => ({ id: i + 1, title: `Field ${i + 1}` })),
        tags: Array.from({ length: 105 }, (_, i) => `tag-${i + 1}`),
        deviations,
      },
    ],
  });
  return fake;
}

/** `npm run cli -- activecampaign:check …`, the real command. */
const check = (fakeHost: string, args: string[]) =>
  runCli(['activecampaign:check', ...args], { OUTBOUND_INSECURE_HOSTS: fakeHost });

test('passes against the fake answering as documented, and --cleanup deletes its throwaway contacts', async () => {
  const started = await startFake();
  const result = await check(started.host, [
    '--host',
    started.host,
    '--key',
    apiKey,
    '--list',
    '7',
    '--cleanup',
  ]);
  expect(result.stderr).toBe('');
  const lines = result.stdout.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  expect(lines.at(-1)).toBe('11 passed, 0 failed');
  expect(lines).toContain('PASS  import/info carries only documented fields (status, success, failure)');
  expect(result.code).toBe(0);
  expect(result.stdout).not.toContain(apiKey);
  const account = started.account(apiKey);
  expect(account.contactCount()).toBe(0);
  const imports = account.requests().filter((r) => r.path === '/api/3/import/bulk_import');
  expect(imports.map((r) => [r.method, r.status, r.contacts])).toEqual([
    ['POST', 200, 2],
    ['POST', 200, 2],
  ]);
  expect(
    account.requests().some((r) => r.method === 'DELETE' && /^\/api\/3\/contacts\/\d+$/.test(r.path)),
  ).toBe(true);
});

test('fails naming the behaviour when import/info carries undocumented reasons, and exits 1', async () => {
  const started = await startFake({ importFailureReasons: true });
  const result = await check(started.host, ['--host', started.host, '--key', apiKey, '--list', '7']);
  const lines = result.stdout.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([
    'FAIL  import/info carries only documented fields (status, success, failure): undocumented field(s): failureReasons',
  ]);
  expect(lines.at(-1)).toBe('9 passed, 1 failed');
  expect(result.code).toBe(1);
  // Without --cleanup the throwaway contacts stay.
  expect(started.account(apiKey).contactCount()).toBe(2);
});

test('a rejected key fails the first check and those that need it, naming why', async () => {
  const started = await startFake();
  const result = await check(started.host, ['--host', started.host, '--key', 'not-the-key', '--list', '7']);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(
    'FAIL  API key accepted (GET /users/me): ActiveCampaign rejected the API key (403',
  );
  expect(result.stdout).toContain(
    'FAIL  list 7 exists (GET /lists/{id}): not checked: "API key accepted (GET /users/me)" failed',
  );
  expect(result.stdout.trim().split('\n').at(-1)).toBe('0 passed, 10 failed');
  expect(result.stdout).not.toContain('not-the-key');
});

test('a missing list fails naming the list', async () => {
  const started = await startFake();
  const result = await check(started.host, ['--host', started.host, '--key', apiKey, '--list', '8']);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('FAIL  list 8 exists (GET /lists/{id}): GET /lists/8 was not found');
});

test('fails naming the behaviour against `npm run fake:activecampaign -- --import-failure-reasons`', async () => {
  const fakeProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/fake-activecampaign.ts',
      '--port',
      '0',
      '--scale',
      '20',
      '--import-failure-reasons',
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const host = await new Promise<string>((resolve, reject) => {
      let output = '';
      fakeProcess.stdout.setEncoding('utf8');
      fakeProcess.stdout.on('data', (chunk: string) => {
        output += chunk;
        const listening = /listening on http:\/\/(127\.0\.0\.1:\d+)/.exec(output);
        if (listening?.[1]) resolve(listening[1]);
      });
      fakeProcess.on('exit', (code) => reject(new Error(`the fake exited early (${code})`)));
    });
    const result = await check(host, ['--host', host, '--key', 'dev-activecampaign-key', '--list', '7']);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('FAIL')),
    ).toEqual([
      'FAIL  import/info carries only documented fields (status, success, failure): undocumented field(s): failureReasons',
    ]);
    expect(result.code).toBe(1);
  } finally {
    fakeProcess.kill('SIGTERM');
  }
});
