/** One line per check (`ok` or `FAIL` with the reason), then `N passed, M failed`. */
export function createChecklist(write: (line: string) => void = console.log) {
  let passed = 0;
  let failed = 0;
  return {
    pass(name: string, detail?: string) {
      passed++;
      write(`ok    ${name}${detail ? ` (${detail})` : ''}`);
    },
    fail(name: string, reason: string) {
      failed++;
      write(`FAIL  ${name}: ${reason}`);
    },
    /** Runs `body`; a throw is this check's failure. Resolves to body's value, or undefined when it failed. */
    async run<T>(
      name: string,
      body: () => Promise<T | { value: T; detail: string }>,
    ): Promise<T | undefined> {
      try {
        const result = await body();
        if (result && typeof result === 'object' && 'detail' in result && 'value' in result) {
          this.pass(name, result.detail);
          return result.value;
        }
        this.pass(name);
        return result as T;
      } catch (error) {
        this.fail(name, error instanceof Error ? error.message : String(error));
        return undefined;
      }
    },
    summary() {
      write(`${passed} passed, ${failed} failed`);
      return { passed, failed };
    },
  };
}

export type Checklist = ReturnType<typeof createChecklist>;
