/** What a rule can subscribe to; each is decided for a finished run (core/alerts/firing-rules.ts). */
export const alertEvents = [
  'RUN_FAILED',
  'CONNECTION_REJECTED',
  'MASS_UNSUBSCRIBE_HELD',
  'RECORDS_NOT_EXPORTED',
  'RUN_SLOW',
  'MEMBERS_CHANGED',
  'RUN_RECOVERED',
] as const;
export type AlertEvent = (typeof alertEvents)[number];

export const channelKinds = ['WEBHOOK', 'SLACK', 'EMAIL'] as const;
export type ChannelKind = (typeof channelKinds)[number];
