import type { Sql } from '../../db/client.ts';
import { assertMigrationsCurrent } from '../../db/migration-state.ts';
import { openTemporalProbe, type TemporalProbeOptions } from '../temporal/readiness-probe.ts';
import type { ReadinessCheck } from './health.ts';

/** Postgres answers, Temporal's frontend answers, and the database has every migration applied. */
export function openReadinessChecks(deps: {
  sql: Sql;
  /** The same address, TLS, API key and metadata the process connects to Temporal with. */
  temporal: TemporalProbeOptions;
  timeoutMs?: number;
}): {
  checks: Record<string, ReadinessCheck>;
  close(): Promise<void>;
} {
  const temporal = openTemporalProbe(deps.temporal, deps.timeoutMs ?? 2_000);
  return {
    checks: {
      postgres: async () => {
        await deps.sql`select 1`;
      },
      migrations: () => assertMigrationsCurrent(deps.sql),
      temporal: () => temporal.check(),
    },
    close: () => temporal.close(),
  };
}
