import type { builder } from './builder.ts';
import type { Context } from './context.ts';

type MutationFieldBuilder = Parameters<Parameters<typeof builder.mutationFields>[0]>[0];
type Scopes = { admin: true } | { editor: true };

/**
 * A `delete<Thing>(id: ID!): ID!` mutation: `load` finds the row the caller may delete (NOT_FOUND,
 * FORBIDDEN as it decides), `remove` deletes it; the deleted row's id is returned.
 */
export function deleteByIdField<Row extends { id: string }>(
  t: MutationFieldBuilder,
  options: {
    authScopes: Scopes;
    description: string;
    load: (ctx: Context, id: string) => Promise<Row>;
    remove: (ctx: Context, row: Row) => Promise<unknown>;
  },
) {
  return t.id({
    authScopes: options.authScopes,
    description: options.description,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await options.load(ctx, String(id));
      await options.remove(ctx, row);
      return row.id;
    },
  });
}
