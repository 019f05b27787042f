import { seededRandom } from '../../../fake-activecampaign/clock-and-chance.ts';

export const faultKinds = [
  'worker-sigkill',
  'worker-sigterm',
  'worker-sigterm-during-start',
  'worker-sigterm-during-stop',
  'api-restart',
  'temporal-restart',
  'pg-terminate-backends',
  'postgres-restart',
  'ac-5xx',
  'ac-429-storm',
  'ac-slow',
  'ac-resets',
  'ac-interrupted-import',
  'alert-receiver-down',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export const runKinds = ['fresh', 'incremental', 'leavers', 'rejoin', 'source', 'tags'] as const;
export type RunKind = (typeof runKinds)[number];

/** One fault, `afterMs` after its run started; a `postgres-restart` keeps Postgres away for `downMs`. */
export type Fault = { kind: FaultKind; afterMs: number; downMs?: number };
export type RunPlan = { run: number; kind: RunKind; changed: number; faults: Fault[] };

/** How long a Postgres restart keeps Outbound's database away: 2–12 s. */
function postgresDownMs(random: () => number): number {
  return 2_000 + Math.round(random() * 10) * 1_000;
}

/** Whether the schedule restarts Postgres (the campaign then puts its proxy before the database). */
export function restartsPostgres(schedule: RunPlan[]): boolean {
  return schedule.some((plan) => plan.faults.some((fault) => fault.kind === 'postgres-restart'));
}

/**
 * The whole campaign's fault schedule, drawn from the seed alone: the same seed gives the same
 * schedule, so a failing campaign is replayed exactly with `--seed`.
 */
export function drawSchedule(seed: number, runs: number): RunPlan[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: runs }, (_, run) => {
    const count = 1 + Math.floor(random() * 3);
    const faults = Array.from({ length: count }, (): Fault => {
      const fault: Fault = { kind: pick(faultKinds), afterMs: Math.round(200 + random() * 4_000) };
      if (fault.kind === 'postgres-restart') fault.downMs = postgresDownMs(random);
      return fault;
    }).sort((a, b) => a.afterMs - b.afterMs);
    return {
      run: run + 1,
      kind: run === 0 ? 'fresh' : pick(runKinds.slice(1)),
      changed: 0.05 + Math.round(random() * 20) / 100,
      faults,
    };
  });
}
