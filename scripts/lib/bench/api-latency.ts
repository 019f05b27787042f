import { percentile, round } from './figures.ts';
import type { Gql } from './graphql-client.ts';

/** `clients` concurrent loops sending `query` for `durationMs`: latency percentiles in ms, and throughput. */
export async function measureLatency(
  gql: Gql,
  query: string,
  variables: Record<string, unknown>,
  clients: number,
  durationMs: number,
) {
  const latencies: number[] = [];
  const until = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        await gql(query, variables);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / (durationMs / 1000)),
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
  };
}
