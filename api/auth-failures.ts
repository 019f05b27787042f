export type FailureLimit = {
  /** Failed authentications an address may make in one window… */
  failures: number;
  /** …of this many milliseconds; after that it gets 429 until the window ends. */
  windowMs: number;
};

export const defaultFailureLimit: FailureLimit = { failures: 10, windowMs: 60_000 };

/**
 * Failed authentications per client address, in fixed windows, in this process's memory (each API
 * process keeps its own count: scaled out, an address gets `failures` tries per process per window).
 */
export function createFailureLimiter(limit: FailureLimit, maxAddresses = 10_000) {
  const windows = new Map<string, { start: number; count: number }>();
  const current = (address: string, now: number) => {
    const window = windows.get(address);
    if (window && now - window.start < limit.windowMs) return window;
    if (window) windows.delete(address);
    return undefined;
  };
  return {
    /** Seconds until the address may try again; 0 while it may. */
    retryAfterSeconds(address: string, now = Date.now()): number {
      const window = current(address, now);
      if (!window || window.count < limit.failures) return 0;
      return Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000));
    },
    /** Counts a failure; true when it is the one that locks the address out. */
    recordFailure(address: string, now = Date.now()): boolean {
      let window = current(address, now);
      if (!window) {
        if (windows.size >= maxAddresses) {
          for (const [key, old] of windows) if (now - old.start >= limit.windowMs) windows.delete(key);
          if (windows.size >= maxAddresses) windows.clear();
        }
        window = { start: now, count: 0 };
        windows.set(address, window);
      }
      window.count += 1;
      return window.count === limit.failures;
    },
  };
}
