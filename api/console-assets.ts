import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseSecurityHeaders, consoleCsp } from './http-policy.ts';

/** Where `npm run console:build` writes the console (console/vite.config.ts). */
export const builtConsoleDir = fileURLToPath(new URL('../console/dist', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const consoleHeaders = (contentType: string, immutable: boolean) => ({
  'content-type': contentType,
  'content-security-policy': consoleCsp,
  ...baseSecurityHeaders,
  // Vite names the assets by their content hash; the page itself is looked up again every time.
  'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
});

/** The path with its %-escapes decoded, or undefined when they are not valid UTF-8 (`%zz`, `%e0%a4`). */
function decodedPath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

/**
 * The console's static files for GET and HEAD at `/` and `/assets/…`, with a CSP that allows only this
 * origin. Any other path is not the console's (undefined): /graphql and the health routes answer those.
 * Read from disk at each request (node:fs, so Deno serves it too).
 */
export function consoleAssets(dir: string = builtConsoleDir) {
  const root = normalize(dir);
  return async (request: Request): Promise<Response | undefined> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const { pathname } = new URL(request.url);
    const isPage = pathname === '/' || pathname === '/index.html';
    if (!isPage && !pathname.startsWith('/assets/')) return undefined;
    const path = isPage ? 'index.html' : decodedPath(pathname);
    if (path === undefined) {
      return new Response('Bad request: the path is not valid percent-encoded UTF-8.', {
        status: 400,
        headers: consoleHeaders('text/plain; charset=utf-8', false),
      });
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || file.includes('\0')) {
      return new Response('Not found', { status: 404, headers: consoleHeaders('text/plain', false) });
    }
    const body = await readFile(file).catch(() => undefined);
    if (!body) {
      return isPage
        ? new Response('The console is not built: run `npm run console:build`.', {
            status: 503,
            headers: consoleHeaders('text/plain; charset=utf-8', false),
          })
        : new Response('Not found', { status: 404, headers: consoleHeaders('text/plain', false) });
    }
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      headers: consoleHeaders(type, !isPage),
    });
  };
}
