import { createLogger } from './logger.ts';

/**
 * Keeps a long-lived process serving when a promise rejects unhandled (a library's internal promise, a
 * hostile peer's answer): the rejection is logged as class, code and message without data, and the
 * work that owned it fails on its own. Installed once by each entry point.
 */
export function installProcessGuard(component: string): void {
  const logger = createLogger({ component });
  process.on('unhandledRejection', (reason) => {
    logger.error(
      { err: reason instanceof Error ? reason : { type: typeof reason } },
      'Unhandled promise rejection (the process keeps serving)',
    );
  });
}
