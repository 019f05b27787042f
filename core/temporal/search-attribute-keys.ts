import { defineSearchAttributeKey } from '@temporalio/common';
import type { searchAttributes } from '../../temporal.config.ts';

/**
 * The typed keys of the search attributes temporal.config.ts registers, for start options and
 * upserts. Sandbox-safe: workflow code imports this file.
 */
export const searchAttributeKeys = {
  ExportId: defineSearchAttributeKey('ExportId', 'KEYWORD'),
  ConnectionId: defineSearchAttributeKey('ConnectionId', 'KEYWORD'),
  RunTrigger: defineSearchAttributeKey('RunTrigger', 'KEYWORD'),
  SourceId: defineSearchAttributeKey('SourceId', 'KEYWORD'),
  SourceSyncStatus: defineSearchAttributeKey('SourceSyncStatus', 'KEYWORD'),
} satisfies Record<keyof typeof searchAttributes, ReturnType<typeof defineSearchAttributeKey<'KEYWORD'>>>;
