import { pacing } from '../activecampaign/pacing.ts';
import { sleep } from '../activecampaign/rate-limiter.ts';
import { pollDueImports } from './import-poller.ts';
import type { PreparedRun } from './open-run.ts';
import { pendingBatchStats, recordPhase } from './run-store.ts';

/**
 * Polls unfinished imports for up to a minute; returns how many are still pending. `onProgress`
 * hears the polls made so far and the imports pending, at each round.
 */
export async function awaitImports(
  { poller, client }: PreparedRun,
  onProgress: (progress: { polled: number; pending: number }) => void = () => {},
): Promise<{ pending: number }> {
  const { sql } = poller;
  const { runId } = poller.run;
  await recordPhase(sql, runId, 'AWAITING_IMPORTS');
  const polls = pacing(client, 'general');
  const pollsPerLookup = 10;
  const until = Date.now() + 60_000;
  let polled = 0;
  while (Date.now() < until) {
    const due = await pollDueImports(poller, pollsPerLookup, polls);
    polled += due;
    if (due) continue;
    const { pending, nextPollInMs } = await pendingBatchStats(sql, runId);
    onProgress({ polled, pending });
    if (!pending) return { pending };
    await sleep(Math.min(Math.max(nextPollInMs, 10), 1_000), client.signal);
  }
  return { pending: (await pendingBatchStats(sql, runId)).pending };
}
