/**
 * A sliding-window limiter: at most `limit` accepted events in any `windowMs`. A ring of the last `limit`
 * acceptance times makes check and commit O(1): the slot to overwrite holds the oldest acceptance, and the
 * window is full exactly when that one is still inside it.
 */
export class SlidingWindow {
  private readonly ring: Float64Array;
  private next = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.ring = new Float64Array(Math.max(1, limit)).fill(Number.NEGATIVE_INFINITY);
  }

  /** Milliseconds until a slot frees (0 = one is free now). */
  waitMs(now: number): number {
    if (this.limit <= 0) return this.windowMs;
    const oldest = this.ring[this.next] ?? Number.NEGATIVE_INFINITY;
    const wait = oldest + this.windowMs - now;
    return Math.max(wait, 0);
  }

  commit(now: number): void {
    this.ring[this.next] = now;
    this.next = (this.next + 1) % this.ring.length;
  }
}

/** `Retry-After` in seconds: whole seconds, rounded up, at scale <= 1; milliseconds precision when scaled. */
export function retryAfterSeconds(waitMs: number, scale: number): string {
  if (scale <= 1) return String(Math.max(1, Math.ceil(waitMs / 1000)));
  return String(Math.max(1, Math.ceil(waitMs)) / 1000);
}
