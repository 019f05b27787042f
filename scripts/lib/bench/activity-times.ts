import type { HistoryEvent } from './histories.ts';

const ms = (event: HistoryEvent) =>
  Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;

/** Seconds each activity type spent from scheduled to closed, summed over the workflows' histories. */
export function activitySeconds(histories: HistoryEvent[][]): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const events of histories) {
    const scheduled = new Map<number, { name: string; at: number }>();
    for (const event of events) {
      const id = Number(event.eventId);
      const attributes = event.activityTaskScheduledEventAttributes;
      if (attributes) scheduled.set(id, { name: attributes.activityType?.name ?? '?', at: ms(event) });
      const closed =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes;
      const start = closed && scheduled.get(Number(closed.scheduledEventId));
      if (start) seconds[start.name] = (seconds[start.name] ?? 0) + (ms(event) - start.at) / 1000;
    }
  }
  for (const name of Object.keys(seconds)) seconds[name] = Math.round((seconds[name] ?? 0) * 100) / 100;
  return seconds;
}
