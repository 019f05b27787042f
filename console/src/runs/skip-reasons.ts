/**
 * Reasons a contact is skipped, not sent again until its data changes: the run counts it as skipped, not
 * failed. EXCLUDED and CONTACT_LIMIT were recorded by earlier versions only.
 */
export const skipReasonWords: Record<string, string> = {
  UNSUBSCRIBED: 'unsubscribed themselves from the list',
  REFUSED_REPEATEDLY: 'refused by ActiveCampaign on every attempt with the same data',
  EXCLUDED: 'on the account’s exclusion list',
  CONTACT_LIMIT: 'over the plan’s contact limit',
};

export const isSkipReason = (reason: string) => reason in skipReasonWords;

/**
 * Failures retried on the next runs, each with what ActiveCampaign lets Outbound know: NOT_CREATED cannot
 * tell an exclusion from the contact limit.
 */
export const retriedReasonWords: Record<string, string> = {
  NOT_CREATED: 'not created by ActiveCampaign (excluded, over the contact limit or refused otherwise)',
  IMPORT_FAILED_ALONE: 'failed an import on their own',
  FAILURE_NOT_CLASSIFIED: 'failed; the run’s lookups were spent before learning why',
};

export const skippedExplanation =
  'ActiveCampaign refused them for good (they unsubscribed themselves, or it refused them on every attempt with the same data); they are not sent again until their data changes.';
