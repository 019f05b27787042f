import { configDefaults, defineConfig } from 'vitest/config';
import base, { integrationProject } from '../../vitest.config.ts';

/** `npm run histories:capture`: the integration project's setup, running only the capture. */
export default defineConfig({
  resolve: integrationProject.resolve,
  root: new URL('../..', import.meta.url).pathname,
  test: {
    ...integrationProject.test,
    name: 'capture',
    include: ['test/replay/capture-histories.capture.ts'],
    exclude: configDefaults.exclude,
    sequence: base.test?.sequence,
    teardownTimeout: base.test?.teardownTimeout,
    fileParallelism: false,
  },
});
