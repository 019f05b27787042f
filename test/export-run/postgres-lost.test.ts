import { beforeAll, expect, test } from 'vitest';
import { maxContactsPerImport } from '../../core/export-run/chunk-plan.ts';
import {
  insertProfiles,
  makeProfiles,
  newAccount,
  runExport,
  setUpExport,
  withFakeAndOutbound,
} from '../support/fixtures.ts';
import { holdAtFirstImport, waitForRun } from '../support/runs.ts';

const scale = 20;
const profiles = makeProfiles(3_000, { prefix: 'pl' });
const stack = withFakeAndOutbound(scale);
let apiKey: string;

beforeAll(async () => {
  ({ apiKey } = newAccount(stack.fake));
  await insertProfiles(stack.outbound.sql, profiles);
});

async function retrying<T>(read: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts || !/CONNECTION_CLOSED|ECONNRESET|terminat/i.test(String(error))) throw error;
    }
  }
}

test('Postgres connections lost mid-push: the run still ends with the exact list', async () => {
  const { exportId } = await setUpExport(stack.outbound, stack.fake, {
    apiKey,
    customerIds: profiles.map((p) => p.customerId),
  });
  const account = stack.fake.account(apiKey);
  account.holdRequests();
  let runId: string;
  try {
    runId = await runExport(stack.outbound, exportId);
    // The push is under way (its first request waits at the account) when every connection of the
    // worker and the API to this database is cut, as a Postgres restart or failover would.
    await holdAtFirstImport(account);
    // pg_terminate_backend in the select list: in the where clause Postgres may evaluate it (the cheaper
    // condition) before `pid <> pg_backend_pid()`, and the statement ends its own connection.
    const killed = await stack.outbound.sql<{ application: string; terminated: boolean }[]>`
      select application_name as application, pg_terminate_backend(pid) as terminated from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`;
    const cut = new Set(killed.filter((k) => k.terminated).map((k) => k.application));
    expect(cut).toContain('outbound-worker');
    expect(cut).toContain('outbound-rate-limiter');
  } finally {
    account.releaseRequests();
  }
  // A request that meets a connection cut a moment ago may fail (postgres.js reconnects on the next):
  // the test's own reads of the run try again, the run itself must come through on its own.
  const run = await retrying(() => waitForRun(stack.outbound, runId, { timeoutMs: 180_000 }));
  expect(run).toMatchObject({
    status: 'SUCCEEDED',
    totalProfiles: 3_000,
    exportedCount: 3_000,
    failedCount: 0,
  });
  expect(account.listMembers(7).map((m) => m.email)).toEqual(
    profiles.map((p) => String(p.attributes.Email)).sort(),
  );
  // At most the import in flight at the cut is sent again.
  expect(account.contactsReceived() - 3_000).toBeLessThanOrEqual(maxContactsPerImport);
});
