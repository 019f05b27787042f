import type { AlertEvent } from './events.ts';
import { type FinishedRun, notExportedCount, processedCount } from './finished-run.ts';

export type AlertRule = {
  id: string;
  channelId: string;
  exportId: string | null;
  event: AlertEvent;
  thresholdPercent: number | null;
  thresholdMinutes: number | null;
};

/** Why a run failed for good, as the workflow saw it (the activity failure's type). */
export type FailureType = string | null;

export type FiringRule = { rule: AlertRule; reason: string };

const failedStatuses = new Set(['FAILED', 'TIMED_OUT']);

function percent(part: number, whole: number): number {
  return whole > 0 ? (part * 100) / whole : 0;
}

/** The reason the event applies to this finished run, or null. Only ended runs are judged: retries never are. */
function reasonFor(rule: AlertRule, run: FinishedRun, failureType: FailureType): string | null {
  switch (rule.event) {
    case 'RUN_FAILED':
      if (!failedStatuses.has(run.status) || failureType === 'MassUnsubscribe') return null;
      return `The run ended ${run.status}: ${run.error ?? 'no reason recorded'}`;
    case 'CONNECTION_REJECTED':
      return failureType === 'CredentialsRejected'
        ? `ActiveCampaign rejected the API key of connection ${run.connectionName}. Enter a valid key with updateConnection.`
        : null;
    case 'MASS_UNSUBSCRIBE_HELD':
      return failureType === 'MassUnsubscribe'
        ? 'The run was held by the mass-unsubscribe guard and changed nothing. If the unsubscribes are intended, ' +
            'start the run again with confirmMassUnsubscribe: true; otherwise check the export’s segments.'
        : null;
    case 'RECORDS_NOT_EXPORTED': {
      const share = percent(notExportedCount(run), processedCount(run));
      return share > (rule.thresholdPercent ?? 0)
        ? `${notExportedCount(run)} of ${processedCount(run)} processed contacts (${share.toFixed(1)}%) were not exported (rejected, skipped or failed).`
        : null;
    }
    case 'RUN_SLOW': {
      if (!run.startedAt || !run.finishedAt || run.status === 'CANCELLED') return null;
      const minutes = (run.finishedAt.getTime() - run.startedAt.getTime()) / 60_000;
      return minutes > (rule.thresholdMinutes ?? 0)
        ? `The run took ${minutes.toFixed(1)} minutes (more than ${rule.thresholdMinutes ?? 0}).`
        : null;
    }
    case 'MEMBERS_CHANGED': {
      if (run.status !== 'SUCCEEDED' || run.totalProfiles == null || !run.previousSuccessProfiles)
        return null;
      const change = percent(
        Math.abs(run.totalProfiles - run.previousSuccessProfiles),
        run.previousSuccessProfiles,
      );
      return change > (rule.thresholdPercent ?? 0)
        ? `Members changed by ${change.toFixed(1)}% since the last successful run (${run.previousSuccessProfiles} → ${run.totalProfiles}).`
        : null;
    }
    case 'RUN_RECOVERED':
      return run.status === 'SUCCEEDED' &&
        run.previousStatus !== null &&
        failedStatuses.has(run.previousStatus)
        ? `The run succeeded after a ${run.previousStatus} run.`
        : null;
    case 'REFRESH_FAILED':
    case 'SOURCE_SYNC_FAILED':
    case 'RESULTS_WRITE_FAILED':
      return null;
  }
}

/** Which of the rules (global ones and the export's) fire for this finished run, each with its reason. */
export function firingRules(rules: AlertRule[], run: FinishedRun, failureType: FailureType): FiringRule[] {
  return rules.flatMap((rule) => {
    if (rule.exportId !== null && rule.exportId !== run.exportId) return [];
    const reason = reasonFor(rule, run, failureType);
    return reason === null ? [] : [{ rule, reason }];
  });
}
