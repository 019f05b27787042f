import { Client, Connection } from '@temporalio/client';
import type { ApiDeps } from '../../api/context.ts';
import { createConnector } from '../../core/activecampaign/connector.ts';
import { createLogger, type Logger } from '../../core/observability/logger.ts';
import { createMetrics, type Metrics } from '../../core/observability/metrics.ts';
import { openReadinessChecks } from '../../core/observability/readiness.ts';
import { createSecretBox } from '../../core/secrets.ts';
import { createDb } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { openRateLimiter } from './open-rate-limiter.ts';

/** Everything the API needs, opened from the config; `close()` releases it. */
export async function openApiDeps(
  config: Config,
  overrides: Partial<ApiDeps> = {},
): Promise<ApiDeps & { metrics: Metrics; logger: Logger; close(): Promise<void> }> {
  const database = createDb(config.databaseUrl, { max: 10, applicationName: 'outbound-api' });
  const temporalConnection = await Connection.connect({ address: config.temporalAddress });
  const rateLimiter = openRateLimiter(config.databaseUrl, config.rateScale);
  const metrics = createMetrics();
  const readiness = openReadinessChecks({ sql: database.sql, temporalAddress: config.temporalAddress });
  return {
    db: database.db,
    sql: database.sql,
    temporal: new Client({ connection: temporalConnection, namespace: config.temporalNamespace }),
    taskQueue: config.taskQueue,
    temporalUiUrl: config.temporalUiUrl,
    temporalNamespace: config.temporalNamespace,
    secrets: await createSecretBox(config.secretKey),
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
    refreshScheduleId: config.refreshScheduleId,
    ...overrides,
    async close() {
      await readiness.close();
      await temporalConnection.close();
      await rateLimiter.close();
      await database.close();
    },
  };
}
