import { createHash } from 'node:crypto';
import { type CORSOptions, type Plugin, renderGraphiQL } from 'graphql-yoga';

/**
 * Cross-origin access: only the origins listed (OUTBOUND_CORS_ORIGINS) get CORS headers, without
 * credentials (the API authenticates by bearer token, never by cookie). The console is served by the API
 * itself, same origin, and needs no entry.
 */
export function corsPolicy(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (request: Request): CORSOptions => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept'],
      maxAge: 600,
    };
  };
}

/** The console (served at `/` later) and every API answer: scripts, styles and requests from this origin only. */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The playground's CSP, derived from the page yoga serves: GraphiQL is loaded from a CDN (unpkg, one pinned
 * version) until the offline GraphiQL lands, so its scripts, styles, fonts and Monaco's worker sources (fetched,
 * then run from blob: URLs) are allowed from that one versioned path; the inline scripts by their hashes;
 * inline styles because GraphiQL and Monaco set them at run time; requests to this origin.
 */
export function playgroundCsp(html: string): string {
  const inlineScripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => sha256(m[1] ?? ''));
  const cdn = [
    ...new Set(
      [...html.matchAll(/https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/"'\s>]+\//g)].map((m) => m[0]),
    ),
  ];
  const icons = [...new Set([...html.matchAll(/rel=icon href=(https:[^\s>]+)/g)].map((m) => m[1]))];
  return [
    "default-src 'none'",
    `script-src ${[...inlineScripts, ...cdn].join(' ')}`,
    `style-src ${[...cdn, "'unsafe-inline'"].join(' ')}`,
    `font-src ${[...cdn, 'data:'].join(' ')}`,
    `connect-src 'self' ${cdn.join(' ')}`,
    'worker-src blob:',
    `img-src 'self' data: ${icons.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * GraphiQL rendered by yoga, with the CSP of exactly that page kept for the response headers (the options
 * are fixed, so every rendering is the same page).
 */
export function playgroundRenderer() {
  let csp = consoleCsp;
  return {
    render: (options: Parameters<typeof renderGraphiQL>[0]) => {
      const html = renderGraphiQL(options);
      csp = playgroundCsp(html);
      return html;
    },
    csp: () => csp,
  };
}

/**
 * Headers on every answer: no MIME sniffing, no framing, no referrer, nothing cached (answers carry
 * tokens' data), and a CSP: the playground's own on the GraphiQL page, the strict one everywhere else.
 */
export function securityHeaders(playground: { csp(): string }, graphqlEndpoint: string): Plugin {
  return {
    onResponse({ request, response }) {
      const isPage =
        new URL(request.url).pathname.replace(/\/$/, '') === graphqlEndpoint &&
        (response.headers.get('content-type')?.startsWith('text/html') ?? false);
      response.headers.set('content-security-policy', isPage ? playground.csp() : consoleCsp);
      response.headers.set('x-content-type-options', 'nosniff');
      response.headers.set('x-frame-options', 'DENY');
      response.headers.set('referrer-policy', 'no-referrer');
      response.headers.set('cache-control', 'no-store');
      const vary = response.headers.get('vary');
      if (!vary?.toLowerCase().includes('origin'))
        response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
    },
  };
}
