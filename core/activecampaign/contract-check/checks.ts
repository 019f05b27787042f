/** The result of one checked behaviour: passed, or failed with what was seen instead (no personal data). */
export type CheckResult = { name: string; ok: boolean; detail?: string };

/** Thrown inside a check to fail it with what was seen. */
export class CheckFailed extends Error {}

export function expectThat(condition: boolean, seen: string): asserts condition {
  if (!condition) throw new CheckFailed(seen);
}

/** What a value looks like, for a failure line: its type and, for objects, its keys. */
export function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return `an object with ${Object.keys(value).sort().join(', ') || 'no fields'}`;
}

/** Runs checks in order, each printed as it ends; a check whose prerequisite failed fails as not checked. */
export function createCheckRunner(print: (line: string) => void) {
  const results: CheckResult[] = [];
  const failedNames = new Set<string>();
  return {
    results,
    async check<T>(name: string, run: () => Promise<T>, needs: string[] = []): Promise<T | undefined> {
      const missing = needs.find((n) => failedNames.has(n));
      let result: CheckResult;
      let value: T | undefined;
      if (missing) result = { name, ok: false, detail: `not checked: "${missing}" failed` };
      else {
        try {
          value = await run();
          result = { name, ok: true };
        } catch (error) {
          const detail = error instanceof Error ? error.message : String(error);
          result = { name, ok: false, detail };
        }
      }
      if (!result.ok) failedNames.add(name);
      results.push(result);
      print(result.ok ? `PASS  ${name}` : `FAIL  ${name}: ${result.detail}`);
      return value;
    },
  };
}
