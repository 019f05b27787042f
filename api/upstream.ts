import { isActiveCampaignError } from '../core/activecampaign/errors.ts';
import { isUndecryptableSecret } from '../core/secrets.ts';
import { badInput, upstream } from './errors.ts';

type Fields = { key: string; host: string };
const connectionForm: Fields = { key: 'apiKey', host: 'apiHost' };

/**
 * Turns an ActiveCampaign failure during a live check into the API error a user can act on. `fields`
 * names the input at fault: the key and host of a connection form, or the connection of an export.
 */
export function upstreamError(error: unknown, apiHost: string, fields: Fields = connectionForm): unknown {
  if (isUndecryptableSecret(error)) return badInput(fields.key, error.message);
  if (!isActiveCampaignError(error)) return error;
  switch (error.kind) {
    case 'CredentialsRejected':
      return upstream(
        'ActiveCampaign rejected the API key (403). Copy it again from Settings › Developer in ActiveCampaign.',
        { field: fields.key },
      );
    case 'PaymentRequired':
      return upstream('ActiveCampaign reports a payment problem on this account (402).', {
        field: fields.key,
      });
    case 'InvalidHost':
      return badInput(fields.host, error.message);
    case 'Network':
      return upstream(
        `Could not reach ActiveCampaign at ${apiHost}. Check the API host (Settings › Developer) and try again.`,
        { field: fields.host },
      );
    case 'RateLimited':
      return upstream('ActiveCampaign is rate limiting this account right now; try again in a minute.');
    default:
      return upstream(`ActiveCampaign could not complete the check (${error.message}). Try again.`);
  }
}
