import { type DocumentNode, GraphQLError, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from './context.ts';

function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

const suggestion = /\s*Did you mean [^?]*\?/g;

/**
 * The production switch (OUTBOUND_PLAYGROUND=off): a request without a valid token may not introspect
 * the schema, and its errors carry no "Did you mean …?" (which would spell out field, argument and enum
 * names one guess at a time). Signed-in users keep both.
 */
export function anonymousLimits(viewerOf: (request: Request) => Viewer | null): Plugin<{
  viewer?: Viewer | null;
}> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (args.contextValue.viewer || !introspects(args.document)) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError('Introspection needs a token: send Authorization: Bearer <token>.', {
            extensions: { code: 'UNAUTHENTICATED' },
          }),
        ],
      });
    },
    onResultProcess({ request, result, setResult }) {
      if (viewerOf(request) || Array.isArray(result) || !('errors' in result) || !result.errors?.length)
        return;
      if (!result.errors.some((e) => e.message.includes('Did you mean'))) return;
      setResult({
        ...result,
        errors: result.errors.map((e) =>
          e.message.includes('Did you mean')
            ? new GraphQLError(e.message.replace(suggestion, ''), {
                nodes: e.nodes,
                source: e.source,
                positions: e.positions,
                path: e.path,
                originalError: e.originalError,
                extensions: e.extensions,
              })
            : e,
        ),
      });
    },
  };
}
