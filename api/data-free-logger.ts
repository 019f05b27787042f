import { createLogger, type LogLevel, type YogaLogger } from 'graphql-yoga';
import type { Logger } from '../core/observability/logger.ts';
import { withoutData } from '../core/observability/without-data.ts';

export { withoutData };

/** Sends yoga's warnings and errors to the JSON logger, as a message and the details without data. */
function toJsonLogger(logger: Logger): YogaLogger {
  const forward =
    (level: 'warn' | 'error') =>
    (...args: unknown[]) => {
      const [first, ...rest] = args.map(withoutData);
      logger[level](rest.length ? { details: rest } : {}, String(first));
    };
  return { debug: () => {}, info: () => {}, warn: forward('warn'), error: forward('error') };
}

/** yoga's logger, with every error logged through withoutData; to the JSON logger when one is given. */
export function dataFreeLogger(level: LogLevel, jsonLogger?: Logger): YogaLogger {
  if (jsonLogger) return toJsonLogger(jsonLogger);
  const logger = createLogger(level);
  return {
    ...logger,
    warn: (...args) => logger.warn(...args.map(withoutData)),
    error: (...args) => logger.error(...args.map(withoutData)),
  };
}
