import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

/** What an activity threw: the cause inside an ActivityFailure, or the error itself. */
function causeOf(error: unknown): unknown {
  return error instanceof ActivityFailure ? error.cause : error;
}

/** The ApplicationFailure type an activity failed with (temporal.config.ts's permanentErrorTypes and others). */
export function failureType(error: unknown): string | undefined {
  const cause = causeOf(error);
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** The failure's message as an activity wrote it, or `fallback` when it has none. */
export function failureMessage(error: unknown, fallback: string): string {
  const cause = causeOf(error);
  return cause instanceof Error && cause.message ? cause.message : fallback;
}
