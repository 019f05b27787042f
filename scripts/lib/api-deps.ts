import { Client } from '@temporalio/client';
import type { ApiDeps } from '../../api/context.ts';
import type { ApiSettings } from '../../api/yoga.ts';
import { createConnector } from '../../core/activecampaign/connector.ts';
import { createLogger, type Logger } from '../../core/observability/logger.ts';
import { createMetrics, type Metrics } from '../../core/observability/metrics.ts';
import { openReadinessChecks } from '../../core/observability/readiness.ts';
import { createSecretBox } from '../../core/secrets.ts';
import { createDb } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { openRateLimiter } from './open-rate-limiter.ts';
import { connectTemporalClient, temporalConnectionOptions } from './temporal-connection.ts';

/** Everything the API needs, opened from the config; `close()` releases it. */
export async function openApiDeps(
  config: Config,
  overrides: Partial<ApiDeps> = {},
): Promise<ApiDeps & { metrics: Metrics; logger: Logger; close(): Promise<void> }> {
  const temporalConnection = await connectTemporalClient(config);
  const database = createDb(config.databaseUrl, { max: 10, applicationName: 'outbound-api' });
  // Segment refreshes (createSegment, refreshSegment) may run for their whole time limit: two at a
  // time, on connections of their own, and the others wait for these, not for the requests' pool.
  const segmentRefreshDatabase = createDb(config.databaseUrl, {
    max: 2,
    applicationName: 'outbound-api-segment-refresh',
  });
  // Admins' refreshes on two connections of their own: never behind contributors' (issue 30, row 7).
  const adminSegmentRefreshDatabase = createDb(config.databaseUrl, {
    max: 2,
    applicationName: 'outbound-api-admin-segment-refresh',
  });
  const rateLimiter = openRateLimiter(config.databaseUrl, config.rateScale);
  const metrics = createMetrics();
  const readiness = openReadinessChecks({ sql: database.sql, temporal: temporalConnectionOptions(config) });
  return {
    db: database.db,
    sql: database.sql,
    temporal: new Client({ connection: temporalConnection, namespace: config.temporalNamespace }),
    taskQueue: config.taskQueue,
    temporalUiUrl: config.temporalUiUrl,
    temporalNamespace: config.temporalNamespace,
    secrets: await createSecretBox(config.secretKey),
    insecureHosts: config.insecureHosts,
    sourcePolicy: {
      insecureHosts: config.insecureHosts,
      ownDatabaseUrl: config.databaseUrl,
      statementTimeoutMs: config.sourceStatementTimeoutMs,
    },
    // Live checks answer a person waiting on a form: fail fast rather than retry for long.
    connect: createConnector({
      insecureHosts: config.insecureHosts,
      limiter: rateLimiter.limiter,
      maxAttempts: 2,
      timeoutMs: 10_000,
      metrics,
    }),
    metrics,
    readiness: readiness.checks,
    logger: createLogger({ component: 'api', level: config.logLevel }),
    runTimeLimitMs: config.runTimeLimitMs,
    alerts: {
      hostPolicy: { insecureHosts: config.insecureHosts },
      smtpUrl: config.smtpUrl,
      emailFrom: config.alertEmailFrom,
      links: {
        publicUrl: config.publicUrl,
        temporalUiUrl: config.temporalUiUrl,
        temporalNamespace: config.temporalNamespace,
      },
    },
    refreshScheduleId: config.refreshScheduleId,
    segmentRefreshDb: segmentRefreshDatabase.db,
    adminSegmentRefreshDb: adminSegmentRefreshDatabase.db,
    segmentRefreshTimeLimitMs: config.segmentRefreshTimeLimitMs,
    limits: {
      profiles: config.profileLimits,
      maxSubscriptionsPerUser: config.maxSubscriptionsPerUser,
      maxSubscriptionsPerProcess: config.maxSubscriptionsPerProcess,
      activeRuns: config.activeRunCaps,
    },
    ...overrides,
    async close() {
      await readiness.close();
      await temporalConnection.close();
      await rateLimiter.close();
      await segmentRefreshDatabase.close();
      await adminSegmentRefreshDatabase.close();
      await database.close();
    },
  };
}

/** How the API faces browsers and clients, from the config. */
export function apiSettings(config: Config): Partial<ApiSettings> {
  return { corsOrigins: config.corsOrigins, playground: config.playground, trustProxy: config.trustProxy };
}
