import { readFileSync } from 'node:fs';
import type { ProcessInfo } from './process-cpu.ts';

/** Postgres's shared background processes: the WAL and pages the bench writes are theirs to handle. */
const sharedBackground = /^(checkpointer|background writer|walwriter|autovacuum launcher)$/;

function processTitle(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
}

/**
 * What a Postgres process's title (`ps` shows it as its command line) says it is, for the process
 * titles Postgres sets: `postgres: [cluster: ]user database host(port) state` for a backend,
 * `postgres: [cluster: ]autovacuum worker database`, `… parallel worker for PID n`, `… walwriter` etc.
 * `undefined`: no title yet (a backend just forked still shows the postmaster's command line) or not one
 * of these.
 */
export function postgresProcessKind(
  title: string,
):
  | { kind: 'backend'; database: string }
  | { kind: 'parallel'; leader: number }
  | { kind: 'shared' }
  | { kind: 'other' }
  | undefined {
  if (!title.startsWith('postgres: ')) return undefined;
  let rest = title.slice('postgres: '.length);
  // The cluster's name (cluster_name, e.g. "15/main"), when it is set.
  const colon = /^([^ :]+): /.exec(rest);
  if (colon) rest = rest.slice(colon[0].length);
  const autovacuum = /^autovacuum worker (\S+)/.exec(rest);
  if (autovacuum?.[1]) return { kind: 'backend', database: autovacuum[1] };
  const parallel = /^parallel worker for PID (\d+)/.exec(rest);
  if (parallel) return { kind: 'parallel', leader: Number(parallel[1]) };
  if (sharedBackground.test(rest)) return { kind: 'shared' };
  const backend = /^\S+ (\S+) (?:\S+\(\d+\)|\[local\])(?: |$)/.exec(rest);
  if (backend?.[1]) return { kind: 'backend', database: backend[1] };
  return { kind: 'other' };
}

/**
 * The Postgres processes that work for `database`: its backends (client connections, autovacuum
 * workers, parallel workers of its backends) and the shared background processes (walwriter,
 * checkpointer, background writer, autovacuum launcher). Not other databases' backends, nor the
 * postmaster. A process's answer is kept once its title names what it is.
 */
export function postgresOf(database: string): (p: ProcessInfo) => boolean {
  const known = new Map<number, boolean>();
  const decide = (pid: number): boolean | undefined => {
    const cached = known.get(pid);
    if (cached !== undefined) return cached;
    const title = processTitle(pid);
    const kind = title === undefined ? undefined : postgresProcessKind(title);
    if (!kind) return undefined;
    let ours: boolean;
    if (kind.kind === 'parallel') {
      const leader = decide(kind.leader);
      if (leader === undefined) return undefined;
      ours = leader;
    } else ours = kind.kind === 'shared' || (kind.kind === 'backend' && kind.database === database);
    known.set(pid, ours);
    return ours;
  };
  return (p) => p.name === 'postgres' && decide(p.pid) === true;
}
