import { lastJsonLineOf } from '../../scripts/lib/last-json-line.ts';

/** Runs `npm run bench` with `args` and resolves with the JSON figures of its last line. */
export function runBench(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  return lastJsonLineOf('bench', ['--import', 'tsx', 'scripts/bench.ts', ...args], env);
}
