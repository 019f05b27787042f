import type { GraphiQLOptions } from 'graphql-yoga';
import { baseSecurityHeaders } from './http-policy.ts';

/** Where GraphiQL's files are served: versioned by their content, so browsers keep them for good. */
export const graphiqlAssetsPath = '/graphiql-assets/';

/**
 * The GraphiQL page's CSP: its scripts, styles and Monaco's workers are files of this origin; GraphiQL and
 * Monaco set inline styles at run time; fonts and the icon are data: URLs; requests go here only.
 */
export const graphiqlCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'font-src data:',
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Asset = { body: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer>; type: string };
type Assets = { version: string; files: Map<string, Asset> };

/**
 * Starts GraphiQL in the page: Monaco's workers from this origin, the options from the page's JSON, and the
 * header editor filled with the console's signed-in token (same origin, same tab: its sessionStorage).
 */
const boot = `(() => {
  const base = document.currentScript.src.replace(/[^/]*$/, '');
  const workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => base + workers[label] };
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  const token = sessionStorage.getItem('outbound.token');
  if (token) options.headers = JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;

let loading: Promise<Assets> | undefined;

/** GraphiQL's bundle from the deployment's own dependencies, split into files, each gzipped once. */
function assets(): Promise<Assets> {
  loading ??= loadAssets();
  // A failed import is tried again by the next request.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

async function loadAssets(): Promise<Assets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const js = 'text/javascript; charset=utf-8';
  const sources: Array<[string, string, string]> = [
    ['graphiql.js', bundle.js, js],
    ['graphiql.css', bundle.css, 'text/css; charset=utf-8'],
    ['editor.worker.js', bundle.editorWorkerService, js],
    ['json.worker.js', bundle.jsonWorker, js],
    ['graphql.worker.js', bundle.graphqlWorker, js],
    ['boot.js', boot, js],
  ];
  const files = new Map<string, Asset>();
  for (const [name, text, type] of sources) {
    const body = new TextEncoder().encode(text);
    files.set(name, { body, gzip: await gzipped(body), type });
  }
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(sources.map((s) => s[1]).join('\0')),
  );
  const version = [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  const icon = Uint8Array.from(atob(bundle.favicon.replace(/^data:[^,]*,/, '')), (c) => c.charCodeAt(0));
  files.set('favicon.ico', { body: icon, gzip: await gzipped(icon), type: 'image/x-icon' });
  return { version, files };
}

async function gzipped(body: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** JSON safe inside a <script> element: no `<` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * GraphiQL from the deployment's own dependencies: a small page whose scripts, styles and workers are
 * files under /graphiql-assets/<version>/, cached by the browser for good, so the page loads nothing from
 * anywhere else, works air-gapped, and later loads read GraphiQL from the browser's cache. The bundle is
 * imported on the first GraphiQL request (never with OUTBOUND_PLAYGROUND=off).
 */
export function offlinePlayground() {
  return {
    render: async (options: GraphiQLOptions): Promise<string> => {
      const { version } = await assets();
      const dir = `${graphiqlAssetsPath}${version}/`;
      return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${dir}favicon.ico" />
    <link rel="stylesheet" href="${dir}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${scriptJson(options)}</script>
    <script src="${dir}graphiql.js"></script>
    <script src="${dir}boot.js"></script>
  </body>
</html>
`;
    },
    csp: () => graphiqlCsp,
  };
}

/**
 * GraphiQL's files at /graphiql-assets/<version>/<name>, for GET and HEAD: immutable (the version changes
 * with their content), gzipped for clients that accept it. Any other path is not theirs (undefined).
 */
export function graphiqlAssets() {
  return async (request: Request): Promise<Response | undefined> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith(graphiqlAssetsPath)) return undefined;
    const [version, name] = pathname.slice(graphiqlAssetsPath.length).split('/');
    const { version: current, files } = await assets();
    const file = version === current && name ? files.get(name) : undefined;
    const headers: Record<string, string> = {
      ...baseSecurityHeaders,
      'content-security-policy': graphiqlCsp,
    };
    if (!file) {
      return new Response('Not found', {
        status: 404,
        headers: { ...headers, 'content-type': 'text/plain', 'cache-control': 'no-store' },
      });
    }
    const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
    const body = gzip ? file.gzip : file.body;
    return new Response(request.method === 'HEAD' ? null : body, {
      headers: {
        ...headers,
        'content-type': file.type,
        'content-length': String(body.byteLength),
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'accept-encoding',
        ...(gzip && { 'content-encoding': 'gzip' }),
      },
    });
  };
}
