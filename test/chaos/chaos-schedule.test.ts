import { expect, test } from 'vitest';
import { drawSchedule, faultKinds, restartsPostgres, runKinds } from '../../scripts/lib/chaos/schedule.ts';

test('the same seed draws the same fault schedule; another seed another one', () => {
  const schedule = drawSchedule(7, 20);
  expect(drawSchedule(7, 20)).toEqual(schedule);
  expect(drawSchedule(8, 20)).not.toEqual(schedule);
  expect(schedule[0]?.kind).toBe('fresh');
  const drawn = new Set(schedule.flatMap((run) => run.faults.map((f) => f.kind)));
  expect(drawn.size).toBeGreaterThan(faultKinds.length / 2);
});

test('a long schedule has every run kind, tags runs among them; each Postgres restart lasts 2–12 s', () => {
  const schedule = drawSchedule(11, 200);
  expect(new Set(schedule.map((run) => run.kind))).toEqual(new Set(runKinds));
  expect(schedule.filter((run) => run.kind === 'fresh').map((run) => run.run)).toEqual([1]);
  const faults = schedule.flatMap((run) => run.faults);
  const restarts = faults.filter((f) => f.kind === 'postgres-restart');
  expect(restarts.length).toBeGreaterThan(0);
  for (const restart of restarts) {
    expect(restart.downMs).toBeGreaterThanOrEqual(2_000);
    expect(restart.downMs).toBeLessThanOrEqual(12_000);
  }
  expect(faults.filter((f) => f.kind !== 'postgres-restart' && f.downMs !== undefined)).toEqual([]);
  expect(restartsPostgres(schedule)).toBe(true);
});

test('the Postgres proxy is put in only for a schedule that restarts Postgres', () => {
  const seeds = Array.from({ length: 50 }, (_, i) => i + 1);
  const withRestart = seeds.map((seed) => drawSchedule(seed, 1)).filter(restartsPostgres);
  expect(withRestart.length).toBeGreaterThan(0);
  expect(withRestart.length).toBeLessThan(seeds.length);
  for (const schedule of seeds.map((seed) => drawSchedule(seed, 1)))
    expect(restartsPostgres(schedule)).toBe(schedule[0]?.faults.some((f) => f.kind === 'postgres-restart'));
});
