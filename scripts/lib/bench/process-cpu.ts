import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc counts CPU time in these ticks. */
const ticksPerSecond = 100;

export type ProcessInfo = { pid: number; name: string; ppid: number };
type Usage = Map<number, ProcessInfo & { seconds: number }>;

/** CPU seconds (user + system) each live process has used so far, by pid, with its name; Linux only. */
function cpuByProcess(): Usage | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  const usage: Usage = new Map();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      usage.set(pid, {
        pid,
        name,
        ppid: Number(fields[1]),
        seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
      });
    } catch {} // exited meanwhile
  }
  return usage;
}

/** The machine's idle and stolen CPU seconds so far, all CPUs together (the `cpu` line of /proc/stat). */
function machineCpu(): { idle: number; stolen: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
    return { idle: Number(fields[4]) / ticksPerSecond, stolen: Number(fields[8]) / ticksPerSecond };
  } catch {
    return undefined;
  }
}

/** Which processes make up a component: pids (the worker processes, the API…) or a test on each process. */
export type ProcessSelector = number | undefined | Array<number | undefined> | ((p: ProcessInfo) => boolean);

function selects(selector: ProcessSelector, p: ProcessInfo): boolean {
  if (typeof selector === 'function') return selector(p);
  if (Array.isArray(selector)) return selector.includes(p.pid);
  return selector === p.pid;
}

/**
 * CPU seconds used between `start()` and `stop()` per component, each a set of processes (see
 * ProcessSelector); unrounded. Steadier than wall time on a shared machine. With them the machine's
 * idle seconds, and those its host took for other guests (`stolenByHost`, on a VM). Processes are
 * sampled every `sampleMs` meanwhile, so one that starts and ends between start and stop (a Postgres
 * backend, an autovacuum worker) counts up to its last sample. Empty where /proc is not readable.
 */
export function measureCpu(components: Record<string, ProcessSelector>, sampleMs = 1_000) {
  let before: Usage | undefined;
  let machineBefore: ReturnType<typeof machineCpu>;
  /** Per component: each selected process's CPU seconds at its last sample. */
  const last = new Map<string, Map<number, number>>();
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    const now = cpuByProcess();
    if (!now) return;
    for (const [component, selector] of Object.entries(components)) {
      const seen = last.get(component) ?? new Map<number, number>();
      last.set(component, seen);
      for (const p of now.values()) if (seen.has(p.pid) || selects(selector, p)) seen.set(p.pid, p.seconds);
    }
  };
  return {
    start() {
      before = cpuByProcess();
      machineBefore = machineCpu();
      last.clear();
      timer = setInterval(sample, sampleMs);
      timer.unref();
    },
    stop(): Record<string, number> {
      clearInterval(timer);
      sample();
      const machineAfter = machineCpu();
      if (!before || !machineBefore || !machineAfter) return {};
      const start = before;
      const totals: Record<string, number> = {};
      for (const component of Object.keys(components)) {
        let sum = 0;
        // A process that was there at start counts from then, one started later from its beginning.
        for (const [pid, seconds] of last.get(component) ?? [])
          sum += seconds - (start.get(pid)?.seconds ?? 0);
        totals[component] = sum;
      }
      totals.idle = machineAfter.idle - machineBefore.idle;
      totals.stolenByHost = machineAfter.stolen - machineBefore.stolen;
      return totals;
    },
  };
}
