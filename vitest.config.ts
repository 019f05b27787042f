import { createRequire } from 'node:module';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

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

const resolve = {
  // graphql-yoga and Pothos load graphql's CommonJS build; our files must get the same instance, or
  // `instanceof GraphQLError` fails and yoga masks every expected error as INTERNAL_SERVER_ERROR.
  alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
};

/**
 * The `unit` project: files that need no Postgres, no Temporal and no browser — nothing of the global
 * setup (no `inject(…)`, reached or not; test/lint/test-projects.test.ts checks it). They may start the
 * fake ActiveCampaign in-process or a small child process that needs neither.
 */
export const unitFiles = [
  'test/api/auth-failure-key.test.ts',
  'test/api/batch-loader.test.ts',
  'test/api/data-free-logger.test.ts',
  'test/api/schema.test.ts',
  'test/chaos/chaos-schedule.test.ts',
  'test/cli/config-env.test.ts',
  'test/cli/temporal-cli.test.ts',
  'test/console/codegen.test.ts',
  'test/core/activecampaign/client-parsing.test.ts',
  'test/core/activecampaign/email.test.ts',
  'test/core/activecampaign/field-values.test.ts',
  'test/core/activecampaign/host.test.ts',
  'test/core/export-run/chunk-plan.test.ts',
  'test/core/export-run/send-chunk.test.ts',
  'test/core/firing-rules.test.ts',
  'test/deploy/stop-bounds.test.ts',
  'test/docs/**/*.test.ts',
  'test/fake-activecampaign/**/*.test.ts',
  'test/lint/**/*.test.ts',
  'test/observability/labels.test.ts',
];

/** The `browser` project: files that drive Chromium (test/support/browser.ts) against a running API. */
export const browserFiles = ['test/console/**/*.test.ts', 'test/bench/graphiql-bench.test.ts'];

/** The `integration` project: every other test file (Postgres, the Temporal dev server, workers, the fake). */
const integrationFiles = ['test/**/*.test.ts'];

/**
 * Integration and browser files each bring their own Postgres database, Temporal worker and fake
 * ActiveCampaign; on the 2-core machines the suite runs on, one file at a time is as fast as two and does
 * not starve the processes a test waits on. They run after the unit files, one file at a time between
 * them both, with the global setup: a migrated template database, a Temporal dev server, the workflow
 * bundle and the console's build (test/support/global-setup.ts), one for both projects.
 */
const withServices = {
  // Temporal workers crash inside worker threads.
  pool: 'forks',
  maxWorkers: 1,
  sequence: { groupOrder: 1 },
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 120_000,
  hookTimeout: 180_000,
} satisfies TestProjectInlineConfiguration['test'];

export const integrationProject = {
  resolve,
  test: {
    ...withServices,
    name: 'integration',
    include: integrationFiles,
    exclude: [...configDefaults.exclude, ...unitFiles, ...browserFiles],
  },
} satisfies TestProjectInlineConfiguration;

export default defineConfig({
  resolve,
  test: {
    sequence: { shuffle: { files: false, tests: shuffle }, seed },
    teardownTimeout: 60_000,
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: unitFiles,
          // Nothing shared between the files: both cores, worker threads (no process to start per file).
          pool: 'threads',
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      integrationProject,
      {
        resolve,
        test: {
          ...withServices,
          name: 'browser',
          include: browserFiles,
          exclude: [...configDefaults.exclude, ...unitFiles],
          globalSetup: [...withServices.globalSetup, 'test/support/chromium-setup.ts'],
        },
      },
    ],
  },
});
