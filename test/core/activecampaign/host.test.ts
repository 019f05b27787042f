import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createConnector } from '../../../core/activecampaign/connector.ts';
import { parseApiHost, resolveBaseUrl } from '../../../core/activecampaign/host.ts';
import { exchange } from '../../../core/activecampaign/http-exchange.ts';
import { type RateLimiter, unlimitedRateLimiter } from '../../../core/activecampaign/rate-limiter.ts';
import { isPrivateAddress, publicAddressLookup } from '../../../core/network/outbound-hosts.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../../fake-activecampaign/index.ts';
import { loadConfig } from '../../../scripts/config.ts';

describe('parseApiHost: hostname[:port] only', () => {
  test.each([
    ['acme.api-us1.com', 'acme.api-us1.com'],
    ['  ACME.Api-US1.com ', 'acme.api-us1.com'],
    ['acme.api-us1.com:8443', 'acme.api-us1.com:8443'],
    ['127.0.0.1:4010', '127.0.0.1:4010'],
    ['localhost', 'localhost'],
  ])('%j is accepted as %s', (input, host) => {
    expect(parseApiHost(input)).toEqual({ ok: true, host });
  });

  test.each([
    ['https://acme.api-us1.com', 'acme.api-us1.com'],
    ['https://acme.api-us1.com/', 'acme.api-us1.com'],
    ['https://acme.api-us1.com/api/3', 'acme.api-us1.com'],
    ['acme.api-us1.com/api/3/', 'acme.api-us1.com'],
    ['HTTP://127.0.0.1:4010/', '127.0.0.1:4010'],
    ['https://acme.api-us1.com?x=1', 'acme.api-us1.com'],
    ['https://user:pass@acme.api-us1.com', 'acme.api-us1.com'],
  ])('%j is refused with the corrected form %s', (input, corrected) => {
    expect(parseApiHost(input)).toEqual({
      ok: false,
      message: `The API host must be a hostname only, without scheme or path: use "${corrected}".`,
    });
  });

  test.each([
    'acme api.com',
    'acme_x.com',
    '-acme.com',
    'acme..com',
    'acme.com:99999',
    'acme.com:0',
    '[::1]:80',
    'acme.com.',
  ])('%j is refused without a correction', (input) => {
    expect(parseApiHost(input)).toEqual({
      ok: false,
      message: 'The API host must be a hostname such as youraccount.api-us1.com (no scheme, no path).',
    });
  });

  test('empty input asks for the host', () => {
    expect(parseApiHost('  ')).toEqual({
      ok: false,
      message: 'Enter the API host, for example youraccount.api-us1.com.',
    });
  });
});

describe('private and loopback addresses', () => {
  test.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '192.0.2.1',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a00:1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'febf::1',
    'ff02::1',
    '64:ff9b::a00:1',
    '::7f00:1',
    '::127.0.0.1',
    '::a9fe:a9fe',
    '::a00:1',
    '2002:7f00:1::1',
    '2002:a9fe:a9fe::',
    '2002:c0a8:101::1',
    'fec0::1',
    'feff::1',
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:0:7f00:1',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  test.each([
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.1',
    '100.128.0.1',
    '192.0.32.10',
    '11.0.0.1',
    '::ffff:8.8.8.8',
    '2001:4860:4860::8888',
    '::808:808',
    '2002:808:808::1',
    '2a00:1450:4001::200e',
  ])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('resolveBaseUrl', () => {
  const none = { insecureHosts: new Set<string>() };

  test('a public host is reached over https', async () => {
    expect(await resolveBaseUrl('8.8.8.8', none)).toBe('https://8.8.8.8/api/3');
    expect(await resolveBaseUrl('8.8.8.8:8443', none)).toBe('https://8.8.8.8:8443/api/3');
  });

  test.each(['127.0.0.1:4010', '10.0.0.5', '169.254.169.254', 'localhost:4010'])(
    '%s is refused unless listed',
    async (host) => {
      await expect(resolveBaseUrl(host, none)).rejects.toMatchObject({
        kind: 'InvalidHost',
        retryable: false,
        message: `The API host ${host} resolves to a private or loopback address, which is not allowed.`,
      });
    },
  );

  test('a listed host is reached over plain http, whatever it resolves to; the listing is exact', async () => {
    const policy = { insecureHosts: new Set(['127.0.0.1:4010']) };
    expect(await resolveBaseUrl('127.0.0.1:4010', policy)).toBe('http://127.0.0.1:4010/api/3');
    expect(await resolveBaseUrl(' 127.0.0.1:4010 ', policy)).toBe('http://127.0.0.1:4010/api/3');
    await expect(resolveBaseUrl('127.0.0.1:4011', policy)).rejects.toMatchObject({ kind: 'InvalidHost' });
    await expect(resolveBaseUrl('127.0.0.1', policy)).rejects.toMatchObject({ kind: 'InvalidHost' });
  });

  test('a malformed host is InvalidHost with the parse message', async () => {
    await expect(resolveBaseUrl('https://acme.api-us1.com/', none)).rejects.toMatchObject({
      kind: 'InvalidHost',
      message: 'The API host must be a hostname only, without scheme or path: use "acme.api-us1.com".',
    });
  });
});

describe('https connections reach public addresses only (checked again when connecting)', () => {
  const lookUp = (hostname: string, all: boolean) =>
    new Promise<{ error: unknown; address: unknown }>((resolve) =>
      publicAddressLookup(hostname, { all }, (error, address) => resolve({ error, address })),
    );

  test('a name resolving to loopback is refused, one address or all', async () => {
    for (const all of [false, true]) {
      expect((await lookUp('localhost', all)).error).toMatchObject({ code: 'EPRIVATEADDRESS' });
    }
  });

  test('a public address passes', async () => {
    expect(await lookUp('8.8.8.8', false)).toEqual({ error: null, address: '8.8.8.8' });
  });

  test('a request to such a name fails before any connection is made', async () => {
    const request = exchange(new URL('https://localhost:9/api/3/users/me'), {
      method: 'GET',
      headers: {},
      signal: AbortSignal.timeout(5_000),
    });
    await expect(request).rejects.toMatchObject({ code: 'EPRIVATEADDRESS' });
  });
});

describe('createConnector', () => {
  let fake: FakeActiveCampaign;
  beforeAll(async () => {
    fake = await startFakeActiveCampaign({ accounts: [{ apiKeys: ['key'], lists: [7] }] });
  });
  afterAll(() => fake.close());

  test('opens a client on the listed host; the budget is keyed by the normalised host', async () => {
    const accounts: string[] = [];
    const limiter: RateLimiter = {
      acquire: async (account) => {
        accounts.push(account);
      },
      reserve: async () => ({ due: 0 }),
      backOff: async () => {},
    };
    const connect = createConnector({ insecureHosts: new Set([fake.host]), limiter });
    const client = await connect({ apiHost: ` ${fake.host} `, apiKey: 'key' });
    expect(await client.getList('7')).toMatchObject({ id: '7' });
    expect(accounts).toEqual([fake.host]);
  });

  test('refuses the fake when it is not listed', async () => {
    const connect = createConnector({ insecureHosts: new Set(), limiter: unlimitedRateLimiter });
    await expect(connect({ apiHost: fake.host, apiKey: 'key' })).rejects.toMatchObject({
      kind: 'InvalidHost',
    });
  });
});

describe('OUTBOUND_INSECURE_HOSTS', () => {
  test('is read with its former name OUTBOUND_AC_INSECURE_HOSTS, the two lists joined', () => {
    const env = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/outbound',
      OUTBOUND_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
      OUTBOUND_INSECURE_HOSTS: ' Hooks.internal:8080, db.internal:5432 ',
      OUTBOUND_AC_INSECURE_HOSTS: '127.0.0.1:4010',
    };
    expect([...loadConfig(env).insecureHosts].sort()).toEqual([
      '127.0.0.1:4010',
      'db.internal:5432',
      'hooks.internal:8080',
    ]);
  });
});
