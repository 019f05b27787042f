import { describe, expect, test } from 'vitest';
import { isValidEmail } from '../../../core/activecampaign/email.ts';
import { isValidEmail as fakeAccepts } from '../../../fake-activecampaign/email.ts';

describe('the documented rules that fail a bulk import', () => {
  test.each(['@example.com'])('empty local part: %s', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });

  test.each(['"', '(', ')', ',', ':', ';', '<', '>', '[', '\\', ']'])('%s in the local part', (char) => {
    expect(isValidEmail(`a${char}b@example.com`)).toBe(false);
    expect(isValidEmail(`${char}@example.com`)).toBe(false);
  });

  test.each(['ab.example.com', 'a@@example.com', 'a@b@example.com', 'a@example.com@'])(
    'not exactly one @: %s',
    (email) => {
      expect(isValidEmail(email)).toBe(false);
    },
  );

  test.each(['a@localhost', 'a@example.c', 'a@example.c0', 'a@example.123', 'a@example.com.', 'a@'])(
    'a domain not ending in . and two or more letters: %s',
    (email) => {
      expect(isValidEmail(email)).toBe(false);
    },
  );

  test.each([
    'ada@example.com',
    'First.Last+tag@sub.example.co.uk',
    "o'brien@example.ie",
    'UPPER@EXAMPLE.COM',
    'jöran@example.se',
    'a@b.co',
    '!#$%&*+/=?^_`{|}~-@example.com',
  ])('valid: %s', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });
});

test('the client rejects exactly what the fake (the documented rules) rejects, and whitespace besides', () => {
  const corpus = [
    'ada@example.com',
    '@example.com',
    'a(b@example.com',
    'a@ex(ample.com', // the rules name the local part only
    'a@b.c',
    'a@b.cd',
    'a@@b.cd',
    'a.b@c.d.museum',
    'a\\b@example.com',
    'ä@example.de',
  ];
  for (const email of corpus) expect([email, isValidEmail(email)]).toEqual([email, fakeAccepts(email)]);
  // Stricter than the documented rules on purpose: an address with whitespace is never deliverable.
  expect(fakeAccepts('a b@example.com')).toBe(true);
  expect(isValidEmail('a b@example.com')).toBe(false);
});
