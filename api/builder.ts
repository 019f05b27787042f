import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from './context.ts';
import { apiError } from './errors.ts';

/** The one builder; it defines no types: each domain file adds its own. */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { authenticated: boolean; admin: boolean; editor: boolean };
  Scalars: { DateTime: { Input: Date; Output: Date | string }; JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
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
  },
});

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
