import type { FinishedRun } from './exports.ts';
import { round } from './figures.ts';

export type AccountResult = {
  ratioToBound: number | null;
  requests429: number;
  seconds: number;
  exported: number;
};

/**
 * The first runs' figures, per account and together. Each account's bound is its own (the fake's
 * limits apply per account): `boundContactsPerSecond` (null when unthrottled). An account's ratio is
 * its exported contacts ÷ its seconds ÷ the bound; the slowest account's is `slowestAccountRatio`
 * and the top-level `ratioToBound` (with one account, that account's). Together: contacts exported
 * by all ÷ seconds from the runExport requests until the last run finished.
 */
export function accountResults(
  runs: FinishedRun[],
  requests429: number[],
  begunMs: number,
  boundContactsPerSecond: number | null,
) {
  const accounts: AccountResult[] = runs.map((run, i) => ({
    ratioToBound:
      boundContactsPerSecond === null
        ? null
        : round(run.exportedCount / run.seconds / boundContactsPerSecond, 3),
    requests429: requests429[i] ?? 0,
    seconds: round(run.seconds, 2),
    exported: run.exportedCount,
  }));
  const exported = runs.reduce((sum, run) => sum + run.exportedCount, 0);
  const seconds =
    runs.length === 1
      ? (runs[0]?.seconds ?? 0)
      : (Math.max(...runs.map((r) => r.finishedAtMs)) - begunMs) / 1000;
  const ratios = accounts.map((a) => a.ratioToBound).filter((r): r is number => r !== null);
  const slowestAccountRatio = ratios.length ? Math.min(...ratios) : null;
  const failed = runs.find((run) => run.status !== 'SUCCEEDED');
  return {
    status: failed?.status ?? 'SUCCEEDED',
    exported,
    seconds,
    contactsPerSecond: exported / seconds,
    ratioToBound: slowestAccountRatio,
    slowestAccountRatio,
    accounts,
    requests429: accounts.reduce((sum, a) => sum + a.requests429, 0),
  };
}
