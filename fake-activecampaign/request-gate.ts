/**
 * A gate an account's API requests pass after they are recorded: while it is held they wait there, so a
 * test can order a race by what the fake has seen instead of by sleeping ("the first request reached the
 * account; now send the second; now let the first go on").
 */
export class RequestGate {
  private holding = false;
  private waiting: Array<() => void> = [];
  private watchers: Array<{ count: number; resolve: () => void }> = [];

  /** From now on, requests stop at the gate until `release()`. */
  hold(): void {
    this.holding = true;
  }

  /** Lets every waiting request go on, and lets later ones through. */
  release(): void {
    this.holding = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const go of waiting) go();
  }

  /** Requests waiting at the gate now. */
  get held(): number {
    return this.waiting.length;
  }

  /** Resolves once `count` requests are waiting at the gate. */
  whenHeld(count = 1): Promise<void> {
    if (this.waiting.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  /** Called by the server for each request: resolves at once, or when the gate is released. */
  pass(): Promise<void> | undefined {
    if (!this.holding) return undefined;
    const passed = new Promise<void>((go) => this.waiting.push(go));
    const reached = this.watchers.filter((w) => w.count <= this.waiting.length);
    this.watchers = this.watchers.filter((w) => w.count > this.waiting.length);
    for (const watcher of reached) watcher.resolve();
    return passed;
  }
}
