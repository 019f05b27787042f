import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, else Debian's (or another system one); on a machine
 * without one, `apt-get install -y chromium` (as root, like CI). Called once by the browser project's global setup.
 */
export function ensureChromium(): string {
  const found = () =>
    [process.env.CHROMIUM_PATH, ...candidates].find((p): p is string => !!p && existsSync(p));
  const existing = found();
  if (existing) return existing;
  console.log('Installing Chromium for the browser tests (apt-get install -y chromium)…');
  const quiet = { stdio: 'ignore' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', ['update'], quiet);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], quiet);
  const installed = found();
  if (!installed)
    throw new Error('No Chromium: install one (apt-get install chromium) or set CHROMIUM_PATH.');
  return installed;
}

const localHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type BrowserSession = {
  browser: Browser;
  page: Page;
  /** What the page did wrong: requests to other hosts (blocked), console errors, uncaught exceptions. */
  problems: string[];
  close(): Promise<void>;
};

/**
 * One headless Chromium for a test file, one page. Every request to a host other than this machine is
 * aborted and recorded, as is every console error and uncaught exception: the tests assert `problems` is empty.
 */
export async function openBrowser(executablePath: string, viewport = { width: 1280, height: 800 }) {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport });
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || localHosts.has(url.hostname))
      return route.continue();
    problems.push(`blocked request to ${url.origin}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { browser, page, problems, close: () => browser.close() } satisfies BrowserSession;
}

const require = createRequire(import.meta.url);

/** axe-core from node_modules, injected into the page (no CDN); the serious and critical violations. */
export async function seriousAxeViolations(page: Page) {
  // Evaluated through the DevTools protocol: the console's CSP (script-src 'self') stays in force.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const results = await page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return (results.violations as Array<{ id: string; impact: string; help: string; nodes: unknown[] }>)
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
}

export const screenshotDir = join(projectRoot, '.data/screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in on the console's sign-in form the page shows, and waits for its main navigation. */
export async function signInToConsole(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
