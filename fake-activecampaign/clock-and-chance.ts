/** What the fake's rate windows and 429 storms read the time from: milliseconds, monotonic. */
export type FakeClock = () => number;

/** Real time. */
export const realClock: FakeClock = () => performance.now();

/** A clock that moves only when told to: a test steps a rate window without waiting for it. */
export function manualClock(start = 0): FakeClock & { advance(ms: number): void } {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed draws the same faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
