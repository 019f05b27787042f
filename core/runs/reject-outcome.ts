import { isCountedFailure, isPermanentRefusal } from '../activecampaign/refusal.ts';

/**
 * What happened to a rejected contact: NOT_SENT, Outbound's own checks kept it out of every import;
 * REFUSED, ActiveCampaign refused it when validating the import (the rest of the import went ahead
 * without it); FAILED, sent and not imported for a reason a retry may fix (sent again next run);
 * SKIPPED, refused for good, not sent again until its data changes.
 */
export const rejectOutcomes = ['NOT_SENT', 'REFUSED', 'FAILED', 'SKIPPED'] as const;
export type RejectOutcome = (typeof rejectOutcomes)[number];

const failedReasons: ReadonlySet<string> = new Set([
  'IMPORT_FAILED',
  'IMPORT_NOT_COMPLETED',
  'FAILURE_NOT_CLASSIFIED',
]);

export function rejectOutcome(reason: string): RejectOutcome {
  if (isPermanentRefusal(reason)) return 'SKIPPED';
  if (isCountedFailure(reason) || failedReasons.has(reason)) return 'FAILED';
  if (reason === 'REJECTED_BY_ACTIVECAMPAIGN') return 'REFUSED';
  return 'NOT_SENT';
}
