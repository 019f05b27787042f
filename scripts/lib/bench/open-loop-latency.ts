import { percentile, round } from './figures.ts';
import type { Gql } from './graphql-client.ts';

export type OpenLoopRequest = { query: string; variables?: Record<string, unknown> };

export type OpenLoopResult = {
  /** Requests sent (warm-up included) ÷ seconds from the first scheduled send to one interval after the last actual send. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests counted: those scheduled after the warm-up. */
  requests: number;
  errors: number;
  /** p99 of how late the bench itself sent a request after its scheduled time (its own CPU starved). */
  sendLagP99Ms: number;
  /** When the counted window began and ended (performance.now() ms, the last answer included). */
  startedAt: number;
  endedAt: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Open-loop latency: requests at a fixed arrival rate for `durationMs`, request i scheduled at
 * start + i / rate and sent then whatever the earlier ones are doing (a late timer sends every
 * overdue one at once), cycling through `requests` (each called for its query and variables when
 * sent). Latency counts from the scheduled send time, not the actual one, so a stalled sender or API
 * shows as latency (no coordinated omission). A GraphQL or HTTP error counts as an error, not a latency.
 * The first `warmupMs` are sent at the same rate but not counted: the bench's connections to the API
 * open and the API's code paths for these queries are compiled then (in the first second without a
 * warm-up, p50 was ~250 ms on this VM: a cold start, not what a console meets).
 */
export async function measureOpenLoop(
  gql: Gql,
  requests: Array<() => OpenLoopRequest>,
  ratePerSecond: number,
  durationMs: number,
  warmupMs = 0,
): Promise<OpenLoopResult> {
  const intervalMs = 1000 / ratePerSecond;
  const warmup = Math.floor(warmupMs / intervalMs);
  const count = warmup + Math.max(1, Math.floor(durationMs / intervalMs));
  const latencies: number[] = [];
  const lags: number[] = [];
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const startedAt = performance.now();
  let lastSentAt = startedAt;
  for (let i = 0; i < count; i++) {
    const scheduled = startedAt + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    const next = requests[i % requests.length];
    if (!next) throw new Error('measureOpenLoop needs at least one request');
    const { query, variables } = next();
    lastSentAt = performance.now();
    const counted = i >= warmup;
    if (counted) lags.push(lastSentAt - scheduled);
    inFlight.push(
      gql(query, variables).then(
        () => {
          if (counted) latencies.push(performance.now() - scheduled);
        },
        () => {
          if (counted) errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const endedAt = performance.now();
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return {
    rate: round(count / ((lastSentAt - startedAt + intervalMs) / 1000), 1),
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    requests: count - warmup,
    errors,
    sendLagP99Ms: round(percentile(lags, 99), 1),
    startedAt: startedAt + warmup * intervalMs,
    endedAt,
  };
}

/**
 * What a console asks while exports run, in turn: the export list, a running run with its progress
 * (each of `runIds` in turn), and an export with its last runs (each export in turn).
 */
export function consoleRequests(exportIds: string[], runIds: string[]): Array<() => OpenLoopRequest> {
  let run = 0;
  let exported = 0;
  return [
    () => ({ query: '{ exports { nodes { id name enabled lastRun { status } } } }' }),
    () => ({
      query:
        'query($id: ID!) { exportRun(id: $id) { id status exportedCount progress { processed total phase } } }',
      variables: { id: runIds[run++ % runIds.length] },
    }),
    () => ({
      query:
        'query($id: ID!) { export(id: $id) { id name runs(first: 10) { nodes { id status trigger startedAt finishedAt exportedCount } } } }',
      variables: { id: exportIds[exported++ % exportIds.length] },
    }),
  ];
}
