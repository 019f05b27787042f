import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import { type BrowserSession, openBrowser, signInToConsole } from '../support/browser.ts';
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
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await outbound?.close();
});

test('GraphiQL renders offline, with every outside request blocked, and runs a query', async () => {
  const { page, problems } = browser;
  await page.goto(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`);
  const run = page.locator('.graphiql-execute-button');
  await run.waitFor({ state: 'visible', timeout: 60_000 });
  await run.click();
  await expect
    .poll(() => page.locator('.result-window').innerText(), { timeout: 30_000 })
    .toContain('"Query"');
  expect(problems).toEqual([]);
});

test('the console links GraphiQL with the signed-in token in its headers; its files are served compressed, to be cached for good', async () => {
  const { page, problems } = browser;
  await page.goto(base);
  await signInToConsole(page, outbound.adminToken);
  const assets: string[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/graphiql-assets/'))
      assets.push(
        `${response.status()} ${response.headers()['cache-control']} ${response.headers()['content-encoding']}`,
      );
  });
  await page.getByRole('link', { name: 'GraphiQL' }).click();
  const run = page.locator('.graphiql-execute-button');
  await run.waitFor({ state: 'visible', timeout: 60_000 });
  expect(assets.length).toBeGreaterThanOrEqual(3);
  // Chromium accepts brotli: every file comes in its smallest form.
  expect(new Set(assets)).toEqual(new Set(['200 public, max-age=31536000, immutable br']));
  await page.locator('.graphiql-query-editor .monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('{ viewer { role } }');
  // The editor may have closed a brace itself while it was typed: what follows the cursor goes.
  await page.keyboard.press('Shift+ControlOrMeta+End');
  await page.keyboard.press('Delete');
  await run.click();
  await expect
    .poll(() => page.locator('.result-window').innerText(), { timeout: 30_000 })
    .toContain('"ADMIN"');
  expect(problems).toEqual([]);
});
