import type { AlertEvent } from '../gql/graphql.ts';

/** Each alert event in words, and the threshold it takes (if any). */
export const alertEvents: Record<
  AlertEvent,
  { words: string; threshold?: 'percent' | 'minutes'; refreshLevel?: true }
> = {
  RUN_FAILED: { words: 'A run failed or timed out' },
  RUN_RECOVERED: { words: 'A run succeeded after a failure' },
  RUN_SLOW: { words: 'A run took longer than a number of minutes', threshold: 'minutes' },
  RECORDS_NOT_EXPORTED: { words: 'More than a share of contacts not exported', threshold: 'percent' },
  MEMBERS_CHANGED: { words: 'Members changed by more than a share since the last run', threshold: 'percent' },
  MASS_UNSUBSCRIBE_HELD: { words: 'A run was held by the mass-unsubscribe guard' },
  CONNECTION_REJECTED: { words: 'ActiveCampaign rejected a connection’s API key' },
  REFRESH_FAILED: {
    words: 'A refresh failed, or a segment in it ran past its time limit',
    refreshLevel: true,
  },
  SOURCE_SYNC_FAILED: { words: 'A source sync failed', refreshLevel: true },
  RESULTS_WRITE_FAILED: { words: 'A run’s results could not be written to its results target' },
};
