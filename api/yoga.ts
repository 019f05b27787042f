import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { AccountDiscovery } from '../core/activecampaign/discovery.ts';
import { createFailureStore } from '../core/auth-failures.ts';
import { healthRoutes } from '../core/observability/health.ts';
import { createMetrics } from '../core/observability/metrics.ts';
import { anonymousLimits } from './anonymous-limits.ts';
import { recordAudit } from './audit.ts';
import { defaultFailureLimit, type FailureLimit } from './auth-failures.ts';
import { authentication, type ClientInfo } from './authentication.ts';
import { builtConsoleDir, consoleAssets } from './console-assets.ts';
import { type ApiDeps, type Context, createContext } from './context.ts';
import { dataFreeLogger } from './data-free-logger.ts';
import { maskUnexpected, validationErrorsWithoutValues } from './errors.ts';
import { corsPolicy, securityHeaders, unexpectedFailure } from './http-policy.ts';
import { graphiqlAssets, offlinePlayground } from './playground.ts';
import { maxQueryCost, queryCostLimit } from './query-cost.ts';
import { requestBodyLimit } from './request-body-limit.ts';
import { requestMetrics } from './request-metrics.ts';
import { parseErrorsWithoutBody } from './request-parse-errors.ts';
import { runRejectsCsv } from './run-rejects-csv.ts';
import { schema } from './schema.ts';
import { createSegmentRefreshSlots } from './segment-refresh-share.ts';
import { createSubscriptionSlots, defaultSubscriptionLimits } from './subscription-slots.ts';
import { createViewerLookup } from './viewer-cache.ts';

export const maxRequestBytes = 2 * 1024 * 1024;
export const queryLimits = { depth: 10, cost: maxQueryCost, aliases: 15, tokens: 2000 } as const;

/** armor's refusals as validation errors (GRAPHQL_VALIDATION_FAILED, HTTP 400): thrown, they carry no code. */
const reportedAsValidation = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** How the API faces browsers and clients; the entry points read them from the environment. */
export type ApiSettings = {
  /** Origins allowed cross-origin (OUTBOUND_CORS_ORIGINS); none by default. */
  corsOrigins: readonly string[];
  /**
   * GraphiQL at /graphql (OUTBOUND_PLAYGROUND, default on). Off is the production switch: no GraphiQL,
   * and no introspection or "did you mean" suggestions for requests without a valid token.
   */
  playground: boolean;
  /** Take the client's address from X-Forwarded-For (OUTBOUND_TRUST_PROXY): only behind a reverse proxy. */
  trustProxy: boolean;
  authFailures: FailureLimit;
  /** The built console served at `/` (console/dist, written by `npm run console:build`). */
  consoleDir: string;
};

export const defaultApiSettings: ApiSettings = {
  corsOrigins: [],
  playground: true,
  trustProxy: false,
  authFailures: defaultFailureLimit,
  consoleDir: builtConsoleDir,
};

const graphqlEndpoint = '/graphql';

/**
 * The GraphQL API as a fetch handler: the same on Node and Deno. `GET /healthz`, `/readyz` and
 * `/metrics` are answered beside `/graphql`, a run's rejects as CSV at `/runs/<id>/rejects.csv`, and the
 * console's static files at `/` and `/assets/`.
 */
export function createApi(deps: ApiDeps, overrides: Partial<ApiSettings> = {}) {
  const settings = { ...defaultApiSettings, ...overrides };
  const metrics = deps.metrics ?? createMetrics();
  const health = healthRoutes({ checks: deps.readiness ?? {}, registry: metrics.registry });
  const lookup = createViewerLookup(deps.sql);
  const auth = authentication({
    lookup,
    failures: createFailureStore(deps.sql, settings.authFailures),
    trustProxy: settings.trustProxy,
    onLockout: (address) =>
      recordAudit(deps.db, null, 'auth.locked_out', 'ClientAddress', address, {
        failures: settings.authFailures.failures,
        windowSeconds: settings.authFailures.windowMs / 1000,
      }),
  });
  const subscriptions = createSubscriptionSlots({ ...defaultSubscriptionLimits, ...deps.limits });
  const discovery = new AccountDiscovery();
  const refreshSlots = createSegmentRefreshSlots();
  const playground = offlinePlayground();
  const consoleFiles = consoleAssets(settings.consoleDir);
  const graphiqlFiles = settings.playground ? graphiqlAssets() : async () => undefined;
  const rejectsCsv = runRejectsCsv({ db: deps.db, authenticate: auth.authenticate });
  const logger = dataFreeLogger('warn', deps.logger);
  const yoga = createYoga<ClientInfo, Context>({
    schema,
    graphqlEndpoint,
    graphiql: settings.playground && {
      title: 'Outbound',
      defaultQuery: '{\n  viewer { email role }\n  exports { nodes { id name lastRun { status } } }\n}\n',
    },
    renderGraphiQL: playground.render,
    landingPage: false,
    cors: corsPolicy(settings.corsOrigins),
    // Replaced by requestBodyLimit, which counts only bodies without a Content-Length.
    maxRequestBodySize: false,
    context: ({ request }) => ({
      ...createContext(deps, auth.viewerOf(request), lookup.forget, subscriptions, discovery, refreshSlots),
      requestSignal: request.signal,
    }),
    maskedErrors: { isDev: false, maskError: maskUnexpected },
    logging: logger,
    plugins: [
      securityHeaders(playground, graphqlEndpoint),
      auth.plugin,
      requestMetrics(metrics),
      requestBodyLimit(maxRequestBytes),
      parseErrorsWithoutBody,
      validationErrorsWithoutValues,
      maxDepthPlugin({ n: queryLimits.depth, ignoreIntrospection: true, ...reportedAsValidation }),
      queryCostLimit(queryLimits.cost),
      maxAliasesPlugin({ n: queryLimits.aliases, ...reportedAsValidation }),
      maxTokensPlugin({ n: queryLimits.tokens }),
      ...(settings.playground ? [] : [anonymousLimits(auth.viewerOf)]),
    ],
  });
  return {
    yoga,
    metrics,
    /** `client` comes from the HTTP server: the peer's address, for the failed-authentication limit. */
    fetch: async (request: Request, client: ClientInfo = {}): Promise<Response> => {
      let answer: Response | undefined;
      try {
        answer =
          (await health(request)) ??
          (await consoleFiles(request)) ??
          (await graphiqlFiles(request)) ??
          (await rejectsCsv(request, client));
      } catch (error) {
        logger.error('A request outside GraphQL failed', error);
        return unexpectedFailure();
      }
      return answer ?? yoga.fetch(request, client);
    },
    /** Ends the open `exportRunProgress` streams (graceful stop). */
    closeSubscriptions: () => subscriptions.closeAll(),
  };
}

export type Api = ReturnType<typeof createApi>;
