import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Each file's tests run in a shuffled order, so a test that leans on what an earlier one left fails
 * early; a file whose order is its scenario says so with `describe(…, { shuffle: false }, …)`.
 * OUTBOUND_TEST_SHUFFLE=0 keeps the written order. The seed is fresh on every run and printed by vitest
 * ("Running tests with seed …"); repeat an order, and the seeded draws of the fake's faults and the
 * limiter simulation, with OUTBOUND_TEST_SEED=<seed>.
 */
const seed = Number(process.env.OUTBOUND_TEST_SEED) || Math.floor(Math.random() * 1_000_000) + 1;
// The test processes inherit it: seeded draws (the fake's faults, the limiter simulation) repeat with it.
process.env.OUTBOUND_TEST_SEED = String(seed);
const shuffle = process.env.OUTBOUND_TEST_SHUFFLE !== '0';

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
    // Each file brings its own Postgres database, Temporal worker and fake ActiveCampaign; on the 2-core
    // machines the suite runs on, one file at a time is as fast as two and does not starve the processes
    // a test waits on. Override with --maxWorkers=N.
    maxWorkers: 1,
    sequence: { shuffle: { files: false, tests: shuffle }, seed },
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
