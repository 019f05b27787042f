import type { Server } from 'node:http';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, onTestFinished, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import { sourceChangeWorkflowId } from '../../temporal.config.ts';
import {
  type BrowserSession,
  openBrowser,
  screenshot,
  seriousAxeViolations,
  signInToConsole,
} from '../support/browser.ts';
import { connectionMutation, makeProfiles } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';

let fake: FakeActiveCampaign;
let outbound: Outbound;
let team: TeamDatabase;
let server: Server;
let base: string;
let browser: BrowserSession;
const ids = {} as Record<'connection' | 'segment' | 'weekly' | 'daily', string>;
const sourceIds: string[] = [];

const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

async function addExport(name: string) {
  const { createExport } = await outbound.gql(
    'mutation($input: CreateExportInput!) { createExport(input: $input) { id } }',
    {
      input: {
        name,
        connectionId: ids.connection,
        listId: '7',
        segmentIds: [ids.segment],
        mapping: { email: 'Email' },
      },
    },
  );
  return createExport.id as string;
}

/** A finished run written straight into the database: the console reads runs, it does not start these. */
async function addRun(
  exportId: string,
  run: { trigger: string; status: string; minutesAgo: number; resultsWriteError?: string },
) {
  const [row] = await outbound.sql`
    insert into export_runs (export_id, trigger, status, phase, workflow_id, total_profiles, exported_count,
      created_at, started_at, finished_at, results_write_error)
    values (${exportId}, ${run.trigger}, ${run.status}, 'HANDLING_LEAVERS', ${`export-${exportId}`}, 5, 5,
      now() - make_interval(mins => ${run.minutesAgo}), now() - make_interval(mins => ${run.minutesAgo}),
      now() - make_interval(mins => ${run.minutesAgo - 1}), ${run.resultsWriteError ?? null})
    returning id`;
  return (row as { id: string }).id;
}

beforeAll(async () => {
  team = await createTeamDatabase();
  const teamUrl = new URL(team.url);
  await team.sql`create table customers (customer_id text primary key, email text, updated_at timestamptz not null default now())`;
  await team.sql`insert into customers (customer_id, email) values ('t1', 't1@example.com'), ('t2', 't2@example.com')`;
  fake = await startFakeActiveCampaign({ scale: 60 });
  fake.addAccount({ apiKeys: ['data-team-key'], lists: [{ id: 7, name: 'Newsletter' }] });
  outbound = await startOutbound({
    insecureHosts: [fake.host, `${teamUrl.hostname}:${teamUrl.port || '5432'}`],
    rateScale: 60,
    worker: false,
  });
  server = await serveApi(outbound.api, 0, '127.0.0.1');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await outbound.gql('mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }', {
    p: makeProfiles(5, { prefix: 'dt' }),
  });
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: {
      displayName: 'Main account',
      apiHost: fake.host,
      apiKey: 'data-team-key',
      acceptDataPrivacy: true,
    },
  });
  ids.connection = createConnection.id;
  const { createSegment } = await outbound.gql(
    'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }',
    { input: { name: 'Everyone', rule: { attribute: 'Email', op: 'EXISTS' } } },
  );
  ids.segment = createSegment.id;
  ids.weekly = await addExport('Weekly');
  ids.daily = await addExport('Daily');
  browser = await openBrowser(inject('chromiumPath'));
  browser.page.on('dialog', (dialog) => dialog.accept());
  await browser.page.goto(base);
  await signInToConsole(browser.page, outbound.adminToken);
});

/**
 * Opens a console page loaded anew (the tab's session keeps the sign-in): a page another test left open
 * at the same route would otherwise show that test's cached list.
 */
async function openFresh(route: string) {
  await browser.page.goto('about:blank');
  await browser.page.goto(`${base}/#/${route}`);
}

afterAll(async () => {
  for (const id of sourceIds) {
    await outbound?.deps.temporal.workflow
      .getHandle(sourceChangeWorkflowId(id))
      .terminate('test over')
      .catch(() => {});
  }
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await outbound?.close();
  await fake?.close();
  await team?.drop();
});

const focusedId = () => browser.page.evaluate(() => document.activeElement?.id);

/** Tab (forwards) until `target` has the focus: proves it is reachable by keyboard alone. */
async function tabTo(target: Locator) {
  for (let i = 0; i < 120; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await browser.page.keyboard.press('Tab');
  }
  throw new Error(`Not reachable with Tab: ${target}`);
}

/** axe finds nothing serious, and nothing is wider than the window, at desktop and phone sizes; screenshots of both. */
async function checkBothSizes(name: string) {
  const { page } = browser;
  for (const [size, viewport] of [
    ['desktop', desktop],
    ['phone', phone],
  ] as const) {
    await page.setViewportSize(viewport);
    expect(await seriousAxeViolations(page), `axe on ${name} (${size})`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );
    await screenshot(page, `${name}-${size}`);
  }
  await page.setViewportSize(desktop);
}

describe('sources and results targets', { shuffle: false }, () => {
  test('a source is added with a change query, shown with it, then edited to drop it', async () => {
    const { page, problems } = browser;
    await openFresh('sources');
    await page.getByText('No sources').waitFor();
    await page.getByRole('button', { name: 'New source' }).click();
    const form = page.getByRole('form', { name: 'New source' });
    await expect.poll(focusedId).toBe('source-name');
    await page.keyboard.type('CRM');
    await form.getByLabel('Database URL').fill(team.url);
    await form.getByLabel('Table', { exact: true }).fill('customers');
    await form.getByLabel('Change query').fill('select max(updated_at) from missing_table');
    await form.getByLabel('Check every (seconds)').fill('30');
    await form.getByRole('button', { name: 'Save source' }).click();
    // The API runs the change query once: a wrong one is answered beside its field, which gets the focus.
    await page.locator('#source-change-query-error').waitFor({ timeout: 60_000 });
    expect(await page.locator('#source-change-query-error').innerText()).toContain('missing_table');
    await expect.poll(focusedId).toBe('source-change-query');
    await form.getByLabel('Change query').fill('select max(updated_at) from customers');
    await checkBothSizes('source-form');
    await form.getByRole('button', { name: 'Save source' }).click();
    await page.getByText('Source “CRM” added.').waitFor();
    const card = page.getByRole('listitem', { name: 'CRM' });
    expect(await card.getByTestId('source-change').innerText()).toBe(
      'when select max(updated_at) from customers changes, checked every 30 s',
    );
    expect(await card.innerText()).not.toContain(new URL(team.url).password || 'no-password');
    const { sources } = await outbound.gql('{ sources { id name table changeQuery changeCheckSeconds } }');
    expect(sources).toEqual([
      {
        id: expect.any(String),
        name: 'CRM',
        table: 'customers',
        changeQuery: 'select max(updated_at) from customers',
        changeCheckSeconds: 30,
      },
    ]);
    sourceIds.push(sources[0].id);

    await card.getByRole('button', { name: 'Edit CRM' }).click();
    const edit = page.getByRole('form', { name: 'Edit source “CRM”' });
    await edit.getByLabel('Change query').fill('');
    await edit.getByLabel('Check every (seconds)').fill('120');
    await edit.getByRole('button', { name: 'Save source' }).click();
    await page.getByText('Source “CRM” saved.').waitFor();
    await expect.poll(focusedId).toBe(`edit-${sources[0].id}`);
    await expect.poll(() => card.getByTestId('source-change').innerText()).toBe('no');
    const after = await outbound.gql('{ sources { changeQuery changeCheckSeconds table } }');
    expect(after.sources).toEqual([{ changeQuery: null, changeCheckSeconds: 120, table: 'customers' }]);
    expect(problems.filter((p) => !p.includes('status of'))).toEqual([]);
  });

  test('a results target is added (a bad schema is answered at its field), listed masked, renamed and removed', async () => {
    const { page, problems } = browser;
    await page.getByRole('button', { name: 'New results target' }).click();
    const form = page.getByRole('form', { name: 'New results target' });
    await form.getByLabel('Name', { exact: true }).fill('Warehouse');
    await form.getByLabel('Database URL').fill(team.url);
    await form.getByLabel('Schema').fill('Bad-Schema');
    await form.getByRole('button', { name: 'Save results target' }).click();
    await page.locator('#target-schema-error').waitFor({ timeout: 60_000 });
    expect(await page.locator('#target-schema-error').innerText()).toContain('lowercase identifier');
    await expect.poll(focusedId).toBe('target-schema');
    await form.getByLabel('Schema').fill('outbound_results');
    await form.getByRole('button', { name: 'Save results target' }).click();
    await page.getByText('Results target “Warehouse” added.').waitFor();
    const table = page.getByRole('region', { name: 'Results targets', exact: true }).last();
    await table.getByRole('cell', { name: 'Warehouse', exact: true }).waitFor();
    const text = await table.innerText();
    expect(text).toContain('outbound_results');
    expect(text).toContain('never');
    await checkBothSizes('results-targets');

    await page.getByRole('button', { name: 'New results target' }).click();
    await form.getByLabel('Name', { exact: true }).fill('Scratch');
    await form.getByLabel('Database URL').fill(team.url);
    await form.getByLabel('Schema').fill('scratch');
    await form.getByRole('button', { name: 'Save results target' }).click();
    await page.getByText('Results target “Scratch” added.').waitFor();
    await page.getByRole('button', { name: 'Remove Scratch' }).click();
    await page.getByText('Results target “Scratch” removed.').waitFor();
    await page.getByRole('button', { name: 'Edit Warehouse' }).click();
    const edit = page.getByRole('form', { name: 'Edit results target “Warehouse”' });
    await edit.getByLabel('Name', { exact: true }).fill('Data warehouse');
    await edit.getByRole('button', { name: 'Save results target' }).click();
    await page.getByText('Results target “Data warehouse” saved.').waitFor();
    const { resultsTargets } = await outbound.gql(
      '{ resultsTargets { nodes { name schema databaseUrlMasked } } }',
    );
    expect(resultsTargets.nodes).toEqual([
      { name: 'Data warehouse', schema: 'outbound_results', databaseUrlMasked: expect.any(String) },
    ]);
    expect(problems.filter((p) => !p.includes('status of'))).toEqual([]);
  });

  test('an export is pointed at the results target from its form', async () => {
    const { page, problems } = browser;
    await openFresh('exports');
    await page.getByRole('listitem', { name: 'Weekly' }).getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit export “Weekly”' });
    const picker = form.getByLabel('Results target');
    await picker.locator('option', { hasText: 'Data warehouse' }).waitFor({ state: 'attached' });
    await picker.selectOption({ label: 'Data warehouse (schema outbound_results)' });
    await form.getByRole('button', { name: 'Save' }).click();
    // Saving checks the list with ActiveCampaign again: slow on a loaded machine.
    await page.getByText('Export “Weekly” saved.').waitFor({ timeout: 90_000 });
    const { export: saved } = await outbound.gql('query($id: ID!) { export(id: $id) { resultsTargetId } }', {
      id: ids.weekly,
    });
    const { resultsTargets } = await outbound.gql('{ resultsTargets { nodes { id } } }');
    expect(saved.resultsTargetId).toBe(resultsTargets.nodes[0].id);
    expect(problems).toEqual([]);
  });
});

describe('keyboard only', () => {
  test('a results target is added and removed with the keyboard alone', async () => {
    const { page, problems } = browser;
    await openFresh('sources');
    await page.getByRole('heading', { name: 'Results targets' }).waitFor();
    await tabTo(page.getByRole('button', { name: 'New results target' }));
    await page.keyboard.press('Enter');
    await expect.poll(focusedId).toBe('target-name');
    await page.keyboard.type('Keyboard target');
    await page.keyboard.press('Tab');
    await page.keyboard.type(team.url);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('keyboard_results');
    await page.keyboard.press('Enter');
    await page.getByText('Results target “Keyboard target” added.').waitFor({ timeout: 60_000 });
    await tabTo(page.getByRole('button', { name: 'Remove Keyboard target' }));
    await page.keyboard.press('Enter');
    await page.getByText('Results target “Keyboard target” removed.').waitFor();
    const { resultsTargets } = await outbound.gql('{ resultsTargets { nodes { name } } }');
    expect(resultsTargets.nodes.map((t: { name: string }) => t.name)).not.toContain('Keyboard target');
    expect(problems).toEqual([]);
  });
});

describe('runs across exports', () => {
  test('#/runs lists every export’s runs newest first, pages them, filters by status, and a run says its trigger and why its results were not written', async () => {
    const { page, problems } = browser;
    // 22 scheduled runs of Daily, then a SOURCE_CHANGED run of Weekly whose results could not be written.
    for (let i = 0; i < 22; i++)
      await addRun(ids.daily, { trigger: 'SCHEDULED', status: 'SUCCEEDED', minutesAgo: 100 - i });
    await addRun(ids.daily, { trigger: 'ON_DEMAND', status: 'FAILED', minutesAgo: 60 });
    const changed = await addRun(ids.weekly, {
      trigger: 'SOURCE_CHANGED',
      status: 'SUCCEEDED',
      minutesAgo: 10,
      resultsWriteError: 'permission denied for schema outbound_results',
    });
    await openFresh('runs');
    const table = page.getByRole('region', { name: 'Runs', exact: true });
    await table.waitFor();
    const firstRow = table.locator('tbody tr').first();
    expect(await firstRow.innerText()).toContain('Weekly');
    expect(await firstRow.innerText()).toContain('source data changed');
    expect(await firstRow.innerText()).toContain('Succeeded (results not written)');
    expect(await table.locator('tbody tr').count()).toBe(20);
    await page.getByText('Page 1 · 24 in all').waitFor();
    await checkBothSizes('runs-all');
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2 · 24 in all').waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    expect(await table.innerText()).not.toContain('Weekly');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1 · 24 in all').waitFor();

    await page.getByLabel('Status').selectOption({ label: 'Failed' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.innerText()).toContain('on demand');
    await page.getByLabel('Status').selectOption({ label: 'Any status' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(20);

    await firstRow.getByRole('link').click();
    const run = page.getByRole('region', { name: 'Run', exact: true });
    await run.getByRole('heading', { name: 'Run of “Weekly”: Succeeded' }).waitFor();
    expect(await run.getByTestId('run-trigger').innerText()).toBe('Started source data changed');
    expect(await run.getByTestId('results-write-error').innerText()).toContain(
      'permission denied for schema outbound_results',
    );
    expect(page.url()).toContain(`run=${changed}`);
    await checkBothSizes('run-results-not-written');

    // One export's runs are paged too.
    await page.getByLabel('Export', { exact: true }).selectOption({ label: 'Daily' });
    const ofDaily = page.getByRole('heading', { name: 'Runs of “Daily”' });
    await ofDaily.waitFor();
    await page.getByText('Page 1 · 23 in all').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2 · 23 in all').waitFor();
    await expect
      .poll(() => page.getByRole('region', { name: 'Runs', exact: true }).locator('tbody tr').count())
      .toBe(3);
    expect(problems).toEqual([]);
  });
});

describe('alerts', () => {
  test('a rule for failed source syncs is added; refresh-level events are not about one export', async () => {
    const { page, problems } = browser;
    await outbound.gql(
      'mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { channel { id } } }',
      { input: { name: 'Data team', kind: 'EMAIL', emailTo: 'data-team@example.com' } },
    );
    await openFresh('alerts');
    const form = page.getByRole('form', { name: 'Add a rule' });
    await form.waitFor();
    const events = await form.getByLabel('When').locator('option').allInnerTexts();
    for (const words of [
      'A refresh failed, or a segment in it ran past its time limit',
      'A source sync failed',
      'A run’s results could not be written to its results target',
    ])
      expect(events).toContain(words);
    await form.getByLabel('When').selectOption({ label: 'A source sync failed' });
    expect(await form.getByLabel('Of').count()).toBe(0);
    await form.getByLabel('Tell').selectOption({ label: 'Data team' });
    await form.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText('A source sync failed — refreshes and syncs → channel “Data team”').waitFor();
    const { alertRules } = await outbound.gql('{ alertRules { event exportId } }');
    expect(alertRules).toEqual([{ event: 'SOURCE_SYNC_FAILED', exportId: null }]);
    await checkBothSizes('alerts-source-sync-rule');
    expect(problems).toEqual([]);
  });
});

describe('exports', () => {
  test('the exports are paged, newest first', async () => {
    const { page, problems } = browser;
    const bulk: string[] = [];
    for (let i = 1; i <= 20; i++) bulk.push(await addExport(`Bulk ${String(i).padStart(2, '0')}`));
    // Removed again at the end, so the other tests find Weekly on the first page in any order.
    onTestFinished(async () => {
      for (const id of bulk) await outbound.gql('mutation($id: ID!) { deleteExport(id: $id) }', { id });
    });
    await openFresh('exports');
    await page.getByText('Page 1 · 22 in all').waitFor();
    await page.getByRole('heading', { name: 'Bulk 20' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Weekly' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2 · 22 in all').waitFor();
    await page.getByRole('heading', { name: 'Weekly' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Daily' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Bulk 20' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
