import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Liveness } from '../core/liveness.ts';

/** What `work` is given: where it reports progress, its bounded waits' liveness, the cancellation signal. */
export type Heartbeat = {
  /** A step is done: `details` is the cursor or count it reached, heartbeated at the next tick. */
  progress(details: unknown): void;
  /** Waits that end by themselves (an ActiveCampaign request, a rate-limit pause); `alive`, work seen going on. */
  liveness: Liveness;
  /** Aborted when a cancellation request arrives (with a heartbeat's answer), or the attempt stalled. */
  signal: AbortSignal;
};

/** Share of the heartbeat timeout without a heartbeat after which an attempt counts as given up. */
const stalledShare = 0.8;

/**
 * Heartbeats that mean progress. Once a second, the last details `work` reported are heartbeated if
 * something happened since the last tick: a step done (`progress`), a wait that ends by itself in
 * progress or ended, work seen going on (`liveness`). A Postgres query that hangs (a lock, a lost
 * connection) is none of those: the heartbeats stop, and Temporal ends the attempt after the
 * activity's heartbeat timeout and retries it, instead of a timer keeping a stuck attempt alive until
 * its start-to-close timeout. A killed worker is noticed the same way.
 *
 * An attempt whose query comes back after such a silence may already have been replaced: it stops
 * (its signal aborts with a retryable AttemptStalled failure) before it sends or records anything
 * more, so two attempts never push side by side.
 */
export async function withHeartbeat<T>(
  initial: unknown,
  work: (heartbeat: Heartbeat) => Promise<T>,
): Promise<T> {
  const context = Context.current();
  const timeoutMs = context.info.heartbeatTimeoutMs;
  const stalled = new AbortController();
  const signal = AbortSignal.any([context.cancellationSignal, stalled.signal]);
  let details = initial;
  let waits = 0;
  // Requests often last milliseconds: a tick would rarely fall inside one, so one that ended counts.
  let happened = false;
  let lastBeat = performance.now();
  const checkStalled = () => {
    const silentMs = performance.now() - lastBeat;
    if (timeoutMs && silentMs >= stalledShare * timeoutMs && !stalled.signal.aborted) {
      stalled.abort(
        ApplicationFailure.retryable(
          `No progress for ${Math.round(silentMs / 1000)} s (heartbeat timeout ${timeoutMs / 1000} s): this attempt stopped to be retried.`,
          'AttemptStalled',
        ),
      );
    }
    signal.throwIfAborted();
  };
  const beat = () => {
    checkStalled();
    lastBeat = performance.now();
    context.heartbeat(details);
  };
  beat();
  const timer = setInterval(() => {
    if (waits === 0 && !happened) return;
    happened = false;
    try {
      beat();
    } catch {} // the work sees the aborted signal
  }, 1_000);
  try {
    return await work({
      progress(reached) {
        details = reached;
        happened = true;
        checkStalled();
      },
      liveness: {
        async during(wait) {
          checkStalled();
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
      signal,
    });
  } finally {
    clearInterval(timer);
  }
}
