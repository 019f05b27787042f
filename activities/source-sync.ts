import type { ProfileGrowthLimits } from '../core/profiles/store.ts';
import type { SecretBox } from '../core/secrets.ts';
import type { SourcePolicy } from '../core/sources/source-database.ts';
import {
  enabledSourceIds,
  failSourceSync,
  openSourceSync,
  runSourceSync,
  type SourceSyncCounts,
} from '../core/sources/source-sync.ts';
import type { Sql } from '../db/client.ts';
import { toActivityFailure } from './failures.ts';
import { withHeartbeat } from './heartbeat.ts';

export type SourceSyncActivityDeps = {
  sql: Sql;
  secrets: SecretBox;
  insecureHosts: ReadonlySet<string>;
  sourceMaxRemovalPercent: number;
  /** OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS */
  sourceStatementTimeoutMs?: number;
  /** DATABASE_URL: never a source. */
  ownDatabaseUrl?: string;
  profileLimits: ProfileGrowthLimits;
};

export function createSourceSyncActivities(deps: SourceSyncActivityDeps) {
  const hostPolicy: SourcePolicy = {
    insecureHosts: deps.insecureHosts,
    ownDatabaseUrl: deps.ownDatabaseUrl,
    statementTimeoutMs: deps.sourceStatementTimeoutMs,
  };
  return {
    async enabledSourceIds(): Promise<string[]> {
      return enabledSourceIds(deps.sql);
    },

    async openSourceSync(input: {
      sourceId: string;
      syncId: string;
      confirmRemovals: boolean;
    }): Promise<{ syncId: string } | null> {
      return openSourceSync(deps.sql, input);
    },

    /** Heartbeats the number of rows read; a retried attempt continues after the last staged batch. */
    async syncSource({ syncId }: { syncId: string }): Promise<SourceSyncCounts> {
      return withHeartbeat({ read: 0 }, ({ progress, liveness, signal }) =>
        runSourceSync(
          {
            sql: deps.sql,
            secrets: deps.secrets,
            hostPolicy,
            maxRemovalPercent: deps.sourceMaxRemovalPercent,
            limits: deps.profileLimits,
          },
          syncId,
          { onProgress: (read) => progress({ read }), signal, during: liveness.during },
        ).catch((error) => {
          throw toActivityFailure(error);
        }),
      );
    },

    async failSourceSync({ syncId, error }: { syncId: string; error: string }): Promise<void> {
      await failSourceSync(deps.sql, syncId, error);
    },
  };
}

export type SourceSyncActivities = ReturnType<typeof createSourceSyncActivities>;
