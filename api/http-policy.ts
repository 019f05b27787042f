import type { CORSOptions, Plugin } from 'graphql-yoga';

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

/** The headers every answer carries besides its CSP (see securityHeaders). */
export const baseSecurityHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The answer to a request that failed outside GraphQL (a static file, a health route): a bare 500 with
 * the security headers; the error itself goes to the log only, never to the client.
 */
export const unexpectedFailure = () =>
  new Response('Unexpected error.', {
    status: 500,
    headers: {
      ...baseSecurityHeaders,
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': consoleCsp,
      'cache-control': 'no-store',
    },
  });

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
      for (const [name, value] of Object.entries(baseSecurityHeaders)) response.headers.set(name, value);
      response.headers.set('cache-control', 'no-store');
      const vary = response.headers.get('vary');
      if (!vary?.toLowerCase().includes('origin'))
        response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
    },
  };
}
