import { Context } from '@temporalio/activity';

/**
 * Heartbeats `details()` every second while `work` runs, so waits on rate limits and retries keep the
 * activity alive and a cancellation request reaches it (through `cancellationSignal`) within seconds.
 */
export async function withHeartbeat<T>(
  details: () => unknown,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const context = Context.current();
  context.heartbeat(details());
  const timer = setInterval(() => context.heartbeat(details()), 1_000);
  try {
    return await work(context.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
