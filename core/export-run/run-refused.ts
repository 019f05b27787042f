/** Why a run cannot go on; a retry would meet the same state, so the run ends at once. */
export type RunRefusedKind =
  | 'ExportNotFound'
  | 'InvalidConfiguration'
  | 'TooManyProfiles'
  | 'MassUnsubscribe';

/** A run refused before or while it works, with a message safe to show (no personal data). */
export class RunRefusedError extends Error {
  override readonly name = 'RunRefusedError';

  constructor(
    readonly kind: RunRefusedKind,
    message: string,
  ) {
    super(message);
  }
}

export function isRunRefusedError(error: unknown): error is RunRefusedError {
  return error instanceof RunRefusedError;
}
