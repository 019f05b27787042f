import { expect, test } from 'vitest';
import { drawSchedule, faultKinds } from '../../scripts/lib/chaos/schedule.ts';

test('the same seed draws the same fault schedule; another seed another one', () => {
  const schedule = drawSchedule(7, 20);
  expect(drawSchedule(7, 20)).toEqual(schedule);
  expect(drawSchedule(8, 20)).not.toEqual(schedule);
  expect(schedule[0]?.kind).toBe('fresh');
  const drawn = new Set(schedule.flatMap((run) => run.faults.map((f) => f.kind)));
  expect(drawn.size).toBeGreaterThan(faultKinds.length / 2);
});
