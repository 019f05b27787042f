import { ApplicationFailure } from '@temporalio/common';
import { isActiveCampaignError } from '../core/activecampaign/errors.ts';
import { isRunRefusedError } from '../core/export-run/run-refused.ts';
import { isUndecryptableSecret } from '../core/secrets.ts';

/**
 * Temporal failures out of ActiveCampaign errors and refused runs: the ones a retry cannot fix end the
 * run at once.
 */
export function toActivityFailure(error: unknown, context: { listId?: string } = {}): unknown {
  if (isRunRefusedError(error)) return permanentFailure(error.message, error.kind);
  // A key sealed under another OUTBOUND_SECRET_KEY stays undecryptable however often it is retried.
  if (isUndecryptableSecret(error)) return permanentFailure(error.message, 'SecretKeyMismatch');
  if (!isActiveCampaignError(error)) return error;
  switch (error.kind) {
    case 'CredentialsRejected':
      // A revoked key stays revoked: an admin has to update the connection.
      return ApplicationFailure.nonRetryable(
        'ActiveCampaign rejected the connection’s API key (403). Update the key on the connection.',
        'CredentialsRejected',
      );
    case 'PaymentRequired':
      return ApplicationFailure.nonRetryable(
        'ActiveCampaign reports a payment problem on the account (402).',
        'PaymentRequired',
      );
    case 'NotFound':
      return ApplicationFailure.nonRetryable(
        `The ActiveCampaign list ${context.listId ?? ''} no longer exists (404).`.replace('  ', ' '),
        'ListNotFound',
      );
    case 'InvalidHost':
    case 'Validation':
      return ApplicationFailure.nonRetryable(error.message, 'InvalidConfiguration');
    default:
      return ApplicationFailure.retryable(error.message, error.kind);
  }
}

export function permanentFailure(message: string, type: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}
