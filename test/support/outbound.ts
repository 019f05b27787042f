import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import { type Api, createApi } from '../../api/yoga.ts';
import { defaultMaxContactAttempts } from '../../core/activecampaign/refusal.ts';
import { defaultProfileGrowthLimits } from '../../core/profiles/store.ts';
import { type ActiveRunCaps, defaultActiveRunCaps } from '../../core/runs/active-run-caps.ts';
import { generateSecretKey } from '../../core/secrets.ts';
import { defaultSegmentRefreshTimeLimitMs } from '../../core/segments/segment-refresh.ts';
import { defaultSourceStatementTimeoutMs } from '../../core/sources/source-database.ts';
import { createUserWithToken } from '../../core/users.ts';
import { type Config, defaultWorkerMaxActivities } from '../../scripts/config.ts';
import { openApiDeps } from '../../scripts/lib/api-deps.ts';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';
import { createOutboundWorker } from '../../scripts/lib/worker.ts';
import { defaultRunTimeLimitMs } from '../../temporal.config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export type OutboundOptions = {
  /** Hosts reached over plain http (the fake's host). */
  insecureHosts?: string[];
  /** The fake's time scale, so the client's limiter matches its limits; 0 = no limiter. */
  rateScale?: number;
  runTimeLimitMs?: number;
  maxProfilesPerExport?: number;
  maxContactAttempts?: number;
  unsubscribeGuardPercent?: number;
  sourceMaxRemovalPercent?: number;
  sourceStatementTimeoutMs?: number;
  /** One segment refresh's time budget (API and scheduled refresh). */
  segmentRefreshTimeLimitMs?: number;
  /** A Temporal server of the test's own (default: the one globalSetup started). */
  temporalAddress?: string;
  profileLimits?: Partial<Config['profileLimits']>;
  maxSubscriptionsPerUser?: number;
  maxSubscriptionsPerProcess?: number;
  /** Runs at once per user and per connection (OUTBOUND_MAX_ACTIVE_RUNS_PER_*). */
  activeRunCaps?: Partial<ActiveRunCaps>;
  /** The in-process worker's activity slots (OUTBOUND_WORKER_MAX_ACTIVITIES). */
  workerMaxActivities?: number;
  /** Where alert e-mails go (the test's SMTP sink). */
  smtpUrl?: string;
  /** Start an in-process worker (default true); crash tests run theirs as child processes. */
  worker?: boolean;
  /** A database the test prepared (migrated) itself; default: a fresh one from the template. */
  database?: TestDatabase;
};

let runtimeInstalled = false;
/** Where the in-process test workers log: tests provoke failures on purpose, and their retries warn. */
export const testWorkerLogFile = join(projectRoot, '.data/test-worker.log');

/**
 * Worker logs at WARN go to `.data/test-worker.log`, not the test output: an expected failure's
 * "Activity failed" would read like a real one there. `npm test` output shows only results.
 */
function quietTemporalLogs() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  mkdirSync(dirname(testWorkerLogFile), { recursive: true });
  Runtime.install({
    // The SDK core's own warnings (in Rust) are forwarded to the same file instead of the console.
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
    logger: new DefaultLogger('WARN', ({ level, message, meta, timestampNanos }) => {
      const at = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
      const { sdkComponent: _s, ...rest } = meta ?? {};
      appendFileSync(
        testWorkerLogFile,
        `${at} ${level} [pid ${process.pid}] ${message} ${JSON.stringify(rest, (_k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : v))}\n`,
      );
    }),
  });
}

export type GraphQLResponse<T = Record<string, any>> = {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }>;
};

/** `graphql` answers as they come; `gql` returns the data of a request that must succeed. */
export function graphqlHelpers(api: Api, defaultToken: string) {
  async function graphql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = defaultToken,
  ): Promise<GraphQLResponse<T>> {
    const response = await api.fetch(
      new Request('http://outbound.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      }),
    );
    return (await response.json()) as GraphQLResponse<T>;
  }

  /** A GraphQL error fails the test with its message. */
  async function gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ) {
    const result = await graphql<T>(query, variables, token);
    if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  return { graphql, gql };
}

/**
 * Outbound for one test file: its own database, task queue and worker against the shared Temporal dev
 * server, the API as a fetch handler, and an admin with a token.
 */
export async function startOutbound(options: OutboundOptions = {}) {
  quietTemporalLogs();
  const database = options.database ?? (await createTestDatabase());
  const config: Config = {
    databaseUrl: database.url,
    temporalAddress: options.temporalAddress ?? inject('temporalAddress'),
    temporalNamespace: 'default',
    taskQueue: `test-${Math.random().toString(36).slice(2, 10)}`,
    port: 0,
    secretKey: generateSecretKey(),
    insecureHosts: new Set(options.insecureHosts ?? []),
    maxProfilesPerExport: options.maxProfilesPerExport ?? 1_000_000,
    maxContactAttempts: options.maxContactAttempts ?? defaultMaxContactAttempts,
    temporalUiUrl: 'http://localhost:8233',
    smtpUrl: options.smtpUrl ?? null,
    alertEmailFrom: 'Outbound <alerts@outbound.test>',
    publicUrl: 'http://outbound.test',
    rateScale: options.rateScale ?? 1,
    runTimeLimitMs: options.runTimeLimitMs ?? defaultRunTimeLimitMs,
    unsubscribeGuardPercent: options.unsubscribeGuardPercent ?? 10,
    sourceMaxRemovalPercent: options.sourceMaxRemovalPercent ?? 10,
    sourceStatementTimeoutMs: options.sourceStatementTimeoutMs ?? defaultSourceStatementTimeoutMs,
    refreshScheduleId: '',
    segmentRefreshTimeLimitMs: options.segmentRefreshTimeLimitMs ?? defaultSegmentRefreshTimeLimitMs,
    profileLimits: { ...defaultProfileGrowthLimits, ...options.profileLimits },
    maxSubscriptionsPerUser: options.maxSubscriptionsPerUser ?? 10,
    maxSubscriptionsPerProcess: options.maxSubscriptionsPerProcess ?? 500,
    activeRunCaps: { ...defaultActiveRunCaps, ...options.activeRunCaps },
    corsOrigins: [],
    playground: true,
    trustProxy: false,
    workerHttpPort: 0,
    workerMaxActivities: options.workerMaxActivities ?? defaultWorkerMaxActivities,
    logLevel: 'warn',
  };
  config.refreshScheduleId = `refresh-${config.taskQueue}`;
  const worker =
    options.worker === false
      ? undefined
      : await createOutboundWorker({ ...config, workflowBundlePath: inject('workflowBundlePath') });
  void worker?.run();
  const deps = await openApiDeps(config);
  const api = createApi(deps);
  const admin = await createUserWithToken(database.sql, 'admin@outbound.test', 'ADMIN');

  const { graphql, gql } = graphqlHelpers(api, admin.token);

  return {
    config,
    database,
    sql: database.sql,
    api,
    deps,
    worker,
    adminToken: admin.token,
    graphql,
    gql,
    async close() {
      await worker?.shutdown();
      await deps.temporal.schedule
        .getHandle(deps.refreshScheduleId)
        .delete()
        .catch(() => {});
      await deps.close();
      await database.drop();
    },
  };
}

export type Outbound = Awaited<ReturnType<typeof startOutbound>>;
