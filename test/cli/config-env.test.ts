import { describe, expect, test } from 'vitest';
import { defaultSegmentRefreshTimeLimitMs } from '../../core/segments/segment-refresh.ts';
import { ConfigError, defaultWorkerMaxActivities, loadConfig } from '../../scripts/config.ts';
import { defaultRunTimeLimitMs } from '../../temporal.config.ts';

// The environment the API and worker read (scripts/config.ts): each OUTBOUND_* variable lands in its own
// field, an unset one gives the documented default, and a bad one stops the start naming the variable.
const secretKey = Buffer.alloc(32, 7).toString('base64');
const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/outbound', OUTBOUND_SECRET_KEY: secretKey };
const load = (env: Record<string, string>) =>
  loadConfig({ ...base, ...env }, { temporalDevServer: '127.0.0.1:7233' });

describe('OUTBOUND_* variables → config', () => {
  test('unset, each takes its documented default', () => {
    expect(load({})).toMatchObject({
      insecureHosts: new Set(),
      maxProfilesPerExport: 1_000_000,
      alertEmailFrom: 'Outbound <outbound@localhost>',
      smtpUrl: null,
      publicUrl: null,
      rateScale: 1,
      runTimeLimitMs: defaultRunTimeLimitMs,
      unsubscribeGuardPercent: 10,
      sourceMaxRemovalPercent: 10,
      segmentRefreshTimeLimitMs: defaultSegmentRefreshTimeLimitMs,
      maxSubscriptionsPerUser: 10,
      maxSubscriptionsPerProcess: 500,
      corsOrigins: [],
      playground: true,
      trustProxy: false,
      workerHttpPort: 4001,
      workerMaxActivities: defaultWorkerMaxActivities,
      logLevel: 'info',
      workflowBundlePath: undefined,
    });
  });

  const mapped: Array<[string, string, string, unknown]> = [
    ['OUTBOUND_MAX_PROFILES_PER_EXPORT', '2500', 'maxProfilesPerExport', 2500],
    ['OUTBOUND_ALERT_EMAIL_FROM', ' Ops <ops@example.org> ', 'alertEmailFrom', 'Ops <ops@example.org>'],
    ['OUTBOUND_SMTP_URL', 'smtps://mail.example.org:465', 'smtpUrl', 'smtps://mail.example.org:465'],
    ['OUTBOUND_PUBLIC_URL', 'https://outbound.example.org/', 'publicUrl', 'https://outbound.example.org'],
    ['OUTBOUND_AC_RATE_SCALE', '0', 'rateScale', 0],
    ['OUTBOUND_RUN_TIME_LIMIT_MS', '60000', 'runTimeLimitMs', 60_000],
    ['OUTBOUND_UNSUBSCRIBE_GUARD_PERCENT', '25', 'unsubscribeGuardPercent', 25],
    ['OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT', '0', 'sourceMaxRemovalPercent', 0],
    ['OUTBOUND_REFRESH_SCHEDULE_ID', 'refresh-eu', 'refreshScheduleId', 'refresh-eu'],
    ['OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS', '30000', 'segmentRefreshTimeLimitMs', 30_000],
    ['OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER', '3', 'maxSubscriptionsPerUser', 3],
    ['OUTBOUND_MAX_SUBSCRIPTIONS_PER_PROCESS', '40', 'maxSubscriptionsPerProcess', 40],
    ['OUTBOUND_PLAYGROUND', 'off', 'playground', false],
    ['OUTBOUND_TRUST_PROXY', 'ON', 'trustProxy', true],
    ['OUTBOUND_WORKER_HTTP_PORT', '0', 'workerHttpPort', 0],
    ['OUTBOUND_WORKER_MAX_ACTIVITIES', '8', 'workerMaxActivities', 8],
    ['OUTBOUND_LOG_LEVEL', 'Debug', 'logLevel', 'debug'],
    [
      'OUTBOUND_CORS_ORIGINS',
      'https://a.example, https://b.example',
      'corsOrigins',
      ['https://a.example', 'https://b.example'],
    ],
    ['OUTBOUND_MAX_ATTRIBUTES_PER_PROFILE', '50', 'profileLimits.maxAttributesPerProfile', 50],
    ['OUTBOUND_MAX_ATTRIBUTE_NAMES', '700', 'profileLimits.maxAttributeNames', 700],
  ];

  test.each(mapped)('%s=%s sets %s, and nothing else', (name, value, field, expected) => {
    const defaults = load({}) as unknown as Record<string, unknown>;
    const config = load({ [name]: value }) as unknown as Record<string, unknown>;
    const [top, nested] = field.split('.') as [string, string | undefined];
    const read = (c: Record<string, unknown>) =>
      nested ? (c[top] as Record<string, unknown>)[nested] : c[top];
    expect(read(config)).toEqual(expected);
    expect(read(defaults)).not.toEqual(expected);
    const others = (c: Record<string, unknown>) => ({ ...c, [top]: undefined });
    expect(others(config)).toEqual(others(defaults));
  });

  test('OUTBOUND_INSECURE_HOSTS lists host:port pairs', () => {
    expect([...load({ OUTBOUND_INSECURE_HOSTS: '127.0.0.1:4010, fake.local:80' }).insecureHosts]).toEqual([
      '127.0.0.1:4010',
      'fake.local:80',
    ]);
  });

  const refused: Array<[string, string]> = [
    ['OUTBOUND_MAX_PROFILES_PER_EXPORT', '0'],
    ['OUTBOUND_AC_RATE_SCALE', '-1'],
    ['OUTBOUND_RUN_TIME_LIMIT_MS', '1.5'],
    ['OUTBOUND_UNSUBSCRIBE_GUARD_PERCENT', '101'],
    ['OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT', 'ten'],
    ['OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS', '0'],
    ['OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER', '0'],
    ['OUTBOUND_PLAYGROUND', 'yes'],
    ['OUTBOUND_WORKER_HTTP_PORT', '70000'],
    ['OUTBOUND_WORKER_MAX_ACTIVITIES', '0'],
    ['OUTBOUND_LOG_LEVEL', 'verbose'],
    ['OUTBOUND_SMTP_URL', 'mail.example.org'],
    ['OUTBOUND_PUBLIC_URL', 'not a url'],
    ['OUTBOUND_CORS_ORIGINS', 'https://a.example/path'],
    ['OUTBOUND_MAX_ATTRIBUTE_NAMES', '-3'],
    ['OUTBOUND_SECRET_KEY', 'c2hvcnQ='],
  ];

  test.each(refused)('%s=%s stops the start, naming the variable', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(name);
  });
});
