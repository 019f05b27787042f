import { sourceSyncStatus } from '../../db/schema.ts';

/** A source sync's statuses: the pgEnum of db/schema.ts is the one spelling. */
export const sourceSyncStatuses = sourceSyncStatus.enumValues;
export type SourceSyncStatus = (typeof sourceSyncStatuses)[number];
