import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/client.ts';
import { assertMigrationsCurrent } from '../../db/migration-state.ts';
import type { ReadinessCheck } from './health.ts';

/** Postgres answers, Temporal's frontend answers, and the database has every migration applied. */
export function readinessChecks(deps: {
  sql: Sql;
  temporal: Client;
  timeoutMs?: number;
}): Record<string, ReadinessCheck> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  return {
    postgres: async () => {
      await deps.sql`select 1`;
    },
    migrations: () => assertMigrationsCurrent(deps.sql),
    temporal: async () => {
      await deps.temporal.connection.withDeadline(Date.now() + timeoutMs, () =>
        deps.temporal.workflowService.getSystemInfo({}),
      );
    },
  };
}
