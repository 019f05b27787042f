import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc counts CPU time in these ticks. */
const ticksPerSecond = 100;

type Usage = Map<number, { name: string; seconds: number }>;

/** CPU seconds (user + system) each live process has used so far, by pid, with its name; Linux only. */
function cpuByProcess(): Usage | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  const usage: Usage = new Map();
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      usage.set(Number(pid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond });
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

/**
 * CPU seconds used between `start()` and `stop()` per component: processes picked by pid (the
 * worker, the API, the fake) or by name (all of Postgres's backends). Steadier than wall time on a
 * shared machine. With them the machine's idle seconds, and those its host took for other guests
 * (`stolenByHost`, on a VM). Empty where /proc is not readable.
 */
export function measureCpu(byPid: Record<string, number | undefined>, byName: Record<string, string>) {
  let before: Usage | undefined;
  let machineBefore: ReturnType<typeof machineCpu>;
  return {
    start() {
      before = cpuByProcess();
      machineBefore = machineCpu();
    },
    stop(): Record<string, number> {
      const after = cpuByProcess();
      const machineAfter = machineCpu();
      if (!before || !after || !machineBefore || !machineAfter) return {};
      const start = before;
      const used = (pid: number) => (after.get(pid)?.seconds ?? 0) - (start.get(pid)?.seconds ?? 0);
      const totals: Array<[string, number]> = [
        ...Object.entries(byPid).map(([component, pid]): [string, number] => [
          component,
          pid ? used(pid) : 0,
        ]),
        ...Object.entries(byName).map(([component, name]): [string, number] => [
          component,
          [...after].reduce((sum, [pid, p]) => (p.name === name ? sum + used(pid) : sum), 0),
        ]),
        ['idle', machineAfter.idle - machineBefore.idle],
        ['stolenByHost', machineAfter.stolen - machineBefore.stolen],
      ];
      return Object.fromEntries(
        totals.map(([component, seconds]) => [component, Math.round(seconds * 10) / 10]),
      );
    },
  };
}
