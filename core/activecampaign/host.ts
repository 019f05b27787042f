import { lookup as lookupEach } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
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

/** The IPv4 address of an IPv4-mapped IPv6 address's tail (`127.0.0.1` or `7f00:1`). */
function mappedIPv4(tail: string): string {
  if (isIP(tail) === 4) return tail;
  const [hi = Number.NaN, lo = Number.NaN] = tail.split(':').map((h) => Number.parseInt(h, 16));
  if (!Number.isInteger(hi) || !Number.isInteger(lo)) return '0.0.0.0'; // unreadable: treated as private
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Loopback, private, link-local, CGNAT, unspecified, benchmark, multicast and reserved ranges. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const a = address.toLowerCase();
    if (a.startsWith('::ffff:')) return isPrivateAddress(mappedIPv4(a.slice('::ffff:'.length)));
    return (
      a === '::1' ||
      a === '::' ||
      /^f[cd]/.test(a) || // unique local fc00::/7
      /^fe[89ab]/.test(a) || // link-local fe80::/10
      /^ff/.test(a) || // multicast
      /^64:ff9b:/.test(a) // NAT64: may embed any IPv4 address
    );
  }
  const [a = 0, b = 0, c = 0] = address.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 || // multicast, reserved, broadcast
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19))
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

/**
 * The name lookup of every https connection: the address connected to is checked again, so a host that
 * passed resolveBaseUrl cannot be re-pointed at a private address afterwards (DNS rebinding).
 */
export const publicAddressLookup: LookupFunction = (hostname, options, callback) => {
  lookupEach(hostname, options, (error, address, family) => {
    const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
    if (!error && addresses.some(isPrivateAddress)) {
      const refused = Object.assign(new Error(`${hostname} resolves to a private or loopback address.`), {
        code: 'EPRIVATEADDRESS',
      });
      callback(refused, address, family);
    } else callback(error, address, family);
  });
};
