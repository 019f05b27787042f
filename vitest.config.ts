import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql-yoga and Pothos load graphql's CommonJS build; our files must get the same instance, or
    // `instanceof GraphQLError` fails and yoga masks every expected error as INTERNAL_SERVER_ERROR.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Temporal workers crash inside worker threads.
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
