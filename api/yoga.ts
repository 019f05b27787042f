import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { type ApiDeps, type Context, createContext } from './context.ts';
import { dataFreeLogger } from './data-free-logger.ts';
import { maskUnexpected, validationErrorsWithoutValues } from './errors.ts';
import { queryCostLimit } from './query-cost.ts';
import { requestBodyLimit } from './request-body-limit.ts';
import { schema } from './schema.ts';
import { createSubscriptionSlots, defaultSubscriptionLimits } from './subscription-slots.ts';
import { createViewerLookup } from './viewer-cache.ts';

export const maxRequestBytes = 2 * 1024 * 1024;
export const queryLimits = { depth: 10, cost: 5000, aliases: 15, tokens: 2000 } as const;

/** armor's refusals as validation errors (GRAPHQL_VALIDATION_FAILED, HTTP 400): thrown, they carry no code. */
const reportedAsValidation = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** The GraphQL API as a fetch handler: the same on Node and Deno. */
export function createApi(deps: ApiDeps) {
  const viewerOf = createViewerLookup(deps.sql);
  const subscriptions = createSubscriptionSlots({ ...defaultSubscriptionLimits, ...deps.limits });
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: {
      title: 'Outbound',
      defaultQuery: '{\n  viewer { email role }\n  exports { nodes { id name lastRun { status } } }\n}\n',
    },
    landingPage: false,
    // Replaced by requestBodyLimit, which counts only bodies without a Content-Length.
    maxRequestBodySize: false,
    context: ({ request }) => createContext(deps, request, viewerOf, subscriptions),
    maskedErrors: { isDev: false, maskError: maskUnexpected },
    logging: dataFreeLogger('warn'),
    plugins: [
      requestBodyLimit(maxRequestBytes),
      validationErrorsWithoutValues,
      maxDepthPlugin({ n: queryLimits.depth, ignoreIntrospection: true, ...reportedAsValidation }),
      queryCostLimit(queryLimits.cost),
      maxAliasesPlugin({ n: queryLimits.aliases, ...reportedAsValidation }),
      maxTokensPlugin({ n: queryLimits.tokens }),
    ],
  });
  return { yoga, fetch: async (request: Request): Promise<Response> => yoga.fetch(request) };
}

export type Api = ReturnType<typeof createApi>;
