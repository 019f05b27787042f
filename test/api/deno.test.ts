import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { insertProfiles, makeProfiles } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createConnectionDoc, createExportDoc, createSegmentDoc, runExportDoc } from './helpers.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const deno = `${projectRoot}node_modules/.bin/deno`;
/** How the API is started on Deno 2: npm packages come from node_modules (package.json, no deno.json). */
const denoArgs = [
  'run',
  '--allow-net',
  '--allow-env',
  '--allow-read',
  '--allow-sys',
  '--unstable-no-legacy-abort',
  'scripts/start-api-deno.ts',
];

const apiKey = 'deno-smoke-key-0001';
const scale = 20;
let fake: FakeActiveCampaign;
let outbound: Outbound;
let server: ChildProcess | undefined;
let url: string;
let output = '';

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  // The Node worker runs what the Deno API starts: same database, task queue and secret key.
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale });
  await insertProfiles(outbound.sql, makeProfiles(3));
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  server = spawn(deno, denoArgs, {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
      PORT: String(port),
      DATABASE_URL: outbound.config.databaseUrl,
      TEMPORAL_ADDRESS: outbound.config.temporalAddress,
      TEMPORAL_NAMESPACE: outbound.config.temporalNamespace,
      TEMPORAL_TASK_QUEUE: outbound.config.taskQueue,
      OUTBOUND_SECRET_KEY: outbound.config.secretKey,
      OUTBOUND_INSECURE_HOSTS: fake.host,
      OUTBOUND_AC_RATE_SCALE: String(scale),
    },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Deno API did not start in 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Outbound API (Deno)')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server?.stdout?.on('data', onData);
    server?.stderr?.on('data', onData);
    server?.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Deno API exited (${code}):\n${output}`));
    });
  });
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await outbound?.close();
  await fake?.close();
});

async function overHttp(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  const result = await response.json();
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}

test('Deno serves queries against the real database', async () => {
  const data = await overHttp('{ viewer { email role } connections { totalCount nodes { id } } }');
  // What the database holds, whatever the other tests of this file added before this one.
  const stored = await outbound.sql<{ id: string }[]>`
    select id from connections where deleted_at is null order by created_at desc, id desc`;
  expect(data).toEqual({
    viewer: { email: 'admin@outbound.test', role: 'ADMIN' },
    connections: { totalCount: stored.length, nodes: stored.map(({ id }) => ({ id })) },
  });
});

test('Deno serves the offline GraphiQL: a small page, twice, over same-origin files, compressed, cached for good', async () => {
  for (let i = 0; i < 2; i++) {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Outbound</title>');
    expect(html).not.toMatch(/<(?:script|link)[^>]+(?:src|href)=["']?https?:/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).not.toMatch(/https?:/);
    const script = /<script src="(\/graphiql-assets\/[^"]+\/graphiql\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script ?? '', url));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toContain('renderYogaGraphiQL');
    // Precompressed by the build, read from disk by Deno as by Node.
    const compressed = await fetch(new URL(script ?? '', url), { headers: { 'accept-encoding': 'br' } });
    expect(compressed.headers.get('content-encoding')).toBe('br');
    expect(await compressed.text()).toContain('renderYogaGraphiQL');
  }
});

test("Deno serves the console at / and its assets, under the console's CSP (this origin only)", async () => {
  const base = new URL(url).origin;
  const page = await fetch(`${base}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`${base}${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect((await asset.text()).length).toBeGreaterThan(10_000);
});

test('Deno serves mutations, and starts and cancels runs through @temporalio/client', async () => {
  const { createConnection } = await overHttp(createConnectionDoc, {
    input: { displayName: 'From Deno', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  expect(createConnection.apiKeyMasked).toBe('••••0001');
  const [stored] = await outbound.sql`select display_name from connections where id = ${createConnection.id}`;
  expect(stored?.display_name).toBe('From Deno');

  const customerIds = makeProfiles(3).map((p) => p.customerId);
  const { createSegment } = await overHttp(createSegmentDoc, {
    input: { name: 'Three', rule: { customerIds } },
  });
  const { createExport } = await overHttp(createExportDoc, {
    input: {
      name: 'Deno export',
      connectionId: createConnection.id,
      listId: '7',
      segmentIds: [createSegment.id],
      mapping: { email: 'Email' },
    },
  });
  const waitFor = async (id: string, statuses: string[]) => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const { exportRun } = await overHttp(
        'query($id: ID!) { exportRun(id: $id) { status exportedCount } }',
        { id },
      );
      if (statuses.includes(exportRun.status)) return exportRun;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`run ${id} never reached ${statuses}`);
  };

  const { runExport } = await overHttp(runExportDoc, { id: createExport.id });
  expect(await waitFor(runExport.id, ['SUCCEEDED', 'FAILED'])).toEqual({
    status: 'SUCCEEDED',
    exportedCount: 3,
  });
  expect(fake.account(apiKey).listMembers(7)).toHaveLength(3);

  fake.account(apiKey).setFaults({ latencyMs: 1_500 });
  const { runExport: slow } = await overHttp(runExportDoc, { id: createExport.id });
  await overHttp('mutation($id: ID!) { cancelExportRun(id: $id) { id } }', { id: slow.id });
  expect((await waitFor(slow.id, ['CANCELLED', 'SUCCEEDED', 'FAILED'])).status).toBe('CANCELLED');
  fake.account(apiKey).setFaults({});
});

test('Deno serves /healthz, /readyz and /metrics', async () => {
  const base = new URL(url).origin;
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect({ status: ready.status, body: await ready.json() }).toEqual({
    status: 200,
    body: {
      status: 'ready',
      checks: { postgres: { ok: true }, migrations: { ok: true }, temporal: { ok: true } },
    },
  });
  // An anonymous request of its own, so the figure does not depend on another test having run first.
  await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(/^outbound_api_request_duration_seconds_count\{operation="anonymous"\} [1-9]/m);
});
