import type { OutboundHostPolicy } from '../network/outbound-hosts.ts';
import type { Metrics } from '../observability/metrics.ts';
import { ActiveCampaignClient } from './client.ts';
import { parseApiHost, resolveBaseUrl } from './host.ts';
import type { RateLimiter } from './rate-limiter.ts';

export type ConnectorOptions = OutboundHostPolicy & {
  limiter: RateLimiter;
  rateLimitPauseMs?: number;
  /** The general rate window at the account's clock (1 s at the documented limits). */
  rateWindowMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  metrics?: Metrics;
};

/** Opens a client for an account: checks the host per policy; the account's budget is keyed by its host. */
export type Connector = (account: { apiHost: string; apiKey: string }) => Promise<ActiveCampaignClient>;

export function createConnector(options: ConnectorOptions): Connector {
  return async ({ apiHost, apiKey }) => {
    const baseUrl = await resolveBaseUrl(apiHost, options);
    const checked = parseApiHost(apiHost);
    return new ActiveCampaignClient({
      baseUrl,
      apiKey,
      // The normalised host, so every spelling of one account draws on one budget.
      account: checked.ok ? checked.host : apiHost.toLowerCase(),
      limiter: options.limiter,
      rateLimitPauseMs: options.rateLimitPauseMs,
      rateWindowMs: options.rateWindowMs,
      timeoutMs: options.timeoutMs,
      maxAttempts: options.maxAttempts,
      metrics: options.metrics,
    });
  };
}
