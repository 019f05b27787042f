/**
 * How long-running domain code shows it is alive without a timer (an activity turns it into
 * heartbeats). `during` wraps a wait that ends by itself: an ActiveCampaign request (it has its own
 * timeout) or a pause of known length. `alive` says work was seen going on. A Postgres query is
 * never wrapped: one that hangs says nothing, so whoever watches notices.
 */
export interface Liveness {
  during<T>(wait: () => Promise<T>): Promise<T>;
  alive(): void;
}

export const noLiveness: Liveness = { during: (wait) => wait(), alive: () => {} };
