/**
 * What a rule can subscribe to: the run events are decided for a finished run (core/alerts/firing-rules.ts),
 * the refresh-level ones where they happen (core/alerts/event-alerts.ts).
 */
export const alertEvents = [
  'RUN_FAILED',
  'CONNECTION_REJECTED',
  'MASS_UNSUBSCRIBE_HELD',
  'RECORDS_NOT_EXPORTED',
  'RUN_SLOW',
  'MEMBERS_CHANGED',
  'RUN_RECOVERED',
  'REFRESH_FAILED',
  'SOURCE_SYNC_FAILED',
  'RESULTS_WRITE_FAILED',
] as const;
export type AlertEvent = (typeof alertEvents)[number];

export const channelKinds = ['WEBHOOK', 'SLACK', 'EMAIL'] as const;
export type ChannelKind = (typeof channelKinds)[number];
