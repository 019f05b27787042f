import { lookup as lookupEach } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';

/**
 * Where Outbound may connect (ActiveCampaign accounts, webhooks, source databases): public addresses,
 * and the `host:port`s an operator lists in OUTBOUND_INSECURE_HOSTS (plain http, private addresses).
 */
export type OutboundHostPolicy = { insecureHosts: ReadonlySet<string> };

/** Reads the comma-separated `host:port` allow-list. */
export function parseInsecureHosts(...lists: (string | undefined)[]): Set<string> {
  return new Set(
    lists
      .flatMap((list) => (list ?? '').split(','))
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
  );
}

export const isListedHost = (hostPort: string, policy: OutboundHostPolicy) =>
  policy.insecureHosts.has(hostPort.trim().toLowerCase());

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

export type PublicAddressCheck = 'public' | 'private' | 'unresolvable';

/** Whether every address a hostname (without port) resolves to is public. */
export async function checkPublicAddresses(hostname: string): Promise<PublicAddressCheck> {
  let addresses: string[];
  try {
    addresses = isIP(hostname) ? [hostname] : (await lookup(hostname, { all: true })).map((r) => r.address);
  } catch {
    return 'unresolvable';
  }
  return addresses.some(isPrivateAddress) ? 'private' : 'public';
}

/**
 * The name lookup of every connection to an unlisted host: the address connected to is checked again, so a
 * host that passed checkPublicAddresses cannot be re-pointed at a private address afterwards (DNS rebinding).
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
