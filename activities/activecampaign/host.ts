import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ActiveCampaignError } from './errors.ts';

const hostPattern =
  /^(?=.{1,253}(:|$))[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;

export type HostCheck = { ok: true; host: string } | { ok: false; message: string };

/** Accepts `hostname[:port]` only; for anything else the message shows the corrected form when there is one. */
export function parseApiHost(input: string): HostCheck {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, message: 'Enter the API host, for example youraccount.api-us1.com.' };
  if (hostPattern.test(trimmed)) return { ok: true, host: trimmed.toLowerCase() };
  let corrected: string | undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (hostPattern.test(url.host)) corrected = url.host.toLowerCase();
  } catch {}
  return {
    ok: false,
    message: corrected
      ? `The API host must be a hostname only, without scheme or path: use "${corrected}".`
      : 'The API host must be a hostname such as youraccount.api-us1.com (no scheme, no path).',
  };
}

function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const a = address.toLowerCase();
    if (a.startsWith('::ffff:')) return isPrivateAddress(a.slice(7));
    return a === '::1' || a === '::' || a.startsWith('fc') || a.startsWith('fd') || a.startsWith('fe80');
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

export type HostPolicy = { insecureHosts: ReadonlySet<string> };

/**
 * The base URL for an account host: https, unless the host is listed as insecure (the fake).
 * Hosts resolving to private or loopback addresses are refused unless listed.
 */
export async function resolveBaseUrl(host: string, policy: HostPolicy): Promise<string> {
  const checked = parseApiHost(host);
  if (!checked.ok) throw new ActiveCampaignError('InvalidHost', checked.message);
  if (policy.insecureHosts.has(checked.host)) return `http://${checked.host}/api/3`;
  const hostname = checked.host.replace(/:\d+$/, '');
  let addresses: string[];
  try {
    addresses = isIP(hostname) ? [hostname] : (await lookup(hostname, { all: true })).map((r) => r.address);
  } catch {
    throw new ActiveCampaignError('Network', `The API host ${checked.host} could not be resolved.`);
  }
  if (addresses.some(isPrivateAddress)) {
    throw new ActiveCampaignError(
      'InvalidHost',
      `The API host ${checked.host} resolves to a private or loopback address, which is not allowed.`,
    );
  }
  return `https://${checked.host}/api/3`;
}
