import { ActiveCampaignClient } from './client.ts';
import { type HostPolicy, resolveBaseUrl } from './host.ts';
import type { RateLimiter } from './rate-limiter.ts';

export type ConnectorOptions = HostPolicy & {
  limiter: RateLimiter;
  rateLimitPauseMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
};

/** Opens a client for an account: checks the host per policy; the account's budget is keyed by its host. */
export type Connector = (account: { apiHost: string; apiKey: string }) => Promise<ActiveCampaignClient>;

export function createConnector(options: ConnectorOptions): Connector {
  return async ({ apiHost, apiKey }) =>
    new ActiveCampaignClient({
      baseUrl: await resolveBaseUrl(apiHost, options),
      apiKey,
      account: apiHost.toLowerCase(),
      limiter: options.limiter,
      rateLimitPauseMs: options.rateLimitPauseMs,
      timeoutMs: options.timeoutMs,
      maxAttempts: options.maxAttempts,
    });
}
