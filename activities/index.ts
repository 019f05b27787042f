import { type ExportRunDeps, createExportRunActivities } from './export-run/activities.ts';
import { type RefreshDeps, createRefreshActivities } from './refresh/activities.ts';

export type ActivityDeps = ExportRunDeps & RefreshDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return { ...createExportRunActivities(deps), ...createRefreshActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
