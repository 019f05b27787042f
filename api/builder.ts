import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from './context.ts';
import { apiError } from './errors.ts';
import { pageSize } from './keyset-connection.ts';

/** The one builder; it defines no types: each domain file adds its own. */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { authenticated: boolean; admin: boolean; editor: boolean };
  Scalars: { DateTime: { Input: Date; Output: Date | string }; JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
  /** Counted only when a client asks for it (see keyset-connection.ts). */
  Connection: { totalCount: () => Promise<number> };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      authenticated: context.viewer !== null,
      admin: context.viewer?.role === 'ADMIN',
      editor: context.viewer?.role === 'ADMIN' || context.viewer?.role === 'CONTRIBUTOR',
    }),
    unauthorizedError: (_parent, context) =>
      context.viewer
        ? apiError('FORBIDDEN', `Your role (${context.viewer.role}) does not allow this.`)
        : apiError('UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <token>.'),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodesOnConnection: true,
    firstArgOptions: { description: `Page size: ${pageSize.default} if not given, at most ${pageSize.max}.` },
    lastArgOptions: { description: `Page size counted back from before, at most ${pageSize.max}.` },
    afterArgOptions: { description: 'The endCursor of the previous page.' },
    beforeArgOptions: { description: 'The startCursor of the next page, to page backwards with last.' },
  },
});

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Items in the whole list (not only this page).',
    resolve: (connection) => connection.totalCount(),
  }),
);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType('DateTime', {
  // Raw postgres.js queries return timestamps as text (drizzle installs its own parsers on the client).
  serialize: (value) => new Date(value).toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw apiError('BAD_USER_INPUT', 'Expected an ISO 8601 date-time.');
    return date;
  },
});

builder.scalarType('JSON', { serialize: (value) => value, parseValue: (value) => value });
