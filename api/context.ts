import type { Client } from '@temporalio/client';
import type { Connector } from '../core/activecampaign/connector.ts';
import type { ReadinessCheck } from '../core/observability/health.ts';
import type { Logger } from '../core/observability/logger.ts';
import type { Metrics } from '../core/observability/metrics.ts';
import type { SecretBox } from '../core/secrets.ts';
import type { Db, Sql } from '../db/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export type Role = 'ADMIN' | 'CONTRIBUTOR' | 'VIEWER';
export type Viewer = { id: string; email: string; role: Role };

/** What the API needs from the outside world; tests pass real ones pointed at their own resources. */
export type ApiDeps = {
  db: Db;
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  temporalUiUrl: string;
  temporalNamespace: string;
  secrets: SecretBox;
  connect: Connector;
  runTimeLimitMs: number;
  refreshScheduleId: string;
  /** The process's metrics (`GET /metrics`); createApi makes its own when absent. */
  metrics?: Metrics;
  /** What `/readyz` checks (see openReadinessChecks); none when absent. */
  readiness?: Record<string, ReadinessCheck>;
  /** Where the API logs (JSON lines); yoga's console logger when absent. */
  logger?: Logger;
};

export type Context = ApiDeps & { viewer: Viewer | null; loaders: Loaders };

export async function createContext(
  deps: ApiDeps,
  request: Request,
  viewerOf: (request: Request) => Promise<Viewer | null>,
): Promise<Context> {
  return { ...deps, viewer: await viewerOf(request), loaders: createLoaders(deps.db) };
}
