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

  test('GraphiQL is served from the deployment: everything it references is inline or same-origin', async () => {
    const page = await graphiqlPage(development.url);
    expect(page.html).toContain('<title>Outbound</title>');
    expect(page.html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    // yoga's default page loads GraphiQL's scripts and styles from a CDN; this one has them inline.
    expect(page.html).not.toMatch(/<(?:script|link)[^>]+(?:src|href)=["']?https?:/);
    expect(page.html.length).toBeGreaterThan(1_000_000);
    const references = referencedUrls(page.html);
    // The icon, and the fonts and images of the inline stylesheet.
    expect(references.length).toBeGreaterThan(1);
    for (const reference of references) {
      if (reference.startsWith('data:')) continue;
      const url = new URL(reference, page.url);
      expect(url.origin, reference).toBe(new URL(page.url).origin);
      expect((await fetch(url)).status, reference).toBe(200);
    }
    // Served again from memory, the same page (the bytes are not consumed by the first answer).
    expect((await graphiqlPage(development.url)).html).toBe(page.html);
  });

  test("GraphiQL's CSP allows no host: the page's own inline script, data: fonts, blob: workers, requests here", async () => {
    const { html, csp } = await graphiqlPage(development.url);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...sources] = d.trim().split(/\s+/);
        return [name, sources] as const;
      }),
    );
    const sources = [...directives.values()].flat();
    const keywordOrScheme = /^('none'|'self'|'unsafe-inline'|'sha256-[A-Za-z0-9+/]+=*'|data:|blob:)$/;
    for (const source of sources) expect(source, csp).toMatch(keywordOrScheme);
    const { createHash } = await import('node:crypto');
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) =>
        `'sha256-${createHash('sha256')
          .update(m[1] ?? '')
          .digest('base64')}'`,
    );
    expect(inline).toHaveLength(1);
    expect(directives.get('script-src')).toEqual(inline);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('worker-src')).toEqual(['blob:']);
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
