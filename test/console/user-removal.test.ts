import type { Server } from 'node:http';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createUserWithToken } from '../../core/users.ts';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import {
  type BrowserSession,
  openBrowser,
  screenshot,
  seriousAxeViolations,
  signInToConsole,
} from '../support/browser.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';

let outbound: Outbound;
let server: Server;
let base: string;
let browser: BrowserSession;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  server = await serveApi(outbound.api, 0, '127.0.0.1');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await openBrowser(inject('chromiumPath'));
  await browser.page.goto(base);
  await signInToConsole(browser.page, outbound.adminToken);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await outbound?.close();
});

/** Tab (forwards) until `target` has the focus: proves it is reachable by keyboard alone. */
async function tabTo(target: Locator) {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await browser.page.keyboard.press('Tab');
  }
  throw new Error(`Not reachable with Tab: ${target}`);
}

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** A contributor with a token, and the users page open on their card. */
async function openUsersWith(email: string) {
  const { user, token } = await createUserWithToken(outbound.sql, email, 'CONTRIBUTOR');
  const { page } = browser;
  await page.goto(`${base}/#/users`);
  await page.reload();
  const card = page.getByRole('listitem', { name: email });
  await card.waitFor();
  return { id: user.id, token, card, remove: card.getByRole('button', { name: `Remove user ${email}` }) };
}

const activeEmails = async () =>
  (await outbound.gql('{ users { email } }')).users.map((u: { email: string }) => u.email);

describe('removing a user in the console', () => {
  test('the dialog says what happens; Escape cancels it and gives the focus back, nothing is removed', async () => {
    const { page, problems } = browser;
    const email = 'second-thoughts@outbound.test';
    const { remove, token } = await openUsersWith(email);
    await tabTo(remove);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Remove ${email}?` });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/token stops working at once/);
    expect(await isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'users-remove-dialog');

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => isFocused(remove)).toBe(true);
    expect(await activeEmails()).toContain(email);
    expect((await outbound.graphql('{ viewer { email } }', {}, token)).data?.viewer).toEqual({ email });
    expect(problems).toEqual([]);
  });

  test('an admin removes a user with the keyboard: the row goes, the token stops, the audit log names them', async () => {
    const { page, problems } = browser;
    const email = 'leaving@outbound.test';
    const { id, remove, token, card } = await openUsersWith(email);
    const own = page.getByRole('listitem', { name: 'admin@outbound.test' });
    expect(await own.getByRole('button', { name: /^Remove/ }).count()).toBe(0);

    await tabTo(remove);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Remove ${email}?` });
    await dialog.waitFor();
    await tabTo(dialog.getByRole('button', { name: 'Remove user' }));
    await page.keyboard.press('Enter');

    await page
      .getByRole('status')
      .filter({ hasText: `${email} was removed.` })
      .waitFor();
    await expect.poll(() => card.count()).toBe(0);
    expect(await dialog.count()).toBe(0);
    // The button that opened the dialog went with the row: the page's heading has the focus.
    await expect.poll(() => isFocused(page.getByRole('heading', { level: 1, name: 'Users' }))).toBe(true);
    expect(await activeEmails()).not.toContain(email);
    const refused = await outbound.graphql('{ segments(first: 1) { totalCount } }', {}, token);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('region', { name: 'Audit events' });
    await table.getByText('User removed').waitFor();
    const removedRow = table.getByRole('row').filter({ hasText: 'User removed' });
    // Subjects are named once their names have loaded: the removed user's too.
    await expect.poll(() => removedRow.innerText()).toContain(`user ${email}`);
    expect(await removedRow.innerText()).not.toContain(id);
    expect(problems).toEqual([]);
  });
});
