import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphiQLOptions } from 'graphql-yoga';
import { type GraphiqlFile, graphiqlFiles } from './graphiql-files.ts';
import { baseSecurityHeaders } from './http-policy.ts';

/** Where GraphiQL's files are served: versioned by their content, so browsers keep them for good. */
export const graphiqlAssetsPath = '/graphiql-assets/';

/** Where `npm run console:build` writes GraphiQL's files, each also brotli- and gzip-compressed. */
export const builtGraphiqlDir = fileURLToPath(new URL('../dist/graphiql', import.meta.url));

/** The compressed forms of a file, in the order they are preferred, and their files' suffixes. */
export const graphiqlEncodings = { br: '.br', gzip: '.gz' } as const;
export type Encoding = keyof typeof graphiqlEncodings;

/** dist/graphiql/manifest.json: the files of dist/graphiql/<version>/, each beside its compressed forms. */
export type GraphiqlManifest = {
  version: string;
  /** The @graphql-yoga/render-graphiql version they come from. */
  package: string;
  files: Record<string, { type: string; encodings: Encoding[] }>;
};

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

type Served = { body: Uint8Array; type: string; encoding?: Encoding };
type Assets = {
  version: string;
  /** The file in the best of the client's accepted encodings we have; undefined when there is none. */
  file(name: string, accepted: (encoding: Encoding) => boolean): Promise<Served | undefined>;
};

const loaded = new Map<string, Promise<Assets>>();

/**
 * GraphiQL's files: the build's (`dir`, read from disk at each request) when it has a manifest, else made
 * once per process from the installed bundle, in memory, gzipped only (no build: `npm run start:api`).
 */
function assets(dir: string): Promise<Assets> {
  let loading = loaded.get(dir);
  if (!loading) {
    loading = builtAssets(dir).catch(() => inMemoryAssets());
    loaded.set(dir, loading);
    // A failed import is tried again by the next request.
    loading.catch(() => loaded.delete(dir));
  }
  return loading;
}

async function builtAssets(dir: string): Promise<Assets> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as GraphiqlManifest;
  const files = new Map(Object.entries(manifest.files));
  return {
    version: manifest.version,
    file: async (name, accepted) => {
      const file = files.get(name);
      if (!file) return undefined;
      const encoding = file.encodings.find(accepted);
      const path = join(dir, manifest.version, name + (encoding ? graphiqlEncodings[encoding] : ''));
      const body = await readFile(path).catch((error: NodeJS.ErrnoException) => {
        // Built again since (another version): the next request reads the new manifest.
        if (error.code !== 'ENOENT') throw error;
        loaded.delete(dir);
        return undefined;
      });
      return body && { body, type: file.type, encoding };
    },
  };
}

async function inMemoryAssets(): Promise<Assets> {
  const { version, files } = await graphiqlFiles();
  const byName = new Map<string, GraphiqlFile & { gzip: Uint8Array }>();
  for (const file of files) byName.set(file.name, { ...file, gzip: await gzipped(file.body) });
  return {
    version,
    file: async (name, accepted) => {
      const file = byName.get(name);
      if (!file) return undefined;
      return accepted('gzip')
        ? { body: file.gzip, type: file.type, encoding: 'gzip' }
        : { body: file.body, type: file.type };
    },
  };
}

async function gzipped(body: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Which content codings an Accept-Encoding header allows (a `q=0` refuses one; `*` stands for the rest). */
export function acceptedEncodings(header: string | null): (encoding: string) => boolean {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    weights.set(name, q ? Number(q.slice(2)) : 1);
  }
  return (encoding) => (weights.get(encoding) ?? weights.get('*') ?? 0) > 0;
}

/** JSON safe inside a <script> element: no `<` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * GraphiQL from the deployment's own dependencies: a small page whose scripts, styles and workers are
 * files under /graphiql-assets/<version>/, cached by the browser for good, so the page loads nothing from
 * anywhere else, works air-gapped, and later loads read GraphiQL from the browser's cache. Nothing is read
 * before the first GraphiQL request (never with OUTBOUND_PLAYGROUND=off).
 */
export function offlinePlayground(dir: string = builtGraphiqlDir) {
  return {
    render: async (options: GraphiQLOptions): Promise<string> => {
      const { version } = await assets(dir);
      const files = `${graphiqlAssetsPath}${version}/`;
      return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${files}favicon.ico" />
    <link rel="stylesheet" href="${files}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${scriptJson(options)}</script>
    <script src="${files}graphiql.js"></script>
    <script src="${files}boot.js"></script>
  </body>
</html>
`;
    },
    csp: () => graphiqlCsp,
  };
}

/**
 * GraphiQL's files at /graphiql-assets/<version>/<name>, for GET and HEAD: immutable (the version changes
 * with their content), brotli- or gzip-compressed for clients that accept it. Any other path is not
 * theirs (undefined).
 */
export function graphiqlAssets(dir: string = builtGraphiqlDir) {
  return async (request: Request): Promise<Response | undefined> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith(graphiqlAssetsPath)) return undefined;
    const [version, name, ...rest] = pathname.slice(graphiqlAssetsPath.length).split('/');
    const current = await assets(dir);
    const accepted = acceptedEncodings(request.headers.get('accept-encoding'));
    const file =
      version === current.version && name && rest.length === 0
        ? await current.file(name, accepted)
        : undefined;
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
    return new Response(request.method === 'HEAD' ? null : (file.body as Uint8Array<ArrayBuffer>), {
      headers: {
        ...headers,
        'content-type': file.type,
        'content-length': String(file.body.byteLength),
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'accept-encoding',
        ...(file.encoding && { 'content-encoding': file.encoding }),
      },
    });
  };
}
