import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/** `npm run histories:capture`: the normal test setup, running only the capture. */
export default defineConfig({
  ...base,
  root: new URL('../..', import.meta.url).pathname,
  test: { ...base.test, include: ['test/replay/capture-histories.capture.ts'], fileParallelism: false },
});
