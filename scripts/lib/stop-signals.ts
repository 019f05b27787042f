/**
 * Imported first by every long-lived entry point, so SIGINT/SIGTERM are handled from its first line:
 * before start-up has finished there is nothing in flight to hand over, so a signal ends the process
 * at once (exit 0); once `onStopSignal` has a handler, the signal calls it (once).
 */
const signals = ['SIGINT', 'SIGTERM'] as const;
let handler: ((signal: NodeJS.Signals) => void) | undefined;
let received: NodeJS.Signals | undefined;

function onSignal(signal: NodeJS.Signals): void {
  if (received) return;
  received = signal;
  if (handler) {
    handler(signal);
    return;
  }
  console.error(`${signal} during start-up: exiting (nothing in flight yet)`);
  process.exit(0);
}

for (const signal of signals) process.on(signal, onSignal);

/** The signal received so far, if any. */
export function stopSignalReceived(): NodeJS.Signals | undefined {
  return received;
}

/** From now on a stop signal calls `stop` (once) instead of ending the process at once. */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  handler = stop;
}
