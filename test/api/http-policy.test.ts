import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type EntryPoint, startEntryPoint } from '../../scripts/lib/entry-point.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';

/** The Node entry point (scripts/start-api.ts) on a free port, configured from the environment like a deployment. */
async function startApiProcess(outbound: Outbound, env: Record<string, string>) {
  const port = await freePort();
  const process = await startEntryPoint(
    'scripts/start-api.ts',
    [],
    {
      PORT: String(port),
      DATABASE_URL: outbound.config.databaseUrl,
      TEMPORAL_ADDRESS: outbound.config.temporalAddress,
      TEMPORAL_TASK_QUEUE: outbound.config.taskQueue,
      OUTBOUND_SECRET_KEY: outbound.config.secretKey,
      OUTBOUND_CORS_ORIGINS: '',
      OUTBOUND_PLAYGROUND: '',
      ...env,
    },
    'Outbound API:',
  );
  return { process, url: `http://127.0.0.1:${port}` };
}

const consoleOrigin = 'https://console.example.com';
let outbound: Outbound;
let production: { process: EntryPoint; url: string };
let development: { process: EntryPoint; url: string };

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  [production, development] = await Promise.all([
    startApiProcess(outbound, {
      OUTBOUND_CORS_ORIGINS: `${consoleOrigin}, https://ops.example.com`,
      OUTBOUND_PLAYGROUND: 'off',
    }),
    startApiProcess(outbound, {}),
  ]);
});

afterAll(async () => {
  await production?.process.kill();
  await development?.process.kill();
  await outbound?.close();
});

const post = (url: string, query: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });

const preflight = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

describe('CORS', () => {
  test('a listed origin may call the API, without credentials', async () => {
    const response = await preflight(production.url, consoleOrigin);
    expect(response.headers.get('access-control-allow-origin')).toBe(consoleOrigin);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const answer = await post(production.url, '{ viewer { id } }', { origin: 'https://ops.example.com' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    expect(answer.headers.get('vary')).toMatch(/Origin/);
  });

  test('any other origin gets no CORS headers (and none is allowed by default)', async () => {
    for (const url of [production.url, development.url]) {
      for (const response of [
        await preflight(url, 'https://evil.example'),
        await post(url, '{ viewer { id } }', { origin: 'https://evil.example' }),
      ]) {
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      }
    }
    const unlisted = await preflight(development.url, consoleOrigin);
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  test('every API answer: nosniff, no framing, no referrer, no caching, a strict CSP', async () => {
    for (const response of [
      await post(production.url, '{ viewer { id } }', { authorization: `Bearer ${outbound.adminToken}` }),
      await post(development.url, '{ nonsense }'),
      await fetch(`${production.url}/`),
    ]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  test('malformed paths are answered 400 or 404 with the security headers, never a stack trace', async () => {
    for (const path of [
      '/assets/%zz',
      '/assets/%E0%A4%A',
      '/assets/%C0%AF.js',
      '/assets/a%00.js',
      '/%zz',
      '/graphql%zz',
    ]) {
      const response = await fetch(`${production.url}${path}`);
      const body = await response.text();
      expect([400, 404], `${path}: ${response.status} ${body}`).toContain(response.status);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(body).not.toMatch(/URIError|Error:|\.ts\b|node:|\n\s+at /);
    }
    expect((await fetch(`${production.url}/healthz`)).status).toBe(200);
  });

  test('GraphiQL is a small page over same-origin files cached for good: nothing from outside', async () => {
    const page = await graphiqlPage(development.url);
    expect(page.html).toContain('<title>Outbound</title>');
    // yoga's default page loads GraphiQL's scripts and styles from a CDN; this one from this origin.
    expect(page.html).not.toMatch(/<(?:script|link)[^>]+(?:src|href)=["']?https?:/);
    expect(page.html.length).toBeLessThan(5_000);
    const references = referencedUrls(page.html).filter((r) => !r.startsWith('data:'));
    expect(references.map((r) => r.replace(/.*\//, '')).sort()).toEqual([
      'boot.js',
      'favicon.ico',
      'graphiql.css',
      'graphiql.js',
    ]);
    for (const reference of references) {
      const url = new URL(reference, page.url);
      expect(url.origin, reference).toBe(new URL(page.url).origin);
      const response = await fetch(url);
      expect(response.status, reference).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const script = new URL(references.find((r) => r.endsWith('/graphiql.js')) ?? '', page.url);
    const plain = await fetch(script, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const body = await plain.text();
    expect(body).toContain('renderYogaGraphiQL');
    // Monaco's workers are files beside it; a version that is not the current one is not found.
    const worker = await fetch(new URL('graphql.worker.js', script));
    expect(worker.status).toBe(200);
    expect(await worker.text()).toContain('onmessage');
    expect((await fetch(new URL('/graphiql-assets/0000/graphiql.js', page.url))).status).toBe(404);
    // Turned off with the playground.
    expect((await fetch(new URL(script.pathname, production.url))).status).not.toBe(200);
    // The same page again.
    expect((await graphiqlPage(development.url)).html).toBe(page.html);
  });

  test("GraphiQL's CSP allows no host and no inline script: its files, data: fonts, its workers, requests here", async () => {
    const { html, csp } = await graphiqlPage(development.url);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...sources] = d.trim().split(/\s+/);
        return [name, sources] as const;
      }),
    );
    const sources = [...directives.values()].flat();
    const keywordOrScheme = /^('none'|'self'|'unsafe-inline'|data:)$/;
    for (const source of sources) expect(source, csp).toMatch(keywordOrScheme);
    expect([...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]).toHaveLength(0);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('worker-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

/** GET /graphql as a browser asks for it. */
async function graphiqlPage(base: string) {
  const url = `${base}/graphql`;
  const response = await fetch(url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  return { url, html: await response.text(), csp: response.headers.get('content-security-policy') ?? '' };
}

/**
 * What the page makes the browser load: src and href attributes of its markup, url() in its styles, and
 * import()/importScripts() and fetch() of string literals in its script.
 */
function referencedUrls(html: string): string[] {
  const script = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '').join('\n');
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '').join('\n');
  const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/g, '');
  const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] ?? '');
  return [
    ...all(markup, /\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/g),
    ...all(styles, /url\(\s*["']?([^"')]+)/g),
    ...all(script, /\b(?:import|importScripts|fetch)\(\s*\\?["'`]((?:https?:)?\/\/[^"'`]+)/g),
  ];
}

describe('OUTBOUND_PLAYGROUND=off', () => {
  const introspection = '{ __schema { queryType { name } } }';

  test('serves no GraphiQL', async () => {
    const response = await fetch(`${production.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('YogaGraphiQL');
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
  });

  test('refuses introspection without a token, and allows it with one', async () => {
    const anonymous = await (await post(production.url, introspection)).json();
    expect(anonymous.data).toBeUndefined();
    expect(anonymous.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    const signedIn = await post(production.url, introspection, {
      authorization: `Bearer ${outbound.adminToken}`,
    });
    expect(await signedIn.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    // The playground's server (development) lets anyone introspect.
    expect(await (await post(development.url, introspection)).json()).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
  });

  test('gives no "did you mean" suggestions without a token', async () => {
    const typo = '{ viewr { id } }';
    const anonymous = await (await post(production.url, typo)).json();
    expect(anonymous.errors[0].message).toBe('Cannot query field "viewr" on type "Query".');
    const signedIn = await (
      await post(production.url, typo, { authorization: `Bearer ${outbound.adminToken}` })
    ).json();
    expect(signedIn.errors[0].message).toMatch(/Did you mean "viewer"/);
    const development_ = await (await post(development.url, typo)).json();
    expect(development_.errors[0].message).toMatch(/Did you mean "viewer"/);
  });
});
