import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import { tokenFor } from '../api/helpers.ts';
import {
  type BrowserSession,
  openBrowser,
  screenshot,
  seriousAxeViolations,
  signInToConsole,
} from '../support/browser.ts';
import { withFakeAndOutbound } from '../support/fixtures.ts';
import { runWithRejects } from '../support/reject-scenario.ts';

const stack = withFakeAndOutbound(60);
let scenario: Awaited<ReturnType<typeof runWithRejects>>;
let server: Server;
let base: string;
let browser: BrowserSession;

beforeAll(async () => {
  scenario = await runWithRejects(stack.outbound, stack.fake, 'br');
  server = await serveApi(stack.outbound.api, 0, '127.0.0.1');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await openBrowser(inject('chromiumPath'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function openRunAs(token: string) {
  const { page } = browser;
  await page.goto(base);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await signInToConsole(page, token);
  await page.goto(`${base}/#/runs?export=${scenario.exportId}&run=${scenario.runId}`);
  await page.getByText('Contacts not exported (6)').waitFor();
  return page.getByRole('region', { name: 'Run', exact: true });
}

/** The cells of the rejects table's row of a customer. */
async function rowOf(run: Awaited<ReturnType<typeof openRunAs>>, customerId: string) {
  return run
    .locator('tbody tr')
    .filter({ has: run.page().getByRole('cell', { name: customerId, exact: true }) })
    .locator('td')
    .allInnerTexts();
}

/** The download link's href fetched with the page's own token, as its click does. */
async function fetchLinkAsPage(href: string) {
  return browser.page.evaluate(async (url) => {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${sessionStorage.getItem('outbound.token')}` },
    });
    return { status: response.status, text: await response.text() };
  }, href);
}

describe('the run page’s rejects', () => {
  test('an admin sees each contact’s email, what happened to it, the field and value refused, and downloads the CSV', async () => {
    const { page, problems } = browser;
    const run = await openRunAs(stack.outbound.adminToken);
    const { id, email } = scenario;
    expect(await run.locator('thead th').allInnerTexts()).toEqual([
      'Customer id',
      'Email',
      'Outcome',
      'Field',
      'Reason',
    ]);
    const [, refusedEmail, refused, refusedField, refusedReason] = await rowOf(run, id('03'));
    expect([refusedEmail, refused]).toEqual([email('03'), 'Refused by ActiveCampaign']);
    expect(refusedField).toMatch(/^City: .?Vienna.?$/);
    expect(refusedReason).toContain('ActiveCampaign: “Field 2');
    const notSent = await rowOf(run, id('02'));
    expect(notSent.slice(1, 3)).toEqual([email('02'), 'Not sent']);
    expect(notSent[3]).toMatch(/^City: .?Atlantis.?$/);
    expect((await rowOf(run, id('06'))).slice(1, 3)).toEqual([email('06'), 'Skipped']);
    expect((await rowOf(run, id('05')))[2]).toBe('Not sent');
    expect(await run.getByText('Not sent or failed').count()).toBe(0);

    const link = run.getByRole('link', { name: 'Download CSV' });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toBe(`/runs/${scenario.runId}/rejects.csv`);
    const csv = await fetchLinkAsPage(href);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'customer_id,email,outcome,reason,field,value,activecampaign_reason,message',
    );
    expect(csv.text).toContain(`${id('02')},${email('02')},NOT_SENT,FIELD_VALUE_NOT_ALLOWED,City,Atlantis,`);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`run-${scenario.runId}-rejects.csv`);
    const saved = await readFile((await download.path()) ?? '', 'utf8');
    expect(saved.replace(/^\uFEFF/, '')).toBe(csv.text);

    expect.soft(await seriousAxeViolations(page), 'axe on the run page').toEqual([]);
    await screenshot(page, 'run-rejects');
    expect(problems).toEqual([]);
  });

  test('a viewer sees the outcomes and fields without emails, and the CSV without them either', async () => {
    const { problems } = browser;
    const run = await openRunAs(await tokenFor(stack.outbound, 'VIEWER'));
    expect(await run.locator('thead th').allInnerTexts()).toEqual([
      'Customer id',
      'Outcome',
      'Field',
      'Reason',
    ]);
    expect(await rowOf(run, scenario.id('02'))).toEqual([
      scenario.id('02'),
      'Not sent',
      'City',
      expect.stringContaining('would refuse the value'),
    ]);
    const href = (await run.getByRole('link', { name: 'Download CSV' }).getAttribute('href')) ?? '';
    const csv = await fetchLinkAsPage(href);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`${scenario.id('02')},,NOT_SENT,FIELD_VALUE_NOT_ALLOWED,City,,`);
    expect(csv.text).not.toContain(scenario.email('02'));
    expect(problems).toEqual([]);
  });
});
