import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createUserWithToken } from '../../core/users.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import {
  type BrowserSession,
  openBrowser,
  screenshot,
  seriousAxeViolations,
  signInToConsole,
} from '../support/browser.ts';
import { makeProfiles } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';

let fake: FakeActiveCampaign;
let outbound: Outbound;
let server: Server;
let base: string;
let browser: BrowserSession;
const apiKey = 'console-test-key-1';
// More lists than a page of the picker (100): the export's list is on the second page.
const listId = 150;
const account = () =>
  fake.addAccount({
    apiKeys: [apiKey],
    lists: [
      ...Array.from({ length: 120 }, (_, i) => ({ id: i + 1, name: `Archive ${i + 1}` })),
      { id: listId, name: 'Newsletter' },
    ],
    fields: [
      { id: 5, title: 'Country code' },
      { id: 6, title: 'Tier', type: 'dropdown', options: ['gold', 'silver'] },
    ],
    tags: ['customer'],
  });
let acAccount: ReturnType<typeof account>;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale: 60 });
  acAccount = account();
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 60 });
  server = await serveApi(outbound.api, 0, '127.0.0.1');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // 30 profiles, every 10th email invalid: 27 exported, 3 rejected.
  await outbound.gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, {
    p: makeProfiles(30, { prefix: 'con', invalidEvery: 10 }),
  });
  await outbound.gql(`mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`, {
    input: { name: 'Everyone', rule: { attribute: 'Email', op: 'EXISTS' } },
  });
  browser = await openBrowser(inject('chromiumPath'));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await outbound?.close();
  await fake?.close();
});

async function signIn(token: string) {
  const { page } = browser;
  await page.goto(base);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await signInToConsole(page, token);
}

/** Each page's serious or critical axe violations fail the test that shows the page (and the run goes on). */
async function checkPage(name: string) {
  const { page } = browser;
  expect.soft(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

// One journey in one browser: the connection the admin adds is the one the export uses, and the export
// is what the contributor then sees. Shuffling would break the journey, not test more, so it keeps its order.
describe('the console, from the first connection to a contributor', { shuffle: false }, () => {
  describe('an admin', () => {
    test('adds a connection: Connect waits for consent, a wrong key is answered in words, the host is corrected', async () => {
      const { page, problems } = browser;
      await signIn(outbound.adminToken);
      await checkPage('connections-empty');
      await page.getByRole('button', { name: 'Add a connection' }).click();
      await page.getByLabel('Display name', { exact: true }).fill('Fake account');
      await page.getByLabel('API host', { exact: true }).fill(`http://${fake.host}/api/3/`);
      await page.getByLabel('API key').focus();
      await expect.poll(() => page.getByLabel('API host', { exact: true }).inputValue()).toBe(fake.host);
      await expect(page.getByText('Corrected to the host name only').isVisible()).resolves.toBe(true);
      await page.getByLabel('API key').fill('wrong-key-12345');
      const connect = page.getByRole('button', { name: 'Connect' });
      expect(await connect.isDisabled()).toBe(true);
      await page.getByLabel('I accept the data-privacy terms above').check();
      expect(await connect.isEnabled()).toBe(true);
      await checkPage('connection-form');
      await connect.click();
      await expect
        .poll(() => page.getByRole('form', { name: 'Add a connection' }).getByRole('alert').innerText())
        .toContain('ActiveCampaign rejected the API key (403)');
      await page.getByLabel('API key').fill(apiKey);
      await connect.click();
      await page.getByText('Connected: ActiveCampaign accepted the key.').waitFor();
      await page.getByRole('heading', { name: 'Fake account' }).waitFor();
      await checkPage('connections');
      expect(problems).toEqual([]);
    });

    test('creates an export from the pickers, previews it, runs it and watches it succeed with the right counts', async () => {
      const { page, problems } = browser;
      await page.getByRole('link', { name: 'Exports' }).click();
      await page.getByText('No exports yet.').waitFor();
      await page.getByRole('button', { name: 'New export' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Everyone to the newsletter');
      await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'Fake account' });
      const listSelect = page.getByLabel('List', { exact: true });
      await page.getByText('121 lists in the account, 100 shown.').waitFor();
      expect(await listSelect.locator('option', { hasText: 'Newsletter' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Next lists' }).click();
      await listSelect.locator('option', { hasText: 'Newsletter' }).waitFor({ state: 'attached' });
      await listSelect.selectOption({ label: 'Newsletter' });
      await page.getByLabel('Find a list').fill('LETTER');
      await expect
        .poll(() => listSelect.locator('option').allInnerTexts())
        .toEqual(['Choose a list', 'Newsletter']);
      expect(await listSelect.inputValue()).toBe(String(listId));
      await page.getByLabel(/Everyone \(30 members\)/).check();
      await page.getByLabel('Email', { exact: true }).selectOption('Email');
      await page.getByLabel('First name', { exact: true }).selectOption('FirstName');
      await page.getByLabel('Last name', { exact: true }).selectOption('LastName');
      await page.getByLabel('Phone', { exact: true }).selectOption('Phone');
      await page.getByRole('button', { name: 'Add a custom field' }).click();
      await page.getByLabel('Custom field 1: attribute').selectOption('Country');
      const field1 = page.getByLabel('Custom field 1: ActiveCampaign field');
      await field1.locator('option', { hasText: 'Country code' }).waitFor({ state: 'attached' });
      expect(await field1.locator('option').allInnerTexts()).toEqual([
        'Choose a field',
        'Country code (text)',
        'Tier (dropdown)',
      ]);
      await field1.selectOption({ label: 'Country code (text)' });
      await page.getByLabel('Tag', { exact: true }).fill('newsletter-2026');
      await page.getByRole('button', { name: 'Add tag' }).click();
      await page.getByRole('button', { name: 'Remove tag newsletter-2026' }).waitFor();
      await page.getByLabel('Exclude automations').check();
      await checkPage('export-form');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Export “Everyone to the newsletter” saved. It has not run').waitFor();
      expect(acAccount.listMembers(listId)).toHaveLength(0);

      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByRole('region', { name: 'Dry run' });
      await preview.waitFor();
      expect(await preview.locator('[data-count="adds"]').innerText()).toBe('27');
      expect(await preview.locator('[data-count="rejects"]').innerText()).toBe('3');
      expect(await preview.locator('[data-count="skipped"]').innerText()).toBe('0');
      await checkPage('exports');

      await page.getByRole('button', { name: 'Run now' }).click();
      await page.getByRole('region', { name: 'Run', exact: true }).waitFor();
      await expect
        .poll(() => page.getByTestId('run-status').innerText(), { timeout: 90_000 })
        .toBe('Succeeded');
      const run = page.getByRole('region', { name: 'Run', exact: true });
      expect(await run.locator('[data-count="exported"]').innerText()).toBe('27');
      expect(await run.locator('[data-count="rejected"]').innerText()).toBe('3');
      expect(await run.locator('[data-count="skipped"]').innerText()).toBe('0');
      await page.getByText('Contacts not exported (3)').waitFor();
      const runsTable = page.getByRole('region', { name: 'Runs', exact: true });
      await expect.poll(() => runsTable.locator('tbody tr td').nth(2).innerText()).toBe('Succeeded');
      const members = acAccount.listMembers(listId);
      expect(members).toHaveLength(27);
      const first = members.find((m) => m.email === 'person1.con@example.com');
      const second = members.find((m) => m.email === 'person2.con@example.com');
      expect(first?.fields['5']).toBe('HU');
      expect(second?.fields['5']).toBe('AT');
      expect(acAccount.contactTags('person1.con@example.com')).toContain('newsletter-2026');
      expect(acAccount.importAutomationFlags().every((excluded) => excluded)).toBe(true);
      await checkPage('runs');

      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      await page.getByTestId('next-run').waitFor();
      await checkPage('settings');
      expect(problems).toEqual([]);
    });

    test('an account that cannot be read is said in words where its lists and fields are picked', async () => {
      const { page, problems } = browser;
      const brokenKey = 'console-test-key-2';
      const broken = fake.addAccount({ apiKeys: [brokenKey], lists: [1], fields: [{ id: 1, title: 'Any' }] });
      const connectionId = (
        await outbound.gql(
          `mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }`,
          {
            input: {
              displayName: 'Unreachable account',
              apiHost: fake.host,
              apiKey: brokenKey,
              acceptDataPrivacy: true,
            },
          },
        )
      ).createConnection.id as string;
      broken.setFaults({ errorRate: 1 });
      await page.reload();
      await page.getByRole('link', { name: 'Exports' }).click();
      await page.getByRole('button', { name: 'New export' }).click();
      await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'Unreachable account' });
      await page.getByText('The account’s lists cannot be read just now').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Add a custom field' }).click();
      await page
        .getByText('The account’s custom fields cannot be read just now')
        .waitFor({ timeout: 60_000 });
      const alerts = await page.getByRole('form', { name: 'New export' }).getByRole('alert').allInnerTexts();
      expect(alerts.length).toBeGreaterThan(0);
      expect(alerts.every((a) => a.length > 0 && !a.includes(brokenKey))).toBe(true);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await outbound.gql('mutation($id: ID!) { deleteConnection(id: $id) }', { id: connectionId });
      expect(problems).toEqual([]);
    });
  });

  test('a contributor sees no settings of an admin-only connection and cannot export through it', async () => {
    const { page, problems } = browser;
    const contributor = await createUserWithToken(outbound.sql, 'contributor@outbound.test', 'CONTRIBUTOR');
    // As `npm run dev` prints it: the console's address with the token after #token=.
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${base}/#token=${contributor.token}`);
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('#/connections');
    await page.getByRole('heading', { name: 'Fake account' }).waitFor();
    expect(await page.getByText(fake.host).count()).toBe(0);
    await page.getByText('Administrators only: its settings are not shown').waitFor();
    expect(await page.getByRole('button', { name: 'Add a connection' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Exports' }).click();
    await page.getByRole('heading', { name: 'Everyone to the newsletter' }).waitFor();
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    await page.getByRole('button', { name: 'New export' }).click();
    await page.getByText('No connection you may use').waitFor();
    expect(await page.getByLabel('Connection', { exact: true }).locator('option').allInnerTexts()).toEqual([
      'Choose a connection',
    ]);
    await checkPage('contributor-exports');
    expect(problems).toEqual([]);
  });

  test('works on a narrow window, where axe finds no serious or critical violation', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('heading', { name: 'Fake account' }).waitFor();
    await checkPage('connections-narrow');
  });
});
