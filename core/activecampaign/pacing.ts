import type { ActiveCampaignClient } from './client.ts';
import type { Pace, RequestKind, Slot } from './rate-limiter.ts';

/** Weight of the newest sample in the running estimate of how soon the next request is ready. */
const smoothing = 0.2;
/** Kept on top of the estimate, so an answer a little slower than usual does not miss its slot. */
const marginMs = 2;
/** A longer gap (a retry, a page read) says nothing about how long an answer takes. */
const maxSampleMs = 50;

/**
 * Requests of one kind sent one after another (a push's bulk imports, a poller's polls): when one is
 * sent, the next one's slot is reserved, no sooner than the next request has lately been ready. The
 * slot is then waiting when it is, instead of being reserved only then (a database round trip each).
 */
export function pacing(client: ActiveCampaignClient, kind: RequestKind) {
  let readyAfterMs: number | undefined;
  let sentAt: number | undefined;
  let ahead: Promise<Slot> | undefined;
  return {
    /** For the request about to be sent. */
    next(): Pace {
      if (sentAt !== undefined) {
        const sample = Math.min(performance.now() - sentAt, maxSampleMs);
        readyAfterMs =
          readyAfterMs === undefined ? sample : readyAfterMs + smoothing * (sample - readyAfterMs);
      }
      const reserved = ahead;
      ahead = sentAt = undefined;
      return {
        reserved,
        sent() {
          sentAt = performance.now();
          ahead = client.reserve(kind, (readyAfterMs ?? 0) + marginMs);
          ahead.catch(() => {}); // a slot nobody takes (the series ended) is simply not used
        },
      };
    },
  };
}

export type Pacing = ReturnType<typeof pacing>;
