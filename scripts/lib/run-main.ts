import { ConfigError } from '../config.ts';
import { onStopSignal } from './stop-signals.ts';

export type RunMainOptions = {
  /** Past this after the signal the process exits 1 even if stopping has not finished (a stated bound). */
  stopWithinMs?: number;
};

/**
 * Runs a long-lived entry point (which imports ./stop-signals.ts first: a signal during start-up ends
 * it at once). A start-up failure prints what to check and exits 1; once started, SIGINT/SIGTERM call
 * the returned stop function once, then exit (0 when it stopped cleanly, 1 when it failed or overran
 * `stopWithinMs`).
 */
export function runMain(start: () => Promise<() => Promise<void>>, options: RunMainOptions = {}): void {
  start().then(
    (stop) => {
      onStopSignal(() => {
        if (options.stopWithinMs !== undefined) {
          setTimeout(() => {
            console.error(`Not stopped within ${options.stopWithinMs} ms: exiting anyway`);
            process.exit(1);
          }, options.stopWithinMs).unref();
        }
        stop().then(
          () => process.exit(0),
          (error) => {
            console.error(error);
            process.exit(1);
          },
        );
      });
    },
    (error) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
