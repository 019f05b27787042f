import { type AlertDeps, createAlertActivities } from './alerts.ts';
import { createExportRunActivities, type ExportRunDeps } from './export-run.ts';
import { createRefreshActivities, type RefreshDeps } from './refresh.ts';
import { createResultsActivities, type ResultsActivityDeps } from './results.ts';
import { createSourceChangeActivities } from './source-change.ts';
import { createSourceSyncActivities, type SourceSyncActivityDeps } from './source-sync.ts';

export type ActivityDeps = ExportRunDeps &
  RefreshDeps &
  AlertDeps &
  SourceSyncActivityDeps &
  ResultsActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createExportRunActivities(deps),
    ...createRefreshActivities(deps),
    ...createAlertActivities(deps),
    ...createSourceSyncActivities(deps),
    ...createResultsActivities(deps),
    ...createSourceChangeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
