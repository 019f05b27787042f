import { expect, test } from 'vitest';
import { failureKey } from '../../api/auth-failures.ts';

test('failed sign-ins count against an IPv4 address, or an IPv6 address’s /64', () => {
  expect(failureKey('203.0.113.9')).toBe('203.0.113.9');
  expect(failureKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  const key = failureKey('2001:db8:aa:1::1');
  expect(key).toBe('2001:0db8:00aa:0001::/64');
  // Any other address of the same /64, however written, is the same guesser.
  expect(failureKey('2001:DB8:AA:1:ffff:ffff:ffff:fffe')).toBe(key);
  expect(failureKey('2001:db8:aa:1:0:0:0:7%eth0')).toBe(key);
  expect(failureKey('2001:db8:aa:2::1')).not.toBe(key);
  expect(failureKey('::1')).toBe('0000:0000:0000:0000::/64');
  expect(failureKey('unknown')).toBe('unknown');
});
