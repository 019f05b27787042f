/** Why a call to ActiveCampaign failed, in the terms the workflow acts on. */
export type ActiveCampaignErrorKind =
  | 'CredentialsRejected'
  | 'PaymentRequired'
  | 'NotFound'
  | 'Validation'
  | 'RateLimited'
  | 'Unavailable'
  | 'Network'
  | 'InvalidHost';

const retryableKinds = new Set<ActiveCampaignErrorKind>(['RateLimited', 'Unavailable', 'Network']);

export type ValidationFailure = { contact?: number; reason: string };

/** Messages carry the endpoint and status only: never the key, an email or a name. */
export class ActiveCampaignError extends Error {
  override name = 'ActiveCampaignError';
  readonly retryable: boolean;

  constructor(
    readonly kind: ActiveCampaignErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; failures?: ValidationFailure[] } = {},
  ) {
    super(message);
    this.retryable = retryableKinds.has(kind);
  }
}

export function isActiveCampaignError(error: unknown): error is ActiveCampaignError {
  return error instanceof ActiveCampaignError;
}
