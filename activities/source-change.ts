import { log } from '@temporalio/activity';
import type { ScheduledExport } from '../core/refresh/scheduled-exports.ts';
import {
  ChangeQueryError,
  changeCheckSeconds,
  checkSourceChange,
  listSourceExports,
} from '../core/sources/change-watch.ts';
import { SourceUrlError } from '../core/sources/source-database.ts';
import type { SourceSyncActivityDeps } from './source-sync.ts';

export function createSourceChangeActivities(deps: SourceSyncActivityDeps) {
  const hostPolicy = {
    insecureHosts: deps.insecureHosts,
    ownDatabaseUrl: deps.ownDatabaseUrl,
    statementTimeoutMs: deps.sourceStatementTimeoutMs,
  };
  return {
    /**
     * Checks a source's change query once. A query or connection that fails counts as no change (logged
     * with the source id only) and the watch goes on; null ends the watch.
     */
    async checkSourceChange({
      sourceId,
    }: {
      sourceId: string;
    }): Promise<{ changed: boolean; intervalSeconds: number } | null> {
      try {
        return await checkSourceChange({ sql: deps.sql, secrets: deps.secrets, hostPolicy }, sourceId);
      } catch (error) {
        if (!(error instanceof ChangeQueryError || error instanceof SourceUrlError)) {
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string') throw error;
        }
        log.warn('The source’s change query failed; checked again later', { sourceId });
        const seconds = await changeCheckSeconds(deps.sql, sourceId);
        return seconds === null ? null : { changed: false, intervalSeconds: seconds };
      }
    },

    async listSourceExports({ sourceId }: { sourceId: string }): Promise<ScheduledExport[]> {
      return listSourceExports(deps.sql, sourceId);
    },
  };
}

export type SourceChangeActivities = ReturnType<typeof createSourceChangeActivities>;
