import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
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

let outbound: Outbound;
let server: Server;
let base: string;
let browser: BrowserSession;

beforeAll(async () => {
  outbound = await startOutbound({});
  server = await serveApi(outbound.api, 0, '127.0.0.1');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await outbound.gql('mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }', {
    p: makeProfiles(4, { prefix: 'up' }),
  });
  await outbound.gql('mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }', {
    input: { name: 'Gold tier', rule: { attribute: 'Tier', op: 'EQ', value: 'gold' } },
  });
  browser = await openBrowser(inject('chromiumPath'));
  await browser.page.goto(base);
  await signInToConsole(browser.page, outbound.adminToken);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await outbound?.close();
});

const memberCount = async () =>
  (await outbound.gql('{ segments { nodes { name memberCount } } }')).segments.nodes[0].memberCount as number;

test('a CSV uploaded from the browser is imported with the CLI’s report by line; refreshing the segments then counts the new profiles', async () => {
  const { page, problems } = browser;
  await page.goto(`${base}/#/profiles`);
  const form = page.getByRole('form', { name: 'Upload profiles' });
  await form.waitFor();
  const csv = [
    'customer_id,Email,Tier',
    'g1,g1@example.com,gold',
    'g2,g2@example.com,gold,extra',
    'g3,g3@example.com,gold',
    ',nobody@example.com,gold',
    '',
  ].join('\n');
  await form
    .getByLabel('Profiles file (CSV or NDJSON)')
    .setInputFiles({ name: 'gold.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await form.getByRole('button', { name: 'Upload profiles' }).click();
  const report = page.getByTestId('import-report');
  await report.waitFor({ timeout: 60_000 });
  const text = await report.innerText();
  expect(text).toContain('Imported 2 profiles; 2 bad rows');
  expect(text).toContain('line 3: expected 3 columns as in the header, found 4');
  expect(text).toMatch(/line 5: customer_id/);
  const stored = await outbound.sql`select customer_id from profiles where customer_id in ('g1', 'g2', 'g3')`;
  expect(stored.map((r) => r.customer_id).sort()).toEqual(['g1', 'g3']);
  await page
    .getByRole('listitem')
    .filter({ hasText: /^Tier$/ })
    .waitFor();
  for (const [size, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    expect(await seriousAxeViolations(page), size).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );
    await screenshot(page, `profiles-upload-${size}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // Uploaded profiles join segments at the next refresh, not before.
  const before = await memberCount();
  await page.getByRole('button', { name: 'Refresh segments now' }).click();
  await page.getByText('Refresh started').waitFor();
  await expect.poll(memberCount, { timeout: 90_000, interval: 500 }).toBe(before + 2);
  expect(problems).toEqual([]);
});

test('a file of another type is refused before anything is sent; a header without customer_id is refused by the API at the file', async () => {
  const { page, problems } = browser;
  await page.goto(`${base}/#/profiles`);
  const form = page.getByRole('form', { name: 'Upload profiles' });
  const input = form.getByLabel('Profiles file (CSV or NDJSON)');
  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await form.getByRole('button', { name: 'Upload profiles' }).click();
  await page.getByText('Choose a .csv, .ndjson or .jsonl file.').waitFor();
  await input.setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Email\nx@example.com\n'),
  });
  await form.getByRole('button', { name: 'Upload profiles' }).click();
  await page.locator('#profiles-file-error').filter({ hasText: 'customer_id' }).waitFor({ timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('profiles-file');
  expect(problems.filter((p) => !p.includes('status of'))).toEqual([]);
});
