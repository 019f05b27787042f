import { checkPublicAddresses, isListedHost, type OutboundHostPolicy } from '../network/outbound-hosts.ts';
import { ActiveCampaignError } from './errors.ts';

const hostPattern =
  /^(?=.{1,253}(:|$))[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;

const validPort = (host: string) => {
  const port = /:(\d+)$/.exec(host)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
};

export type HostCheck = { ok: true; host: string } | { ok: false; message: string };

/** Accepts `hostname[:port]` only; for anything else the message shows the corrected form when there is one. */
export function parseApiHost(input: string): HostCheck {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, message: 'Enter the API host, for example youraccount.api-us1.com.' };
  if (hostPattern.test(trimmed) && validPort(trimmed)) return { ok: true, host: trimmed.toLowerCase() };
  let corrected: string | undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (hostPattern.test(url.host) && url.host !== trimmed.toLowerCase()) corrected = url.host.toLowerCase();
  } catch {}
  return {
    ok: false,
    message: corrected
      ? `The API host must be a hostname only, without scheme or path: use "${corrected}".`
      : 'The API host must be a hostname such as youraccount.api-us1.com (no scheme, no path).',
  };
}

/**
 * The base URL for an account host: https, unless the host is listed as insecure (the fake).
 * Hosts resolving to private or loopback addresses are refused unless listed.
 */
export async function resolveBaseUrl(host: string, policy: OutboundHostPolicy): Promise<string> {
  const checked = parseApiHost(host);
  if (!checked.ok) throw new ActiveCampaignError('InvalidHost', checked.message);
  if (isListedHost(checked.host, policy)) return `http://${checked.host}/api/3`;
  const addresses = await checkPublicAddresses(checked.host.replace(/:\d+$/, ''));
  if (addresses === 'unresolvable') {
    throw new ActiveCampaignError('Network', `The API host ${checked.host} could not be resolved.`);
  }
  if (addresses === 'private') {
    throw new ActiveCampaignError(
      'InvalidHost',
      `The API host ${checked.host} resolves to a private or loopback address, which is not allowed.`,
    );
  }
  return `https://${checked.host}/api/3`;
}
