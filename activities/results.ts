import { ApplicationFailure } from '@temporalio/common';
import { isTransientTargetError, targetErrorMessage } from '../core/results/target-database.ts';
import { recordResultsWriteError, writeRunResults } from '../core/results/write-run-results.ts';
import type { SecretBox } from '../core/secrets.ts';
import type { Sql } from '../db/client.ts';
import { toActivityFailure } from './failures.ts';
import { withHeartbeat } from './heartbeat.ts';

export type ResultsActivityDeps = { sql: Sql; secrets: SecretBox; insecureHosts: ReadonlySet<string> };

/**
 * toActivityFailure, then a results target's errors: Temporal sees a message without values or the URL
 * (the SQLSTATE or network code, or our own refusal).
 */
function toFailure(error: unknown): unknown {
  const known = toActivityFailure(error);
  if (known !== error) return known;
  const message = targetErrorMessage(error);
  // A refusal (no privilege, a bad schema, a private host) stays one however often it is tried.
  if (!isTransientTargetError(error)) return ApplicationFailure.nonRetryable(message, 'ResultsWriteRefused');
  return ApplicationFailure.retryable(message, 'ResultsWriteFailed');
}

export function createResultsActivities(deps: ResultsActivityDeps) {
  const hostPolicy = { insecureHosts: deps.insecureHosts };
  return {
    /** Writes an ended run's results into its export's results target; a no-op without one. Idempotent. */
    async writeRunResults({ runId }: { runId: string }): Promise<{ written: boolean }> {
      return withHeartbeat({ rows: 0 }, ({ progress }) => {
        let rows = 0;
        return writeRunResults(
          {
            sql: deps.sql,
            secrets: deps.secrets,
            hostPolicy,
            onProgress: (n) => {
              rows += n;
              progress({ rows });
            },
          },
          runId,
        ).catch((error) => {
          throw toFailure(error);
        });
      });
    },

    async recordResultsWriteError({ runId, error }: { runId: string; error: string }): Promise<void> {
      await recordResultsWriteError(deps.sql, runId, error);
    },
  };
}

export type ResultsActivities = ReturnType<typeof createResultsActivities>;
