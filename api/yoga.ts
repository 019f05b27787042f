import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createYoga } from 'graphql-yoga';
import { healthRoutes } from '../core/observability/health.ts';
import { createMetrics } from '../core/observability/metrics.ts';
import { type ApiDeps, type Context, createContext } from './context.ts';
import { dataFreeLogger } from './data-free-logger.ts';
import { maskUnexpected, validationErrorsWithoutValues } from './errors.ts';
import { requestBodyLimit } from './request-body-limit.ts';
import { requestMetrics } from './request-metrics.ts';
import { schema } from './schema.ts';
import { createViewerLookup } from './viewer-cache.ts';

export const maxRequestBytes = 2 * 1024 * 1024;
export const queryLimits = { depth: 10, cost: 5000, aliases: 15, tokens: 2000 } as const;

/**
 * The GraphQL API as a fetch handler: the same on Node and Deno. `GET /healthz`, `/readyz` and
 * `/metrics` are answered beside `/graphql`.
 */
export function createApi(deps: ApiDeps) {
  const metrics = deps.metrics ?? createMetrics();
  const health = healthRoutes({
    checks: deps.readiness ?? {},
    registry: metrics.registry,
  });
  const viewerOf = createViewerLookup(deps.sql);
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: {
      title: 'Outbound',
      defaultQuery: '{\n  viewer { email role }\n  exports { id name lastRun { status } }\n}\n',
    },
    landingPage: false,
    // Replaced by requestBodyLimit, which counts only bodies without a Content-Length.
    maxRequestBodySize: false,
    context: ({ request }) => createContext(deps, request, viewerOf),
    maskedErrors: { isDev: false, maskError: maskUnexpected },
    logging: dataFreeLogger('warn', deps.logger),
    plugins: [
      requestMetrics(metrics),
      requestBodyLimit(maxRequestBytes),
      validationErrorsWithoutValues,
      maxDepthPlugin({ n: queryLimits.depth, ignoreIntrospection: true }),
      costLimitPlugin({ maxCost: queryLimits.cost, ignoreIntrospection: true }),
      maxAliasesPlugin({ n: queryLimits.aliases }),
      maxTokensPlugin({ n: queryLimits.tokens }),
    ],
  });
  return {
    yoga,
    metrics,
    fetch: async (request: Request): Promise<Response> => (await health(request)) ?? yoga.fetch(request),
  };
}

export type Api = ReturnType<typeof createApi>;
