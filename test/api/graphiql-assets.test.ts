import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  acceptedEncodings,
  builtGraphiqlDir,
  graphiqlAssets,
  offlinePlayground,
} from '../../api/playground.ts';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';

let outbound: Outbound;
let server: Server;
let base: string;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  server = await serveApi(outbound.api, 0, '127.0.0.1');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await outbound?.close();
});

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** One request over HTTP, its body as sent (fetch would decompress it). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, base), { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

async function filesDir(): Promise<string> {
  const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
  const script = /<script src="(\/graphiql-assets\/[^"]+\/)graphiql\.js"/.exec(await page.text())?.[1];
  expect(script).toBeDefined();
  return script ?? '';
}

test("GraphiQL's files come brotli-compressed to browsers that accept it, else gzipped, else as they are: the same bytes, cached for good", async () => {
  const dir = await filesDir();
  for (const name of ['graphiql.js', 'graphiql.css', 'graphql.worker.js', 'boot.js']) {
    const plain = await raw(`${dir}${name}`);
    expect(plain.status, name).toBe(200);
    expect(plain.headers['content-encoding'], name).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    const br = await raw(`${dir}${name}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding'], name).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).equals(plain.body), name).toBe(true);
    const gzip = await raw(`${dir}${name}`, { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzip.headers['content-encoding'], name).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body), name).toBe(true);
    if (name !== 'boot.js') expect(br.body.length, name).toBeLessThan(gzip.body.length);
  }
  const head = await raw(`${dir}graphiql.js`, { 'accept-encoding': 'br' }, 'HEAD');
  expect(head.status).toBe(200);
  expect(head.headers['content-encoding']).toBe('br');
  expect(Number(head.headers['content-length'])).toBeGreaterThan(100_000);
  expect(head.body.length).toBe(0);
  expect((await raw(`${dir}nothing.js`, { 'accept-encoding': 'br' })).status).toBe(404);
});

test("Monaco's workers are served minified, and they still answer the editor", async () => {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const worker = (await raw(`${await filesDir()}graphql.worker.js`)).body.toString('utf8');
  expect(worker.length).toBeLessThan(bundle.graphqlWorker.length * 0.7);
  expect(worker).not.toContain('/* @__PURE__ */');
  expect(worker).toContain('onmessage');
});

test('without a build, the API makes the same files itself, gzipped, on the first GraphiQL request', async () => {
  const nothingBuilt = mkdtempSync(join(tmpdir(), 'outbound-no-graphiql-build-'));
  const html = await offlinePlayground(nothingBuilt).render({ title: 'Outbound' });
  const dir = /<script src="(\/graphiql-assets\/[^"]+\/)graphiql\.js"/.exec(html)?.[1];
  expect(dir).toBe(await filesDir());
  const files = graphiqlAssets(nothingBuilt);
  const response = await files(
    new Request(`${base}${dir}boot.js`, { headers: { 'accept-encoding': 'gzip, deflate, br' } }),
  );
  expect(response?.status).toBe(200);
  expect(response?.headers.get('content-encoding')).toBe('gzip');
  expect(response?.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  const body = gunzipSync(Buffer.from(await (response as Response).arrayBuffer()));
  expect(body.equals((await raw(`${dir}boot.js`)).body)).toBe(true);
});

test('built again while the API runs, GraphiQL is served from the new build, the old version no longer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-graphiql-rebuilt-'));
  cpSync(builtGraphiqlDir, dir, { recursive: true });
  const versionOf = (html: string) => /\/graphiql-assets\/([^/]+)\/graphiql\.js/.exec(html)?.[1];
  const playground = offlinePlayground(dir);
  const files = graphiqlAssets(dir);
  const old = versionOf(await playground.render({ title: 'Outbound' })) ?? '';
  const boot = (version: string) => files(new Request(`${base}/graphiql-assets/${version}/boot.js`));
  expect((await boot(old))?.status).toBe(200);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  renameSync(join(dir, old), join(dir, 'fedcba9876543210'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, version: 'fedcba9876543210' }));
  expect((await boot(old))?.status).toBe(404);
  expect(versionOf(await playground.render({ title: 'Outbound' }))).toBe('fedcba9876543210');
  expect((await boot('fedcba9876543210'))?.status).toBe(200);
});

test('Accept-Encoding: q=0 refuses a coding, * stands for the ones not named', () => {
  const accepts = (header: string | null, coding: string) => acceptedEncodings(header)(coding);
  expect(accepts('gzip, deflate, br', 'br')).toBe(true);
  expect(accepts('GZIP;Q=0.5', 'gzip')).toBe(true);
  expect(accepts('br;q=0, gzip', 'br')).toBe(false);
  expect(accepts('gzip', 'br')).toBe(false);
  expect(accepts('*', 'br')).toBe(true);
  expect(accepts('*;q=0, gzip', 'br')).toBe(false);
  expect(accepts(null, 'gzip')).toBe(false);
  expect(accepts('', 'gzip')).toBe(false);
});
