import type { RejectOutcome } from '../gql/graphql.ts';

/** What happened to a contact not exported, as the run page says it. */
export const rejectOutcomeWords: Record<RejectOutcome, string> = {
  NOT_SENT: 'Not sent',
  REFUSED: 'Refused by ActiveCampaign',
  FAILED: 'Failed, sent again next run',
  SKIPPED: 'Skipped',
};
