import { isActiveCampaignError } from '../activities/activecampaign/errors.ts';
import { apiError, badInput, upstream } from './errors.ts';

/** Turns an ActiveCampaign failure during a live check into the API error a user can act on. */
export function upstreamError(error: unknown, apiHost: string): unknown {
  if (!isActiveCampaignError(error)) return error;
  switch (error.kind) {
    case 'CredentialsRejected':
      return apiError(
        'UPSTREAM_ERROR',
        'ActiveCampaign rejected the API key (403). Copy it again from Settings › Developer in ActiveCampaign.',
        { field: 'apiKey' },
      );
    case 'PaymentRequired':
      return upstream('ActiveCampaign reports a payment problem on this account (402).');
    case 'InvalidHost':
      return badInput('apiHost', error.message);
    case 'Network':
      return apiError(
        'UPSTREAM_ERROR',
        `Could not reach ActiveCampaign at ${apiHost}. Check the API host (Settings › Developer) and try again.`,
        { field: 'apiHost' },
      );
    case 'RateLimited':
      return upstream('ActiveCampaign is rate limiting this account right now; try again in a minute.');
    default:
      return upstream(`ActiveCampaign could not complete the check (${error.message}). Try again.`);
  }
}
