import { Connection, type ConnectionOptions } from '@temporalio/client';
import type { Sql } from '../../db/client.ts';
import { assertMigrationsCurrent } from '../../db/migration-state.ts';
import type { ReadinessCheck } from './health.ts';

/**
 * Postgres answers, Temporal's frontend answers, and the database has every migration applied.
 * Temporal is probed over a connection of its own without the SDK's retries: a probe fails at once
 * when the server is down, and leaves no retry behind that would outlive the connection.
 */
export function openReadinessChecks(deps: {
  sql: Sql;
  /** The same address, TLS, API key and metadata the process connects to Temporal with. */
  temporal: Pick<ConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'>;
  timeoutMs?: number;
}): {
  checks: Record<string, ReadinessCheck>;
  close(): Promise<void>;
} {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const probe = Connection.lazy({ ...deps.temporal, interceptors: [] });
  return {
    checks: {
      postgres: async () => {
        await deps.sql`select 1`;
      },
      migrations: () => assertMigrationsCurrent(deps.sql),
      temporal: async () => {
        await probe.withDeadline(Date.now() + timeoutMs, () => probe.workflowService.getSystemInfo({}));
      },
    },
    close: () => probe.close(),
  };
}
