import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The fake stands in for ActiveCampaign's own servers, which do not share our CPUs. Starved of CPU on
 * a saturated machine it stalls, then takes the requests that waited as arriving together (and may
 * answer 429 to requests that were sent apart); a higher priority keeps its clock closer to the wire.
 * Every thread's: Linux priorities are per thread, and the garbage collector's helper threads hold up
 * the pauses they work on (threads started later inherit the main thread's).
 */
export function raisePriority(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) setPriority(Number(thread), -10);
    return true;
  } catch {
    return false;
  }
}
