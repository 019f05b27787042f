import type { Plugin } from 'graphql-yoga';
import type { FailureStore } from '../core/auth-failures.ts';
import { failureKey } from './auth-failures.ts';
import type { Viewer } from './context.ts';
import type { ViewerLookup } from './viewer-cache.ts';

/** What the HTTP server knows about the request's sender: passed by the entry points to `api.fetch`. */
export type ClientInfo = { clientAddress?: string };

const bearer = (request: Request) =>
  /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? null;

/**
 * The client's address: the socket's peer, or, behind a trusted reverse proxy, the address that proxy
 * appended last to X-Forwarded-For (earlier entries are the client's own claims).
 */
export function clientAddress(request: Request, client: ClientInfo, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return client.clientAddress ?? 'unknown';
}

const tooManyFailures = (fetchAPI: { Response: typeof Response }, retryAfter: number) =>
  new fetchAPI.Response(
    JSON.stringify({
      errors: [
        {
          message: 'Too many failed authentications from this address: try again later.',
          extensions: { code: 'TOO_MANY_REQUESTS' },
        },
      ],
    }),
    { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) } },
  );

/**
 * Resolves the bearer token of each request once, before GraphQL runs. An address (an IPv6 /64) that failed
 * the limit's failures in a window, counted across every API process, gets 429 with Retry-After for every request carrying a token until
 * the window ends, valid or not: a guesser learns nothing more. `onLockout` hears of each lockout.
 */
export function authentication(options: {
  lookup: ViewerLookup;
  failures: FailureStore;
  trustProxy: boolean;
  onLockout(address: string): Promise<void>;
}) {
  const limiter = options.failures;
  const viewers = new WeakMap<Request, Viewer | null>();
  /** The token's viewer (null: no token, or not a valid one), or the 429 a locked-out address gets. */
  async function authenticate(
    request: Request,
    client: ClientInfo,
    fetchAPI: { Response: typeof Response } = { Response },
  ): Promise<{ viewer: Viewer | null } | { refusal: Response }> {
    const token = bearer(request);
    if (!token) return { viewer: null };
    const address = failureKey(clientAddress(request, client, options.trustProxy));
    const wait = await limiter.retryAfterSeconds(address);
    if (wait > 0) return { refusal: tooManyFailures(fetchAPI, wait) };
    const viewer = await options.lookup.viewerOf(token);
    if (!viewer && (await limiter.recordFailure(address))) await options.onLockout(address);
    return { viewer };
  }
  const plugin: Plugin<Record<string, unknown>, ClientInfo> = {
    async onRequest({ request, serverContext, endResponse, fetchAPI }) {
      if (!bearer(request)) return;
      const outcome = await authenticate(request, serverContext ?? {}, fetchAPI);
      if ('refusal' in outcome) return endResponse(outcome.refusal);
      viewers.set(request, outcome.viewer);
    },
  };
  return {
    plugin,
    authenticate,
    viewerOf: (request: Request): Viewer | null => viewers.get(request) ?? null,
  };
}
