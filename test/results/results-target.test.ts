import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeRunResults } from '../../core/results/write-run-results.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { tokenFor } from '../api/helpers.ts';
import { insertProfiles, makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';

let fake: FakeActiveCampaign;
let outbound: Outbound;
let team: TeamDatabase;
let teamHost: string;
let keys = 0;

beforeAll(async () => {
  team = await createTeamDatabase();
  const url = new URL(team.url);
  teamHost = `${url.hostname}:${url.port || '5432'}`;
  fake = await startFakeActiveCampaign({ scale: 20 });
  outbound = await startOutbound({
    insecureHosts: [fake.host, teamHost],
    rateScale: 20,
    unsubscribeGuardPercent: 100,
  });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
  await team?.drop();
});

const targetFields = 'id name schema databaseUrlMasked lastWrittenAt';

async function createTarget(schema: string, databaseUrl = team.url) {
  const { createResultsTarget } = await outbound.gql(
    `mutation($input: CreateResultsTargetInput!) { createResultsTarget(input: $input) { ${targetFields} } }`,
    { input: { name: `Warehouse ${schema}`, databaseUrl, schema } },
  );
  return createResultsTarget as { id: string; databaseUrlMasked: string; lastWrittenAt: string | null };
}

/** An export of `count` profiles (every 6th with an invalid email) whose `Member` is `prefix`, writing to `targetId`. */
async function exportOf(prefix: string, count: number, targetId: string) {
  const apiKey = `results-key-${++keys}`;
  const account = fake.addAccount({ apiKeys: [apiKey], lists: [7] });
  const profiles = makeProfiles(count, { prefix, invalidEvery: 6 }).map((p) => ({
    ...p,
    attributes: { ...p.attributes, Member: prefix },
  }));
  await insertProfiles(outbound.sql, profiles);
  const ids = await setUpExport(outbound, fake, {
    apiKey,
    name: `Results ${prefix}`,
    rule: { all: [{ attribute: 'Member', op: 'EQ', value: prefix }] },
    onLeave: 'UNSUBSCRIBE',
  });
  const { updateExport } = await outbound.gql(
    `mutation($id: ID!, $input: UpdateExportInput!) { updateExport(id: $id, input: $input) { resultsTargetId } }`,
    { id: ids.exportId, input: { resultsTargetId: targetId } },
  );
  expect(updateExport.resultsTargetId).toBe(targetId);
  /** Runs the export and waits for its workflow, which ends after the results are written. */
  const run = async () => {
    const runId = await runExport(outbound, ids.exportId);
    const finished = await waitForRun(outbound, runId, { timeoutMs: 120_000 });
    await outbound.deps.temporal.workflow
      .getHandle(`export-${ids.exportId}`)
      .result()
      .catch(() => {});
    return finished;
  };
  const refresh = () =>
    outbound.gql(`mutation($id: ID!) { refreshSegment(id: $id) { memberCount } }`, { id: ids.segmentId });
  return { ...ids, account, profiles, run, refresh };
}

const customerOf = (profiles: { customerId: string; attributes: Record<string, unknown> }[]) =>
  new Map(profiles.map((p) => [String(p.attributes.Email), p.customerId]));

describe('results targets', () => {
  test('createResultsTarget masks and seals the URL, refuses a private host and a bad schema; admins only', async () => {
    const withPassword = team.url.replace('postgres@', 'postgres:t4rget-pass@');
    const target = await createTarget('outbound_masked', withPassword);
    expect(target.databaseUrlMasked).toContain('postgres:****@');
    expect(target.databaseUrlMasked).not.toContain('t4rget-pass');
    expect(target.lastWrittenAt).toBeNull();
    const [sealed] = await outbound.sql<{ c: string }[]>`
      select database_url_ciphertext as c from results_targets where id = ${target.id}`;
    expect(sealed?.c).not.toContain('t4rget-pass');
    const create = (input: Record<string, unknown>) =>
      outbound.graphql(
        `mutation($input: CreateResultsTargetInput!) { createResultsTarget(input: $input) { id } }`,
        {
          input: { name: 'x', databaseUrl: team.url, schema: 'ok_schema', ...input },
        },
      );
    const privateHost = await create({ databaseUrl: 'postgres://u:p@10.9.8.7:5432/db' });
    expect(privateHost.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'databaseUrl',
    });
    expect(privateHost.errors?.[0]?.message).toContain('OUTBOUND_INSECURE_HOSTS');
    const badSchema = await create({ schema: 'Robert"; drop table x' });
    expect(badSchema.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'schema' });
    const viewer = await tokenFor(outbound, 'VIEWER');
    const refused = await outbound.graphql(
      '{ resultsTargets(first: 5) { edges { node { id } } } }',
      {},
      viewer,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { resultsTargets } = await outbound.gql(
      '{ resultsTargets(first: 5) { totalCount edges { node { id } } } }',
    );
    expect(resultsTargets.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(target.id);
  });

  test('a run leaves one outbound_runs row, a row per contact it handled and the list mirrored; a retried write adds nothing', async () => {
    const target = await createTarget('outbound_results');
    const exp = await exportOf('w', 12, target.id);
    const first = await exp.run();
    expect(first).toMatchObject({ status: 'SUCCEEDED', exportedCount: 10, rejectedCount: 2 });
    const [firstWrite] =
      await outbound.sql`select results_write_error as e from export_runs where id = ${first.id}`;
    expect({ error: firstWrite?.e }).toEqual({ error: null });

    const runs = await team.sql`select * from outbound_results.outbound_runs`;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      run_id: first.id,
      export_id: exp.exportId,
      export_name: 'Results w',
      list_id: '7',
      trigger: 'ON_DEMAND',
      status: 'SUCCEEDED',
      exported_count: 10,
      skipped_count: 0,
      failed_count: 0,
      unsubscribed_count: 0,
    });
    const contacts = await team.sql<{ customer_id: string; outcome: string; reason: string | null }[]>`
      select customer_id, outcome, reason from outbound_results.outbound_run_contacts order by customer_id`;
    expect(contacts).toHaveLength(12);
    expect(contacts.filter((c) => c.outcome === 'SENT')).toHaveLength(10);
    expect(contacts.filter((c) => c.outcome === 'SKIPPED').map((c) => c.customer_id)).toEqual([
      'w0000006',
      'w0000012',
    ]);
    expect(contacts.find((c) => c.outcome === 'SKIPPED')?.reason).toBeTruthy();

    const emailToCustomer = customerOf(exp.profiles);
    const onList = () =>
      exp.account
        .listMembers(7)
        .filter((m) => m.status === 'subscribed')
        .map((m) => emailToCustomer.get(m.email))
        .sort();
    const mirrored = async () =>
      (
        await team.sql<{ customer_id: string }[]>`
          select customer_id from outbound_results.outbound_list_members
          where export_id = ${exp.exportId} and member_until is null order by customer_id`
      ).map((r) => r.customer_id);
    expect(onList()).toHaveLength(10);
    expect(await mirrored()).toEqual(onList());

    // The activity retried (or run again by hand) finds every row there and writes none.
    const deps = {
      sql: outbound.sql,
      secrets: outbound.deps.secrets,
      hostPolicy: { insecureHosts: new Set([teamHost]) },
      batchRows: 3,
    };
    expect(await writeRunResults(deps, first.id)).toEqual({ written: true });
    const [totals] = await team.sql<{ runs: number; contacts: number; members: number }[]>`
      select (select count(*)::int from outbound_results.outbound_runs) as runs,
        (select count(*)::int from outbound_results.outbound_run_contacts) as contacts,
        (select count(*)::int from outbound_results.outbound_list_members) as members`;
    expect(totals).toEqual({ runs: 1, contacts: 12, members: 10 });

    // Two leave the segment: the next run unsubscribes them, and the mirror closes their membership.
    await outbound.sql`update profiles set attributes = attributes || '{"Member": "gone"}'
      where customer_id in ('w0000001', 'w0000002')`;
    await exp.refresh();
    const second = await exp.run();
    expect(second.status).toBe('SUCCEEDED');
    const secondContacts = await team.sql<{ customer_id: string; outcome: string }[]>`
      select customer_id, outcome from outbound_results.outbound_run_contacts where run_id = ${second.id}
      order by customer_id`;
    expect(secondContacts).toEqual([
      { customer_id: 'w0000001', outcome: 'UNSUBSCRIBED' },
      { customer_id: 'w0000002', outcome: 'UNSUBSCRIBED' },
      { customer_id: 'w0000006', outcome: 'SKIPPED' },
      { customer_id: 'w0000012', outcome: 'SKIPPED' },
    ]);
    expect(onList()).toHaveLength(8);
    expect(await mirrored()).toEqual(onList());
    const closed = await team.sql<{ customer_id: string }[]>`
      select customer_id from outbound_results.outbound_list_members where member_until is not null order by 1`;
    expect(closed.map((c) => c.customer_id)).toEqual(['w0000001', 'w0000002']);
    expect(await team.sql`select 1 from outbound_results.outbound_runs`).toHaveLength(2);

    const text = JSON.stringify(
      await team.sql`
      select (select json_agg(r) from outbound_results.outbound_run_contacts r) as c,
        (select json_agg(m) from outbound_results.outbound_list_members m) as m`,
    );
    expect(text).not.toMatch(/@example/);
    expect(text).not.toMatch(/First\d/);
    const { resultsTargets } = await outbound.gql(
      `{ resultsTargets(first: 10) { edges { node { id lastWrittenAt } } } }`,
    );
    const written = resultsTargets.edges.find((e: { node: { id: string } }) => e.node.id === target.id);
    expect(written.node.lastWrittenAt).not.toBeNull();

    // Open memberships of other lists (before and after list 7) are closed, paging 3 at a time.
    await team.sql`insert into outbound_results.outbound_list_members (export_id, list_id, customer_id, member_since)
      select ${exp.exportId}, l, 'w000000' || c, now() from unnest(array['6', '9']) l, generate_series(1, 4) c`;
    expect(await writeRunResults(deps, second.id)).toEqual({ written: true });
    expect(await mirrored()).toEqual(onList());
    const stillOpen = await team.sql`
      select 1 from outbound_results.outbound_list_members where list_id <> '7' and member_until is null`;
    expect(stillOpen).toHaveLength(0);
  });

  test('a target that refuses the login fails nothing else: the run succeeds and says resultsWriteError', async () => {
    const target = await createTarget('outbound_refused');
    const wrong = team.url.replace(/\/([^/]+)$/, '/no_such_database_here');
    await outbound.sql`update results_targets set database_url_ciphertext = ${await outbound.deps.secrets.encrypt(wrong)}
      where id = ${target.id}`;
    const exp = await exportOf('x', 3, target.id);
    const run = await exp.run();
    expect(run.status).toBe('SUCCEEDED');
    const { exportRun } = await outbound.gql(
      `query($id: ID!) { exportRun(id: $id) { status resultsWriteError } }`,
      {
        id: run.id,
      },
    );
    expect(exportRun.status).toBe('SUCCEEDED');
    expect(exportRun.resultsWriteError).toContain('3D000');
    expect(exportRun.resultsWriteError).not.toContain('no_such_database_here');
    expect(exp.account.listMembers(7).filter((m) => m.status === 'subscribed')).toHaveLength(3);
  });
});
