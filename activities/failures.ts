import { ApplicationFailure } from '@temporalio/common';
import { isActiveCampaignError } from '../core/activecampaign/errors.ts';
import { isRunRefusedError } from '../core/export-run/run-refused.ts';
import { isUndecryptableSecret } from '../core/secrets.ts';
import { SourceUrlError } from '../core/sources/source-database.ts';
import { SourceSyncRefused } from '../core/sources/source-sync.ts';

/**
 * The one mapping of domain errors to Temporal failures: refused runs and syncs, ActiveCampaign errors,
 * undecryptable keys. The ones a retry cannot fix end the run or sync at once (their types are
 * temporal.config.ts's permanentErrorTypes); anything else is returned as it is. Messages carry no
 * row data or personal data.
 */
export function toActivityFailure(error: unknown, context: { listId?: string } = {}): unknown {
  if (isRunRefusedError(error)) return ApplicationFailure.nonRetryable(error.message, error.kind);
  if (error instanceof SourceSyncRefused) {
    // The sync row keeps the database's message; Temporal sees the kind of failure only.
    const message =
      error.type === 'SourceQueryFailed'
        ? 'The source query failed; the sync records the database’s message (SourceSync.error).'
        : error.message;
    return ApplicationFailure.nonRetryable(message, error.type);
  }
  if (error instanceof SourceUrlError)
    return ApplicationFailure.nonRetryable(error.message, 'InvalidConfiguration');
  // A key sealed under another OUTBOUND_SECRET_KEY stays undecryptable however often it is retried.
  if (isUndecryptableSecret(error))
    return ApplicationFailure.nonRetryable(error.message, 'SecretKeyMismatch');
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
