import { type DestinationStream, type Logger, pino } from 'pino';
import { withoutData } from './without-data.ts';

export type { Logger };

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Keys whose values are personal data or secrets wherever they appear in a log line. */
const personalKey =
  /^(e-?mail|emails|phone|first_?name|last_?name|full_?name|api_?key|apiKey|token|authorization|password|attributes|contacts?)$/i;
const emailLike = /[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g;

/** A logged value without personal data: errors as class, code and message without the data they quote. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(emailLike, '…');
  if (value instanceof Error) return withoutData(value);
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => scrub(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      personalKey.test(key) ? '[redacted]' : scrub(v, depth + 1),
    ]),
  );
}

/**
 * Outbound's structured logger: one JSON object a line with `level`, `time` (ISO), `component` and the
 * fields given (runId, exportId, …); emails in messages and fields, and personal fields, are removed.
 */
export function createLogger(options: {
  component: string;
  level?: LogLevel;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { component: options.component, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      serializers: { err: (error) => scrub(error) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) as typeof args);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
