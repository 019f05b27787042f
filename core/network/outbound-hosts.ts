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

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail counts as two), or undefined if unreadable. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail, ...more] = text.split('::');
  if (more.length > 0) return undefined;
  const parse = (part: string) => (part ? part.split(':').map((h) => Number.parseInt(h, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...left, ...Array<number>(missing).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

const ipv4Of = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');

/**
 * IPv6 ranges that are not public themselves, or that carry an IPv4 address classified as that address:
 * IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96), IPv4-compatible (::/96), 6to4 (2002::/16).
 */
function isPrivateIPv6(address: string): boolean {
  const g = ipv6Groups(address);
  if (!g) return true; // unreadable: treated as private
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) {
    const embedsIPv4 =
      (g4 === 0 && g5 === 0xffff) || // IPv4-mapped
      (g4 === 0xffff && g5 === 0) || // IPv4-translated
      (g4 === 0 && g5 === 0 && (g6 !== 0 || g7 > 1)); // IPv4-compatible (not :: or ::1)
    return embedsIPv4 ? isPrivateAddress(ipv4Of(g6, g7)) : true; // ::, ::1, the rest reserved
  }
  if (g0 === 0x2002) return isPrivateAddress(ipv4Of(g1, g2)); // 6to4
  return (
    (g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (g0 & 0xffc0) === 0xfec0 || // site-local fec0::/10 (deprecated, still routed inside some networks)
    (g0 & 0xff00) === 0xff00 || // multicast
    (g0 === 0x64 && g1 === 0xff9b) || // NAT64 (64:ff9b::/96, 64:ff9b:1::/48): may embed any IPv4 address
    (g0 === 0x2001 && (g1 === 0 || g1 === 0xdb8)) // Teredo (embeds an IPv4 address), documentation
  );
}

/** Loopback, private, link-local, CGNAT, unspecified, benchmark, multicast and reserved ranges. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) return isPrivateIPv6(address);
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
