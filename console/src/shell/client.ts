import { createClient as createSseClient } from 'graphql-sse';
import { Client, fetchExchange, subscriptionExchange } from 'urql';

const endpoint = '/graphql';

/**
 * The console's one GraphQL client: queries and mutations over POST, the run progress subscription over
 * SSE ("distinct connections": one request per subscription), both with the signed-in token.
 */
export function createApiClient(token: string): Client {
  const authorization = `Bearer ${token}`;
  const sse = createSseClient({
    url: () => new URL(endpoint, location.href).toString(),
    headers: { authorization },
    retryAttempts: 3,
  });
  return new Client({
    url: endpoint,
    requestPolicy: 'cache-and-network',
    fetchOptions: { headers: { authorization } },
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: sse.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });
}
