import { type AlertDeps, createAlertActivities } from './alerts.ts';
import { createExportRunActivities, type ExportRunDeps } from './export-run.ts';
import { createRefreshActivities, type RefreshDeps } from './refresh.ts';

export type ActivityDeps = ExportRunDeps & RefreshDeps & AlertDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createExportRunActivities(deps),
    ...createRefreshActivities(deps),
    ...createAlertActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
