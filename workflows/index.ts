export { eventAlertsWorkflow } from './event-alerts-workflow.ts';
export { exportRunWorkflow } from './export-run-workflow.ts';
export { refreshWorkflow } from './refresh-workflow.ts';
export { runAlertsWorkflow } from './run-alerts-workflow.ts';
export { sourceChangeWorkflow } from './source-change-workflow.ts';
export { sourceSyncWorkflow } from './source-sync-workflow.ts';
