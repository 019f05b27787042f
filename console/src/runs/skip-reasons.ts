/** Reasons ActiveCampaign refuses a contact for good: the run counts it as skipped, not failed. */
export const skipReasonWords: Record<string, string> = {
  UNSUBSCRIBED: 'unsubscribed themselves from the list',
  EXCLUDED: 'on the account’s exclusion list',
  CONTACT_LIMIT: 'over the plan’s contact limit',
};

export const isSkipReason = (reason: string) => reason in skipReasonWords;

export const skippedExplanation =
  'ActiveCampaign refused them for good (unsubscribed themselves, on the exclusion list, or over the plan’s contact limit); they are not sent again until their data changes.';
