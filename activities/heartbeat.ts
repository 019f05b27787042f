import { Context } from '@temporalio/activity';
import type { Liveness } from '../core/liveness.ts';

/** What `work` is given: where it reports progress, its bounded waits' liveness, the cancellation signal. */
export type Heartbeat = {
  /** A step is done: `details` is the cursor or count it reached, heartbeated at the next tick. */
  progress(details: unknown): void;
  /** Waits that end by themselves (an ActiveCampaign request, a rate-limit pause); `alive`, work seen going on. */
  liveness: Liveness;
  /** Aborted when a cancellation request arrives (with a heartbeat's answer). */
  signal: AbortSignal;
};

/**
 * Heartbeats that mean progress. Once a second, the last details `work` reported are heartbeated if
 * something happened since the last tick: a step done (`progress`), a wait that ends by itself in
 * progress or ended, work seen going on (`liveness`). A Postgres query that hangs (a lock, a lost
 * connection) is none of those: the heartbeats stop, and Temporal ends the attempt after the
 * activity's heartbeat timeout and retries it, instead of a timer keeping a stuck attempt alive until
 * its start-to-close timeout. A killed worker is noticed the same way.
 */
export async function withHeartbeat<T>(
  initial: unknown,
  work: (heartbeat: Heartbeat) => Promise<T>,
): Promise<T> {
  const context = Context.current();
  let details = initial;
  let waits = 0;
  // Requests often last milliseconds: a tick would rarely fall inside one, so one that ended counts.
  let happened = false;
  context.heartbeat(details);
  const timer = setInterval(() => {
    if (waits === 0 && !happened) return;
    happened = false;
    context.heartbeat(details);
  }, 1_000);
  try {
    return await work({
      progress(reached) {
        details = reached;
        happened = true;
      },
      liveness: {
        async during(wait) {
          waits++;
          try {
            return await wait();
          } finally {
            waits--;
            happened = true;
          }
        },
        alive() {
          happened = true;
        },
      },
      signal: context.cancellationSignal,
    });
  } finally {
    clearInterval(timer);
  }
}
