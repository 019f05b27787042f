import { isIPv4, isIPv6 } from 'node:net';
import type { FailureLimit } from '../core/auth-failures.ts';

export type { FailureLimit } from '../core/auth-failures.ts';

export const defaultFailureLimit: FailureLimit = { failures: 10, windowMs: 60_000 };

/** The eight 16-bit groups of an IPv6 address, `::` expanded (an embedded IPv4 tail as two groups). */
function ipv6Groups(address: string): string[] {
  let text = address.split('%')[0] ?? address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().padStart(4, '0'));
}

/**
 * Whom failed sign-ins are counted against: an IPv4 address (IPv4-mapped IPv6 included) as it is, an
 * IPv6 address by its /64 (one subscriber usually holds a whole /64, and picks any address in it).
 */
export function failureKey(address: string): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((g) => g === '0000') && groups[5] === 'ffff') {
    const [hi = 0, lo = 0] = [groups[6], groups[7]].map((g) => Number.parseInt(g ?? '0', 16));
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}
