import type { Gql } from './graphql-client.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

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
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / (durationMs / 1000)),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
  };
}
