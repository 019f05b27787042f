import type { RunTrigger } from '../gql/graphql.ts';

/** What started a run, in words. */
export const triggerWords: Record<RunTrigger, string> = {
  ON_DEMAND: 'on demand',
  SCHEDULED: 'scheduled',
  SOURCE_CHANGED: 'source data changed',
};
