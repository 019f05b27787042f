import type { Connector } from '../core/activecampaign/connector.ts';
import type { AccountDiscovery } from '../core/activecampaign/discovery.ts';
import type { DeliveryDeps } from '../core/alerts/deliver.ts';
import type { Db, Sql } from '../core/database.ts';
import type { ReadinessCheck } from '../core/observability/health.ts';
import type { Logger } from '../core/observability/logger.ts';
import type { Metrics } from '../core/observability/metrics.ts';
import type { ProfileGrowthLimits } from '../core/profiles/store.ts';
import type { ActiveRunCaps } from '../core/runs/active-run-caps.ts';
import type { SecretBox } from '../core/secrets.ts';
import type { SourcePolicy } from '../core/sources/source-database.ts';
import type { Client } from '../core/temporal/client.ts';
import type { UserRole } from '../core/users.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { SegmentRefreshSlots } from './segment-refresh-share.ts';
import type { SubscriptionLimits, SubscriptionSlots } from './subscription-slots.ts';

export type Role = UserRole;
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
  /** OUTBOUND_INSECURE_HOSTS: private source databases an admin may add. */
  insecureHosts?: ReadonlySet<string>;
  /** Where sources may connect (insecureHosts), Outbound's own database, OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS. */
  sourcePolicy?: SourcePolicy;
  runTimeLimitMs: number;
  refreshScheduleId: string;
  /** Alert channels' outbound-host policy, SMTP and links (testNotificationChannel sends with them). */
  alerts: Omit<DeliveryDeps, 'sql' | 'secrets'>;
  /** Segment refreshes' own small pool: a slow one never holds the connections requests are answered on. */
  segmentRefreshDb: Db;
  /** Admins' segment refreshes: a pool of their own, never waiting behind other users' (segmentRefreshDb when absent). */
  adminSegmentRefreshDb?: Db;
  /** One segment refresh's time budget. */
  segmentRefreshTimeLimitMs: number;
  /** What input may grow to; the defaults when not given. */
  limits?: Partial<ApiLimits>;
  /** The process's metrics (`GET /metrics`); createApi makes its own when absent. */
  metrics?: Metrics;
  /** What `/readyz` checks (see openReadinessChecks); none when absent. */
  readiness?: Record<string, ReadinessCheck>;
  /** Where the API logs (JSON lines); yoga's console logger when absent. */
  logger?: Logger;
};

export type ApiLimits = SubscriptionLimits & {
  profiles: ProfileGrowthLimits;
  /** Runs at once per user and per connection (on-demand runs are refused beyond them). */
  activeRuns: ActiveRunCaps;
};

export type Context = ApiDeps & {
  viewer: Viewer | null;
  loaders: Loaders;
  /** This API process's subscription slots. */
  subscriptions: SubscriptionSlots;
  /** This API process's segment refreshes in flight per user. */
  segmentRefreshSlots: SegmentRefreshSlots;
  /** This API process's short-lived copies of accounts' lists, fields and tags. */
  discovery: AccountDiscovery;
  /** Forgets a revoked token's cached holder in this process (the others hear of it through Postgres). */
  forgetToken(tokenHash: string): void;
  /** Aborted when the client goes away: work done only for this request stops. */
  requestSignal?: AbortSignal;
};

export function createContext(
  deps: ApiDeps,
  viewer: Viewer | null,
  forgetToken: (tokenHash: string) => void,
  subscriptions: SubscriptionSlots,
  discovery: AccountDiscovery,
  segmentRefreshSlots: SegmentRefreshSlots,
): Context {
  return {
    ...deps,
    viewer,
    loaders: createLoaders(deps.db),
    forgetToken,
    subscriptions,
    discovery,
    segmentRefreshSlots,
  };
}
