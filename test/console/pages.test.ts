import type { Server } from 'node:http';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import {
  type BrowserSession,
  openBrowser,
  screenshot,
  seriousAxeViolations,
  signInToConsole,
} from '../support/browser.ts';
import { connectionMutation, makeProfiles } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';

let fake: FakeActiveCampaign;
let outbound: Outbound;
let server: Server;
let base: string;
let browser: BrowserSession;
const ids = {} as Record<
  'main' | 'second' | 'third' | 'everyone' | 'nobody' | 'weekly' | 'doomed' | 'orphan',
  string
>;

const routes = [
  ['connections', 'Connections'],
  ['exports', 'Exports'],
  ['runs', 'Runs'],
  ['segments', 'Segments'],
  ['profiles', 'Profiles'],
  ['sources', 'Sources'],
  ['alerts', 'Alerts'],
  ['users', 'Users'],
  ['audit', 'Audit log'],
  ['settings', 'Settings'],
] as const;

async function addConnection(displayName: string, apiKey: string): Promise<string> {
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: { displayName, apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  return createConnection.id;
}

async function addSegment(name: string, rule: unknown): Promise<string> {
  const { createSegment } = await outbound.gql(
    'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }',
    { input: { name, rule } },
  );
  return createSegment.id;
}

async function addExport(name: string, connectionId: string, listId: string, segmentId: string) {
  const { createExport } = await outbound.gql(
    'mutation($input: CreateExportInput!) { createExport(input: $input) { id } }',
    {
      input: {
        name,
        connectionId,
        listId,
        segmentIds: [segmentId],
        mapping: { email: 'Email', firstName: 'FirstName', fields: [{ attribute: 'Country', fieldId: '5' }] },
      },
    },
  );
  return createExport.id as string;
}

const readExport = async (id: string) =>
  (
    await outbound.gql(
      'query($id: ID!) { export(id: $id) { name enabled listId connection { id } segments { name } } }',
      { id },
    )
  ).export;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale: 60 });
  const lists = [
    { id: 7, name: 'Newsletter' },
    { id: 8, name: 'Customers' },
  ];
  const fields = [{ id: 5, title: 'Country code' }];
  fake.addAccount({ apiKeys: ['pages-key-main'], lists, fields });
  fake.addAccount({ apiKeys: ['pages-key-second'], lists, fields });
  fake.addAccount({ apiKeys: ['pages-key-third'], lists, fields });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 60, worker: false });
  server = await serveApi(outbound.api, 0, '127.0.0.1');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // 13 profiles: 7 in HU, 6 in AT.
  await outbound.gql('mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }', {
    p: makeProfiles(13, { prefix: 'pg' }),
  });
  ids.main = await addConnection('Main account', 'pages-key-main');
  ids.second = await addConnection('Second account', 'pages-key-second');
  ids.third = await addConnection('Third account', 'pages-key-third');
  ids.everyone = await addSegment('Everyone', { attribute: 'Email', op: 'EXISTS' });
  ids.nobody = await addSegment('Nobody yet', { attribute: 'Email', op: 'EQ', value: 'nobody' });
  ids.weekly = await addExport('Weekly', ids.main, '7', ids.everyone);
  ids.doomed = await addExport('Moved along', ids.second, '7', ids.everyone);
  ids.orphan = await addExport('Orphan', ids.third, '7', ids.everyone);
  browser = await openBrowser(inject('chromiumPath'));
  browser.page.on('dialog', (dialog) => dialog.accept());
  await browser.page.goto(base);
  await signInToConsole(browser.page, outbound.adminToken);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await outbound?.close();
  await fake?.close();
});

/** Tab (forwards) until `target` has the focus: proves it is reachable by keyboard alone. */
async function tabTo(target: Locator) {
  const { page } = browser;
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Not reachable with Tab: ${target}`);
}

const focusedId = () => browser.page.evaluate(() => document.activeElement?.id);

describe.each([
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
])('every page on a %s', (viewportName, viewport) => {
  test.each(routes)(
    '#/%s renders its h1 for an admin, loads nothing from outside, logs no error, axe finds nothing serious',
    async (route, title) => {
      const { page, problems } = browser;
      await page.setViewportSize(viewport);
      await page.goto(`${base}/#/${route}`);
      await page.getByRole('heading', { name: title, level: 1, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.locator('.loading').count()).toBe(0);
      expect(await page.title()).toBe(`${title} · Outbound`);
      expect(await seriousAxeViolations(page)).toEqual([]);
      // Nothing wider than the window (a table scrolls inside its own box).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      await screenshot(page, `page-${route}-${viewportName}`);
      expect(problems).toEqual([]);
    },
  );
});

describe('navigation', () => {
  test('the skip link is the first stop and moves the focus to the content; following a link focuses the h1', async () => {
    const { page, problems } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/#/connections`);
    await page.reload();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await focusedId()).toBe('content');
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { name: 'Segments', level: 1 }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.getByRole('link', { name: 'GraphiQL' }).getAttribute('href')).toBe('/graphql');
    expect(problems).toEqual([]);
  });
});

// One admin's session after the page tour: the segment it saves is the one it edits and deletes, and the
// audit log it reads last is what the segments and exports steps did. The order is the story.
describe('an admin manages segments and exports, then reads the audit log', { shuffle: false }, () => {
  describe('segments', () => {
    test('created with the keyboard alone: the rule builder counts the members live, saving materializes them', async () => {
      const { page, problems } = browser;
      await page.goto(`${base}/#/segments`);
      await page.getByRole('heading', { name: 'Everyone' }).waitFor();
      await tabTo(page.getByRole('button', { name: 'New segment' }));
      await page.keyboard.press('Enter');
      await expect.poll(focusedId).toBe('segment-name');
      await page.keyboard.type('Hungarians');
      await tabTo(page.getByLabel('Condition 1: attribute'));
      await page.keyboard.type('Country');
      await tabTo(page.getByLabel('Condition 1: value'));
      await page.keyboard.type('HU');
      await expect.poll(() => page.getByTestId('member-preview').innerText()).toBe('7 profiles match now.');
      await screenshot(page, 'segment-form');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await tabTo(page.getByRole('button', { name: 'Save segment' }));
      await page.keyboard.press('Enter');
      await page.getByText('Segment “Hungarians” saved: 7 members.').waitFor();
      const card = page.getByRole('listitem', { name: 'Hungarians' });
      expect(await card.getByTestId('member-count').innerText()).toBe('7');
      const { segments } = await outbound.gql('{ segments(first: 50) { nodes { name rule memberCount } } }');
      expect(segments.nodes.find((s: { name: string }) => s.name === 'Hungarians')).toEqual({
        name: 'Hungarians',
        rule: { all: [{ attribute: 'Country', op: 'EQ', value: 'HU' }] },
        memberCount: 7,
      });
      expect(problems).toEqual([]);
    });

    test('edited: a new rule is counted and saved; focus returns to its Edit button', async () => {
      const { page, problems } = browser;
      await page.getByRole('button', { name: 'Edit Hungarians' }).click();
      await page.getByLabel('Condition 1: value').fill('AT');
      await expect.poll(() => page.getByTestId('member-preview').innerText()).toBe('6 profiles match now.');
      await page.getByLabel('Name', { exact: true }).fill('Austrians');
      await page.getByRole('button', { name: 'Save segment' }).click();
      await page.getByText('Segment “Austrians” saved: 6 members.').waitFor();
      expect(
        await page.getByRole('listitem', { name: 'Austrians' }).getByTestId('member-count').innerText(),
      ).toBe('6');
      await expect.poll(focusedId).toMatch(/^edit-/);
      expect(problems).toEqual([]);
    });

    test('deleted, unless an export uses it: then the error names the exports', async () => {
      const { page, problems } = browser;
      await page.getByRole('button', { name: 'Delete Everyone' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'exported by' });
      await alert.waitFor();
      for (const name of ['Weekly', 'Moved along', 'Orphan'])
        expect(await alert.innerText()).toContain(`“${name}”`);
      await page.getByRole('button', { name: 'Delete Austrians' }).click();
      await page.getByText('Segment “Austrians” deleted.').waitFor();
      await expect.poll(() => page.getByRole('listitem', { name: 'Austrians' }).count()).toBe(0);
      const { segments } = await outbound.gql('{ segments(first: 50) { nodes { name } } }');
      expect(segments.nodes.map((s: { name: string }) => s.name).sort()).toEqual(['Everyone', 'Nobody yet']);
      expect(problems.filter((p) => !p.includes('409') && !p.includes('status of'))).toEqual([]);
    });
  });

  describe('exports', () => {
    test('the card names the list and the custom field; an edit refused by the API focuses the field', async () => {
      const { page, problems } = browser;
      await page.goto(`${base}/#/exports`);
      const card = page.getByRole('listitem', { name: 'Weekly' });
      await card.getByText('Newsletter (id 7)').waitFor();
      await card.getByText('Country code ← Country').waitFor();
      await card.getByRole('button', { name: 'Edit' }).click();
      const form = page.getByRole('form', { name: 'Edit export “Weekly”' });
      await form.waitFor();
      await form.getByLabel('Name', { exact: true }).fill('   ');
      await form.getByRole('button', { name: 'Save' }).click();
      await expect.poll(focusedId).toBe('export-name');
      expect(await page.locator('#export-name-error').innerText()).toContain('1 to 100 characters');
      expect(await page.locator('#export-name').getAttribute('maxlength')).toBe('100');
      await form.getByLabel('Name', { exact: true }).fill('Weekly digest');
      await form.getByLabel('Enabled: runs after every scheduled refresh').uncheck();
      await form.getByLabel('Everyone (13 members)').uncheck();
      await form.getByLabel('Nobody yet (0 members)').check();
      await form
        .getByLabel('List', { exact: true })
        .locator('option', { hasText: 'Customers' })
        .waitFor({ state: 'attached' });
      await form.getByLabel('List', { exact: true }).selectOption({ label: 'Customers' });
      await form.getByText('the export would send nobody').waitFor();
      await form.getByRole('button', { name: 'Save' }).click();
      // 0 members: saved only once confirmed.
      await expect.poll(focusedId).toBe('export-empty-confirm');
      expect((await readExport(ids.weekly)).name).toBe('Weekly');
      await screenshot(page, 'export-edit');
      await page.keyboard.press('Space');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Export “Weekly digest” saved (disabled: it does not run).').waitFor();
      expect(await readExport(ids.weekly)).toEqual({
        name: 'Weekly digest',
        enabled: false,
        listId: '8',
        connection: { id: ids.main },
        segments: [{ name: 'Nobody yet' }],
      });
      const edited = page.getByRole('listitem', { name: 'Weekly digest' });
      expect(await edited.getByTestId('export-state').innerText()).toBe('Disabled: it does not run');
      expect(problems.filter((p) => !p.includes('status of'))).toEqual([]);
    });

    test('an export whose connection was removed says so, and is pointed at another connection or deleted', async () => {
      const { page, problems } = browser;
      for (const id of [ids.second, ids.third])
        await outbound.gql('mutation($id: ID!) { deleteConnection(id: $id) }', { id });
      await page.reload();
      const moved = page.getByRole('listitem', { name: 'Moved along' });
      await moved.getByTestId('export-state').waitFor();
      expect(await moved.getByTestId('export-state').innerText()).toBe('Stopped: connection removed');
      expect(await moved.getByRole('button', { name: 'Run now' }).count()).toBe(0);
      expect(await moved.getByRole('button', { name: 'Preview' }).count()).toBe(0);
      await screenshot(page, 'exports-stranded');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await moved.getByRole('button', { name: 'Point at another connection' }).click();
      const form = page.getByRole('form', { name: 'Edit export “Moved along”' });
      await form.getByText('was removed: choose another connection').waitFor();
      await form.getByLabel('Connection', { exact: true }).selectOption({ label: 'Main account' });
      const list = form.getByLabel('List', { exact: true });
      await list.locator('option', { hasText: 'Customers' }).waitFor({ state: 'attached' });
      await list.selectOption({ label: 'Customers' });
      await form
        .getByLabel('Custom field 1: ActiveCampaign field')
        .selectOption({ label: 'Country code (text)' });
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Export “Moved along” saved.').waitFor();
      expect(await readExport(ids.doomed)).toMatchObject({
        enabled: true,
        listId: '8',
        connection: { id: ids.main },
      });
      await expect
        .poll(() => page.getByRole('listitem', { name: 'Moved along' }).getByTestId('export-state').count())
        .toBe(0);
      expect(
        await page
          .getByRole('listitem', { name: 'Moved along' })
          .getByRole('button', { name: 'Run now' })
          .count(),
      ).toBe(1);

      const orphan = page.getByRole('listitem', { name: 'Orphan' });
      expect(await orphan.getByTestId('export-state').innerText()).toBe('Stopped: connection removed');
      await orphan.getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => page.getByRole('listitem', { name: 'Orphan' }).count()).toBe(0);
      const gone = await outbound.graphql('query($id: ID!) { export(id: $id) { id } }', { id: ids.orphan });
      expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(problems.filter((p) => !p.includes('status of'))).toEqual([]);
    });
  });

  describe('users and audit log', () => {
    test('a token is created with the keyboard, listed masked and revoked; the audit log reads in words and names', async () => {
      const { page, problems } = browser;
      await page.goto(`${base}/#/users`);
      const card = page.getByRole('listitem', { name: /@/ }).first();
      await card.waitFor();
      const nameInput = card.getByLabel('Token name');
      await tabTo(nameInput);
      await page.keyboard.type('CI pipeline');
      await tabTo(card.getByRole('button', { name: 'Create token' }));
      await page.keyboard.press('Enter');
      const shown = card.getByRole('status').locator('code.token');
      await shown.waitFor();
      const token = await shown.innerText();
      expect((await outbound.graphql('{ viewer { id } }', {}, token)).data?.viewer).toBeTruthy();
      await card.getByRole('button', { name: 'Revoke CI pipeline' }).click();
      await expect.poll(() => card.getByRole('button', { name: 'Revoke CI pipeline' }).count()).toBe(0);
      const { users } = await outbound.gql('{ users { tokens { name } } }');
      const names = users.flatMap((u: { tokens: Array<{ name: string }> }) => u.tokens.map((t) => t.name));
      expect(names).not.toContain('CI pipeline');

      await page.getByRole('link', { name: 'Audit log' }).click();
      const table = page.getByRole('region', { name: 'Audit events' });
      await table.waitFor();
      await table.getByText('Token revoked').waitFor();
      const text = await table.innerText();
      expect(text).toContain('Segment deleted');
      expect(text).toContain('Connection removed');
      expect(text).toContain('export Weekly digest');
      expect(text).not.toMatch(/connection\.privacy_accepted|[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(problems).toEqual([]);
    });
  });
});
