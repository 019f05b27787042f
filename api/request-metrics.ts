import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../core/observability/metrics.ts';

/** `query Name`, `mutation Name`, `subscription Name` at the start of a document. */
const namedOperation = /^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * Observes each GraphQL request's duration by operation name: the request's `operationName`, else the
 * document's first operation's name (a bounded label: see Metrics.operationLabel).
 */
export function requestMetrics(metrics: Metrics): Plugin {
  const started = new WeakMap<Request, { at: number; operation?: string }>();
  return {
    onRequest({ request }) {
      started.set(request, { at: performance.now() });
    },
    onParams({ params, request }) {
      const entry = started.get(request);
      if (!entry) return;
      const name = params.operationName ?? namedOperation.exec(params.query ?? '')?.[1];
      entry.operation = metrics.operationLabel(name);
    },
    onResponse({ request }) {
      const entry = started.get(request);
      if (!entry?.operation) return; // not a GraphQL request (GraphiQL's page, a 405)
      metrics.apiRequestDuration.observe(
        { operation: entry.operation },
        (performance.now() - entry.at) / 1000,
      );
    },
  };
}
