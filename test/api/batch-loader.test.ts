import { expect, test } from 'vitest';
import { createBatchLoader } from '../../api/batch-loader.ts';

test('keys asked for in one tick are loaded together; each gets its own value, unknown ones undefined', async () => {
  const calls: string[][] = [];
  const load = createBatchLoader(async (keys: string[]) => {
    calls.push(keys);
    return new Map(keys.filter((k) => k !== 'gone').map((k) => [k, k.toUpperCase()]));
  });
  const first = await Promise.all([load('a'), load('b'), load('a'), load('gone')]);
  const later = await load('c');
  expect(first).toEqual(['A', 'B', 'A', undefined]);
  expect(later).toBe('C');
  expect(calls).toEqual([['a', 'b', 'gone'], ['c']]);
});

test('a failed load rejects every key of its batch, and the next batch starts afresh', async () => {
  let fail = true;
  const load = createBatchLoader(async (keys: number[]) => {
    if (fail) throw new Error('database unavailable');
    return new Map(keys.map((k) => [k, k * 2]));
  });
  const failed = await Promise.allSettled([load(1), load(2)]);
  expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  fail = false;
  expect(await load(3)).toBe(6);
});
