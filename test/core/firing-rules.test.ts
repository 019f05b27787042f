import { expect, test } from 'vitest';
import type { AlertEvent } from '../../core/alerts/events.ts';
import type { FinishedRun } from '../../core/alerts/finished-run.ts';
import { type AlertRule, firingRules } from '../../core/alerts/firing-rules.ts';

const run = (over: Partial<FinishedRun> = {}): FinishedRun => ({
  id: 'run-1',
  exportId: 'export-1',
  exportName: 'Newsletter',
  connectionName: 'Main account',
  status: 'SUCCEEDED',
  error: null,
  workflowId: 'export-export-1',
  temporalRunId: null,
  startedAt: new Date('2026-01-01T00:00:00Z'),
  finishedAt: new Date('2026-01-01T00:10:00Z'),
  totalProfiles: 1_000,
  sentCount: 1_000,
  exportedCount: 1_000,
  rejectedCount: 0,
  failedCount: 0,
  skippedCount: 0,
  unsubscribedCount: 0,
  previousStatus: 'SUCCEEDED',
  previousSuccessProfiles: 1_000,
  ...over,
});

const rule = (event: AlertEvent, over: Partial<AlertRule> = {}): AlertRule => ({
  id: event,
  channelId: 'channel-1',
  exportId: null,
  event,
  thresholdPercent: null,
  thresholdMinutes: null,
  ...over,
});

const fired = (rules: AlertRule[], finished: FinishedRun, failureType: string | null = null) =>
  firingRules(rules, finished, failureType).map((f) => f.rule.event);

test('a failed or timed-out run fires RUN_FAILED; a success or cancellation does not', () => {
  const rules = [rule('RUN_FAILED')];
  expect(fired(rules, run({ status: 'FAILED', error: 'boom' }))).toEqual(['RUN_FAILED']);
  expect(fired(rules, run({ status: 'TIMED_OUT' }))).toEqual(['RUN_FAILED']);
  expect(fired(rules, run())).toEqual([]);
  expect(fired(rules, run({ status: 'CANCELLED' }))).toEqual([]);
});

test('a rejected key and the mass-unsubscribe guard have events of their own; the guard is not a failure', () => {
  const rules = [rule('RUN_FAILED'), rule('CONNECTION_REJECTED'), rule('MASS_UNSUBSCRIBE_HELD')];
  expect(fired(rules, run({ status: 'FAILED' }), 'CredentialsRejected')).toEqual([
    'RUN_FAILED',
    'CONNECTION_REJECTED',
  ]);
  const held = firingRules(rules, run({ status: 'FAILED' }), 'MassUnsubscribe');
  expect(held.map((f) => f.rule.event)).toEqual(['MASS_UNSUBSCRIBE_HELD']);
  expect(held[0]?.reason).toContain('confirmMassUnsubscribe: true');
});

test('records not exported count rejected, failed and skipped against those processed, above the threshold', () => {
  const rules = [rule('RECORDS_NOT_EXPORTED', { thresholdPercent: 5 })];
  expect(fired(rules, run({ exportedCount: 950, rejectedCount: 30, failedCount: 20 }))).toEqual([]);
  expect(
    fired(rules, run({ exportedCount: 940, rejectedCount: 30, failedCount: 20, skippedCount: 10 })),
  ).toEqual(['RECORDS_NOT_EXPORTED']);
});

test('slow runs, member swings and recoveries fire past their thresholds', () => {
  expect(fired([rule('RUN_SLOW', { thresholdMinutes: 10 })], run())).toEqual([]);
  expect(fired([rule('RUN_SLOW', { thresholdMinutes: 9 })], run())).toEqual(['RUN_SLOW']);
  const members = [rule('MEMBERS_CHANGED', { thresholdPercent: 30 })];
  expect(fired(members, run({ totalProfiles: 750 }))).toEqual([]);
  expect(fired(members, run({ totalProfiles: 500 }))).toEqual(['MEMBERS_CHANGED']);
  expect(fired(members, run({ totalProfiles: 500, previousSuccessProfiles: null }))).toEqual([]);
  const recovered = [rule('RUN_RECOVERED')];
  expect(fired(recovered, run({ previousStatus: 'FAILED' }))).toEqual(['RUN_RECOVERED']);
  expect(fired(recovered, run({ previousStatus: 'TIMED_OUT' }))).toEqual(['RUN_RECOVERED']);
  expect(fired(recovered, run())).toEqual([]);
});

test('a rule of another export does not fire', () => {
  expect(fired([rule('RUN_FAILED', { exportId: 'export-2' })], run({ status: 'FAILED' }))).toEqual([]);
  expect(fired([rule('RUN_FAILED', { exportId: 'export-1' })], run({ status: 'FAILED' }))).toEqual([
    'RUN_FAILED',
  ]);
});
