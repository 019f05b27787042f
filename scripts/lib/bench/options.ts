import { parseArgs } from 'node:util';

export type BenchOptions = {
  /** Members of the exported segment, per account: each export pushes this many contacts. */
  profiles: number;
  /** Profiles in the store; the rule segment takes the first `profiles` of them. */
  store: number;
  /** ActiveCampaign accounts on the fake, with a connection and an export each. */
  accounts: number;
  /** Worker processes. */
  workers: number;
  scale: number;
  unthrottled: boolean;
  skipLatency: boolean;
  latencySeconds: number;
  /** Requests a second of the open-loop API latency measurement. */
  apiRate: number;
  workerRuntime: 'node' | 'deno';
  /** The share of a source's rows that change before the timed cycle (`--churn`); the churn bench when set. */
  churn?: number;
  /** Time one results write of a finished run of `profiles` contacts instead (`--results-write`). */
  resultsWrite: boolean;
  /** Time GraphiQL's first load in Chromium instead (`--graphiql`), `runs` times. */
  graphiql: boolean;
  runs: number;
};

export const usage =
  'npm run bench -- [--profiles N] [--store N] [--accounts K] [--workers N] [--scale S] [--unthrottled] ' +
  '[--skip-latency] [--latency-seconds 10] [--api-rate 100] [--worker-runtime node|deno] [--churn P] [--results-write] [--graphiql [--runs 3]]';

function whole(raw: string, flag: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${flag} must be a whole number ≥ ${min}, got "${raw}"\n${usage}`);
  return n;
}

function positive(raw: string, flag: string): number {
  const n = Number(raw);
  if (!(n > 0) || !Number.isFinite(n))
    throw new Error(`${flag} must be a positive number, got "${raw}"\n${usage}`);
  return n;
}

function fraction(raw: string, flag: string): number {
  const n = Number(raw);
  if (!(n > 0 && n <= 1))
    throw new Error(`${flag} must be a fraction in (0, 1], e.g. 0.01, got "${raw}"\n${usage}`);
  return n;
}

/** The bench's command-line flags, checked. */
export function parseBenchOptions(args: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      profiles: { type: 'string', default: '100000' },
      store: { type: 'string' },
      accounts: { type: 'string', default: '1' },
      workers: { type: 'string', default: '1' },
      scale: { type: 'string', default: '10' },
      unthrottled: { type: 'boolean', default: false },
      'skip-latency': { type: 'boolean', default: false },
      'latency-seconds': { type: 'string', default: '10' },
      'api-rate': { type: 'string', default: '100' },
      'worker-runtime': { type: 'string', default: 'node' },
      churn: { type: 'string' },
      'results-write': { type: 'boolean', default: false },
      graphiql: { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
    },
    strict: true,
  });
  const profiles = whole(values.profiles, '--profiles');
  const store = values.store === undefined ? profiles : whole(values.store, '--store');
  if (store < profiles) throw new Error(`--store (${store}) must be at least --profiles (${profiles})`);
  const workerRuntime = values['worker-runtime'];
  if (workerRuntime !== 'node' && workerRuntime !== 'deno')
    throw new Error('--worker-runtime must be node or deno');
  return {
    profiles,
    store,
    accounts: whole(values.accounts, '--accounts'),
    workers: whole(values.workers, '--workers'),
    scale: positive(values.scale, '--scale'),
    unthrottled: values.unthrottled ?? false,
    skipLatency: values['skip-latency'] ?? false,
    latencySeconds: positive(values['latency-seconds'], '--latency-seconds'),
    apiRate: positive(values['api-rate'], '--api-rate'),
    workerRuntime,
    churn: values.churn === undefined ? undefined : fraction(values.churn, '--churn'),
    resultsWrite: values['results-write'] ?? false,
    graphiql: values.graphiql ?? false,
    runs: whole(values.runs, '--runs'),
  };
}
