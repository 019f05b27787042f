import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { createLogger } from '../../core/observability/logger.ts';
import { createMetrics, routeTemplate } from '../../core/observability/metrics.ts';

test('ActiveCampaign paths become route templates: ids, whatever their spelling, are :id', () => {
  expect(routeTemplate('/import/bulk_import')).toBe('/api/3/import/bulk_import');
  expect(routeTemplate('/lists/7')).toBe('/api/3/lists/:id');
  expect(routeTemplate('/lists/newsletter%40acme')).toBe('/api/3/lists/:id');
  expect(routeTemplate('/contacts/123?x=1')).toBe('/api/3/contacts/:id');
  expect(routeTemplate('/users/me')).toBe('/api/3/users/me');
});

test('operation names are labels only when plain and among the first 100', () => {
  const metrics = createMetrics();
  expect(metrics.operationLabel('RunStatus')).toBe('RunStatus');
  expect(metrics.operationLabel(undefined)).toBe('anonymous');
  expect(metrics.operationLabel('jane@example.com')).toBe('other');
  expect(metrics.operationLabel('x'.repeat(65))).toBe('other');
  for (let i = 0; i < 200; i++) metrics.operationLabel(`Op${i}`);
  expect(metrics.operationLabel('Op150')).toBe('other');
  expect(metrics.operationLabel('RunStatus')).toBe('RunStatus');
});

test('a log line is one JSON object with level, time and component, without emails or personal fields', () => {
  let written = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ component: 'worker', level: 'info', destination });
  logger.info(
    { runId: 'r-1', contact: { email: 'jane@example.com' }, phone: '+36 1 555', note: 'to jane@example.com' },
    'sent to jane@example.com',
  );
  logger.error({ err: new Error('user "jane@example.com" refused') }, 'failed');
  logger.debug('not at info');
  const lines = written.trim().split('\n');
  expect(lines).toHaveLength(2);
  const [first, second] = lines.map((line) => JSON.parse(line));
  expect(first).toMatchObject({ level: 'info', component: 'worker', runId: 'r-1', phone: '[redacted]' });
  expect(new Date(first.time).toISOString()).toBe(first.time);
  expect(second).toMatchObject({
    level: 'error',
    msg: 'failed',
    err: expect.stringMatching(/^Error: user "…" refused/),
  });
  expect(written).not.toContain('jane');
  expect(written).not.toContain('555');
});
